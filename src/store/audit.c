#include "store/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "store/batch.h"
#include "util/str.h"

#define GENESIS_HASH                                                          \
	"0000000000000000000000000000000000000000000000000000000000000000"

static void hash_field(crypto_generichash_state *h, const char *s)
{
	/* Length-prefixed, so field boundaries cannot be shifted. */
	char len[24];
	size_t n = s ? strlen(s) : 0;

	/* At most 22 bytes: never cut. */
	(void)str_printf(len, sizeof(len), "%s%zu:", s ? "" : "-", n);
	crypto_generichash_update(h, (const unsigned char *)len, strlen(len));
	if (s)
		crypto_generichash_update(h, (const unsigned char *)s, n);
}

static void hash_int(crypto_generichash_state *h, int64_t v)
{
	char s[24];

	(void)str_printf(s, sizeof(s), "%lld", (long long)v); /* 20 at most */
	hash_field(h, s);
}

void audit_hash(const char *prev_hash, const struct audit_rec *rec,
		char out[65])
{
	crypto_generichash_state h;
	unsigned char bin[32];

	crypto_generichash_init(&h, NULL, 0, sizeof(bin));
	hash_field(&h, prev_hash);
	hash_int(&h, rec->id);
	hash_int(&h, rec->at);
	hash_field(&h, rec->actor);
	hash_field(&h, rec->action);
	hash_field(&h, rec->entity);
	hash_int(&h, rec->entity_id);
	hash_field(&h, rec->before_json);
	hash_field(&h, rec->after_json);
	crypto_generichash_final(&h, bin, sizeof(bin));
	sodium_bin2hex(out, 65, bin, sizeof(bin));
}

struct head {
	int64_t *last_id;
	char *hash; /* 65 bytes */
};

static void head_from_row(struct db_stmt *st, void *elem)
{
	struct head *h = elem;

	*h->last_id = db_col_int(st, 0);
	/* Hex BLAKE2b-256: 64 characters, as audit_hash writes them. */
	db_col_copy(st, 1, h->hash, 65);
}

/*
 * The newest link: (last id, hash), or (0, genesis) for an empty log.
 * `lock`: read it with a no-op UPDATE, which on PostgreSQL holds the row
 * lock until commit, so concurrent appenders queue instead of forking the
 * chain (SQLite's write transaction is exclusive anyway).
 */
static int audit_head(struct db *db, int lock, int64_t *last_id, char hash[65])
{
	struct db_stmt *st = db_prepare(
		db,
		lock ? "UPDATE audit_head SET last_id = last_id WHERE id = 1 "
		       "RETURNING last_id, hash"
		     : "SELECT last_id, hash FROM audit_head WHERE id = 1");
	struct head head = {.last_id = last_id, .hash = hash};

	*last_id = 0;
	memcpy(hash, GENESIS_HASH, sizeof(GENESIS_HASH));
	if (!st)
		return -1;
	return db_get_one(st, head_from_row, &head) < 0 ? -1 : 0;
}

int audit_append(struct db *db, const struct audit_rec *in)
{
	struct audit_rec rec = *in;
	struct db_stmt *st;
	char prev[65], hash[65];
	int64_t last_id;

	/* In a write batch the head is read (and locked) once, kept in
	 * memory and written at the end (store/batch.h); locked since the
	 * batch's BEGIN on PostgreSQL, so read without the no-op UPDATE's
	 * row version. */
	if (store_batch_head(&last_id, prev) != 1 &&
	    audit_head(db, !store_batch_head_locked(), &last_id, prev) < 0)
		return -1;
	rec.id = last_id + 1;
	audit_hash(prev, &rec, hash);
	st = db_prepare(db, "INSERT INTO audit (id, at, actor, action, "
			    "entity, entity_id, before_json, after_json, "
			    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
			    "?, ?)");
	if (!st)
		return -1;
	db_bind_int(st, 1, rec.id);
	db_bind_int(st, 2, rec.at);
	db_bind_text(st, 3, rec.actor);
	db_bind_text(st, 4, rec.action);
	db_bind_text(st, 5, rec.entity);
	if (rec.entity_id)
		db_bind_int(st, 6, rec.entity_id);
	db_bind_text(st, 7, rec.before_json);
	db_bind_text(st, 8, rec.after_json);
	db_bind_text(st, 9, prev);
	db_bind_text(st, 10, hash);
	if (db_run_later(st) != DB_DONE)
		return -1;
	if (store_batch_set_head(rec.id, hash) == 0)
		return 0;
	return store_audit_head_write(db, rec.id, hash);
}

int audit_append_text(struct db *db, const char *entity, int64_t entity_id,
		      const char *action, const char *before,
		      const char *after, const char *actor, int64_t now)
{
	struct audit_rec rec = {.at = now,
				.actor = actor,
				.action = action,
				.entity = entity,
				.entity_id = entity_id,
				.before_json = before,
				.after_json = after};

	return audit_append(db, &rec);
}

int audit_append_json(struct db *db, const char *entity, int64_t entity_id,
		      const char *action, json_t *before, json_t *after,
		      const char *actor, int64_t now)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)
			: NULL;
	int rc = (before && !b) || (after && !a)
			 ? -1
			 : audit_append_text(db, entity, entity_id, action, b,
					     a, actor, now);

	free(b);
	free(a);
	json_decref(before);
	json_decref(after);
	return rc;
}

/*
 * One record against the one before it.  *expect_id is the id the record
 * should have (the previous id + 1): a gap is named once, as the range
 * of removed ids, and the broken link it causes is not named again; the
 * next record is expected after this one, so a removal does not turn
 * every later record into a problem.
 */
static int verify_row(struct db_stmt *st, int64_t *expect_id, char prev[65],
		      FILE *out)
{
	struct audit_rec rec;
	char hash[65];
	const char *stored_prev, *stored_hash;
	int problems = 0, gap = 0;

	rec.id = db_col_int(st, 0);
	rec.at = db_col_int(st, 1);
	rec.actor = db_col_text(st, 2);
	rec.action = db_col_text(st, 3);
	rec.entity = db_col_text(st, 4);
	rec.entity_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	rec.before_json = db_col_text(st, 6);
	rec.after_json = db_col_text(st, 7);
	stored_prev = db_col_text(st, 8);
	stored_hash = db_col_text(st, 9);
	if (rec.id > *expect_id) {
		if (rec.id == *expect_id + 1)
			fprintf(out, "audit record %lld: missing (removed)\n",
				(long long)*expect_id);
		else
			fprintf(out,
				"audit records %lld to %lld: missing "
				"(removed)\n",
				(long long)*expect_id, (long long)rec.id - 1);
		problems++;
		gap = 1;
	} else if (rec.id < *expect_id) {
		fprintf(out,
			"audit record %lld: out of sequence after record "
			"%lld (inserted)\n",
			(long long)rec.id, (long long)*expect_id - 1);
		problems++;
	}
	if (!gap && strcmp(stored_prev, prev) != 0) {
		fprintf(out,
			"audit record %lld: does not link to the record "
			"before it\n",
			(long long)rec.id);
		problems++;
	}
	audit_hash(stored_prev, &rec, hash);
	if (strcmp(hash, stored_hash) != 0) {
		fprintf(out,
			"audit record %lld: content does not match its "
			"hash (edited)\n",
			(long long)rec.id);
		problems++;
	}
	/* A stored hash longer than 64 did not match above: cut is fine. */
	(void)str_copy(prev, 65, stored_hash);
	*expect_id = rec.id + 1;
	return problems;
}

int audit_verify(struct db *db, FILE *out, int64_t *records)
{
	struct db_stmt *st;
	char prev[65] = GENESIS_HASH, head_hash[65];
	int64_t n = 0, head_id, last_id = 0, expect_id = 1;
	int problems = 0, rc;

	st = db_prepare(db, "SELECT id, at, actor, action, entity, entity_id, "
			    "before_json, after_json, prev_hash, hash "
			    "FROM audit ORDER BY id");
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		problems += verify_row(st, &expect_id, prev, out);
		last_id = db_col_int(st, 0);
		if (problems > 1000)
			break;
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	if (audit_head(db, 0, &head_id, head_hash) < 0)
		return -1;
	if (head_id != last_id || strcmp(head_hash, prev) != 0) {
		fprintf(out,
			"audit head points at record %lld but the log "
			"ends at %lld (newest records removed or "
			"added)\n",
			(long long)head_id, (long long)last_id);
		problems++;
	}
	*records = n;
	return problems;
}

int audit_head_hash(struct db *db, int64_t *last_id, char hash[65])
{
	return audit_head(db, 0, last_id, hash);
}
