#include "store/batch.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/versions.h"
#include "util/str.h"

/* Counters a batch keeps: the year's events, complaints and forms, the
 * versions, the freeze turn; more than this go to the database. */
#define COUNTERS_MAX 12

struct counter {
	char name[32];
	int known;	 /* value and written read from the row (locked) */
	int64_t value;	 /* known: as the batch moved it */
	int64_t written; /* known: as the row holds it in this transaction */
	int64_t added;	 /* not known: bumps to add to the row at the flush */
};

struct batch_state {
	size_t n;
	struct counter c[COUNTERS_MAX];
	int head_locked; /* PostgreSQL: since BEGIN (store_batch_begin) */
	int head_known, head_moved;
	int64_t head_id;
	char head_hash[65];
	unsigned moved;	   /* bits of the versions moved (store/versions.h) */
	int users_touched; /* a change of the batch created a user */
};

static __thread int active;
static __thread struct batch_state cur, saved;

/* Recipients looked up in the batch (mail of every registration and
 * closure: one query each otherwise). */
#define RECIPIENTS_MAX 8
struct recipients {
	char role[16];
	int64_t point_id;
	char *emails;
};
static __thread struct recipients memo[RECIPIENTS_MAX];
static __thread size_t n_memo;
/*
 * On a thread that keeps them (the group writer: store_batch_keep()), the
 * recipients outlive their batch while no user was created since and for
 * a second at most: users and their points are only ever inserted
 * (store/users.c), and each creation moves the users' version
 * (store/versions.h), here at its commit and on the other nodes at its
 * notification.  `memo_gen` is that version's generation when the first
 * of them was looked up, taken before it.
 */
static __thread int keeps, committed, known_gen;
static __thread uint64_t memo_gen;
static __thread int64_t memo_at;

static void memo_clear(void)
{
	for (size_t i = 0; i < n_memo; i++)
		free(memo[i].emails);
	n_memo = 0;
}

void store_batch_users_changed(void)
{
	memo_clear();
	if (active)
		cur.users_touched = 1;
}

const char *store_batch_recipients(const char *role, int64_t point_id)
{
	for (size_t i = 0; active && i < n_memo; i++)
		if (memo[i].point_id == point_id &&
		    strcmp(memo[i].role, role) == 0)
			return memo[i].emails;
	return NULL;
}

void store_batch_remember_recipients(const char *role, int64_t point_id,
				     const char *emails)
{
	struct recipients *r;

	if (!active)
		return;
	if (n_memo == RECIPIENTS_MAX) /* kept ones may crowd out this one */
		memo_clear();
	r = &memo[n_memo];
	if (str_copy(r->role, sizeof(r->role), role) < 0)
		return;
	r->emails = strdup(emails);
	if (!r->emails)
		return;
	r->point_id = point_id;
	n_memo++;
}

void store_batch_keep(int on)
{
	memo_clear();
	keeps = on;
}

int store_batch_begin(struct db *db)
{
	uint64_t gen;
	int known;

	if (db_begin(db) < 0)
		return -1;
	memset(&cur, 0, sizeof(cur));
	/* Locked, not read (the counter's statement or audit_head() reads
	 * it when needed); FOR UPDATE writes no row version.  Queued: a
	 * failure is reported by the next statement. */
	if (strcmp(db_engine(db), "postgresql") == 0) {
		if (db_exec_later(db, "SELECT 1 FROM audit_head WHERE id = 1 "
				      "FOR UPDATE") != 0) {
			db_rollback(db);
			return -1;
		}
		cur.head_locked = 1;
	}
	known = store_version_generation(STORE_USERS_VERSION, &gen);
	if (!keeps || !known || gen != memo_gen ||
	    !store_versions_fresh(memo_at))
		memo_clear();
	known_gen = known;
	if (!n_memo && known) {
		memo_gen = gen;
		memo_at = store_versions_now();
	}
	committed = 0;
	active = 1;
	return 0;
}

void store_batch_end(void)
{
	/* Rolled back: they may hold a user it created; or looked up
	 * without a generation to keep them under. */
	if (!keeps || !committed || !known_gen)
		memo_clear();
	active = 0;
}

void store_batch_mark(void)
{
	saved = cur;
}

void store_batch_undo(void)
{
	/* What the change saw may have been its own: a user it created. */
	int created = cur.users_touched && !saved.users_touched;

	cur = saved;
	if (created)
		memo_clear();
}

static struct counter *find(const char *name)
{
	for (size_t i = 0; i < cur.n; i++)
		if (strcmp(cur.c[i].name, name) == 0)
			return &cur.c[i];
	return NULL;
}

/* The upsert: locks the row (PostgreSQL) until the transaction ends. */
static int counter_bump(struct db *db, const char *name, int64_t *value)
{
	struct db_stmt *st = db_prepare(
		db,
		"INSERT INTO counters (name, value) VALUES (?, 1) "
		"ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 "
		"RETURNING value");

	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	return db_get_int(st, value) == 1 ? 0 : -1;
}

/*
 * Outside a batch: a transaction of its own (CLI, jobs).  The other nodes
 * learn of a moved version at its commit, this process at once (a read
 * before the commit re-reads after it).
 */
static int counter_bump_now(struct db *db, const char *name, int64_t *value)
{
	unsigned bit = store_version_bit(name);
	char sql[48];

	if (counter_bump(db, name, value) < 0)
		return -1;
	if (!bit)
		return 0;
	if (strcmp(db_engine(db), "postgresql") == 0 &&
	    (str_printf(sql, sizeof(sql), "NOTIFY inop_versions, '%u'", bit) <
		     0 ||
	     db_exec(db, sql) != 0))
		return -1;
	store_versions_moved(bit);
	return 0;
}

/* The batch's copy of counter `name`, added (unknown) if there is room. */
static struct counter *counter_of(const char *name)
{
	struct counter *c = find(name);

	if (c || cur.n == COUNTERS_MAX)
		return c;
	c = &cur.c[cur.n];
	memset(c, 0, sizeof(*c));
	if (str_copy(c->name, sizeof(c->name), name) < 0)
		return NULL;
	cur.n++;
	return c;
}

/* Counter `c` read from its row, which now holds `row` (locked): the
 * bumps added before count on it.  *value: the counter as moved. */
static void counter_read(struct counter *c, int64_t row, int64_t *value)
{
	c->known = 1;
	c->written = row;
	c->value = *value = row + c->added;
	c->added = 0;
}

int store_counter_next(struct db *db, const char *name, int64_t *value)
{
	struct counter *c;

	if (!active)
		return counter_bump_now(db, name, value);
	c = counter_of(name);
	if (c && c->known) {
		*value = ++c->value;
	} else {
		/* Locks the row; bumps added before it are still to write. */
		if (counter_bump(db, name, value) < 0)
			return -1;
		if (c)
			counter_read(c, *value, value);
	}
	cur.moved |= store_version_bit(name);
	return 0;
}

/* The row of the counter and audit head statement below. */
struct counter_head {
	int64_t value, last_id;
	int has_head;
	char hash[65];
};

static void counter_head_from_row(struct db_stmt *st, void *elem)
{
	struct counter_head *r = elem;

	r->value = db_col_int(st, 0);
	r->has_head = !db_col_is_null(st, 1);
	r->last_id = db_col_int(st, 1);
	db_col_copy(st, 2, r->hash, sizeof(r->hash));
}

int store_counter_next_and_head(struct db *db, const char *name,
				int64_t *value)
{
	struct counter *c = active ? counter_of(name) : NULL;
	struct counter_head r = {0};
	struct db_stmt *st;

	if (!c || c->known || cur.head_known || !cur.head_locked)
		return store_counter_next(db, name, value);
	/* The head is this transaction's since its BEGIN, so a plain read
	 * sees its last commit (the statement's snapshot is taken after that
	 * lock was granted). */
	st = db_prepare(
		db, "WITH c AS (INSERT INTO counters (name, value) VALUES (?, "
		    "1) ON CONFLICT (name) DO UPDATE SET value = "
		    "counters.value + 1 RETURNING value) SELECT c.value, "
		    "h.last_id, h.hash FROM c LEFT JOIN audit_head h ON h.id "
		    "= 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	if (db_get_one(st, counter_head_from_row, &r) != 1)
		return -1;
	counter_read(c, r.value, value);
	cur.moved |= store_version_bit(name);
	/* No head row yet (an empty log): audit_head() reads the genesis. */
	if (r.has_head && strlen(r.hash) == 64) {
		cur.head_known = 1;
		cur.head_id = r.last_id;
		memcpy(cur.head_hash, r.hash, sizeof(cur.head_hash));
	}
	return 0;
}

int store_counter_bump(struct db *db, const char *name)
{
	struct counter *c = active ? counter_of(name) : NULL;
	int64_t v;

	if (!c) /* outside a batch, or no room in it */
		return store_counter_next(db, name, &v);
	if (c->known)
		c->value++;
	else
		c->added++;
	cur.moved |= store_version_bit(name);
	return 0;
}

int store_counter_value(struct db *db, const char *name, int64_t *value)
{
	struct counter *c = active ? find(name) : NULL;
	struct db_stmt *st;
	int rc;

	if (c && c->known) {
		*value = c->value;
		return 0;
	}
	if (!c)
		return store_versions_read(db, name, value);
	/* Bumped here, not read: the row as this transaction sees it. */
	st = db_prepare(db, "SELECT value FROM counters WHERE name = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	rc = db_get_int(st, value);
	if (rc == 0)
		*value = 0;
	*value += c->added;
	return rc < 0 ? -1 : 0;
}

int store_batch_head(int64_t *last_id, char hash[65])
{
	if (!active || !cur.head_known)
		return 0;
	*last_id = cur.head_id;
	memcpy(hash, cur.head_hash, 65);
	return 1;
}

int store_batch_head_locked(void)
{
	return active && cur.head_locked;
}

int store_batch_set_head(int64_t last_id, const char hash[65])
{
	if (!active)
		return -1;
	cur.head_known = 1;
	cur.head_moved = 1;
	cur.head_id = last_id;
	memcpy(cur.head_hash, hash, 65);
	return 0;
}

int store_batch_flush(struct db *db)
{
	struct db_stmt *st;

	for (size_t i = 0; i < cur.n; i++) {
		struct counter *c = &cur.c[i];

		if (c->known && c->value != c->written) {
			st = db_prepare(db, "UPDATE counters SET value = ? "
					    "WHERE name = ?");
			if (!st)
				return -1;
			db_bind_int(st, 1, c->value);
			db_bind_text(st, 2, c->name);
			c->written = c->value;
		} else if (!c->known && c->added) {
			/* Locks the row only now, at the end. */
			st = db_prepare(db,
					"INSERT INTO counters (name, value) "
					"VALUES (?, ?) ON CONFLICT (name) DO "
					"UPDATE SET value = counters.value + "
					"excluded.value");
			if (!st)
				return -1;
			db_bind_text(st, 1, c->name);
			db_bind_int(st, 2, c->added);
			c->added = 0;
		} else {
			continue;
		}
		if (db_run_later(st) != DB_DONE)
			return -1;
	}
	if (cur.head_moved) {
		if (store_audit_head_write(db, cur.head_id, cur.head_hash) < 0)
			return -1;
		cur.head_moved = 0;
	}
	return 0;
}

int store_batch_commit(struct db *db)
{
	char bits[16];
	struct db_stmt *st;

	if (cur.moved && strcmp(db_engine(db), "postgresql") == 0) {
		/* Delivered to the other nodes at the commit; sent with the
		 * COMMIT, in its round trip. */
		st = db_prepare(db, "SELECT pg_notify('inop_versions', ?)");
		if (!st ||
		    str_printf(bits, sizeof(bits), "%u", cur.moved) < 0 ||
		    db_bind_text(st, 1, bits) < 0 ||
		    db_run_later(st) != DB_DONE)
			return -1;
	}
	if (db_commit(db) < 0)
		return -1;
	store_versions_moved(cur.moved);
	cur.moved = 0;
	committed = 1;
	return 0;
}

int store_audit_head_write(struct db *db, int64_t last_id, const char *hash)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO audit_head (id, last_id, hash) "
		    "VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET "
		    "last_id = excluded.last_id, hash = excluded.hash");

	if (!st)
		return -1;
	db_bind_int(st, 1, last_id);
	db_bind_text(st, 2, hash);
	return db_run_later(st) == DB_DONE ? 0 : -1;
}
