/* Signed checkpoints of the audit chain (see checkpoint.h). */
#include "store/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "store/audit.h"
#include "util/strnum.h"
#include "util/str.h"

#define MAGIC "inop-audit-checkpoint 1\n"

int checkpoint_key_generate(const char *path, char pk_hex[65], char *msg,
			    size_t n)
{
	unsigned char seed[32], pk[32], sk[64];
	char seed_hex[65];
	int fd, rc = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		(void)str_printf(msg, n, "cannot create '%s': %s", path,
				 strerror(errno));
		return -1;
	}
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_bin2hex(seed_hex, sizeof(seed_hex), seed, sizeof(seed));
	sodium_bin2hex(pk_hex, 65, pk, sizeof(pk));
	if (write(fd, seed_hex, 64) == 64 && write(fd, "\n", 1) == 1 &&
	    fsync(fd) == 0)
		rc = 0;
	else
		(void)str_printf(msg, n, "cannot write '%s': %s", path,
				 strerror(errno));
	close(fd);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed_hex, sizeof(seed_hex));
	return rc;
}

static int read_seed(const char *path, unsigned char seed[32], char *msg,
		     size_t n)
{
	char line[80];
	struct stat sb;
	size_t len = 0;
	int fd = open(path, O_RDONLY), rc = -1;
	ssize_t got;

	if (fd < 0) {
		(void)str_printf(msg, n, "cannot open '%s': %s", path,
				 strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || (sb.st_mode & 077)) {
		(void)str_printf(
			msg, n,
			"'%s' must be readable by its owner only (chmod "
			"600)",
			path);
		goto out;
	}
	got = read(fd, line, sizeof(line) - 1);
	if (got < 64) {
		(void)str_printf(msg, n, "'%s' does not hold a signing key",
				 path);
		goto out;
	}
	line[got] = '\0';
	if (strcspn(line, "\r\n") != 64 ||
	    sodium_hex2bin(seed, 32, line, 64, NULL, &len, NULL) != 0 ||
	    len != 32) {
		(void)str_printf(msg, n, "'%s' does not hold a signing key",
				 path);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(line, sizeof(line));
	close(fd);
	return rc;
}

int checkpoint_key_load(const char *path, const char *want_pk_hex,
			struct checkpoint_key *k, char *msg, size_t n)
{
	unsigned char seed[32];
	char pk_hex[65];

	if (read_seed(path, seed, msg, n) < 0)
		return -1;
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	sodium_bin2hex(pk_hex, sizeof(pk_hex), k->pk, sizeof(k->pk));
	if (want_pk_hex && want_pk_hex[0] &&
	    strcasecmp(want_pk_hex, pk_hex) != 0) {
		(void)str_printf(msg, n,
				 "the key of '%s' is not the configured "
				 "audit_public_key (its public key is %s)",
				 path, pk_hex);
		sodium_memzero(k, sizeof(*k));
		return -1;
	}
	return 0;
}

static int read_head(struct db *db, int64_t *id, char hash[65])
{
	struct db_stmt *st = db_prepare(
		db, "SELECT last_id, hash FROM audit_head WHERE id = 1");
	int rc;

	if (!st)
		return -1;
	*id = 0;
	hash[0] = '\0';
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		db_col_copy(st, 1, hash, 65);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The stored hash of record `id`: 1 found, 0 missing, -1 error. */
static int record_hash(struct db *db, int64_t id, char hash[65])
{
	struct db_stmt *st =
		db_prepare(db, "SELECT hash FROM audit WHERE id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		db_col_copy(st, 0, hash, 65);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void utc_text(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The signed part: every line before "signature". */
static int signed_text(const struct audit_checkpoint *cp, char *out, size_t n)
{
	char at[21];
	int len;

	utc_text(cp->signed_at, at);
	len = snprintf(out, n,
		       MAGIC "head_id %lld\nhead_hash %s\nsigned_at %s\n"
			     "key %s\n",
		       (long long)cp->head_id, cp->head_hash, at, cp->key_hex);
	return len > 0 && (size_t)len < n ? len : -1;
}

int checkpoint_take(struct db *db, const struct checkpoint_key *k, int64_t now,
		    struct audit_checkpoint *cp, FILE *problems, char *msg,
		    size_t n)
{
	char text[CHECKPOINT_TEXT_MAX], hash[65];
	unsigned char sig[64];
	int64_t records;
	int len, rc;

	memset(cp, 0, sizeof(*cp));
	/* The head first: the chain checked next reaches at least to it. */
	if (read_head(db, &cp->head_id, cp->head_hash) < 0)
		return -1;
	if (cp->head_id == 0) {
		(void)str_printf(msg, n, "the audit log is empty");
		return 1;
	}
	rc = audit_verify(db, problems, &records);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		(void)str_printf(
			msg, n,
			"the audit chain is broken (%d problem(s)): not "
			"signed",
			rc);
		return 1;
	}
	rc = record_hash(db, cp->head_id, hash);
	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(hash, cp->head_hash) != 0) {
		(void)str_printf(msg, n,
				 "the audit head does not match record %lld",
				 (long long)cp->head_id);
		return 1;
	}
	cp->signed_at = now;
	sodium_bin2hex(cp->key_hex, sizeof(cp->key_hex), k->pk, sizeof(k->pk));
	len = signed_text(cp, text, sizeof(text));
	if (len < 0)
		return -1;
	crypto_sign_detached(sig, NULL, (const unsigned char *)text,
			     (unsigned long long)len, k->sk);
	sodium_bin2hex(cp->sig_hex, sizeof(cp->sig_hex), sig, sizeof(sig));
	return 0;
}

int checkpoint_format(const struct audit_checkpoint *cp,
		      char out[CHECKPOINT_TEXT_MAX])
{
	int len = signed_text(cp, out, CHECKPOINT_TEXT_MAX);
	int more;

	if (len < 0)
		return -1;
	more = snprintf(out + len, CHECKPOINT_TEXT_MAX - (size_t)len,
			"signature %s\n", cp->sig_hex);
	return more > 0 && (size_t)more < CHECKPOINT_TEXT_MAX - (size_t)len
		       ? 0
		       : -1;
}

/* The value of line `name ` at *p (advanced past the line) into out. */
static int take_line(const char **p, const char *name, char *out, size_t n)
{
	size_t k = strlen(name), len;

	if (strncmp(*p, name, k) != 0 || (*p)[k] != ' ')
		return -1;
	*p += k + 1;
	len = strcspn(*p, "\n");
	if ((*p)[len] != '\n' || len == 0 || len >= n)
		return -1;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p += len + 1;
	return 0;
}

static int is_hex(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

static int parse_fields(const char *text, struct audit_checkpoint *cp,
			size_t *signed_len)
{
	const char *p = text;
	char id[24], at[24];

	memset(cp, 0, sizeof(*cp));
	if (strncmp(p, MAGIC, strlen(MAGIC)) != 0)
		return -1;
	p += strlen(MAGIC);
	if (take_line(&p, "head_id", id, sizeof(id)) < 0 ||
	    strnum_i64(id, 1, INT64_MAX, &cp->head_id) < 0 ||
	    take_line(&p, "head_hash", cp->head_hash, sizeof(cp->head_hash)) <
		    0 ||
	    !is_hex(cp->head_hash, 64) ||
	    take_line(&p, "signed_at", at, sizeof(at)) < 0 ||
	    take_line(&p, "key", cp->key_hex, sizeof(cp->key_hex)) < 0 ||
	    !is_hex(cp->key_hex, 64))
		return -1;
	*signed_len = (size_t)(p - text);
	if (take_line(&p, "signature", cp->sig_hex, sizeof(cp->sig_hex)) < 0 ||
	    !is_hex(cp->sig_hex, 128) || *p != '\0')
		return -1;
	return cal_parse_rfc3339(at, &cp->signed_at);
}

int checkpoint_parse(const char *text, const char *pk_hex,
		     struct audit_checkpoint *cp, char *msg, size_t n)
{
	unsigned char pk[32], sig[64];
	size_t signed_len, len;

	if (parse_fields(text, cp, &signed_len) < 0) {
		(void)str_printf(msg, n, "not an Inop audit checkpoint");
		return -1;
	}
	if (!pk_hex ||
	    sodium_hex2bin(pk, sizeof(pk), pk_hex, strlen(pk_hex), NULL, &len,
			   NULL) != 0 ||
	    len != sizeof(pk)) {
		(void)str_printf(
			msg, n,
			"audit_public_key must be the 64 hex digits of "
			"the checkpoint key");
		return -1;
	}
	if (strcasecmp(cp->key_hex, pk_hex) != 0) {
		(void)str_printf(
			msg, n,
			"the checkpoint was signed by another key (%s), "
			"not the configured audit_public_key",
			cp->key_hex);
		return -1;
	}
	if (sodium_hex2bin(sig, sizeof(sig), cp->sig_hex, 128, NULL, &len,
			   NULL) != 0 ||
	    crypto_sign_verify_detached(sig, (const unsigned char *)text,
					(unsigned long long)signed_len,
					pk) != 0) {
		(void)str_printf(
			msg, n,
			"the checkpoint's signature does not verify: it "
			"was altered or not signed by this key");
		return -1;
	}
	return 0;
}

int checkpoint_prove(struct db *db, const struct audit_checkpoint *cp,
		     FILE *out)
{
	char hash[65];
	int rc = record_hash(db, cp->head_id, hash);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		fprintf(out,
			"audit record %lld of the checkpoint is missing "
			"(newest records cut or the log rewritten after the "
			"checkpoint)\n",
			(long long)cp->head_id);
		return 1;
	}
	if (strcmp(hash, cp->head_hash) != 0) {
		fprintf(out,
			"audit record %lld no longer has the hash the "
			"checkpoint signed (the log up to it was rewritten)\n",
			(long long)cp->head_id);
		return 1;
	}
	return 0;
}
