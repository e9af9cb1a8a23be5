#ifndef INOP_STORE_AUDIT_H
#define INOP_STORE_AUDIT_H
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/*
 * A1: the append-only, hash-chained audit log.  Each record's hash is
 * BLAKE2b-256 over the previous record's hash and the record's own fields
 * (audit_hash), so editing, removing or inserting a row breaks the chain;
 * audit_head keeps the newest link so that cutting off the tail is seen
 * too.
 */
struct audit_rec {
	int64_t id;
	int64_t at;
	const char *actor;
	const char *action;
	const char *entity;
	int64_t entity_id;	 /* 0: none */
	const char *before_json; /* NULL: none */
	const char *after_json;	 /* NULL: none */
};

/* Hex hash (65 bytes with NUL) of `rec` chained after `prev_hash`. */
void audit_hash(const char *prev_hash, const struct audit_rec *rec,
		char out[65]);

/*
 * Appends a record.  Must run inside the write transaction of the change
 * it records.  0 or -1.
 */
int audit_append(struct db *db, const struct audit_rec *rec);

/*
 * The one way a change records itself: appends a record about
 * (entity, entity_id) with the JSON values serialised compactly with
 * sorted keys.  Takes ownership of before/after (either may be NULL).
 * Inside the change's write transaction.  0 or -1.
 */
struct json_t;
int audit_append_json(struct db *db, const char *entity, int64_t entity_id,
		      const char *action, struct json_t *before,
		      struct json_t *after, const char *actor, int64_t now);
/* The same with before/after already as that JSON text (either may be
 * NULL; borrowed): event_audit_text() writes an event's directly. */
int audit_append_text(struct db *db, const char *entity, int64_t entity_id,
		      const char *action, const char *before,
		      const char *after, const char *actor, int64_t now);

/*
 * Checks the whole chain.  Prints each problem to `out` (English, one line
 * each) and returns the number of problems (0: intact), or -1 when the
 * log cannot be read.
 */
int audit_verify(struct db *db, FILE *out, int64_t *records);

/* The newest link as audit_head stores it: (0, 64 zeros) when empty. */
int audit_head_hash(struct db *db, int64_t *last_id, char hash[65]);

#endif
