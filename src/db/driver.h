#ifndef INOP_DB_DRIVER_H
#define INOP_DB_DRIVER_H

#include "db/db.h"

/*
 * What a driver provides behind db.h (files of src/db/ only).  A driver's
 * connection starts with `struct db`, its statement with `struct
 * db_stmt`, so db.c can dispatch through `ops`.
 */
struct db_ops {
	const char *engine;
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	int (*bind_text)(struct db_stmt *st, int idx, const char *s);
	int (*bind_null)(struct db_stmt *st, int idx);
	int (*bind_blob)(struct db_stmt *st, int idx, const void *p, size_t n);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *n);
	int (*col_is_null)(struct db_stmt *st, int col);
	/* Bulk load (db_copy_*); NULL: db.c steps a prepared INSERT. */
	struct db_copy *(*copy_begin)(struct db *db, const char *table,
				      const char *cols, int ncols);
	int (*copy_row)(struct db_copy *c, const struct db_val *vals);
	int (*copy_end)(struct db_copy *c);
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	void (*reset)(struct db_stmt *st);
	/* db_run_later / db_flush; NULL: run at once, nothing to wait
	 * for. */
	int (*run_later)(struct db_stmt *st);
	/* db_run_nowait; NULL: db_run (no other writer to wait for). */
	int (*run_nowait)(struct db_stmt *st);
	int (*exec_later)(struct db *db, const char *sql);
	int (*flush)(struct db *db);
	int (*begin)(struct db *db);
	int (*commit)(struct db *db);
	int (*rollback)(struct db *db);
	/* NULL when the engine has no notifications (db_listen_*). */
	int (*socket)(struct db *db);
	int (*notifications)(struct db *db, db_notify_fn fn, void *ctx);
	/* NULL when the engine has no online copy. */
	int (*backup_to)(struct db *db, const char *path,
			 struct inop_err *err);
};

struct db {
	const struct db_ops *ops;
};

struct db_stmt {
	struct db *db;
};

/* A bulk load; a driver's own starts with this. */
struct db_copy {
	struct db *db;
	int ncols;
	int failed;
	struct db_stmt *st; /* the generic INSERT */
};

int sqlite_open(const char *path, struct db **out, struct inop_err *err);
int sqlite_commits_open(const char *path);
int sqlite_commits_stamp(int fd, uint64_t *stamp);
int sqlite_commits_own(uint64_t from, uint64_t to);
int postgres_open(const char *url, struct db **out, struct inop_err *err);

/*
 * The statement caches' key: a hash of the SQL text (FNV-1a), kept in an
 * array of its own and compared before the text.  A connection caches a
 * few hundred statements, most beginning "SELECT " or "INSERT INTO ", and
 * every prepare looked for its text among them with strcmp.
 */
uint32_t driver_sql_hash(const char *sql);

#endif
