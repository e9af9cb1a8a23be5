#include <string.h>

#include "api/api.h"

/* The {"code","name"} items of one kind (and parent), in order. */
static json_t *items(const struct catalog *c, const char *kind,
		     const char *parent)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->n; i++) {
		const struct cat_item *it = &c->items[i];

		if (strcmp(it->kind, kind) != 0 ||
		    (parent && strcmp(it->parent, parent) != 0))
			continue;
		json_array_append_new(a,
				      json_pack("{s:s, s:s}", "code", it->code,
						"name", it->name));
	}
	return a;
}

static json_t *codes_of(const struct catalog *c, const char *kind,
			const char *parent)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].kind, kind) == 0 &&
		    strcmp(c->items[i].parent, parent) == 0)
			json_array_append_new(a,
					      json_string(c->items[i].code));
	return a;
}

void api_catalog(struct req *r)
{
	const struct catalog *c = &r->app->catalog;
	json_t *procs = json_array(), *apps = json_array(),
	       *scen = json_array(), *types = json_array();

	for (size_t i = 0; i < c->n; i++) {
		const struct cat_item *it = &c->items[i];

		if (strcmp(it->kind, "procedure") == 0)
			json_array_append_new(
				procs,
				json_pack("{s:s, s:s, s:o}", "code", it->code,
					  "name", it->name, "requests",
					  items(c, "request", it->code)));
		else if (strcmp(it->kind, "application") == 0)
			json_array_append_new(
				apps, json_pack("{s:s, s:s, s:s}", "code",
						it->code, "name", it->name,
						"kind", it->extra));
		else if (strcmp(it->kind, "scenario") == 0)
			json_array_append_new(
				scen,
				json_pack("{s:s, s:s, s:o, s:o}", "code",
					  it->code, "name", it->name, "causes",
					  items(c, "cause", it->code),
					  "closure_reasons",
					  codes_of(c, "scenario_reason",
						   it->code)));
		else if (strcmp(it->kind, "point_type") == 0)
			json_array_append_new(
				types, json_pack("{s:s, s:s, s:s}", "code",
						 it->code, "name", it->name,
						 "channel", it->extra));
	}
	reply_json(
		r, 200,
		json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "procedures",
			  procs, "applications", apps, "scenarios", scen,
			  "not_regulated", items(c, "not_regulated", NULL),
			  "closure_reasons", items(c, "closure_reason", NULL),
			  "critical_transactions",
			  items(c, "critical_transaction", NULL),
			  "point_types", types));
}
