#ifndef INOP_STORE_CHECKPOINT_H
#define INOP_STORE_CHECKPOINT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/*
 * Signed checkpoints of the audit chain, witnessed outside the database
 * (certificate-transparency style: a signed tree head that others keep).
 * Whoever can write the database can rewrite records and recompute every
 * hash, or cut the newest records, and the chain still verifies; he
 * cannot make a checkpoint signed earlier disagree with nothing: the
 * signed (head id, head hash) must still be in the chain.  The signing
 * key (Ed25519) is a 0600 file outside the database; its public key is
 * in the configuration.
 *
 * The text of a checkpoint (the signature covers every line before
 * "signature"):
 *
 *     inop-audit-checkpoint 1
 *     head_id 1234
 *     head_hash <64 hex>
 *     signed_at 2026-12-01T14:00:00Z
 *     key <public key, 64 hex>
 *     signature <Ed25519, 128 hex>
 */
#define CHECKPOINT_TEXT_MAX 512

struct checkpoint_key {
	unsigned char sk[64]; /* crypto_sign_SECRETKEYBYTES */
	unsigned char pk[32]; /* crypto_sign_PUBLICKEYBYTES */
};

struct audit_checkpoint {
	int64_t head_id;
	char head_hash[65];
	int64_t signed_at;
	char key_hex[65];
	char sig_hex[129];
};

/*
 * Creates a new key file at `path` (0600, refused if it exists) holding
 * the 32-byte seed in hex; pk_hex gets the public key.  0 or -1 + msg.
 */
int checkpoint_key_generate(const char *path, char pk_hex[65], char *msg,
			    size_t n);
/*
 * Loads the key of `path`: refused unless the file is 0600 (or stricter)
 * and, when want_pk_hex is not "", its public key is that one.  The
 * caller wipes it with sodium_memzero.  0 or -1 + msg.
 */
int checkpoint_key_load(const char *path, const char *want_pk_hex,
			struct checkpoint_key *k, char *msg, size_t n);

/*
 * Signs the current head of the audit chain of `db` at `now`, after
 * checking the whole chain (problems printed to `problems`): 0 signed,
 * 1 not signed because the chain is broken or empty (msg says which),
 * -1 on a database failure.
 */
int checkpoint_take(struct db *db, const struct checkpoint_key *k, int64_t now,
		    struct audit_checkpoint *cp, FILE *problems, char *msg,
		    size_t n);
/* The text of a signed checkpoint (see above).  0 or -1. */
int checkpoint_format(const struct audit_checkpoint *cp,
		      char out[CHECKPOINT_TEXT_MAX]);
/*
 * Reads a checkpoint's text and checks its signature against the public
 * key `pk_hex` (64 hex): 0 valid, -1 + msg otherwise.
 */
int checkpoint_parse(const char *text, const char *pk_hex,
		     struct audit_checkpoint *cp, char *msg, size_t n);
/*
 * Proves the chain of `db` still contains the checkpoint's head: the
 * record head_id exists and has head_hash.  Prints each problem (one
 * line) to `out`.  0 contained, 1 not, -1 on a database failure.
 */
int checkpoint_prove(struct db *db, const struct audit_checkpoint *cp,
		     FILE *out);

#endif
