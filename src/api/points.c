#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/event_json.h"
#include "store/points.h"

static json_t *point_to_json(const struct point *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:b}", "id",
			 (json_int_t)p->ref.id, "code", p->ref.code, "name",
			 p->ref.name, "type", p->ref.type, "channel",
			 p->ref.channel, "lines", codes_to_json(&p->lines),
			 "region", p->ref.region, "active", p->active);
}

/* Codes: upper-case letters, digits, '-' and '_'. */
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

static int parse_point(struct req *r, struct point *p, struct inop_err *e)
{
	const struct cat_item *type;

	memset(p, 0, sizeof(*p));
	if (body_str(r->body, "code", 1, p->ref.code, sizeof(p->ref.code),
		     e) < 0 ||
	    body_str(r->body, "name", 1, p->ref.name, sizeof(p->ref.name),
		     e) < 0 ||
	    body_str(r->body, "type", 1, p->ref.type, sizeof(p->ref.type),
		     e) < 0 ||
	    body_str(r->body, "region", 1, p->ref.region,
		     sizeof(p->ref.region), e) < 0 ||
	    body_codes(r->body, "lines", 0, &p->lines, e) < 0)
		return -1;
	if (!code_ok(p->ref.code))
		return err_validation(e, "code",
				      "El código solo admite mayúsculas, "
				      "dígitos, '-' y '_'");
	type = catalog_find(&r->app->catalog, "point_type", NULL,
			    p->ref.type);
	if (!type)
		return err_validation(e, "type",
				      "Tipo de punto desconocido: '%s' (CAC, "
				      "ACD o CALL_CENTER)",
				      p->ref.type);
	snprintf(p->ref.channel, sizeof(p->ref.channel), "%s", type->extra);
	for (size_t i = 0; i < p->lines.n; i++)
		if (strcmp(p->ref.type, "CALL_CENTER") != 0 ||
		    (strcmp(p->lines.v[i], "123") != 0 &&
		     strcmp(p->lines.v[i], "135") != 0))
			return err_validation(e, "lines",
					      "Las líneas (123, 135) solo se "
					      "indican para un call center");
	return 0;
}

void api_points_create(struct req *r)
{
	struct point p;
	struct inop_err e;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (parse_point(r, &p, &e) < 0 ||
	    store_point_insert(db, &p, r->actor.username, r->now, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	reply_json(r, 201, point_to_json(&p));
}

void api_points_list(struct req *r)
{
	const char *mine = http_query(r, "mine");
	struct point *list;
	size_t n;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (store_points_list(db, mine && strcmp(mine, "1") == 0
					  ? r->actor.id
					  : 0,
			      &list, &n) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, point_to_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)n));
}
