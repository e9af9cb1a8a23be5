#include "store/gauges.h"

#include <string.h>

int store_gauges_read(struct db *db, struct store_gauges *g)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT (SELECT COUNT(*) FROM outbox WHERE status = "
		    "'PENDING'), (SELECT COUNT(*) FROM outbox WHERE status = "
		    "'FAILED'), (SELECT MIN(created_at) FROM outbox WHERE "
		    "status = 'PENDING'), (SELECT COUNT(*) FROM events WHERE "
		    "status = 'OPEN'), (SELECT COUNT(*) FROM mass_failures "
		    "WHERE status = 'CONFIRMED')");
	int rc;

	memset(g, 0, sizeof(*g));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		g->outbox_pending = db_col_int(st, 0);
		g->outbox_failed = db_col_int(st, 1);
		g->oldest_pending_at =
			db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		g->events_open = db_col_int(st, 3);
		g->mass_failures_open = db_col_int(st, 4);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}
