#ifndef INOP_STORE_BATCH_H
#define INOP_STORE_BATCH_H

#include <stdint.h>

#include "db/db.h"

/*
 * The rows every change touches, kept in memory for the length of one
 * write transaction (store/writer.c).
 *
 * A registration moves the year's event counter, the register version and
 * the audit chain's head: single rows that every change of a group commit
 * would otherwise lock, read and rewrite again, a database round trip
 * each.  Inside a batch the first use of such a row locks and reads it as
 * before (so another node or process waits for this transaction, as it
 * did); later uses in the same transaction read and move the copy here,
 * and store_batch_flush() writes each changed row once before the COMMIT.
 * A counter only bumped (store_counter_bump: the register version) is not
 * read at all: the flush adds the batch's bumps to its row, locking it
 * only then.
 * A change whose savepoint is rolled back has its moves undone here too
 * (store_batch_mark/undo), so numbers stay gapless and the chain whole.
 *
 * Outside a batch (CLI commands, jobs with their own transactions) every
 * call goes to the database as before.  The state is per thread: the
 * writer thread and a thread in a write_alone() transaction each have
 * their own.
 */

/*
 * Begins this thread's write transaction and its batch; -1 when BEGIN
 * failed.  On PostgreSQL the transaction first locks the audit chain's
 * head (sent with its first statement, in that round trip), before any
 * savepoint: every write transaction appends to the chain, so all of them
 * take that lock first and hold it to COMMIT, and the other rows they lock
 * after it (the year's counters, the register version, an event being
 * closed) can no longer be taken in opposite orders by two nodes -- a
 * deadlock, which PostgreSQL answers by aborting one of them.
 * store_batch_end() ends the batch, after the COMMIT or the rollback.
 */
int store_batch_begin(struct db *db);
void store_batch_end(void);

/* Before each change of the batch / when its savepoint is rolled back. */
void store_batch_mark(void);
void store_batch_undo(void);

/* Writes the rows moved in memory; -1 on a database error. */
int store_batch_flush(struct db *db);

/*
 * COMMIT; when a version counter moved, also tells the other nodes
 * (PostgreSQL: NOTIFY in the same round trip, delivered at commit) and,
 * once committed, this process (store/versions.h).  -1 when the commit
 * failed (then the caller rolls back).
 */
int store_batch_commit(struct db *db);

/*
 * The audit head of the batch: 1 with *last_id and hash (65 bytes) when
 * known, 0 outside a batch or before the first append.
 * store_batch_set_head() records a new head (returns 0, or -1 outside a
 * batch: then the caller writes the head row itself).
 */
int store_batch_head(int64_t *last_id, char hash[65]);
/* 1 when this thread's batch holds the head's lock since its BEGIN
 * (PostgreSQL): a plain read of the row sees its last commit. */
int store_batch_head_locked(void);

/*
 * store_counter_next() for a change that will append to the audit log (a
 * registration): on PostgreSQL, when the batch knows neither row yet, the
 * counter's upsert and the (locked) head's read share one statement, so
 * one round trip instead of two.
 */
int store_counter_next_and_head(struct db *db, const char *name,
				int64_t *value);
int store_batch_set_head(int64_t last_id, const char hash[65]);

/*
 * Mail recipients of a role (and point) looked up in this batch: the
 * comma-separated addresses, or NULL when not looked up yet (or outside a
 * batch).  A user created in the batch, or a rolled-back change, forgets
 * them all.
 */
const char *store_batch_recipients(const char *role, int64_t point_id);
void store_batch_remember_recipients(const char *role, int64_t point_id,
				     const char *emails);
void store_batch_users_changed(void);
/* 1: this thread (the group writer) keeps the recipients from one batch
 * to the next while no user is created (store/batch.c); 0: forgets them
 * and keeps none (before the thread ends). */
void store_batch_keep(int on);

/* Writes the audit chain's head row (the last record's id and hash):
 * the one writer of that row, in a batch's flush or for audit_append()
 * outside a batch. */
int store_audit_head_write(struct db *db, int64_t last_id, const char *hash);

#endif
