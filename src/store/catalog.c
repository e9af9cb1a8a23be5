/* Section 4 upkeep: the catalogue every node reads, and its changes. */
#include "store/catalog.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/log.h"
#include "util/str.h"

static pthread_mutex_t cat_lock = PTHREAD_MUTEX_INITIALIZER;
static struct catalog *current;
static int64_t current_version = -1;
/* Every catalogue loaded: a replaced one stays readable (a request may
 * still hold it) until store_catalog_release_all() at exit. */
struct loaded {
	struct catalog *cat;
	struct loaded *next;
};
static struct loaded *loaded_all;

void store_catalog_release_all(void)
{
	struct loaded *l, *next;

	pthread_mutex_lock(&cat_lock);
	for (l = loaded_all; l; l = next) {
		next = l->next;
		catalog_release(l->cat);
		free(l->cat);
		free(l);
	}
	loaded_all = NULL;
	current = NULL;
	current_version = -1;
	pthread_mutex_unlock(&cat_lock);
}

static int read_version(struct db *db, int64_t *v)
{
	return store_counter_value(db, "catalog-version", v);
}

const struct catalog *store_catalog_current(struct db *db,
					    const struct catalog *fallback)
{
	const struct catalog *out;
	struct catalog *fresh;
	struct loaded *keep;
	struct inop_err e;
	int64_t v;

	if (!db || read_version(db, &v) < 0)
		goto stale;
	pthread_mutex_lock(&cat_lock);
	out = current && current_version == v ? current : NULL;
	pthread_mutex_unlock(&cat_lock);
	if (out)
		return out;
	/* Version 0: nothing changed since init, the served one is it. */
	if (v == 0 && fallback)
		return fallback;
	fresh = calloc(1, sizeof(*fresh));
	keep = malloc(sizeof(*keep));
	if (!fresh || !keep || store_load_catalog(db, fresh, &e) < 0) {
		if (fresh)
			catalog_release(fresh);
		free(fresh);
		free(keep);
		goto stale;
	}
	pthread_mutex_lock(&cat_lock);
	if (v > current_version) {
		current = fresh; /* the old one stays: readers may hold it */
		current_version = v;
		keep->cat = fresh;
		keep->next = loaded_all;
		loaded_all = keep;
		keep = NULL;
	}
	out = current;
	pthread_mutex_unlock(&cat_lock);
	free(keep);
	if (out != fresh) {
		catalog_release(fresh);
		free(fresh);
	}
	return out;
stale:
	log_error("cannot read the catalogue version");
	pthread_mutex_lock(&cat_lock);
	out = current ? current : fallback;
	pthread_mutex_unlock(&cat_lock);
	return out;
}

struct change {
	const char *kind, *code, *name;
	const struct codes *scenarios; /* NULL: unchanged (update) */
	int active;
	const struct actor *who;
	int64_t now;
};

static int insert_item(struct db *db, const char *kind, const char *code,
		       const char *name, const char *parent)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO catalog_items (kind, code, name, parent, "
		    "extra, position, active) VALUES (?, ?, ?, ?, '', (SELECT "
		    "COALESCE(MAX(position), 0) + 1 FROM catalog_items), 1)");

	if (!st)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, parent);
	return db_run(st) == DB_DONE ? 0 : -1;
}

static int bump(struct db *db)
{
	int64_t v;

	return store_counter_next(db, "catalog-version", &v);
}

static int add_items(struct db *db, const struct change *c)
{
	if (strcmp(c->kind, "cause") == 0)
		return insert_item(db, "cause", c->code, c->name,
				   c->scenarios->v[0]);
	if (insert_item(db, "closure_reason", c->code, c->name, "") < 0)
		return -1;
	for (size_t i = 0; i < c->scenarios->n; i++)
		if (insert_item(db, "scenario_reason", c->code, c->name,
				c->scenarios->v[i]) < 0)
			return -1;
	return 0;
}

static json_t *codes_json(const struct codes *c)
{
	json_t *a = json_array();

	for (size_t i = 0; c && i < c->n; i++)
		json_array_append_new(a, json_string(c->v[i]));
	return a;
}

static int add_body(struct db *db, void *arg, struct inop_err *err)
{
	const struct change *c = arg;
	char action[48];

	/* kind is "cause" or "closure_reason": it fits, no cut */
	(void)str_printf(action, sizeof(action), "catalog.%s.add", c->kind);
	if (add_items(db, c) < 0 || bump(db) < 0 ||
	    audit_append_json(db, "catalog", 0, action, NULL,
			      json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}",
					"kind", c->kind, "code", c->code,
					"name", c->name, "scenario",
					c->scenarios->v[0], "scenarios",
					codes_json(c->scenarios), "active", 1),
			      c->who->username, c->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_catalog_add(struct db *db, const char *kind, const char *code,
		      const char *name, const struct codes *scenarios,
		      const struct actor *who, int64_t now,
		      struct inop_err *err)
{
	struct change c = {kind, code, name, scenarios, 1, who, now};

	return store_write(db, add_body, &c, err);
}

struct item_row {
	char name[192];
	int active;
};

static void item_from_row(struct db_stmt *st, void *elem)
{
	struct item_row *it = elem;

	db_col_copy(st, 0, it->name, sizeof(it->name));
	it->active = db_col_int(st, 1) != 0;
}

/* The scenarios closure reason `code` may be chosen in (live links). */
static int links_read(struct db *db, const char *code, struct codes *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT parent FROM catalog_items WHERE kind = "
		    "'scenario_reason' AND code = ? AND active = 1 ORDER BY "
		    "position");
	int rc;

	out->n = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	/* scenario codes fit, and there are fewer than CODES_MAX */
	while ((rc = db_step(st)) == DB_ROW)
		(void)codes_add(out, db_col_text(st, 0));
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Links closure reason `code` to exactly `scenarios`: a new link is
 * inserted, a retired one brought back, the others retired (never
 * deleted: old events keep theirs).
 */
static int links_set(struct db *db, const char *code, const char *name,
		     const struct codes *scenarios)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE catalog_items SET active = 0 WHERE kind = "
		    "'scenario_reason' AND code = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	if (db_run(st) != DB_DONE)
		return -1;
	for (size_t i = 0; i < scenarios->n; i++) {
		st = db_prepare(
			db, "INSERT INTO catalog_items (kind, code, name, "
			    "parent, extra, position, active) VALUES "
			    "('scenario_reason', ?, ?, ?, '', (SELECT "
			    "COALESCE(MAX(position), 0) + 1 FROM "
			    "catalog_items), 1) ON CONFLICT (kind, parent, "
			    "code) DO UPDATE SET active = 1");
		if (!st)
			return -1;
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, scenarios->v[i]);
		if (db_run(st) != DB_DONE)
			return -1;
	}
	return 0;
}

static json_t *entry_json(const struct change *c, const char *name, int active,
			  const struct codes *scenarios)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "kind", c->kind, "code",
			      c->code, "name", name, "active", active);

	if (c->scenarios)
		json_object_set_new(o, "scenarios", codes_json(scenarios));
	return o;
}

static int update_body(struct db *db, void *arg, struct inop_err *err)
{
	const struct change *c = arg;
	struct db_stmt *st = db_prepare(
		db,
		"SELECT name, active FROM catalog_items WHERE kind = ? AND "
		"code = ? ORDER BY parent LIMIT 1");
	struct item_row before;
	struct codes links = {0};
	const char *name;
	int rc, active;

	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, c->kind);
	db_bind_text(st, 2, c->code);
	rc = db_get_one(st, item_from_row, &before);
	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe el código '%s' en el catálogo",
			       c->code);
	name = c->name ? c->name : before.name;
	active = c->active < 0 ? before.active : c->active;
	st = db_prepare(db, "UPDATE catalog_items SET name = ?, active = ? "
			    "WHERE kind = ? AND code = ?");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, name);
	db_bind_int(st, 2, active);
	db_bind_text(st, 3, c->kind);
	db_bind_text(st, 4, c->code);
	if (db_run(st) != DB_DONE ||
	    (c->scenarios &&
	     (links_read(db, c->code, &links) < 0 ||
	      links_set(db, c->code, name, c->scenarios) < 0)) ||
	    bump(db) < 0 ||
	    audit_append_json(
		    db, "catalog", 0, "catalog.update",
		    entry_json(c, before.name, before.active, &links),
		    entry_json(c, name, active, c->scenarios),
		    c->who->username, c->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_catalog_update(struct db *db, const char *kind, const char *code,
			 const char *name, int active,
			 const struct codes *scenarios,
			 const struct actor *who, int64_t now,
			 struct inop_err *err)
{
	struct change c = {kind, code, name, scenarios, active, who, now};

	return store_write(db, update_body, &c, err);
}
