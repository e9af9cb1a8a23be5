#include "store/login_throttle.h"

int store_throttle_get(struct db *db, const char *key, int64_t now,
		       int64_t window_s, int64_t *failures)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT failures FROM login_throttle WHERE throttle_key = ? "
		"AND window_start > ?");
	int rc;

	*failures = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now - window_s);
	rc = db_get_int(st, failures);
	return rc < 0 ? -1 : 0;
}

int store_throttle_fail(struct db *db, const char *key, int64_t now,
			int64_t window_s)
{
	struct db_stmt *st = db_prepare(
		db,
		"INSERT INTO login_throttle (throttle_key, window_start, "
		"failures) "
		"VALUES (?, ?, 1) ON CONFLICT (throttle_key) DO UPDATE SET "
		"failures = CASE WHEN login_throttle.window_start > ? "
		"THEN login_throttle.failures + 1 ELSE 1 END, "
		"window_start = CASE WHEN login_throttle.window_start > ? "
		"THEN login_throttle.window_start ELSE "
		"excluded.window_start END");

	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now - window_s);
	db_bind_int(st, 4, now - window_s);
	if (db_run(st) != 0)
		return -1;
	/* Bounded: only rows of the current window stay. */
	st = db_prepare(db,
			"DELETE FROM login_throttle WHERE window_start <= ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, now - window_s);
	return db_run(st) == 0 ? 0 : -1;
}

int store_throttle_clear(struct db *db, const char *key)
{
	struct db_stmt *st = db_prepare(
		db, "DELETE FROM login_throttle WHERE throttle_key = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	return db_run(st) == 0 ? 0 : -1;
}
