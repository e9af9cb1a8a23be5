#include "store/jobs.h"

int store_job_lease_take(struct db *db, const char *name, const char *node,
			 int64_t now, int64_t lease_s, int64_t period_s,
			 int force)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO jobs (name) VALUES (?) "
			    "ON CONFLICT (name) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	if (db_run(st) != DB_DONE)
		return -1;
	st = db_prepare(db, "UPDATE jobs SET lease_owner = ?, lease_until = ? "
			    "WHERE name = ? AND (lease_until < ? OR "
			    "lease_owner = ?) AND (? = 1 OR last_run_at <= ?) "
			    "RETURNING name");
	if (!st)
		return -1;
	db_bind_text(st, 1, node);
	db_bind_int(st, 2, now + lease_s);
	db_bind_text(st, 3, name);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, node);
	db_bind_int(st, 6, force);
	db_bind_int(st, 7, now - period_s);
	return db_get_one(st, NULL, NULL);
}

int store_job_lease_release(struct db *db, const char *name, const char *node,
			    int64_t now, int record)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE jobs SET lease_until = 0, last_run_at = "
		    "CASE WHEN ? = 1 THEN ? ELSE last_run_at END "
		    "WHERE name = ? AND lease_owner = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, record);
	db_bind_int(st, 2, now);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, node);
	return db_run(st) == DB_DONE ? 0 : -1;
}
