/* O3: the deadline board and what the due-date reminder looks at. */
#include "store/deadlines.h"

#include "store/events.h"
#include "util/buf.h"

/* O3: not yet handed over to Regulatorio (the Director's approval). */
#define DEADLINE_WHERE                                                        \
	"WHERE e.status = 'CLOSED' AND e.reportable = 1 AND NOT EXISTS "      \
	"(SELECT 1 FROM reported_events x WHERE x.event_id = e.id) AND NOT "  \
	"EXISTS (SELECT 1 FROM report_events re JOIN reports r ON r.id = "    \
	"re.report_id WHERE re.event_id = e.id AND r.status IN "              \
	"('APROBADO_DIRECTOR', 'ENVIADO'))"
#define DEADLINE_BEFORE " AND e.ended_at < ?"

static void deadline_where(struct buf *sql, const void *ctx)
{
	const int64_t *before = ctx;

	buf_appends(sql,
		    *before ? DEADLINE_WHERE DEADLINE_BEFORE : DEADLINE_WHERE);
}

static int deadline_bind(struct db_stmt *st, const void *ctx)
{
	const int64_t *before = ctx;

	if (!*before)
		return 1;
	db_bind_int(st, 1, *before);
	return 2;
}

int store_deadlines(struct db *db, int64_t ended_before, int64_t limit,
		    int64_t offset, struct event **out, size_t *n,
		    int64_t *total)
{
	struct db_page page = {.order = "e.ended_at, e.id",
			       .bind = deadline_bind,
			       .ctx = &ended_before,
			       .limit = limit,
			       .offset = offset};

	return store_events_page(db, &page, deadline_where, out, n, total);
}

int store_unsent_events_ended(struct db *db, int64_t from, int64_t to,
			      event_each_fn fn, void *ctx)
{
	int64_t args[2] = {from, to};

	return store_events_each(db,
				 DEADLINE_WHERE " AND e.ended_at >= ? AND "
						"e.ended_at < ? ORDER BY "
						"e.ended_at, e.id",
				 args, 2, fn, ctx);
}

struct pending {
	int64_t report_id;
	enum report_status status;
};

static void pending_from_row(struct db_stmt *st, void *elem)
{
	struct pending *p = elem;

	p->report_id = db_col_int(st, 0);
	if (report_status_parse(db_col_text(st, 1), &p->status) < 0)
		p->status = REPORT_BORRADOR;
}

int store_event_pending_report(struct db *db, int64_t event_id,
			       int64_t *report_id, enum report_status *status)
{
	/* A report under approval first: it is the one that will send it. */
	struct db_stmt *st = db_prepare(
		db, "SELECT r.id, r.status FROM report_events re JOIN reports "
		    "r ON r.id = re.report_id WHERE re.event_id = ? AND "
		    "r.status <> 'ENVIADO' ORDER BY CASE r.status WHEN "
		    "'BORRADOR' THEN 1 ELSE 0 END, r.id DESC LIMIT 1");
	struct pending p;
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	rc = db_get_one(st, pending_from_row, &p);
	if (rc == 1) {
		*report_id = p.report_id;
		*status = p.status;
	}
	return rc;
}
