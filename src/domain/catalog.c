#include "domain/catalog.h"
#include "util/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "util/err.h"

int catalog_add(struct catalog *c, const char *kind, const char *code,
		const char *name, const char *parent, const char *extra)
{
	struct cat_item *items, *it;

	items = realloc(c->items, (c->n + 1) * sizeof(*items));
	if (!items)
		return -1;
	c->items = items;
	it = &items[c->n++];
	/* a cut code would name another item: refused; a cut name is shown */
	(void)str_copy(it->name, sizeof(it->name), name ? name : code);
	if (str_copy(it->kind, sizeof(it->kind), kind) < 0 ||
	    str_copy(it->code, sizeof(it->code), code) < 0 ||
	    str_copy(it->parent, sizeof(it->parent), parent ? parent : "") <
		    0 ||
	    str_copy(it->extra, sizeof(it->extra), extra ? extra : "") < 0) {
		c->n--;
		return -1;
	}
	it->active = 1;
	return 0;
}

int catalog_cause_usable(const struct catalog *c, const char *scenario,
			 const char *code)
{
	const struct cat_item *it = catalog_find(c, "cause", scenario, code);

	return it && it->active;
}

int catalog_reason_usable(const struct catalog *c, const char *scenario,
			  const char *code)
{
	const struct cat_item *it =
		catalog_find(c, "closure_reason", "", code);
	const struct cat_item *link =
		catalog_find(c, "scenario_reason", scenario, code);

	return it && it->active && link && link->active;
}

void catalog_reason_scenarios(const struct catalog *c, const char *code,
			      struct codes *out)
{
	out->n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct cat_item *it = &c->items[i];

		/* scenario codes are catalogue codes: they fit, and there
		 * are fewer scenarios than CODES_MAX */
		if (it->active && strcmp(it->kind, "scenario_reason") == 0 &&
		    strcmp(it->code, code) == 0)
			(void)codes_add(out, it->parent);
	}
}

int catalog_scenarios_check(const struct catalog *c,
			    const struct codes *scenarios,
			    struct inop_err *err)
{
	if (scenarios->n == 0)
		return err_validation(err, "scenarios",
				      "Indique al menos un escenario del "
				      "motivo de cierre");
	for (size_t i = 0; i < scenarios->n; i++)
		if (!catalog_find(c, "scenario", NULL, scenarios->v[i]))
			return err_validation(err, "scenarios",
					      "Escenario desconocido: '%s'",
					      scenarios->v[i]);
	return 0;
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 47)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

int catalog_name_check(const char *name, struct inop_err *err)
{
	size_t n = name ? utf8_chars(name) : 0;

	if (n < 2 || n > 120)
		return err_validation(err, "name",
				      "El nombre debe tener entre 2 y 120 "
				      "caracteres");
	return 0;
}

int catalog_entry_check(const struct catalog *c, const char *kind,
			const char *code, const char *name,
			const char *scenario, struct inop_err *err)
{
	if (!code || !code_ok(code))
		return err_validation(err, "code",
				      "El código usa mayúsculas, dígitos y "
				      "guiones bajos (de 2 a 47 caracteres)");
	if (catalog_name_check(name, err) < 0)
		return -1;
	if (!scenario || !catalog_find(c, "scenario", NULL, scenario))
		return err_validation(err, "scenario",
				      "Escenario desconocido: '%s'",
				      scenario ? scenario : "");
	if (catalog_find(c, kind, NULL, code))
		return err_set(err, 409, "DUPLICATE_CODE", "code",
			       "El código '%s' ya existe: los códigos no "
			       "cambian ni se reutilizan",
			       code);
	return 0;
}

void catalog_release(struct catalog *c)
{
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

const struct cat_item *catalog_find(const struct catalog *c, const char *kind,
				    const char *parent, const char *code)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cat_item *it = &c->items[i];

		if (strcmp(it->code, code) == 0 &&
		    strcmp(it->kind, kind) == 0 &&
		    (!parent || strcmp(it->parent, parent) == 0))
			return it;
	}
	return NULL;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Adds each {"code","name"} of array `a` as `kind` under `parent`. */
static int add_named(struct catalog *c, json_t *a, const char *kind,
		     const char *parent, const char *extra_key)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		if (json_is_string(v)) {
			if (catalog_add(c, kind, json_string_value(v), NULL,
					parent, NULL) < 0)
				return -1;
			continue;
		}
		if (catalog_add(c, kind, jstr(v, "code"), jstr(v, "name"),
				parent,
				extra_key ? jstr(v, extra_key) : NULL) < 0)
			return -1;
	}
	return 0;
}

int catalog_from_json(struct catalog *c, const char *text)
{
	json_t *root = json_loads(text, 0, NULL), *v;
	size_t i;
	int rc = -1;

	if (!root)
		return -1;
	json_array_foreach(json_object_get(root, "procedures"), i, v)
	{
		if (catalog_add(c, "procedure", jstr(v, "code"),
				jstr(v, "name"), NULL, NULL) < 0 ||
		    add_named(c, json_object_get(v, "requests"), "request",
			      jstr(v, "code"), NULL) < 0)
			goto out;
	}
	if (add_named(c, json_object_get(root, "not_regulated"),
		      "not_regulated", NULL, NULL) < 0 ||
	    add_named(c, json_object_get(root, "applications"), "application",
		      NULL, "kind") < 0 ||
	    add_named(c, json_object_get(root, "closure_reasons"),
		      "closure_reason", NULL, NULL) < 0 ||
	    add_named(c, json_object_get(root, "critical_transactions"),
		      "critical_transaction", NULL, NULL) < 0 ||
	    add_named(c, json_object_get(root, "point_types"), "point_type",
		      NULL, "channel") < 0)
		goto out;
	json_array_foreach(json_object_get(root, "scenarios"), i, v)
	{
		if (catalog_add(c, "scenario", jstr(v, "code"),
				jstr(v, "name"), NULL, NULL) < 0 ||
		    add_named(c, json_object_get(v, "causes"), "cause",
			      jstr(v, "code"), NULL) < 0 ||
		    add_named(c, json_object_get(v, "closure_reasons"),
			      "scenario_reason", jstr(v, "code"), NULL) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}
