#ifndef INOP_STORE_WRITER_H
#define INOP_STORE_WRITER_H

#include "db/db.h"
#include "util/err.h"

/*
 * Every change to the register goes through store_write(): `body` runs
 * inside a write transaction and store_write returns once the change is
 * durable (fsynced) or refused.
 *
 * With the group writer started (serve), concurrent changes are group-
 * committed: one thread with its own connection runs the bodies waiting
 * at that moment, each in its own savepoint, inside ONE transaction, and
 * acknowledges them all after the single COMMIT — so one fsync serves
 * many registrations.  A body that returns -1 has its savepoint rolled
 * back; the others are unaffected, so a refused request changes nothing
 * and consumes no number.  Without the group writer (CLI, tests), the
 * body runs in its own transaction on `db`.
 *
 * A body must use only the `db` it is given, must not begin, commit or
 * roll back, and must fill `err` when it returns -1.  A body may call
 * store_write() with that `db`: the inner body then runs at once, inside
 * the same transaction, and its -1 is the outer body's to return (M3
 * closes a failure's events this way, each by store_event_change()).
 */
typedef int (*store_body_fn)(struct db *db, void *ctx, struct inop_err *err);

int store_write(struct db *db, store_body_fn body, void *ctx,
		struct inop_err *err);

/* Changes waiting for the group writer, not yet taken into a batch. */
size_t store_writer_waiting(void);

/* Starts / stops the group writer on its own connection to `url`. */
int store_writer_start(const char *url, struct inop_err *err);
void store_writer_stop(void);

/* For bodies: logs the database error and fills a 500.  Returns -1. */
int store_body_fail(struct db *db, struct inop_err *err);

#endif
