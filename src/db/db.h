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
/* The engine db_open() picks for `url`: "sqlite" or "postgresql". */
const char *db_url_engine(const char *url);
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
/* Bytes (BLOB on SQLite, bytea on PostgreSQL), copied; p NULL binds
 * NULL.  A zero-length blob is not NULL. */
int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);
int db_step(struct db_stmt *st);
/* Columns are numbered from 0. */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* NULL for NULL */
int db_col_is_null(struct db_stmt *st, int col);
/* The bytes of a BLOB/bytea column and their count in *n; NULL (and *n
 * 0) for NULL.  Valid until the next db_step() or db_reset() of the
 * statement, like db_col_text(). */
const void *db_col_blob(struct db_stmt *st, int col, size_t *n);
/* Copies the text of a column into out (always NUL-terminated, "" for
 * NULL, truncated to n - 1 bytes). */
void db_col_copy(struct db_stmt *st, int col, char *out, size_t n);
/* Columns of the current result (after a DB_ROW) and their names. */
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
/* Releases the statement's locks and results; db_prepare also does this. */
void db_reset(struct db_stmt *st);

/*
 * Row helpers: the shapes every repository repeats, written once.  Each
 * takes a prepared statement with its parameters bound, steps it, and
 * resets it before returning.
 *
 * `from_row` copies the current row into the element it is given.
 */
typedef void (*db_row_fn)(struct db_stmt *st, void *elem);

/*
 * At most one row: 1 when there was a row (copied into `out` when
 * from_row is not NULL), 0 when none, -1 on error.
 */
int db_get_one(struct db_stmt *st, db_row_fn from_row, void *out);
/* db_get_one of the integer in column 0 (a COUNT, a RETURNING id). */
int db_get_int(struct db_stmt *st, int64_t *out);
/* Runs a statement that returns no row (or whose rows do not matter):
 * 0 when it completed, or its DB_* failure code. */
int db_run(struct db_stmt *st);

/*
 * db_run() for a write that may be skipped (a session's last use): it does
 * not wait for another writer.  SQLite: DB_BUSY at once while another
 * connection holds the write lock, instead of the busy handler's sleeps
 * (up to seconds) on a thread that serves many connections.  PostgreSQL:
 * as db_run().
 */
int db_run_nowait(struct db_stmt *st);

/*
 * A write whose only outcome is success or failure of the whole change:
 * the engine may send it with the statements that follow and report its
 * failure at the next statement, db_flush(), db_commit() or any other
 * call that waits for the server -- PostgreSQL queues it in libpq's
 * pipeline, so a run of such writes and the read after them cost one
 * round trip; SQLite runs it at once.  Only inside a transaction (outside
 * one it runs at once), and only where nothing branches on its own
 * failure (a constraint the caller answers 409 for must use db_run).
 */
int db_run_later(struct db_stmt *st);
/* One statement without parameters or rows (SAVEPOINT, RELEASE), sent
 * as db_run_later() sends; `sql` must stay valid until the next call
 * that waits for the server (a string literal). */
int db_exec_later(struct db *db, const char *sql);
/* Waits for the writes db_run_later() sent: 0, or the first one's DB_*
 * failure code. */
int db_flush(struct db *db);
/* 1 when db_run_later() defers (PostgreSQL): a write's failure may then
 * be reported by a later call. */
int db_defers(const struct db *db);

/*
 * Every row into a malloc'd array of `elem_size` elements grown
 * geometrically; *out is NULL when there are none.  0, or -1 on error
 * (then *out is NULL and *n 0).  free() the array.
 */
int db_list(struct db_stmt *st, size_t elem_size, db_row_fn from_row,
	    void **out, size_t *n);
/* db_list of elements that own memory: on error `release` is called on
 * each element read before the array is freed. */
typedef void (*db_elem_release_fn)(void *elem);
int db_list_owned(struct db_stmt *st, size_t elem_size, db_row_fn from_row,
		  db_elem_release_fn release, void **out, size_t *n);

/*
 * A page of a filtered list: `SELECT COUNT(*) <from>` for *total, then
 * `<cols> <from> ORDER BY <order> LIMIT ? OFFSET ?` into a malloc'd array
 * as db_list.  `bind` binds the parameters of `from` from index 1 and
 * returns the next index (NULL: `from` has none).  0 or -1.
 */
struct db_page {
	const char *cols;  /* "SELECT e.id, ..." */
	const char *from;  /* "FROM events e JOIN ... WHERE ..." */
	const char *order; /* "e.started_at DESC, e.id DESC" */
	int (*bind)(struct db_stmt *st, const void *ctx);
	const void *ctx;
	int64_t limit, offset;
	size_t elem_size;
	db_row_fn from_row;
};
int db_page(struct db *db, const struct db_page *p, void **out, size_t *n,
	    int64_t *total);

/*
 * Bulk load: rows into one table, the fastest way the engine has -- COPY
 * FROM STDIN on PostgreSQL, a prepared INSERT stepped per row on SQLite.
 * Inside the caller's transaction.  `cols` is the column list
 * ("a, b, c"), `ncols` its length; each row gives ncols values.
 * db_copy_end() finishes (0, or a DB_* failure code) and frees; after a
 * failed db_copy_row() still call it (it then fails).
 */
enum db_val_type { DBV_NULL, DBV_INT, DBV_TEXT, DBV_BLOB };
struct db_val {
	enum db_val_type type;
	int64_t i;
	const char *s; /* DBV_TEXT */
	const void *p; /* DBV_BLOB */
	size_t n;      /* DBV_BLOB */
};
struct db_copy;
struct db_copy *db_copy_begin(struct db *db, const char *table,
			      const char *cols, int ncols);
int db_copy_row(struct db_copy *c, const struct db_val *vals);
int db_copy_end(struct db_copy *c);

/* A write transaction: on SQLite the write lock is taken at once. */
/*
 * Notifications (PostgreSQL LISTEN): db_socket() is the connection's
 * socket, to poll(2) for input; db_notifications() reads what arrived,
 * calls `fn` with each notification's payload and returns how many there
 * were (0 or more), -1 when the connection is lost.  Both -1 for an
 * engine without them (SQLite).
 */
typedef void (*db_notify_fn)(const char *payload, void *ctx);
int db_socket(struct db *db);
int db_notifications(struct db *db, db_notify_fn fn, void *ctx);

/*
 * Commits to a SQLite database by any process, seen without a
 * transaction: db_commits_open() opens what tells them (a descriptor;
 * -1 for PostgreSQL or when there is none yet: open a connection first),
 * db_commits_stamp() gives a value that changes with every commit, or -1
 * when it cannot tell (then count it as changed).  Close with close(2).
 */
int db_commits_open(const char *url);
int db_commits_stamp(int fd, uint64_t *stamp);
/*
 * 1 when the stamp went from `from` to `to` through commits of this
 * process alone, one after another (its db_commit()s), so that what they
 * changed is known here; 0 when another process (or a checkpoint that
 * restarted the log) may have moved it.
 */
int db_commits_own(uint64_t from, uint64_t to);

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
