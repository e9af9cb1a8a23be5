/*
 * The SQLite driver behind db.h.  Durability: WAL with synchronous=FULL, so
 * a commit that returned has been fsynced and survives a power cut.
 */
#include "db/db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define DB_CACHE_MAX 256
#define DB_BUSY_TIMEOUT_MS 10000

struct db_stmt {
	char *sql; /* the key: a copy of the SQL text */
	sqlite3_stmt *st;
	struct db *db;
};

/*
 * Writers of this process queue on a mutex instead of on SQLite's busy
 * handler, which sleeps for milliseconds between retries: under load that
 * sleeping, not the fsync, would bound throughput.  Other processes (the
 * CLI) still meet the busy timeout.
 */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

struct db {
	sqlite3 *h;
	int in_write; /* holds writer_lock */
	struct db_stmt cache[DB_CACHE_MAX];
	int n_cache;
};

static void writer_release(struct db *db)
{
	if (db->in_write) {
		db->in_write = 0;
		pthread_mutex_unlock(&writer_lock);
	}
}

static int db_map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
	case SQLITE_OK:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		return DB_FAIL;
	}
}

int db_open(const char *url, struct db **out, struct inop_err *err)
{
	static const char pragmas[] = "PRAGMA journal_mode=WAL;"
				      "PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON;";
	struct db *db;

	*out = NULL;
	if (strncmp(url, "postgres", 8) == 0)
		return err_set(err, 500, "DB", NULL,
			       "PostgreSQL aún no está disponible en esta "
			       "versión: use un archivo SQLite");
	db = calloc(1, sizeof(*db));
	if (!db)
		return err_internal(err);
	if (sqlite3_open_v2(url, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		err_set(err, 500, "DB", "db",
			"No se pudo abrir la base de datos '%s': %s", url,
			db->h ? sqlite3_errmsg(db->h) : "sin memoria");
		db_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	if (sqlite3_exec(db->h, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		err_set(err, 500, "DB", "db",
			"No se pudo configurar la base de datos '%s': %s", url,
			sqlite3_errmsg(db->h));
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	writer_release(db);
	for (int i = 0; i < db->n_cache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	free(db);
}

const char *db_engine(const struct db *db)
{
	(void)db;
	return "sqlite";
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_error("sqlite exec failed: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return db_map(rc) == DB_DONE ? DB_FAIL : db_map(rc);
	}
	return 0;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *s;

	for (int i = 0; i < db->n_cache; i++) {
		s = &db->cache[i];
		if (strcmp(s->sql, sql) == 0) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			return s;
		}
	}
	if (db->n_cache == DB_CACHE_MAX) {
		log_error("sqlite statement cache full");
		return NULL;
	}
	s = &db->cache[db->n_cache];
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->st, NULL) != SQLITE_OK) {
		log_error("sqlite prepare failed: %s: %s", sqlite3_errmsg(db->h),
			  sql);
		return NULL;
	}
	s->sql = strdup(sql);
	if (!s->sql) {
		sqlite3_finalize(s->st);
		return NULL;
	}
	s->db = db;
	db->n_cache++;
	return s;
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? 0 : -1;
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		return db_bind_null(st, idx);
	return sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : -1;
}

int db_step(struct db_stmt *st)
{
	int rc = db_map(sqlite3_step(st->st));

	if (rc < 0 && rc != DB_CONSTRAINT)
		log_error("sqlite step failed: %s", sqlite3_errmsg(st->db->h));
	return rc;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->st);
}

int db_begin(struct db *db)
{
	pthread_mutex_lock(&writer_lock);
	db->in_write = 1;
	if (db_exec(db, "BEGIN IMMEDIATE") != 0) {
		writer_release(db);
		return -1;
	}
	return 0;
}

int db_commit(struct db *db)
{
	int rc = db_exec(db, "COMMIT") == 0 ? 0 : -1;

	/* A failed COMMIT leaves the transaction open: the caller rolls
	 * back, which releases the lock. */
	if (rc == 0)
		writer_release(db);
	return rc;
}

int db_rollback(struct db *db)
{
	int rc = 0;

	if (!sqlite3_get_autocommit(db->h))
		rc = db_exec(db, "ROLLBACK") == 0 ? 0 : -1;
	writer_release(db);
	return rc;
}
