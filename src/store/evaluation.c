#include "store/evaluation.h"

#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "util/str.h"

#include "domain/roles.h"
#include "store/imports.h"
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
	/* CHECK_IMPACT_DATA: never CHECK_FAIL (PENDIENTE until imported) */
	"(1 = 0)",
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

/* The per-day totals E4 reads for the E_DAYS days ending on `day`. */
struct e4_days {
	int32_t day;
	struct e_series complaints, ldr;
};

#define MEMO_DAYS 64 /* a month's report has at most 31 event days */

struct e34_memo {
	struct import_days interactions, social; /* 'I', 'S' */
	struct e4_days days[MEMO_DAYS];
	int n_days;
};

struct e34_memo *store_e34_memo_new(struct db *db, int32_t first, int32_t last)
{
	struct e34_memo *m = calloc(1, sizeof(*m));

	/* The windows of an event reach E_DAYS - 1 days back from its
	 * start and one past it (an event across midnight); a longer one
	 * asks the database, as without a memo. */
	if (m && (store_import_days_load(db, 'I', first - E_DAYS, last + 1,
					 &m->interactions) < 0 ||
		  store_import_days_load(db, 'S', first - E_DAYS, last + 1,
					 &m->social) < 0)) {
		store_e34_memo_free(m);
		return NULL;
	}
	return m;
}

void store_e34_memo_free(struct e34_memo *m)
{
	if (!m)
		return;
	store_import_days_release(&m->interactions);
	store_import_days_release(&m->social);
	free(m);
}

static const struct import_days *known(const struct e34_memo *m, char kind)
{
	if (!m)
		return NULL;
	return kind == 'I' ? &m->interactions : &m->social;
}

static int windows(struct db *db, const struct e34_memo *memo, char kind,
		   int64_t point_id, const char *code, const struct e34 *o,
		   struct e_series *s)
{
	return store_series_windows(db, known(memo, kind), kind, point_id,
				    code, o->lo, o->hi, E_DAYS, s->c, s->has);
}

/* E4's complaints (imported and Inop's own) and LDR totals. */
static int e4_days_load(struct db *db, int32_t day, struct e4_days *d)
{
	int32_t first = day - (E_DAYS - 1);

	d->day = day;
	if (store_day_totals(db, 'I', "RECLAMOS", first, E_DAYS,
			     d->complaints.c, d->complaints.has) < 0 ||
	    store_e4_add_complaints(db, first, E_DAYS, d->complaints.c,
				    d->complaints.has) < 0 ||
	    store_day_totals(db, 'L', "", first, E_DAYS, d->ldr.c,
			     d->ldr.has) < 0)
		return -1;
	return 0;
}

static int e4_days(struct db *db, struct e34_memo *memo, int32_t day,
		   struct e34 *out)
{
	struct e4_days *d = NULL, own = {0};

	for (int i = 0; memo && !d && i < memo->n_days; i++)
		if (memo->days[i].day == day)
			d = &memo->days[i];
	if (!d) {
		d = memo && memo->n_days < MEMO_DAYS
			    ? &memo->days[memo->n_days]
			    : &own;
		if (e4_days_load(db, day, d) < 0)
			return -1;
		if (d != &own)
			memo->n_days++;
	}
	/* Counts and days only: evaluation_compare() fills the rest. */
	out->complaints = d->complaints;
	out->ldr = d->ldr;
	return 0;
}

int store_evaluation_e34(struct db *db, struct e34_memo *memo,
			 const struct event *ev, int64_t now, struct e34 *out)
{
	memset(out, 0, sizeof(*out));
	evaluation_e3_windows(ev, now, out->lo, out->hi);
	out->day = evaluation_e4_day(ev);
	if (windows(db, memo, 'I', ev->point.id, ev->procedure, out,
		    &out->e3) < 0 ||
	    windows(db, memo, 'S', 0, "PUBLICO", out, &out->social_public) <
		    0 ||
	    windows(db, memo, 'S', 0, "INBOX", out, &out->social_inbox) < 0 ||
	    e4_days(db, memo, out->day, out) < 0)
		return -1;
	for (int d = 0; d < E_DAYS; d++) {
		out->social.c[d] =
			out->social_public.c[d] + out->social_inbox.c[d];
		out->social.has[d] = out->social_public.has[d];
	}
	evaluation_compare(&out->e3);
	evaluation_compare(&out->social);
	evaluation_compare(&out->social_public);
	evaluation_compare(&out->social_inbox);
	evaluation_compare(&out->complaints);
	evaluation_compare(&out->ldr);
	return 0;
}

int store_evaluation_impact(struct db *db, struct e34_memo *memo,
			    const struct event *ev, int64_t now,
			    struct impact_chart *c)
{
	int32_t day = evaluation_e4_day(ev);
	uint32_t *counts = malloc(E_DAYS * 1440 * sizeof(*counts));
	int has[E_DAYS];
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (counts &&
	    store_series_days(db, known(memo, 'I'), 'I', ev->point.id,
			      ev->procedure, day - (E_DAYS - 1), E_DAYS,
			      counts, has) == 0) {
		evaluation_impact(ev, now, counts, has, c);
		(void)str_copy(c->number, sizeof(c->number), ev->number);
		(void)str_copy(c->point, sizeof(c->point), ev->point.code);
		(void)str_copy(c->procedure, sizeof(c->procedure),
			       ev->procedure);
		cal_format_date(cal_from_day_number(day), c->date);
		rc = 0;
	}
	free(counts);
	return rc;
}
