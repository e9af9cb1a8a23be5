#ifndef INOP_STORE_VERSIONS_H
#define INOP_STORE_VERSIONS_H

#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/*
 * The version counters (register, catalogue, calendar, sessions, users)
 * tell the
 * caches above the store whether what they hold is still current.
 * Reading them costs a statement per request; on PostgreSQL that is a
 * network round trip for every cached answer.
 *
 * So each process keeps a generation per version, moved after every
 * commit that changed it (store_batch_commit) and, on PostgreSQL, when
 * another node's commit is announced: a listener thread holds its own
 * connection with LISTEN inop_versions, and every such commit sends
 * NOTIFY inop_versions, '<bits of the versions it moved>' in its COMMIT's
 * round trip.  While the listener is connected, store_versions_read() of
 * a version answers from memory, reading the counters again (one
 * statement for all) only after its generation moved, and
 * store_version_generation() lets a cache of its own (the sessions) check
 * itself without the database.  When the listener is not connected (the
 * connection lost) every read goes to the database, as before.
 *
 * SQLite has no notifications, but every commit of any process rewrites
 * the WAL index header (db_commits_stamp()): each read of a version or
 * generation first reads that header (one pread, no lock) and, when
 * another process's commit changed it, moves every generation (this
 * process's own commits, db_commits_own(), moved theirs as they
 * committed).  So two processes on one file (a second server, the CLI)
 * see each other's commits at their next request.
 *
 * Freshness: a change made through this process is seen by its next
 * request (the generation moves before the change is acknowledged); a
 * change made by another node is seen once its notification arrives,
 * which PostgreSQL sends right after the commit (a LAN round trip); and
 * whatever is in memory is read again after a second at most.
 */

/* The version counter of sessions: moved when one is deleted. */
#define STORE_SESSION_VERSION "session-version"
/* The version counter of users: moved when one is created (users and
 * their points are never changed otherwise). */
#define STORE_USERS_VERSION "users-version"

/* The bit of version counter `name`; 0 when it is not one. */
unsigned store_version_bit(const char *name);

/* Versions `bits` moved and are committed: caches of this process
 * re-read. */
void store_versions_moved(unsigned bits);

/*
 * Starts the listener on its own connection to `url` (PostgreSQL) or
 * the watch of the WAL index (SQLite; a connection must be open), / stops
 * it.  0, or -1 when the listener could not start.
 */
int store_versions_listen(const char *url, struct inop_err *err);
void store_versions_stop(void);

/*
 * The value of counter `name` (0 when it never moved): a version from
 * memory while the listener is connected, else from the database.  In a
 * write transaction, store_counter_value() (store/store.h) sees the
 * transaction's own moves first.
 */
int store_versions_read(struct db *db, const char *name, int64_t *value);

/*
 * 1 with *gen, the generation of version `name`, when the listener is
 * connected, so that what a cache filled under *gen may be used while
 * store_versions_fresh() of its filling time; 0 when the caller must read
 * the database.
 */
int store_version_generation(const char *name, uint64_t *gen);

/*
 * A request starts on this thread: until the next call, SQLite's WAL
 * index is looked at once (the first store_versions_read() or
 * store_version_generation()), not at each.  The request is then served
 * as of that look, as if another process's commit after it came after
 * the request.  A thread that never calls this looks every time.
 */
void store_request_begin(void);

/* Monotonic nanoseconds, the clock of store_versions_fresh(). */
int64_t store_versions_now(void);
/* 1 when what was filled at `filled_ns` is within the freshness bound
 * (one second): a lost notification is outlived by no cache. */
int store_versions_fresh(int64_t filled_ns);

/* For /metrics: is the listener connected; notifications it received. */
void store_versions_stats(int *listening, uint64_t *notifications);

#endif
