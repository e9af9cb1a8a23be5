#ifndef INOP_STORE_VERSIONS_H
#define INOP_STORE_VERSIONS_H

#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/*
 * The version counters (register, catalogue, calendar) tell the caches
 * above the store whether what they hold is still current.  Reading them
 * costs a statement per request; on PostgreSQL that is a network round
 * trip for every cached answer.
 *
 * So each process keeps a generation number, moved after every commit
 * that changed a version (store_batch_commit) and, on PostgreSQL, when
 * another node's commit is announced: a listener thread holds its own
 * connection with LISTEN inop_versions, and every such commit sends
 * NOTIFY inop_versions in its COMMIT's round trip.  While the listener is
 * connected, store_counter_value() of a version answers from memory,
 * reading the counters again (one statement for all three) only after the
 * generation moved.  When the listener is not connected (SQLite, or the
 * connection lost) every read goes to the database, as before.
 *
 * Freshness: a change made through this process is seen by its next
 * request (the generation moves before the change is acknowledged); a
 * change made by another node is seen once its notification arrives,
 * which PostgreSQL sends right after the commit (a LAN round trip).
 */

/* Is `name` one of the version counters? */
int store_is_version(const char *name);

/* A version moved and is committed: caches of this process re-read. */
void store_versions_moved(void);

/*
 * Starts the listener on its own connection to `url` (PostgreSQL only; 0
 * and nothing started for SQLite), / stops it.
 */
int store_versions_listen(const char *url, struct inop_err *err);
void store_versions_stop(void);

/* For /metrics: is the listener connected; notifications it received. */
void store_versions_stats(int *listening, uint64_t *notifications);

/*
 * The value of counter `name` (0 when it never moved): a version from
 * memory while the listener is connected, else from the database.  In a
 * write transaction, store_counter_value() (store/store.h) sees the
 * transaction's own moves first.
 */
int store_versions_read(struct db *db, const char *name, int64_t *value);

#endif
