#include "store/evaluation.h"

int store_mass_failure_span(struct db *db, int64_t id, struct time_span *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT started_at, ended_at FROM mass_failures WHERE "
		    "id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->start = db_col_int(st, 0);
		out->end = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
