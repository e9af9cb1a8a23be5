#include "domain/point.h"
#include "util/jsontext.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>

static int code_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

int point_check(const struct catalog *cat, struct point_ref *p,
		const struct codes *lines, struct inop_err *err)
{
	const struct cat_item *type;

	if (!code_ok(p->code))
		return err_validation(err, "code",
				      "El código solo admite mayúsculas, "
				      "dígitos, '-' y '_'");
	if (!p->name[0])
		return err_validation(err, "name",
				      "El nombre del punto es obligatorio");
	/* The API's JSON is UTF-8 already; a command's argument may not be
	 * (a terminal in Latin-1). */
	if (!json_text_valid(p->name))
		return err_validation(err, "name",
				      "El nombre del punto no es texto UTF-8");
	if (!p->region[0])
		return err_validation(err, "region",
				      "La región del punto es obligatoria");
	if (!json_text_valid(p->region))
		return err_validation(err, "region",
				      "La región del punto no es texto UTF-8");
	type = catalog_find(cat, "point_type", NULL, p->type);
	if (!type)
		return err_validation(err, "type",
				      "Tipo de punto desconocido: '%s' (CAC, "
				      "ACD o CALL_CENTER)",
				      p->type);
	(void)str_copy(p->channel, sizeof(p->channel),
		       type->extra); /* 24/24 */
	if (strcmp(p->type, "CALL_CENTER") == 0 && lines->n == 0)
		return err_validation(err, "lines",
				      "Indique la línea del call center (123 "
				      "o 135)");
	for (size_t i = 0; i < lines->n; i++)
		if (strcmp(p->type, "CALL_CENTER") != 0 ||
		    (strcmp(lines->v[i], "123") != 0 &&
		     strcmp(lines->v[i], "135") != 0))
			return err_validation(err, "lines",
					      "Las líneas (123, 135) solo se "
					      "indican para un call center");
	return 0;
}
