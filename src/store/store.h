#ifndef INOP_STORE_STORE_H
#define INOP_STORE_STORE_H
#include <stdint.h>

#include "db/db.h"
#include "domain/catalog.h"
#include "util/err.h"

/*
 * Connections, migrations and the catalogue.  Each thread that touches the
 * database gets its own connection from store_conn(), opened on first use
 * and closed when the thread exits.
 */

/* Sets the database URL for store_conn().  Call once, before threads. */
int store_setup(const char *url, struct inop_err *err);
/* This thread's connection, or NULL (logged) when it cannot be opened. */
struct db *store_conn(void);
/* Closes this thread's connection (the main thread calls it at exit). */
void store_conn_release(void);

/*
 * Applies every embedded migration of the engine not yet applied, in
 * ascending order of version; the numbers need not be contiguous.
 */
int store_migrate(struct db *db, struct inop_err *err);
/* The same over another table of files (tests). */
#define STORE_MIGRATIONS_MAX 256
struct inop_embedded;
int store_migrate_files(struct db *db, const struct inop_embedded *files,
			struct inop_err *err);
/* Inserts the catalogue items that are missing; never changes existing. */
int store_seed_catalog(struct db *db, const struct catalog *cat,
		       struct inop_err *err);
int store_load_catalog(struct db *db, struct catalog *cat,
		       struct inop_err *err);

/* Bumps and returns the gapless counter `name` (inside a transaction). */
int store_counter_next(struct db *db, const char *name, int64_t *value);
/* Bumps it without reading it: in a write batch the bumps are added to
 * the row at the flush, which locks it only then (a version counter). */
int store_counter_bump(struct db *db, const char *name);
/* The counter's value as this transaction (or, outside one, the last
 * commit) sees it: 0 when it never moved. */
int store_counter_value(struct db *db, const char *name, int64_t *value);

/*
 * The register version: bumped (store_register_bump, inside the
 * transaction) by every change that alters how an event reads, so that
 * replies rendered at one version can be reused until the next.
 */
int store_register_bump(struct db *db);
int store_register_version(struct db *db, int64_t *version);

/* The database answers (health check): 0, or -1. */
int store_ping(struct db *db);

/*
 * db_page of a list filtered by SQL built on the fly: p->from is `from`
 * followed by what where(sql, p->ctx) appends (its "WHERE ...", bound by
 * p->bind with the same ctx; where NULL: nothing).  The other fields of
 * *p as db_page says.  0 or -1.
 */
struct buf;
typedef void (*store_where_fn)(struct buf *sql, const void *ctx);
int store_page(struct db *db, const struct db_page *p, const char *from,
	       store_where_fn where, void **out, size_t *n, int64_t *total);

/* Helper: rolls back, logs and fills a 500 in err; returns -1. */
int store_fail(struct db *db, struct inop_err *err);

#endif
