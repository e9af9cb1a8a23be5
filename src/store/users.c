#include "store/users.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/batch.h"
#include "store/store.h"
#include "store/versions.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/str.h"

/*
 * last_seen_at is written when it is more than this old: a session then
 * expires between session_idle - 10 s and session_idle after its last
 * use (exact to the minute), at one small write per session per 10 s.
 */
#define SESSION_TOUCH_S 10

void user_release(struct user *u)
{
	free(u->points);
	u->points = NULL;
}

static int user_point_link(struct db *db, int64_t user_id, const char *code,
			   struct inop_err *err)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO user_points (user_id, point_id) "
		    "SELECT CAST(? AS BIGINT), id FROM points WHERE code = ? "
		    "ON CONFLICT DO NOTHING RETURNING point_id");
	int rc;

	if (!st)
		return err_internal(err);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, code);
	rc = db_get_one(st, NULL, NULL);
	if (rc == 0) {
		/* Either unknown, or listed twice (then harmless). */
		st = db_prepare(db, "SELECT 1 FROM points WHERE code = ?");
		if (!st)
			return err_internal(err);
		db_bind_text(st, 1, code);
		rc = db_get_one(st, NULL, NULL);
		if (rc == 0)
			return err_validation(err, "points",
					      "Punto desconocido: '%s'", code);
	}
	return rc == DB_ROW ? 0 : err_internal(err);
}

static json_t *user_audit_json(const struct user *u, const char *const *points,
			       size_t n_points)
{
	char roles[256];
	json_t *pts = json_array();

	for (size_t i = 0; i < n_points; i++)
		json_array_append_new(pts, json_string(points[i]));
	roles_to_csv(u->roles, roles, sizeof(roles));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "username", u->username,
			 "name", u->name, "email", u->email, "roles", roles,
			 "points", pts);
}

struct user_job {
	struct user *u;
	const char *const *points;
	size_t n_points;
	const char *actor;
	int64_t now;
};

static int user_insert_body(struct db *db, void *arg, struct inop_err *err)
{
	struct user_job *j = arg;
	struct user *u = j->u;
	struct db_stmt *st;
	int rc;

	st = db_prepare(db, "INSERT INTO users (username, name, email, "
			    "password_hash, role_mask, active, created_at) "
			    "VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, u->email);
	db_bind_text(st, 4, u->password_hash);
	db_bind_int(st, 5, u->roles);
	db_bind_int(st, 6, j->now);
	rc = db_step(st);
	if (rc == DB_ROW)
		u->id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT)
		return err_set(err, 409, "ALREADY_EXISTS", "username",
			       "El usuario '%s' ya existe", u->username);
	if (rc != DB_ROW)
		return store_body_fail(db, err);
	/* Mail recipients looked up earlier in this batch, or kept from
	 * earlier ones, may miss them. */
	store_batch_users_changed();
	if (store_counter_bump(db, STORE_USERS_VERSION) < 0)
		return store_body_fail(db, err);
	for (size_t i = 0; i < j->n_points; i++)
		if (user_point_link(db, u->id, j->points[i], err) < 0)
			return -1;
	if (audit_append_json(db, "user", u->id, "user.create", NULL,
			      user_audit_json(u, j->points, j->n_points),
			      j->actor, j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_user_insert(struct db *db, struct user *u, const char *const *points,
		      size_t n_points, const char *actor, int64_t now,
		      struct inop_err *err)
{
	struct user_job j = {.u = u,
			     .points = points,
			     .n_points = n_points,
			     .actor = actor,
			     .now = now};

	return store_write(db, user_insert_body, &j, err);
}

/* Comma-separated codes of the user's points (malloc'd), or NULL. */
static char *user_point_codes(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT p.code FROM user_points up JOIN points p ON "
		    "p.id = up.point_id WHERE up.user_id = ? ORDER BY p.code");
	struct buf b;

	if (!st)
		return NULL;
	buf_init(&b, 1 << 20);
	db_bind_int(st, 1, user_id);
	while (db_step(st) == DB_ROW) {
		if (b.len)
			buf_appends(&b, ",");
		buf_appends(&b, db_col_text(st, 0));
	}
	db_reset(st);
	return buf_detach(&b, NULL);
}

#define USER_COLS                                                             \
	"SELECT id, username, name, email, password_hash, role_mask, active " \
	"FROM users "

static void user_from_row(struct db_stmt *st, void *elem)
{
	struct user *u = elem;

	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	db_col_copy(st, 1, u->username, sizeof(u->username));
	db_col_copy(st, 2, u->name, sizeof(u->name));
	db_col_copy(st, 3, u->email, sizeof(u->email));
	db_col_copy(st, 4, u->password_hash, sizeof(u->password_hash));
	u->roles = (unsigned)db_col_int(st, 5);
	u->active = (int)db_col_int(st, 6);
}

int store_user_by_username(struct db *db, const char *username, struct user *u)
{
	struct db_stmt *st = db_prepare(db, USER_COLS "WHERE username = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	rc = db_get_one(st, user_from_row, u);
	if (rc == 1)
		u->points = user_point_codes(db, u->id);
	return rc;
}

int store_users_list(struct db *db, struct user **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, USER_COLS "ORDER BY username");
	void *list;

	if (!st || db_list(st, sizeof(**out), user_from_row, &list, n) < 0)
		return -1;
	*out = list;
	for (size_t i = 0; i < *n; i++)
		(*out)[i].points = user_point_codes(db, (*out)[i].id);
	return 0;
}

int store_user_has_point(struct db *db, int64_t user_id, int64_t point_id)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT 1 FROM user_points WHERE user_id = ? AND "
		    "point_id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, point_id);
	return db_get_one(st, NULL, NULL);
}

int store_session_create(struct db *db, const char *token_hash,
			 int64_t user_id, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO sessions (token_hash, user_id, created_at, "
		    "last_seen_at) VALUES (?, ?, ?, ?)");

	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	return db_run(st) == DB_DONE ? 0 : -1;
}

static int session_touch(struct db *db, const char *token_hash, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db,
		"UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, token_hash);
	return db_run_nowait(st) == DB_DONE ? 0 : -1;
}

struct session_row {
	struct actor *actor;
	int64_t last_seen;
};

static void session_from_row(struct db_stmt *st, void *elem)
{
	struct session_row *r = elem;

	memset(r->actor, 0, sizeof(*r->actor));
	r->actor->id = db_col_int(st, 0);
	db_col_copy(st, 1, r->actor->username, sizeof(r->actor->username));
	db_col_copy(st, 2, r->actor->name, sizeof(r->actor->name));
	r->actor->roles = (unsigned)db_col_int(st, 3);
	r->last_seen = db_col_int(st, 4);
}

/*
 * Sessions looked up lately, on PostgreSQL (store/versions.h): one
 * session lookup per request was the only database round trip left of a
 * cached GET.  An entry is used while the sessions' version has not moved
 * (a session deleted here or on any node moves it) and for a second at
 * most; users are never changed or deactivated once created, so a
 * session's user cannot go stale otherwise.  SQLite, or a lost listener:
 * every lookup reads the database, as before.  Direct-mapped: a collision
 * only evicts.
 */
#define SESSION_CACHE 1024 /* entries, a power of two */
#define SESSION_LOCKS 64

struct cached_session {
	char key[72]; /* token hash; "" empty */
	struct actor actor;
	int64_t last_seen; /* as this node last read or wrote it */
	uint64_t gen;	   /* of STORE_SESSION_VERSION when filled */
	int64_t filled_ns;
};

static struct cached_session *session_cache;
static atomic_uint_fast64_t session_hits;
static pthread_once_t session_cache_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t session_locks[SESSION_LOCKS];

static void session_cache_init(void)
{
	for (int i = 0; i < SESSION_LOCKS; i++)
		pthread_mutex_init(&session_locks[i], NULL);
	session_cache = calloc(SESSION_CACHE, sizeof(*session_cache));
}

static size_t session_slot(const char *token_hash)
{
	size_t h = 5381;

	for (const char *p = token_hash; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h & (SESSION_CACHE - 1);
}

/* 1 with *out from the cache (touched if due), 0 not there. */
static int session_cached(struct db *db, const char *token_hash, uint64_t gen,
			  int64_t now, int64_t idle_s, struct actor *out)
{
	size_t i = session_slot(token_hash);
	pthread_mutex_t *lock = &session_locks[i % SESSION_LOCKS];
	struct cached_session *e = &session_cache[i];
	int hit, touch = 0;

	pthread_mutex_lock(lock);
	/* Idle by this node's reckoning: another node may have seen it
	 * since, so the database decides. */
	hit = strcmp(e->key, token_hash) == 0 && e->gen == gen &&
	      store_versions_fresh(e->filled_ns) &&
	      now - e->last_seen <= idle_s;
	if (hit) {
		*out = e->actor;
		touch = now - e->last_seen > SESSION_TOUCH_S;
		if (touch)
			e->last_seen = now;
	}
	pthread_mutex_unlock(lock);
	if (touch)
		session_touch(db, token_hash, now);
	if (hit)
		atomic_fetch_add(&session_hits, 1);
	return hit;
}

static void session_remember(const char *token_hash, uint64_t gen,
			     int64_t filled_ns, const struct actor *a,
			     int64_t last_seen)
{
	size_t i = session_slot(token_hash);
	pthread_mutex_t *lock = &session_locks[i % SESSION_LOCKS];
	struct cached_session *e = &session_cache[i];

	pthread_mutex_lock(lock);
	if (str_copy(e->key, sizeof(e->key), token_hash) == 0) {
		e->actor = *a;
		e->last_seen = last_seen;
		e->gen = gen;
		e->filled_ns = filled_ns;
	} else {
		e->key[0] = '\0';
	}
	pthread_mutex_unlock(lock);
}

int store_session_lookup(struct db *db, const char *token_hash, int64_t now,
			 int64_t idle_s, struct actor *out)
{
	struct db_stmt *st;
	struct session_row row = {.actor = out};
	uint64_t gen = 0;
	int64_t filled_ns = store_versions_now();
	int rc, cached;

	/* The generation is taken before the read: a delete committed
	 * meanwhile leaves the entry behind it. */
	cached = store_version_generation(STORE_SESSION_VERSION, &gen) &&
		 pthread_once(&session_cache_once, session_cache_init) == 0 &&
		 session_cache;
	if (cached &&
	    session_cached(db, token_hash, gen, now, idle_s, out) == 1)
		return 1;
	st = db_prepare(db, "SELECT u.id, u.username, u.name, u.role_mask, "
			    "s.last_seen_at FROM sessions s JOIN users u ON "
			    "u.id = s.user_id WHERE s.token_hash = ? AND "
			    "u.active = 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	rc = db_get_one(st, session_from_row, &row);
	if (rc != 1)
		return rc;
	if (now - row.last_seen > idle_s)
		return 0; /* removed by store_sessions_expire() */
	if (now - row.last_seen > SESSION_TOUCH_S &&
	    session_touch(db, token_hash, now) == 0)
		row.last_seen = now;
	if (cached)
		session_remember(token_hash, gen, filled_ns, out,
				 row.last_seen);
	return 1;
}

uint64_t store_session_cache_hits(void)
{
	return atomic_load(&session_hits);
}

struct session_delete_job {
	const char *token_hash;
};

static int session_delete_body(struct db *db, void *arg, struct inop_err *err)
{
	struct session_delete_job *j = arg;
	struct db_stmt *st =
		db_prepare(db, "DELETE FROM sessions WHERE token_hash = ?");

	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, j->token_hash);
	/* The sessions' version moves (unread): every node's cache lets
	 * go. */
	if (db_run(st) != DB_DONE ||
	    store_counter_bump(db, STORE_SESSION_VERSION) < 0)
		return store_body_fail(db, err);
	return 0;
}

struct sessions_expire_job {
	int64_t before;
	int64_t removed;
};

static int sessions_expire_body(struct db *db, void *arg, struct inop_err *err)
{
	struct sessions_expire_job *j = arg;
	struct db_stmt *st = db_prepare(
		db, "DELETE FROM sessions WHERE last_seen_at < ? RETURNING 1");
	int rc;

	if (!st)
		return store_body_fail(db, err);
	db_bind_int(st, 1, j->before);
	j->removed = 0;
	while ((rc = db_step(st)) == DB_ROW)
		j->removed++;
	db_reset(st);
	if (rc != DB_DONE)
		return store_body_fail(db, err);
	/* Nothing cached is stale when nothing was removed. */
	if (j->removed && store_counter_bump(db, STORE_SESSION_VERSION) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_sessions_expire(struct db *db, int64_t before)
{
	struct sessions_expire_job j = {.before = before};
	struct inop_err err;

	if (store_write(db, sessions_expire_body, &j, &err) < 0)
		return -1;
	return (int)(j.removed > 0x7fffffff ? 0x7fffffff : j.removed);
}

int store_session_delete(struct db *db, const char *token_hash)
{
	struct session_delete_job j = {.token_hash = token_hash};
	struct inop_err err;

	return store_write(db, session_delete_body, &j, &err);
}
