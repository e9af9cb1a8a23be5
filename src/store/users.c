#include "store/users.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"

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
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_DONE) {
		/* Either unknown, or listed twice (then harmless). */
		st = db_prepare(db, "SELECT 1 FROM points WHERE code = ?");
		if (!st)
			return err_internal(err);
		db_bind_text(st, 1, code);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_DONE)
			return err_validation(err, "points",
					      "Punto desconocido: '%s'", code);
	}
	return rc == DB_ROW ? 0 : err_internal(err);
}

static char *user_audit_json(const struct user *u, const char *const *points,
			     size_t n_points)
{
	char roles[256];
	json_t *o, *pts = json_array();
	char *s;

	for (size_t i = 0; i < n_points; i++)
		json_array_append_new(pts, json_string(points[i]));
	roles_to_csv(u->roles, roles, sizeof(roles));
	o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "username", u->username,
		      "name", u->name, "email", u->email, "roles", roles,
		      "points", pts);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
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
	struct audit_rec rec;
	char roles[256], *after;
	int rc;

	roles_to_csv(u->roles, roles, sizeof(roles));
	st = db_prepare(db, "INSERT INTO users (username, name, email, "
			    "password_hash, roles, active, created_at) "
			    "VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, u->email);
	db_bind_text(st, 4, u->password_hash);
	db_bind_text(st, 5, roles);
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
	for (size_t i = 0; i < j->n_points; i++)
		if (user_point_link(db, u->id, j->points[i], err) < 0)
			return -1;
	after = user_audit_json(u, j->points, j->n_points);
	rec = (struct audit_rec){.at = j->now,
				 .actor = j->actor,
				 .action = "user.create",
				 .entity = "user",
				 .entity_id = u->id,
				 .after_json = after};
	rc = audit_append(db, &rec);
	free(after);
	return rc < 0 ? store_body_fail(db, err) : 0;
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

static void user_from_row(struct db_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	snprintf(u->username, sizeof(u->username), "%s", db_col_text(st, 1));
	snprintf(u->name, sizeof(u->name), "%s", db_col_text(st, 2));
	snprintf(u->email, sizeof(u->email), "%s", db_col_text(st, 3));
	snprintf(u->password_hash, sizeof(u->password_hash), "%s",
		 db_col_text(st, 4));
	u->roles = roles_from_csv(db_col_text(st, 5));
	u->active = (int)db_col_int(st, 6);
}

int store_user_by_username(struct db *db, const char *username, struct user *u)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id, username, name, email, password_hash, roles, "
		    "active FROM users WHERE username = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	rc = db_step(st);
	if (rc == DB_ROW)
		user_from_row(st, u);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	u->points = user_point_codes(db, u->id);
	return 1;
}

int store_users_list(struct db *db, struct user **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id, username, name, email, password_hash, roles, "
		    "active FROM users ORDER BY username");
	struct user *list = NULL, *grown;
	size_t count = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		grown = realloc(list, (count + 1) * sizeof(*list));
		if (!grown) {
			rc = DB_FAIL;
			break;
		}
		list = grown;
		user_from_row(st, &list[count++]);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		free(list);
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		list[i].points = user_point_codes(db, list[i].id);
	*out = list;
	*n = count;
	return 0;
}

int store_user_has_point(struct db *db, int64_t user_id, int64_t point_id)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT 1 FROM user_points WHERE user_id = ? AND "
		    "point_id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, point_id);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int store_session_create(struct db *db, const char *token_hash,
			 int64_t user_id, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO sessions (token_hash, user_id, created_at, "
		    "last_seen_at) VALUES (?, ?, ?, ?)");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int session_touch(struct db *db, const char *token_hash, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db,
		"UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, token_hash);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_session_lookup(struct db *db, const char *token_hash, int64_t now,
			 int64_t idle_s, struct actor *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT u.id, u.username, u.name, u.roles, s.last_seen_at "
		    "FROM sessions s JOIN users u ON u.id = s.user_id "
		    "WHERE s.token_hash = ? AND u.active = 1");
	int64_t last_seen;
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? 0 : -1;
	}
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	snprintf(out->username, sizeof(out->username), "%s",
		 db_col_text(st, 1));
	snprintf(out->name, sizeof(out->name), "%s", db_col_text(st, 2));
	out->roles = roles_from_csv(db_col_text(st, 3));
	last_seen = db_col_int(st, 4);
	db_reset(st);
	if (now - last_seen > idle_s) {
		store_session_delete(db, token_hash);
		return 0;
	}
	if (now - last_seen > SESSION_TOUCH_S)
		session_touch(db, token_hash, now);
	return 1;
}

int store_session_delete(struct db *db, const char *token_hash)
{
	struct db_stmt *st =
		db_prepare(db, "DELETE FROM sessions WHERE token_hash = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_login_failures(struct db *db, const char *username, int64_t now,
			 int64_t window_s, int64_t *failures)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT failures FROM login_failures WHERE username = ? "
		    "AND window_start > ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	db_bind_int(st, 2, now - window_s);
	rc = db_step(st);
	*failures = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int store_login_result(struct db *db, const char *username, int ok,
		       int64_t now, int64_t window_s)
{
	struct db_stmt *st;
	int rc;

	if (ok) {
		st = db_prepare(db, "DELETE FROM login_failures WHERE "
				    "username = ?");
		if (!st)
			return -1;
		db_bind_text(st, 1, username);
	} else {
		/* A failure after the window has passed starts a new one. */
		st = db_prepare(
			db, "INSERT INTO login_failures (username, "
			    "window_start, failures) VALUES (?, ?, 1) "
			    "ON CONFLICT (username) DO UPDATE SET "
			    "failures = CASE WHEN login_failures.window_start "
			    "> ? THEN login_failures.failures + 1 ELSE 1 END, "
			    "window_start = CASE WHEN "
			    "login_failures.window_start > ? THEN "
			    "login_failures.window_start ELSE excluded."
			    "window_start END");
		if (!st)
			return -1;
		db_bind_text(st, 1, username);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, now - window_s);
		db_bind_int(st, 4, now - window_s);
	}
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}
