#include <string.h>

#include "api/api.h"
#include "store/catalog.h"
#include "store/store.h"
#include "util/config.h"

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
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
						   it->code, "name", it->name,
						   "active", it->active));
	}
	return a;
}

/* The codes of one kind and parent still in use (a scenario's closure
 * reasons: a reason taken out of the scenario is not listed). */
static json_t *codes_of(const struct catalog *c, const char *kind,
			const char *parent)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].active &&
		    strcmp(c->items[i].kind, kind) == 0 &&
		    strcmp(c->items[i].parent, parent) == 0)
			json_array_append_new(a,
					      json_string(c->items[i].code));
	return a;
}

static json_t *codes_json(const struct codes *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(a, json_string(c->v[i]));
	return a;
}

/*
 * The settings the screens need to follow the server's rules rather than
 * a copy of their defaults: K2's window for a JEFE's paper forms.
 */
static json_t *settings(const struct config *cfg)
{
	return json_pack("{s:i}", "manual_max_age_days",
			 cfg->manual_max_age_days);
}

void api_catalog(struct req *r)
{
	const struct catalog *c = api_cat(r);
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
		json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o}, s:o}",
			"procedures", procs, "applications", apps, "scenarios",
			scen, "not_regulated", items(c, "not_regulated", NULL),
			"closure_reasons", items(c, "closure_reason", NULL),
			"critical_transactions",
			items(c, "critical_transaction", NULL), "point_types",
			types, "documents", "critical_transactions",
			r->app->cfg->critical_transactions_doc_url[0]
				? json_string(
					  r->app->cfg
						  ->critical_transactions_doc_url)
				: json_null(),
			"settings", settings(r->app->cfg)));
}

const struct catalog *api_cat(struct req *r)
{
	return store_catalog_current(store_conn(), &r->app->catalog);
}

/* ---------- section 4 upkeep (ADMIN, SOPORTE) ---------- */

#define NAME_BYTES (120 * 4 + 1)

/*
 * The scenarios of a new entry: "scenario" (the contract's field) and,
 * for a closure reason, "scenarios" (several: the seed's ERROR_USUARIO is
 * allowed in every scenario).  A cause has exactly one.
 */
static int entry_scenarios(struct req *r, const char *kind, struct codes *out,
			   struct inop_err *e)
{
	char scenario[CODE_LEN] = "";
	int reason = strcmp(kind, "closure_reason") == 0;
	struct codes more;

	if (body_str(r->body, "scenario", !reason, scenario, sizeof(scenario),
		     e) < 0 ||
	    body_codes(r->body, "scenarios", 0, &more, e) < 0)
		return -1;
	if (!reason && more.n)
		return err_validation(e, "scenarios",
				      "Un motivo de ocurrencia pertenece a un "
				      "solo escenario: use 'scenario'");
	out->n = 0;
	if (scenario[0])
		(void)codes_add(out, scenario); /* fits: CODE_LEN */
	for (size_t i = 0; i < more.n; i++)
		(void)codes_add(out, more.v[i]); /* out holds what more held */
	if (!out->n)
		return err_validation(e, reason ? "scenarios" : "scenario",
				      "Indique el escenario del motivo");
	return 0;
}

static void create(struct req *r, const char *kind)
{
	char code[CODE_LEN], name[NAME_BYTES];
	struct db *db = api_db(r);
	struct codes scenarios;
	struct inop_err e;
	json_t *reply;

	if (!db)
		return;
	if (body_str(r->body, "code", 1, code, sizeof(code), &e) < 0 ||
	    body_text(r->body, "name", 1, 120, name, sizeof(name), &e) < 0 ||
	    entry_scenarios(r, kind, &scenarios, &e) < 0 ||
	    catalog_entry_check(api_cat(r), kind, code, name, scenarios.v[0],
				&e) < 0 ||
	    catalog_scenarios_check(api_cat(r), &scenarios, &e) < 0 ||
	    store_catalog_add(db, kind, code, name, &scenarios, &r->actor,
			      r->now, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	reply = json_pack("{s:s, s:s, s:s, s:s, s:b}", "kind", kind, "code",
			  code, "name", name, "scenario", scenarios.v[0],
			  "active", 1);
	if (strcmp(kind, "closure_reason") == 0)
		json_object_set_new(reply, "scenarios",
				    codes_json(&scenarios));
	reply_json(r, 201, reply);
}

static void update(struct req *r, const char *kind)
{
	char name[NAME_BYTES] = "";
	const struct catalog *cat;
	const struct cat_item *it;
	struct db *db = api_db(r);
	int active = -1,
	    has_active = json_object_get(r->body, "active") &&
			 !json_is_null(json_object_get(r->body, "active"));
	int reason = strcmp(kind, "closure_reason") == 0,
	    has_scenarios =
		    json_object_get(r->body, "scenarios") &&
		    !json_is_null(json_object_get(r->body, "scenarios"));
	struct codes scenarios = {0};
	struct inop_err e;
	json_t *reply;

	if (!db)
		return;
	if (has_scenarios && !reason) {
		err_validation(&e, "scenarios",
			       "Un motivo de ocurrencia pertenece a un solo "
			       "escenario");
		reply_error(r, &e);
		return;
	}
	if (body_text(r->body, "name", 0, 120, name, sizeof(name), &e) < 0 ||
	    (name[0] && catalog_name_check(name, &e) < 0) ||
	    (has_active && body_bool(r->body, "active", &active, &e) < 0) ||
	    (has_scenarios &&
	     (body_codes(r->body, "scenarios", 1, &scenarios, &e) < 0 ||
	      catalog_scenarios_check(api_cat(r), &scenarios, &e) < 0)) ||
	    store_catalog_update(db, kind, r->param[0], name[0] ? name : NULL,
				 active, has_scenarios ? &scenarios : NULL,
				 &r->actor, r->now, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	cat = api_cat(r);
	it = catalog_find(cat, kind, reason ? "" : NULL, r->param[0]);
	reply = json_pack("{s:s, s:s, s:s, s:b}", "kind", kind, "code",
			  r->param[0], "name", it ? it->name : name, "active",
			  it ? it->active : active);
	if (reason) {
		if (it)
			catalog_reason_scenarios(cat, r->param[0], &scenarios);
		json_object_set_new(reply, "scenarios",
				    codes_json(&scenarios));
	}
	reply_json(r, 200, reply);
}

void api_catalog_cause_create(struct req *r)
{
	create(r, "cause");
}

void api_catalog_reason_create(struct req *r)
{
	create(r, "closure_reason");
}

void api_catalog_cause_update(struct req *r)
{
	update(r, "cause");
}

void api_catalog_reason_update(struct req *r)
{
	update(r, "closure_reason");
}
