#include "store/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strnum.h"

static char *store_url;
static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void conn_destroy(void *p)
{
	db_close(p);
}

static void key_create(void)
{
	pthread_key_create(&store_key, conn_destroy);
}

int store_setup(const char *url, struct inop_err *err)
{
	pthread_once(&store_once, key_create);
	free(store_url);
	store_url = strdup(url);
	if (!store_url)
		return err_internal(err);
	return 0;
}

struct db *store_conn(void)
{
	struct inop_err err;
	struct db *db = pthread_getspecific(store_key);

	if (db)
		return db;
	if (db_open(store_url, &db, &err) < 0) {
		log_error("cannot open database: %s", err.message);
		return NULL;
	}
	pthread_setspecific(store_key, db);
	return db;
}

void store_conn_release(void)
{
	struct db *db = pthread_getspecific(store_key);

	if (db) {
		pthread_setspecific(store_key, NULL);
		db_close(db);
	}
}

int store_fail(struct db *db, struct inop_err *err)
{
	log_error("database: %s", db_errmsg(db));
	db_rollback(db);
	return err_internal(err);
}

/* Version of a migration path ".../007_name.sql", or -1. */
static int64_t migration_version(const char *path)
{
	const char *base = strrchr(path, '/');
	char digits[8];
	size_t n;
	int64_t v;

	base = base ? base + 1 : path;
	n = strspn(base, "0123456789");
	if (n == 0 || n >= sizeof(digits))
		return -1;
	memcpy(digits, base, n);
	digits[n] = '\0';
	return strnum_i64(digits, 1, 999999, &v) == 0 ? v : -1;
}

static int migration_applied(struct db *db, int64_t version)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT 1 FROM schema_migrations WHERE version = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, version);
	return db_get_one(st, NULL, NULL);
}

static int migration_apply(struct db *db, const struct inop_embedded *m,
			   int64_t version, struct inop_err *err)
{
	struct db_stmt *st;

	if (db_begin(db) < 0)
		return store_fail(db, err);
	if (db_exec(db, (const char *)m->data) != 0)
		return store_fail(db, err);
	st = db_prepare(db, "INSERT INTO schema_migrations (version, "
			    "applied_at) VALUES (?, ?)");
	if (!st)
		return store_fail(db, err);
	db_bind_int(st, 1, version);
	db_bind_int(st, 2, clock_wall_s());
	if (db_run(st) != DB_DONE || db_commit(db) < 0)
		return store_fail(db, err);
	log_info("applied migration %s", m->path);
	return 0;
}

/* A migration of the engine: its version and file. */
struct migration {
	int64_t version;
	const struct inop_embedded *file;
};

static int migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/*
 * The migrations of `prefix` in `files`, sorted by version.  Two files
 * with one version are a build mistake: -1.
 */
static int migrations_of(const struct inop_embedded *files, const char *prefix,
			 struct migration *out, size_t max, size_t *n)
{
	*n = 0;
	for (const struct inop_embedded *e = files; e->path; e++) {
		int64_t v;

		if (strncmp(e->path, prefix, strlen(prefix)) != 0)
			continue;
		v = migration_version(e->path);
		if (v < 0)
			continue;
		if (*n == max) {
			log_error("too many migrations under %s", prefix);
			return -1;
		}
		out[(*n)++] = (struct migration){v, e};
	}
	qsort(out, *n, sizeof(*out), migration_cmp);
	for (size_t i = 1; i < *n; i++)
		if (out[i].version == out[i - 1].version) {
			log_error("two migrations numbered %lld: %s, %s",
				  (long long)out[i].version,
				  out[i - 1].file->path, out[i].file->path);
			return -1;
		}
	return 0;
}

/*
 * Every migration of this engine not yet applied is applied, in ascending
 * order.  Numbers need not be contiguous: branches take numbers ahead of
 * each other (005 may land before 003), and a database that already has
 * 005 still gets 003 once it is embedded.
 */
int store_migrate_files(struct db *db, const struct inop_embedded *files,
			struct inop_err *err)
{
	struct migration list[STORE_MIGRATIONS_MAX];
	char prefix[64];
	size_t n;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			"version INTEGER PRIMARY KEY, "
			"applied_at INTEGER NOT NULL)") != 0)
		return store_fail(db, err);
	if (str_printf(prefix, sizeof(prefix), "src/store/sql/%s/",
		       strcmp(db_engine(db), "sqlite") == 0 ? "sqlite"
							    : "pg") < 0)
		return err_internal(err);
	if (migrations_of(files, prefix, list, STORE_MIGRATIONS_MAX, &n) < 0)
		return err_internal(err);
	for (size_t i = 0; i < n; i++) {
		int applied = migration_applied(db, list[i].version);

		if (applied < 0)
			return store_fail(db, err);
		if (!applied && migration_apply(db, list[i].file,
						list[i].version, err) < 0)
			return -1;
	}
	return 0;
}

int store_migrate(struct db *db, struct inop_err *err)
{
	return store_migrate_files(db, inop_embedded, err);
}

int store_seed_catalog(struct db *db, const struct catalog *cat,
		       struct inop_err *err)
{
	static const char sql[] =
		"INSERT INTO catalog_items (kind, code, name, parent, extra, "
		"position) VALUES (?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (kind, parent, code) DO NOTHING";
	struct db_stmt *st;

	if (db_begin(db) < 0)
		return store_fail(db, err);
	for (size_t i = 0; i < cat->n; i++) {
		const struct cat_item *it = &cat->items[i];

		st = db_prepare(db, sql);
		if (!st)
			return store_fail(db, err);
		db_bind_text(st, 1, it->kind);
		db_bind_text(st, 2, it->code);
		db_bind_text(st, 3, it->name);
		db_bind_text(st, 4, it->parent);
		db_bind_text(st, 5, it->extra);
		db_bind_int(st, 6, (int64_t)i);
		if (db_run(st) != DB_DONE)
			return store_fail(db, err);
	}
	if (db_commit(db) < 0)
		return store_fail(db, err);
	return 0;
}

int store_load_catalog(struct db *db, struct catalog *cat,
		       struct inop_err *err)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT kind, code, name, parent, extra, active FROM "
		    "catalog_items ORDER BY position, kind, code");
	int rc;

	if (!st)
		return store_fail(db, err);
	while ((rc = db_step(st)) == DB_ROW) {
		if (catalog_add(cat, db_col_text(st, 0), db_col_text(st, 1),
				db_col_text(st, 2), db_col_text(st, 3),
				db_col_text(st, 4)) < 0)
			break;
		cat->items[cat->n - 1].active = db_col_int(st, 5) != 0;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return err_internal(err);
	return 0;
}

int store_register_bump(struct db *db)
{
	return store_counter_bump(db, "register-version");
}

int store_register_version(struct db *db, int64_t *version)
{
	return store_counter_value(db, "register-version", version);
}

int store_page(struct db *db, const struct db_page *p, const char *from,
	       store_where_fn where, void **out, size_t *n, int64_t *total)
{
	struct db_page page = *p;
	struct buf sql;
	int rc = -1;

	*out = NULL;
	*n = 0;
	buf_init(&sql, 64 * 1024);
	if (buf_appends(&sql, from) == 0) {
		if (where)
			where(&sql, p->ctx);
		page.from = sql.s;
		rc = db_page(db, &page, out, n, total);
	}
	buf_release(&sql);
	return rc;
}

int store_ping(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1");

	return st && db_get_one(st, NULL, NULL) == 1 ? 0 : -1;
}
