#ifndef INOP_DB_DB_H
#define INOP_DB_DB_H
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * One small interface over the two stores.  A `struct db` is one
 * connection, used by one thread at a time.  SQL is written once, in the
 * subset SQLite and PostgreSQL both accept, with `?` placeholders.
 *
 * Statements from db_prepare() are cached per connection and keyed by the
 * SQL text: preparing the same text again returns the same statement, reset
 * and with its bindings cleared.  They are owned by the connection; never
 * finalize them.  Text from db_col_text() stays valid until the next
 * db_step() or db_prepare() of the same statement.
 */
struct db;
struct db_stmt;

enum db_rc {
	DB_ROW = 1,	    /* db_step: a row is ready */
	DB_DONE = 0,	    /* db_step: no (more) rows */
	DB_FAIL = -1,	    /* any other failure */
	DB_CONSTRAINT = -2, /* a UNIQUE, FOREIGN KEY, CHECK... was violated */
	DB_BUSY = -3	    /* could not get the lock within the timeout */
};

/* `url` is a SQLite file path, or postgresql://... (not in this driver). */
int db_open(const char *url, struct db **out, struct inop_err *err);
void db_close(struct db *db);
const char *db_engine(const struct db *db); /* "sqlite" or "postgresql" */
const char *db_errmsg(struct db *db);

/* Runs SQL without parameters or results (several statements allowed). */
int db_exec(struct db *db, const char *sql);

struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Parameters are numbered from 1, as the `?` appear. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_text(struct db_stmt *st, int idx,
		 const char *s); /* NULL binds NULL */
int db_bind_null(struct db_stmt *st, int idx);
int db_step(struct db_stmt *st);
/* Columns are numbered from 0. */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* NULL for NULL */
int db_col_is_null(struct db_stmt *st, int col);
/* Copies the text of a column into out (always NUL-terminated, "" for
 * NULL, truncated to n - 1 bytes). */
void db_col_copy(struct db_stmt *st, int col, char *out, size_t n);
/* Columns of the current result (after a DB_ROW) and their names. */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
/* Releases the statement's locks and results; db_prepare also does this. */
void db_reset(struct db_stmt *st);

/* A write transaction: on SQLite the write lock is taken at once. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/*
 * Writes a copy of the whole database into the new file `path` with
 * SQLite's online backup API: one read transaction, so the copy is one
 * consistent snapshot while other connections keep writing (WAL).  An
 * existing file at `path` is overwritten.  PostgreSQL has no such call
 * here (use pg_dump, docs/operations.md): -1 with `err`.
 */
int db_backup_to(struct db *db, const char *path, struct inop_err *err);

#endif
