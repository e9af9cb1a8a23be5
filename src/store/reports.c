/* The official reports: building, approval, snapshot (O1-O2). */
#include "store/reports.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "store/audit.h"
#include "store/evaluation.h"
#include "store/events.h"
#include "store/report_charts.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/str.h"

#define REPORT_SELECT                                                         \
	"SELECT r.id, r.period_from, r.period_to, r.status, r.created_at, "   \
	"u.username, r.updated_at, r.frozen_at, r.snapshot_hash, "            \
	"r.sent_on, r.sent_reference, r.sent_at, (SELECT COUNT(*) FROM "      \
	"report_events re WHERE re.report_id = r.id), u.name "
#define REPORT_FROM "FROM reports r JOIN users u ON u.id = r.created_by "

/* O1: who a report holds (see reports.h).  Binds: from, to, report id. */
#define PERIOD_TERMS                                                          \
	"e.status = 'CLOSED' AND e.reportable = 1 AND "                       \
	"e.started_at >= ? AND e.started_at < ? AND NOT EXISTS (SELECT 1 "    \
	"FROM reported_events x WHERE x.event_id = e.id) AND NOT EXISTS "     \
	"(SELECT 1 FROM report_events re JOIN reports r ON r.id = "           \
	"re.report_id WHERE re.event_id = e.id AND r.id <> ? AND "            \
	"r.status IN ('EN_REVISION', 'APROBADO_GERENTE', "                    \
	"'APROBADO_DIRECTOR')) "
/* event_awaits_ruling() in SQL: in person and no PROCEDE ruling. */
#define AWAITS_RULING                                                         \
	"(p.channel = 'PRESENCIAL' AND NOT EXISTS (SELECT 1 FROM "            \
	"processes_requests q WHERE q.event_id = e.id AND q.ruling = "        \
	"'PROCEDE'))"
#define MEMBERS_WHERE                                                         \
	"WHERE " PERIOD_TERMS "AND NOT " AWAITS_RULING                        \
	" ORDER BY e.started_at, e.id"
/* The ruling first: in a period Procesos has ruled, one probe settles an
 * event before the two subqueries of the period (SQLite keeps the order;
 * 19 -> 9 ms for 10,000 ruled events). */
#define PENDING_WHERE                                                         \
	"WHERE " AWAITS_RULING " AND " PERIOD_TERMS                           \
	"ORDER BY e.started_at, e.id"

static void info_from_row(struct db_stmt *st, void *elem)
{
	struct report_info *r = elem;

	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	db_col_copy(st, 1, r->from, sizeof(r->from));
	db_col_copy(st, 2, r->to, sizeof(r->to));
	if (report_status_parse(db_col_text(st, 3), &r->status) < 0)
		r->status = REPORT_BORRADOR;
	r->created_at = db_col_int(st, 4);
	db_col_copy(st, 5, r->created_by, sizeof(r->created_by));
	r->updated_at = db_col_int(st, 6);
	r->frozen_at = db_col_int(st, 7);
	db_col_copy(st, 8, r->hash, sizeof(r->hash));
	db_col_copy(st, 9, r->sent_on, sizeof(r->sent_on));
	db_col_copy(st, 10, r->sent_reference, sizeof(r->sent_reference));
	r->sent_at = db_col_int(st, 11);
	r->n_events = db_col_int(st, 12);
	db_col_copy(st, 13, r->created_by_name, sizeof(r->created_by_name));
}

/* The UTC bounds [lo, hi) of the Lima days of the period. */
static int period_bounds(const struct report_info *r, int64_t b[2])
{
	struct cal_date from, to;

	if (cal_parse_date(r->from, &from) < 0 ||
	    cal_parse_date(r->to, &to) < 0)
		return -1;
	b[0] = cal_lima_day_start(from);
	b[1] = cal_lima_day_start(to) + 86400;
	return 0;
}

/* ---------- members ---------- */

/* T1: how many critical transactions an event has, and unreferenced. */
struct crit {
	int64_t event_id;
	int total, missing;
};

struct members {
	int64_t *ids;
	size_t n, cap;
	/* with rows: */
	const struct catalog *cat;
	const struct cal_calendar *cal;
	struct report_row *row;	  /* the row being made */
	struct report_rows *rows; /* where it goes, unless freezing */
	struct crit *crit;	  /* by event id */
	size_t n_crit;
	struct db *db;
	int64_t now;
	struct e1_failure *mf; /* E1: the failures since the period's start */
	size_t n_mf;
	/* Freezing: each row goes to the snapshot, and the event's chart to
	 * report_charts, as it is made. */
	struct report_snapshot_writer *snap;
	int64_t report_id, n_charts;
	struct e34_memo *memo; /* with rows: what E3/E4 read per day */
};

static const struct crit *crit_find(const struct members *m, int64_t id)
{
	size_t lo = 0, hi = m->n_crit;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->crit[mid].event_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_crit && m->crit[lo].event_id == id ? &m->crit[lo]
							    : NULL;
}

static void crit_from_row(struct db_stmt *st, void *elem)
{
	*(struct crit *)elem =
		(struct crit){db_col_int(st, 0), (int)db_col_int(st, 1),
			      (int)db_col_int(st, 2)};
}

/* The T1 counts of the events started in [b[0], b[1]), in one query. */
static int crit_load(struct db *db, const int64_t b[2], struct members *m)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT c.event_id, COUNT(*), SUM(CASE WHEN c.system_ref "
		    "IS NULL OR c.system_ref = '' THEN 1 ELSE 0 END) FROM "
		    "critical_transactions c JOIN events e ON e.id = "
		    "c.event_id WHERE e.started_at >= ? AND e.started_at < ? "
		    "GROUP BY c.event_id ORDER BY c.event_id");
	void *list;
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, b[0]);
	db_bind_int(st, 2, b[1]);
	rc = db_list(st, sizeof(*m->crit), crit_from_row, &list, &m->n_crit);
	m->crit = list;
	return rc;
}

/* E3, E4 from the imported data, as the evaluation endpoint computes it
 * (an event of a report is closed, so `now` does not change it). */
static int row_e34(struct members *m, const struct event *ev,
		   struct report_row *row)
{
	struct e34 *e = malloc(sizeof(*e));
	int rc = -1;

	if (e && store_evaluation_e34(m->db, m->memo, ev, m->now, e) == 0) {
		report_row_e34(row, e);
		rc = 0;
	}
	free(e);
	return rc;
}

static int members_add(const struct event *ev, void *arg)
{
	struct members *m = arg;
	struct report_row *row;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		int64_t *ids = realloc(m->ids, cap * sizeof(*ids));

		if (!ids)
			return -1;
		m->ids = ids;
		m->cap = cap;
	}
	m->ids[m->n] = ev->id;
	if (m->cat) {
		const struct crit *c = crit_find(m, ev->id);
		const struct time_span *span =
			e1_window(ev, m->mf, m->n_mf, m->now);

		row = m->row;
		report_row_from_event(m->cat, m->cal, ev, span, m->now, row);
		report_row_critical(row, c ? c->total : 0, c ? c->missing : 0);
		for (size_t i = 0; ev->mass_failure_id && i < m->n_mf; i++)
			if (m->mf[i].id == ev->mass_failure_id)
				report_row_cause(m->cat, m->mf[i].cause, row);
		if (m->db && row_e34(m, ev, row) < 0)
			return -1;
		if (m->snap) {
			report_snapshot_add(m->snap, row);
			if (store_report_chart_add(m->db, m->memo,
						   m->report_id, ev, m->now,
						   &m->n_charts) < 0)
				return -1;
		} else if (report_rows_add(m->rows, row) < 0) {
			return -1;
		}
	}
	m->n++;
	return 0;
}

static void members_release(struct members *m)
{
	free(m->ids);
	free(m->row);
	free(m->crit);
	free(m->mf);
	store_e34_memo_free(m->memo);
	memset(m, 0, sizeof(*m));
}

/* The events report `r` would hold now; with m->cat set, their rows. */
static int members_load(struct db *db, const struct report_info *r,
			struct members *m)
{
	int64_t args[3];

	if (period_bounds(r, args) < 0 ||
	    (m->cat && crit_load(db, args, m) < 0) ||
	    (m->cat &&
	     store_e1_failures(db, args[0], m->now, &m->mf, &m->n_mf) < 0))
		return -1;
	/* Without it (no memory) every event reads its own days. */
	if (m->cat && m->db)
		m->memo = store_e34_memo_new(
			db, cal_day_number(cal_lima_date(args[0])),
			cal_day_number(cal_lima_date(args[1])));
	args[2] = r->id;
	return store_events_each(db, MEMBERS_WHERE, args, 3, members_add, m);
}

#define SAVE_ROWS 16 /* events per INSERT: 32 parameters, PG_PARAMS_MAX */
#define PAIRS_4	  "(?, ?), (?, ?), (?, ?), (?, ?)"

/* Records m as the events of report `id` (inside a transaction). */
static int members_save(struct db *db, int64_t id, const struct members *m)
{
	struct db_stmt *st = db_prepare(
		db, "DELETE FROM report_events WHERE report_id = ?");
	size_t i = 0;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != DB_DONE)
		return -1;
	while (i < m->n) {
		size_t rows = m->n - i >= SAVE_ROWS ? SAVE_ROWS : 1;

		st = db_prepare(
			db, rows == SAVE_ROWS
				    ? "INSERT INTO report_events (report_id, "
				      "event_id) VALUES " PAIRS_4 ", " PAIRS_4
				      ", " PAIRS_4 ", " PAIRS_4
				    : "INSERT INTO report_events (report_id, "
				      "event_id) VALUES (?, ?)");
		if (!st)
			return -1;
		for (size_t k = 0; k < rows; k++, i++) {
			db_bind_int(st, (int)(2 * k + 1), id);
			db_bind_int(st, (int)(2 * k + 2), m->ids[i]);
		}
		if (db_run(st) != DB_DONE)
			return -1;
	}
	return 0;
}

/* ---------- trail and audit ---------- */

static int trail_append(struct db *db, int64_t id, const char *from,
			const char *to, const char *role,
			const struct report_change *c, const char *hash,
			const struct actor *who, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO report_transitions (report_id, from_status, "
		    "to_status, at, user_id, role, comment, reference, "
		    "snapshot_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, who->id);
	db_bind_text(st, 6, role);
	db_bind_text(st, 7, c && c->comment[0] ? c->comment : NULL);
	db_bind_text(st, 8, c && c->reference[0] ? c->reference : NULL);
	db_bind_text(st, 9, hash && hash[0] ? hash : NULL);
	return db_run(st) == DB_DONE ? 0 : -1;
}

/* ---------- create, get, list ---------- */

static int insert_report(struct db *db, struct report_info *r, int64_t uid,
			 int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO reports (period_from, period_to, status, "
		    "created_at, created_by, updated_at) VALUES (?, ?, "
		    "'BORRADOR', ?, ?, ?) RETURNING id");

	if (!st)
		return -1;
	db_bind_text(st, 1, r->from);
	db_bind_text(st, 2, r->to);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, uid);
	db_bind_int(st, 5, now);
	return db_get_int(st, &r->id) == 1 ? 0 : -1;
}

struct create_job {
	struct report_info *info;
	const struct actor *who;
	int64_t now;
};

static int create_body(struct db *db, void *arg, struct inop_err *err)
{
	struct create_job *j = arg;
	struct report_info *info = j->info;
	const struct actor *who = j->who;
	int64_t now = j->now;
	struct members m = {0};
	json_t *after;

	if (insert_report(db, info, who->id, now) < 0 ||
	    members_load(db, info, &m) < 0 ||
	    members_save(db, info->id, &m) < 0 ||
	    trail_append(db, info->id, "", "BORRADOR", "CONTROL", NULL, NULL,
			 who, now) < 0)
		goto fail;
	after = json_pack("{s:s, s:s, s:s, s:I}", "status", "BORRADOR", "from",
			  info->from, "to", info->to, "events",
			  (json_int_t)m.n);
	if (audit_append_json(db, "report", info->id, "report.create", NULL,
			      after, who->username, now) < 0)
		goto fail;
	members_release(&m);
	return 0;
fail:
	members_release(&m);
	return store_body_fail(db, err);
}

int store_report_create(struct db *db, struct report_info *info,
			const struct actor *who, int64_t now,
			struct inop_err *err)
{
	struct create_job j = {.info = info, .who = who, .now = now};

	if (store_write(db, create_body, &j, err) < 0)
		return -1;
	return store_report_get(db, info->id, info) == 1 ? 0
							 : err_internal(err);
}

int store_report_get(struct db *db, int64_t id, struct report_info *info)
{
	struct db_stmt *st =
		db_prepare(db, REPORT_SELECT REPORT_FROM "WHERE r.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, info_from_row, info);
}

static int status_bind(struct db_stmt *st, const void *status)
{
	db_bind_text(st, 1, status);
	return 2;
}

int store_reports_list(struct db *db, const char *status, int64_t limit,
		       int64_t offset, struct report_info **out, size_t *n,
		       int64_t *total)
{
	/*
	 * Each optional filter is its own SQL text: PostgreSQL cannot type
	 * a parameter that is only compared with NULL.
	 */
	struct db_page page = {.cols = REPORT_SELECT,
			       .from = status ? REPORT_FROM
					       "WHERE r.status = ?"
					      : REPORT_FROM,
			       .order = "r.id DESC",
			       .bind = status ? status_bind : NULL,
			       .ctx = status,
			       .limit = limit,
			       .offset = offset,
			       .elem_size = sizeof(**out),
			       .from_row = info_from_row};
	void *list = NULL;
	int rc;

	*n = 0;
	rc = db_page(db, &page, &list, n, total);
	*out = list;
	return rc;
}

/* ---------- rows and trail ---------- */

/* Column 0 as a malloc'd string (NULL for NULL or out of memory). */
static void text_dup_from_row(struct db_stmt *st, void *elem)
{
	const char *s = db_col_text(st, 0);

	*(char **)elem = s ? strdup(s) : NULL;
}

static int snapshot_of(struct db *db, int64_t id, char **out)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT snapshot FROM reports WHERE id = ?");

	*out = NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_get_one(st, text_dup_from_row, out);
	return *out ? 0 : -1;
}

int store_report_rows(struct db *db, const struct report_info *info,
		      const struct catalog *cat,
		      const struct cal_calendar *cal, int64_t now,
		      struct report_rows *rows)
{
	struct members m = {.cat = cat,
			    .cal = cal,
			    .db = db,
			    .now = now,
			    .row = malloc(sizeof(struct report_row)),
			    .rows = rows};
	char *snap;
	int rc = -1;

	report_rows_init(rows);
	if (!m.row)
		goto out;
	if (report_is_frozen(info->status)) {
		if (snapshot_of(db, info->id, &snap) < 0)
			goto out;
		rc = report_snapshot_rows(snap, rows);
		free(snap);
		goto out;
	}
	rc = members_load(db, info, &m);
out:
	members_release(&m);
	return rc;
}

static void step_from_row(struct db_stmt *st, void *elem)
{
	struct report_step *s = elem;

	db_col_copy(st, 0, s->from, sizeof(s->from));
	db_col_copy(st, 1, s->to, sizeof(s->to));
	s->at = db_col_int(st, 2);
	db_col_copy(st, 3, s->username, sizeof(s->username));
	db_col_copy(st, 4, s->name, sizeof(s->name));
	db_col_copy(st, 5, s->role, sizeof(s->role));
	db_col_copy(st, 6, s->comment, sizeof(s->comment));
	db_col_copy(st, 7, s->reference, sizeof(s->reference));
}

int store_report_trail(struct db *db, int64_t id, struct report_step **out,
		       size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT t.from_status, t.to_status, t.at, u.username, "
		    "u.name, t.role, t.comment, t.reference FROM "
		    "report_transitions t JOIN users u ON u.id = t.user_id "
		    "WHERE t.report_id = ? ORDER BY t.id");
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_list(st, sizeof(**out), step_from_row, &list, n);
	*out = list;
	return rc;
}

/* ---------- transitions ---------- */

/* Compare-and-set of the status: 1 moved, 0 someone else moved it. */
static int set_status(struct db *db, int64_t id, enum report_status from,
		      enum report_status to, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE reports SET status = ?, updated_at = ? WHERE id = "
		    "? AND status = ? RETURNING id");

	if (!st)
		return -1;
	db_bind_text(st, 1, report_status_code(to));
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	db_bind_text(st, 4, report_status_code(from));
	return db_get_one(st, NULL, NULL);
}

/* EN_REVISION: choose the events again and freeze their rows. */
static int freeze(struct db *db, struct report_info *r,
		  const struct report_change *c, int64_t now)
{
	struct report_snapshot_writer w;
	struct members m = {.cat = c->cat,
			    .cal = c->cal,
			    .db = db,
			    .now = now,
			    .snap = &w,
			    .report_id = r->id,
			    .row = malloc(sizeof(struct report_row))};
	struct db_stmt *st;
	char *snap = NULL;
	int64_t turn;
	int rc = -1, loaded;

	/*
	 * Freezes take turns on one counter row: on PostgreSQL two reports
	 * frozen at once would otherwise both take an event neither sees in
	 * the other yet (SQLite's writer lock already orders them).
	 */
	if (!m.row || store_counter_next(db, "report-freeze", &turn) < 0 ||
	    store_report_charts_drop(db, r->id) < 0)
		goto out;
	report_snapshot_begin(&w, r->id, r->from, r->to, now);
	loaded = members_load(db, r, &m);
	snap = report_snapshot_end(&w, r->hash);
	if (loaded < 0 || members_save(db, r->id, &m) < 0)
		goto out;
	st = db_prepare(db, "UPDATE reports SET snapshot = ?, snapshot_hash "
			    "= ?, frozen_at = ? WHERE id = ?");
	if (!snap || !st)
		goto out;
	db_bind_text(st, 1, snap);
	db_bind_text(st, 2, r->hash);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, r->id);
	rc = db_run(st) == DB_DONE ? 0 : -1;
	r->n_events = (int64_t)m.n;
out:
	free(snap);
	members_release(&m);
	return rc;
}

static int unfreeze(struct db *db, int64_t id)
{
	struct db_stmt *st;

	if (store_report_charts_drop(db, id) < 0)
		return -1;
	st = db_prepare(
		db,
		"UPDATE reports SET snapshot = NULL, snapshot_hash = NULL, "
		"frozen_at = NULL WHERE id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_run(st) == DB_DONE ? 0 : -1;
}

/* ENVIADO: its events reached the regulator; DB_CONSTRAINT if one had. */
static int mark_sent(struct db *db, int64_t id, const struct report_change *c,
		     int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO reported_events (event_id, report_id, "
		    "sent_at) SELECT event_id, report_id, CAST(? AS BIGINT) "
		    "FROM report_events WHERE report_id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	rc = db_run(st);
	if (rc != DB_DONE)
		return rc == DB_CONSTRAINT ? DB_CONSTRAINT : -1;
	st = db_prepare(db, "UPDATE reports SET sent_on = ?, sent_reference "
			    "= ?, sent_at = ? WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, c->sent_on);
	db_bind_text(st, 2, c->reference);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	return db_run(st) == DB_DONE ? 0 : -1;
}

/* What changes besides the status; 0, -1 error, DB_CONSTRAINT. */
static int apply(struct db *db, struct report_info *r,
		 const struct report_change *c, int64_t now)
{
	switch (c->to) {
	case REPORT_EN_REVISION:
		return freeze(db, r, c, now);
	case REPORT_BORRADOR:
		r->hash[0] = '\0';
		return unfreeze(db, r->id);
	case REPORT_ENVIADO:
		return mark_sent(db, r->id, c, now);
	default:
		return 0;
	}
}

static int transition_audit(struct db *db, const struct report_info *r,
			    enum report_status from,
			    const struct report_change *c, const char *role,
			    const struct actor *who, int64_t now)
{
	json_t *after = json_pack("{s:s, s:s, s:I}", "status",
				  report_status_code(c->to), "role", role,
				  "events", (json_int_t)r->n_events);

	if (c->comment[0])
		json_object_set_new(after, "comment", json_string(c->comment));
	if (c->to == REPORT_ENVIADO) {
		json_object_set_new(after, "reference",
				    json_string(c->reference));
		json_object_set_new(after, "sent_on", json_string(c->sent_on));
	}
	if (r->hash[0] && c->to != REPORT_BORRADOR)
		json_object_set_new(after, "snapshot_hash",
				    json_string(r->hash));
	return audit_append_json(
		db, "report", r->id, "report.transition",
		json_pack("{s:s}", "status", report_status_code(from)), after,
		who->username, now);
}

/* Loads the report under the write lock and checks the move. */
static int load_checked(struct db *db, int64_t id,
			const struct report_change *c, const struct actor *who,
			struct report_info *r, struct inop_err *err)
{
	struct report_move m;
	int rc = store_report_get(db, id, r);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0) {
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe el reporte %lld", (long long)id);
	}
	m = (struct report_move){.from = r->status,
				 .to = c->to,
				 .roles = who->roles,
				 .comment = c->comment,
				 .reference = c->reference,
				 .sent_on = c->sent_on,
				 .today = c->today};
	if (report_transition_check(&m, err) < 0) {
		return -1;
	}
	return 0;
}

struct transition_job {
	int64_t id;
	struct report_change *c;
	const struct actor *who;
	int64_t now;
};

static int transition_body(struct db *db, void *arg, struct inop_err *err)
{
	struct transition_job *j = arg;
	int64_t id = j->id, now = j->now;
	const struct report_change *c = j->c;
	const struct actor *who = j->who;
	struct report_info r = {0}; /* the analyzer cannot see err_set's -1 */
	enum report_status from;
	struct report_move m;
	const char *role;
	int rc;

	if (load_checked(db, id, c, who, &r, err) < 0)
		return -1;
	m = (struct report_move){
		.from = r.status, .to = c->to, .roles = who->roles};
	role = report_transition_role(&m);
	rc = set_status(db, id, r.status, c->to, now);
	if (rc == 0) {
		return err_set(err, 409, "INVALID_TRANSITION", "to",
			       "Otro usuario cambió el reporte a la vez: "
			       "vuelva a cargarlo");
	}
	if (rc < 0)
		return store_body_fail(db, err);
	from = r.status;
	r.status = c->to;
	rc = apply(db, &r, c, now);
	if (rc == DB_CONSTRAINT) {
		return err_set(err, 409, "ALREADY_REPORTED", NULL,
			       "Un evento del reporte ya fue enviado en otro "
			       "reporte");
	}
	if (rc < 0 ||
	    trail_append(db, id, report_status_code(from),
			 report_status_code(c->to), role, c, r.hash, who,
			 now) < 0 ||
	    transition_audit(db, &r, from, c, role, who, now) < 0 ||
	    (c->after && c->after(db, &r, from, c, now) < 0))
		return store_body_fail(db, err);
	return 0;
}

int store_report_transition(struct db *db, int64_t id,
			    const struct report_change *change,
			    const struct actor *who, int64_t now,
			    struct report_info *after, struct inop_err *err)
{
	struct report_change c = *change;
	struct transition_job j = {.id = id, .c = &c, .who = who, .now = now};
	char today[11];

	/* Sent today unless told otherwise. */
	if (!c.sent_on[0]) {
		cal_format_date(c.today, today);
		c.sent_on = today;
	}
	if (store_write(db, transition_body, &j, err) < 0)
		return -1;
	return store_report_get(db, id, after) == 1 ? 0 : err_internal(err);
}

/* ---------- O1: waiting for the ruling; no ruling out once frozen ----------
 */

struct numbers {
	struct report_number *v;
	size_t n, cap;
};

static int numbers_add(const struct event *ev, void *arg)
{
	struct numbers *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct report_number *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	(void)str_copy(l->v[l->n++].number, sizeof(l->v->number), ev->number);
	return 0;
}

int store_report_pending_ruling(struct db *db, const struct report_info *r,
				struct report_number **out, size_t *n)
{
	struct numbers l = {0};
	int64_t args[3];

	*out = NULL;
	*n = 0;
	if (period_bounds(r, args) < 0)
		return -1;
	args[2] = r->id;
	if (store_events_each(db, PENDING_WHERE, args, 3, numbers_add, &l) <
	    0) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

static void number_row(struct db_stmt *st, void *elem)
{
	struct report_number *v = elem;

	db_col_copy(st, 0, v->number, sizeof(v->number));
}

int store_report_numbers(struct db *db, const struct report_info *info,
			 struct report_number **out, size_t *n)
{
	struct numbers l = {0};
	struct db_stmt *st;
	int64_t args[3];
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!report_is_frozen(info->status)) {
		if (period_bounds(info, args) < 0)
			return -1;
		args[2] = info->id;
		if (store_events_each(db, MEMBERS_WHERE, args, 3, numbers_add,
				      &l) < 0) {
			free(l.v);
			return -1;
		}
		*out = l.v;
		*n = l.n;
		return 0;
	}
	/* The frozen events in the snapshot's order (MEMBERS_WHERE's: an
	 * event's started_at never changes). */
	st = db_prepare(db, "SELECT e.number FROM report_events re JOIN "
			    "events e ON e.id = re.event_id WHERE "
			    "re.report_id = ? ORDER BY e.started_at, e.id");
	if (!st)
		return -1;
	db_bind_int(st, 1, info->id);
	rc = db_list(st, sizeof(**out), number_row, &list, n);
	*out = list;
	return rc;
}

int store_event_frozen_report(struct db *db, int64_t event_id,
			      int64_t *report_id)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT r.id FROM report_events re JOIN reports r ON r.id "
		    "= re.report_id WHERE re.event_id = ? AND r.status <> "
		    "'BORRADOR' ORDER BY r.id DESC LIMIT 1");
	int rc;

	*report_id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	rc = db_get_int(st, report_id);
	return rc < 0 ? -1 : 0;
}
