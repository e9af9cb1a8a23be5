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

/*
 * store_write() of a body that may run twice: a first time in an
 * optimistic batch, whose effects are then rolled back, and again in a
 * batch as store_write() runs it.  Such a body keeps nothing but its
 * database writes and its own job's fields, and answers the same on its
 * second run.
 *
 * A batch of only such bodies first runs optimistically: no savepoints
 * (two statements a body less); where writes are deferred (db_defers():
 * PostgreSQL) every write queued too, the server's answers read at the
 * reads the bodies need and at COMMIT.  If anything in it fails -- a
 * body's refusal, a write's failure reported in a later body's round
 * trip, the COMMIT -- it is rolled back and the batch runs again as
 * store_write() runs it, each body in its savepoint, so that every
 * failure is its own body's answer; the next batches then run so at once
 * for a while.
 */
int store_write_replayable(struct db *db, store_body_fn body, void *ctx,
			   struct inop_err *err);

/* 1 while this thread runs a body in an optimistic batch: where writes
 * are deferred, a body may then queue a write whose failure it would
 * otherwise have to read (db_run_later() instead of db_run()), since any
 * failure reruns it. */
int store_write_optimistic(void);

/* Changes waiting for the group writer, not yet taken into a batch. */
size_t store_writer_waiting(void);

/* Starts / stops the group writer on its own connection to `url`. */
int store_writer_start(const char *url, struct inop_err *err);
void store_writer_stop(void);

/* For bodies: logs the database error and fills a 500.  Returns -1. */
int store_body_fail(struct db *db, struct inop_err *err);

#endif
