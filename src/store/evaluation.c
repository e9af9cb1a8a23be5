#include "store/evaluation.h"

#include <string.h>

#include "domain/roles.h"
#include "util/buf.h"

static void failure_from_row(struct db_stmt *st, void *elem)
{
	struct e1_failure *f = elem;

	f->id = db_col_int(st, 0);
	db_col_copy(st, 4, f->cause, sizeof(f->cause));
	f->applications.n = 0;
	/* codes are catalogue codes: a failure holds at most six of them */
	(void)codes_from_csv(&f->applications, db_col_text(st, 1));
	f->span.start = db_col_int(st, 2);
	f->span.end = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
}

int store_e1_failures(struct db *db, int64_t from, int64_t to,
		      struct e1_failure **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT id, applications, started_at, ended_at, cause FROM "
		"mass_failures WHERE started_at <= ? AND (ended_at IS "
		"NULL OR ended_at >= ?) ORDER BY started_at, id");
	void *list = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, to);
	db_bind_int(st, 2, from);
	rc = db_list(st, sizeof(**out), failure_from_row, &list, n);
	*out = list;
	return rc;
}

/* ---------- V1: facts and the failing checks in SQL ---------- */

/*
 * Each condition mirrors one check function of domain/evaluation.c and
 * is true exactly when that check is CHECK_FAIL; test_control checks
 * both agree on every kind of event.
 */
static const char *const failing_sql[CHECK_COUNT] = {
	/* CHECK_REGISTERED_BY_JEFE: binds ROLE_JEFE. */
	"(e.scenario <> 'PRUEBA' AND NOT EXISTS (SELECT 1 FROM users u "
	"JOIN user_points up ON up.user_id = u.id WHERE u.id = "
	"e.registered_by AND up.point_id = e.point_id AND (u.role_mask & ?) "
	"<> 0))",
	/* CHECK_CLOSURE_REASON_FITS */
	"(e.status = 'CLOSED' AND NOT EXISTS (SELECT 1 FROM catalog_items c "
	"WHERE c.kind = 'scenario_reason' AND c.parent = e.scenario AND "
	"c.code = e.closure_reason))",
	/* CHECK_NOT_ERROR_OR_TEST */
	"(e.scenario = 'PRUEBA' OR e.closure_reason = 'ERROR_USUARIO')",
	/* CHECK_CRITICAL_REGULARISED */
	"(e.status = 'CLOSED' AND EXISTS (SELECT 1 FROM "
	"critical_transactions ct WHERE ct.event_id = e.id AND "
	"ct.system_ref IS NULL))",
	/* CHECK_PROCESOS_RULING: required, no ruling, and overdue or never
	 * asked for a closed event.  Binds now. */
	"(p.channel = 'PRESENCIAL' AND e.scenario <> 'PRUEBA' AND "
	"e.ruled_out = 0 AND COALESCE(e.closure_reason, '') NOT IN "
	"('ERROR_USUARIO', 'INTERMITENCIA') AND NOT EXISTS (SELECT 1 FROM "
	"processes_requests pr WHERE pr.event_id = e.id AND (pr.ruling IS "
	"NOT NULL OR (pr.escalated_at IS NULL AND pr.due_at > ?))) AND "
	"(e.status = 'CLOSED' OR EXISTS (SELECT 1 FROM processes_requests "
	"pr WHERE pr.event_id = e.id)))",
};

void store_failing_where(struct buf *sql, int check)
{
	if (check >= 0 && check < CHECK_COUNT) {
		buf_appends(sql, failing_sql[check]);
		return;
	}
	buf_appends(sql, "(");
	for (int i = 0; i < CHECK_COUNT; i++) {
		if (i)
			buf_appends(sql, " OR ");
		buf_appends(sql, failing_sql[i]);
	}
	buf_appends(sql, ")");
}

int store_failing_bind(struct db_stmt *st, int i, int check, int64_t now)
{
	/* In the order the conditions appear in failing_sql. */
	if (check < 0 || check == CHECK_REGISTERED_BY_JEFE)
		db_bind_int(st, i++, ROLE_JEFE);
	if (check < 0 || check == CHECK_PROCESOS_RULING)
		db_bind_int(st, i++, now);
	return i;
}
