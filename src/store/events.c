#include "store/events.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "domain/event_json.h"
#include "store/audit.h"
#include "store/batch.h"
#include "store/evaluation.h"
#include "store/manual_forms.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strnum.h"

#define EVENT_SELECT                                                          \
	"SELECT e.id, e.number, p.id, p.code, p.name, p.type, p.channel, "    \
	"p.region, e.procedure, e.requests, e.applications, e.scenario, "     \
	"e.cause, e.mass_failure_id, e.started_at, e.ended_at, e.status, "    \
	"e.closure_reason, e.justification, e.origin, e.manual_form_ref, "    \
	"e.description, e.registered_at, ru.username, cu.username, "          \
	"e.ruled_out, e.late_justification, ru.name, cu.name "
#define EVENT_FROM                                                            \
	"FROM events e JOIN points p ON p.id = e.point_id "                   \
	"JOIN users ru ON ru.id = e.registered_by "                           \
	"LEFT JOIN users cu ON cu.id = e.closed_by "
#define EVENT_COLS EVENT_SELECT EVENT_FROM

static void event_from_row(struct db_stmt *st, void *elem)
{
	struct event *ev = elem;

	memset(ev, 0, sizeof(*ev));
	ev->id = db_col_int(st, 0);
	db_col_copy(st, 1, ev->number, sizeof(ev->number));
	ev->point.id = db_col_int(st, 2);
	db_col_copy(st, 3, ev->point.code, sizeof(ev->point.code));
	db_col_copy(st, 4, ev->point.name, sizeof(ev->point.name));
	db_col_copy(st, 5, ev->point.type, sizeof(ev->point.type));
	db_col_copy(st, 6, ev->point.channel, sizeof(ev->point.channel));
	db_col_copy(st, 7, ev->point.region, sizeof(ev->point.region));
	db_col_copy(st, 8, ev->procedure, sizeof(ev->procedure));
	codes_from_csv(&ev->requests, db_col_text(st, 9));
	codes_from_csv(&ev->applications, db_col_text(st, 10));
	db_col_copy(st, 11, ev->scenario, sizeof(ev->scenario));
	db_col_copy(st, 12, ev->cause, sizeof(ev->cause));
	ev->mass_failure_id = db_col_int(st, 13);
	ev->started_at = db_col_int(st, 14);
	ev->ended_at = db_col_int(st, 15);
	ev->open = strcmp(db_col_text(st, 16), "OPEN") == 0;
	db_col_copy(st, 17, ev->closure_reason, sizeof(ev->closure_reason));
	db_col_copy(st, 18, ev->justification, sizeof(ev->justification));
	db_col_copy(st, 19, ev->origin, sizeof(ev->origin));
	db_col_copy(st, 20, ev->manual_form_ref, sizeof(ev->manual_form_ref));
	db_col_copy(st, 21, ev->description, sizeof(ev->description));
	ev->registered_at = db_col_int(st, 22);
	db_col_copy(st, 23, ev->registered_by, sizeof(ev->registered_by));
	db_col_copy(st, 24, ev->closed_by, sizeof(ev->closed_by));
	ev->ruled_out = (int)db_col_int(st, 25);
	db_col_copy(st, 26, ev->late_justification,
		    sizeof(ev->late_justification));
	db_col_copy(st, 27, ev->registered_by_name,
		    sizeof(ev->registered_by_name));
	db_col_copy(st, 28, ev->closed_by_name, sizeof(ev->closed_by_name));
	ev->reportable = event_reportable(ev);
}

/* An event's audit record: before/after as event_audit_text() writes
 * them. */
static int event_audit(struct db *db, const char *action,
		       const struct event *before, const struct event *after,
		       const char *actor, int64_t now)
{
	char *b = before ? event_audit_text(before) : NULL;
	char *a = event_audit_text(after);
	int rc = (before && !b) || !a
			 ? -1
			 : audit_append_text(db, "event", after->id, action, b,
					     a, actor, now);

	free(b);
	free(a);
	return rc;
}

/* The OPEN event of (point, procedure): 1 with *id set, 0 none, -1. */
static int find_open(struct db *db, int64_t point_id, const char *procedure,
		     int64_t *id)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT id FROM events WHERE point_id = ? AND "
			       "procedure = ? AND status = 'OPEN'");

	if (!st)
		return -1;
	db_bind_int(st, 1, point_id);
	db_bind_text(st, 2, procedure);
	return db_get_int(st, id);
}

static int duplicate(struct db *db, const struct event *ev, int64_t *open_id,
		     struct inop_err *err)
{
	struct event open;
	char key[24];

	if (str_printf(key, sizeof(key), "%lld", (long long)*open_id) < 0 ||
	    store_event_get(db, key, &open) != 1)
		return err_internal(err);
	return err_set(err, 409, "DUPLICATE_OPEN_EVENT", "procedure",
		       "Ya hay un evento abierto de %s en el punto %s: %s. "
		       "Agregue la solicitud a ese evento",
		       ev->procedure, ev->point.code, open.number);
}

/* The row's columns and values but its id, the 17th when it is given. */
#define EVENT_INSERT(id, value)                                               \
	"INSERT INTO events (number, point_id, procedure, requests, "         \
	"applications, scenario, cause, mass_failure_id, started_at, "        \
	"status, origin, manual_form_ref, description, registered_at, "       \
	"registered_by, reportable, late_justification" id ") VALUES "        \
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?" value ")"

/* Event ids taken from PostgreSQL's sequence ahead of their rows, for
 * the optimistic batches of the writer thread (the only thread that
 * runs them).  Ids are identities, ordered by nothing but themselves:
 * one taken and not used is a gap, as a rolled-back insert leaves. */
#define IDS_AHEAD 64
static __thread int64_t ids[IDS_AHEAD];
static __thread int n_ids, next_id;

static int id_ahead(struct db *db, int64_t *id)
{
	struct db_stmt *st;
	int rc;

	if (next_id == n_ids) {
		n_ids = next_id = 0;
		st = db_prepare(db, "SELECT nextval(pg_get_serial_sequence("
				    "'events', 'id')) FROM generate_series(1, "
				    "?)");
		if (!st)
			return -1;
		db_bind_int(st, 1, IDS_AHEAD);
		while ((rc = db_step(st)) == DB_ROW && n_ids < IDS_AHEAD)
			ids[n_ids++] = db_col_int(st, 0);
		db_reset(st);
		if (rc != DB_DONE || n_ids != IDS_AHEAD)
			return -1;
	}
	*id = ids[next_id++];
	return 0;
}

/*
 * The event's row: 0 with ev->id set, DB_CONSTRAINT when (point,
 * procedure) is OPEN already (R3, the index events_one_open), or the
 * DB_* failure.  In an optimistic batch on PostgreSQL its id is taken
 * ahead and the INSERT queued: R3's violation then fails the batch, whose
 * rerun answers it here.
 */
static int insert_row(struct db *db, struct event *ev, int64_t user_id)
{
	int ahead = store_write_optimistic() && db_defers(db);
	struct db_stmt *st;
	char req[CODES_MAX * CODE_LEN], apps[CODES_MAX * CODE_LEN];
	int rc;

	if (ahead && id_ahead(db, &ev->id) < 0)
		return DB_FAIL;
	codes_to_csv(&ev->requests, req, sizeof(req));
	codes_to_csv(&ev->applications, apps, sizeof(apps));
	st = db_prepare(
		db,
		ahead ? EVENT_INSERT(", id", ", ?")
		      : EVENT_INSERT("", "") " ON CONFLICT (point_id, "
					     "procedure) WHERE status = "
					     "'OPEN' DO NOTHING RETURNING id");
	if (!st)
		return DB_FAIL;
	db_bind_text(st, 1, ev->number);
	db_bind_int(st, 2, ev->point.id);
	db_bind_text(st, 3, ev->procedure);
	db_bind_text(st, 4, req);
	db_bind_text(st, 5, apps);
	db_bind_text(st, 6, ev->scenario);
	db_bind_text(st, 7, ev->cause[0] ? ev->cause : NULL);
	if (ev->mass_failure_id)
		db_bind_int(st, 8, ev->mass_failure_id);
	db_bind_int(st, 9, ev->started_at);
	db_bind_text(st, 10, ev->origin);
	db_bind_text(st, 11,
		     ev->manual_form_ref[0] ? ev->manual_form_ref : NULL);
	db_bind_text(st, 12, ev->description[0] ? ev->description : NULL);
	db_bind_int(st, 13, ev->registered_at);
	db_bind_int(st, 14, user_id);
	db_bind_int(st, 15, event_reportable(ev));
	db_bind_text(st, 16,
		     ev->late_justification[0] ? ev->late_justification
					       : NULL);
	if (ahead) {
		db_bind_int(st, 17, ev->id);
		return db_run_later(st) == DB_DONE ? 0 : DB_FAIL;
	}
	rc = db_step(st);
	if (rc == DB_ROW)
		ev->id = db_col_int(st, 0);
	db_reset(st);
	/* No row: the R3 index already holds an OPEN one (a racing
	 * writer committed it after our check). */
	return rc == DB_ROW ? 0 : rc == DB_DONE ? DB_CONSTRAINT : rc;
}

struct register_job {
	struct event *ev;
	const struct actor *who;
	int64_t now;
	int64_t *open_id;
	event_hook_fn after;
	void *ctx;
};

static int register_body(struct db *db, void *arg, struct inop_err *err)
{
	struct register_job *j = arg;
	struct event *ev = j->ev;
	char counter[32];
	int64_t seq;
	int year = cal_lima_date(j->now).y, rc;

	/* R3 is the INSERT's: it adds nothing when (point, procedure) is
	 * OPEN already, and then the number it took is rolled back with
	 * the refused change (no check before it: one round trip less for
	 * every registration, a few more for a refused one). */
	if (str_printf(counter, sizeof(counter), "event-%d", year) < 0 ||
	    store_counter_next_and_head(db, counter, &seq) < 0 ||
	    event_number_format(ev->number, year, seq) < 0)
		return store_body_fail(db, err);
	rc = insert_row(db, ev, j->who->id);
	if (rc == DB_CONSTRAINT) {
		/* Open already (or another writer won the race). */
		if (find_open(db, ev->point.id, ev->procedure, j->open_id) !=
		    1)
			return store_body_fail(db, err);
		return duplicate(db, ev, j->open_id, err);
	}
	if (rc != 0 || store_register_bump(db) < 0 ||
	    event_audit(db, "event.register", NULL, ev, j->who->username,
			j->now) < 0)
		return store_body_fail(db, err);
	/* K2: a paper form is used up by the event regularising it; a
	 * refusal (422) rolls the registration and its number back. */
	if (strcmp(ev->origin, "MANUAL") == 0 &&
	    store_manual_form_use(db, ev, j->now, err) < 0)
		return -1;
	/* The hook may refuse (its error in err) or fail (500). */
	if (j->after && j->after(db, ev, j->ctx, err) < 0)
		return err->code[0] ? -1 : store_body_fail(db, err);
	return 0;
}

int store_event_register(struct db *db, struct event *ev,
			 const struct actor *who, int64_t now,
			 int64_t *open_id, event_hook_fn after, void *ctx,
			 struct inop_err *err)
{
	struct register_job j = {.ev = ev,
				 .who = who,
				 .now = now,
				 .open_id = open_id,
				 .after = after,
				 .ctx = ctx};

	ev->open = 1;
	ev->registered_at = now;
	/* Usernames are 64 bytes at most, as registered_by. */
	(void)str_copy(ev->registered_by, sizeof(ev->registered_by),
		       who->username);
	(void)str_copy(ev->registered_by_name, sizeof(ev->registered_by_name),
		       who->name);
	return store_write_replayable(db, register_body, &j, err);
}

int store_event_get(struct db *db, const char *key, struct event *ev)
{
	struct db_stmt *st;
	int64_t id;

	if (strnum_i64(key, 1, INT64_MAX, &id) == 0) {
		st = db_prepare(db, EVENT_COLS "WHERE e.id = ?");
		if (st)
			db_bind_int(st, 1, id);
	} else {
		st = db_prepare(db, EVENT_COLS "WHERE e.number = ?");
		if (st)
			db_bind_text(st, 1, key);
	}
	if (!st)
		return -1;
	return db_get_one(st, event_from_row, ev);
}

/* Appends the WHERE of `f` to `sql`; binds with filter_bind. */
static void filter_sql(struct buf *sql, const void *ctx)
{
	const struct event_filter *f = ctx;

	buf_appends(sql, "WHERE 1 = 1");
	if (f->status)
		buf_appends(sql, " AND e.status = ?");
	if (f->point)
		buf_appends(sql, " AND p.code = ?");
	if (f->procedure)
		buf_appends(sql, " AND e.procedure = ?");
	if (f->from)
		buf_appends(sql, " AND e.started_at >= ?");
	if (f->to)
		buf_appends(sql, " AND e.started_at < ?");
	if (f->reportable >= 0)
		buf_appends(sql, " AND e.reportable = ?");
	if (f->jefe_user_id > 0)
		buf_appends(sql, " AND e.point_id IN (SELECT point_id FROM "
				 "user_points WHERE user_id = ?)");
	if (f->failing) {
		buf_appends(sql, " AND ");
		store_failing_where(sql, f->failing_check);
	}
	if (f->mass_failure_id > 0)
		buf_appends(sql, " AND e.mass_failure_id = ?");
}

/* Binds the parameters of filter_sql(f) from 1; the next index. */
static int filter_bind(struct db_stmt *st, const void *ctx)
{
	const struct event_filter *f = ctx;
	int i = 1;

	if (f->status)
		db_bind_text(st, i++, f->status);
	if (f->point)
		db_bind_text(st, i++, f->point);
	if (f->procedure)
		db_bind_text(st, i++, f->procedure);
	if (f->from)
		db_bind_int(st, i++, f->from);
	if (f->to)
		db_bind_int(st, i++, f->to);
	if (f->reportable >= 0)
		db_bind_int(st, i++, f->reportable);
	if (f->jefe_user_id > 0)
		db_bind_int(st, i++, f->jefe_user_id);
	if (f->failing)
		i = store_failing_bind(st, i, f->failing_check, f->now);
	if (f->mass_failure_id > 0)
		db_bind_int(st, i++, f->mass_failure_id);
	return i;
}

int store_events_page(struct db *db, struct db_page *p, store_where_fn where,
		      struct event **out, size_t *n, int64_t *total)
{
	void *list;
	int rc;

	p->cols = EVENT_SELECT;
	p->elem_size = sizeof(**out);
	p->from_row = event_from_row;
	rc = store_page(db, p, EVENT_FROM, where, &list, n, total);
	*out = list;
	return rc;
}

int store_events_list(struct db *db, const struct event_filter *f,
		      struct event **out, size_t *n, int64_t *total)
{
	struct db_page page = {.order = "e.started_at DESC, e.id DESC",
			       .bind = filter_bind,
			       .ctx = f,
			       .limit = f->limit,
			       .offset = f->offset};

	return store_events_page(db, &page, filter_sql, out, n, total);
}

int store_events_each(struct db *db, const char *where, const int64_t *args,
		      size_t n_args, event_each_fn fn, void *ctx)
{
	struct event *ev = malloc(sizeof(*ev));
	struct buf sql;
	struct db_stmt *st;
	int rc = DB_FAIL;

	buf_init(&sql, 8192);
	if (!ev || buf_appends(&sql, EVENT_COLS) < 0 ||
	    buf_appends(&sql, where) < 0)
		goto out;
	st = db_prepare(db, sql.s);
	if (!st)
		goto out;
	for (size_t i = 0; i < n_args; i++)
		db_bind_int(st, (int)i + 1, args[i]);
	while ((rc = db_step(st)) == DB_ROW) {
		event_from_row(st, ev);
		if (fn(ev, ctx) < 0)
			break;
	}
	db_reset(st);
out:
	buf_release(&sql);
	free(ev);
	return rc == DB_DONE ? 0 : -1;
}

static int write_row(struct db *db, const struct event *ev, int64_t now)
{
	struct db_stmt *st;
	char req[CODES_MAX * CODE_LEN];

	codes_to_csv(&ev->requests, req, sizeof(req));
	st = db_prepare(
		db,
		"UPDATE events SET requests = ?, ended_at = ?, status = ?, "
		"closure_reason = ?, justification = ?, closed_by = "
		"(SELECT id FROM users WHERE username = ?), "
		"closed_at = COALESCE(closed_at, ?), "
		"reportable = ?, ruled_out = ? WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, req);
	if (ev->ended_at)
		db_bind_int(st, 2, ev->ended_at);
	db_bind_text(st, 3, ev->open ? "OPEN" : "CLOSED");
	db_bind_text(st, 4, ev->closure_reason[0] ? ev->closure_reason : NULL);
	db_bind_text(st, 5, ev->justification[0] ? ev->justification : NULL);
	db_bind_text(st, 6, ev->closed_by[0] ? ev->closed_by : NULL);
	if (!ev->open)
		db_bind_int(st, 7, now);
	db_bind_int(st, 8, event_reportable(ev));
	db_bind_int(st, 9, ev->ruled_out);
	db_bind_int(st, 10, ev->id);
	return db_run_later(st) == DB_DONE ? 0 : -1;
}

/*
 * Takes the event's row lock before reading it, so that two changes of
 * one event (two closures on two nodes) run one after the other: a no-op
 * UPDATE holds the lock until commit on PostgreSQL; on SQLite the write
 * transaction is exclusive anyway.  Sent with the read that follows (the
 * server runs them in order).
 */
static int lock_row(struct db *db, const char *key)
{
	struct db_stmt *st;
	int64_t id;

	if (strnum_i64(key, 1, INT64_MAX, &id) == 0) {
		st = db_prepare(db, "UPDATE events SET status = status WHERE "
				    "id = ?");
		if (st)
			db_bind_int(st, 1, id);
	} else {
		st = db_prepare(db, "UPDATE events SET status = status WHERE "
				    "number = ?");
		if (st)
			db_bind_text(st, 1, key);
	}
	return st && db_run_later(st) == DB_DONE ? 0 : -1;
}

/* What a change's caller gives; the job adds what the change keeps. */
struct change_spec {
	const char *key;
	int64_t failure; /* or every OPEN event of this mass failure */
	const char *action;
	event_decide_fn decide;
	void *ctx;
	const struct actor *who;
	int64_t now;
	struct event *ev;
};

struct change_job {
	struct change_spec s;
	size_t changed;
	struct event before;
};

/* Decides, writes and audits `ev`, locked and read. */
static int change_loaded(struct db *db, struct change_job *j, struct event *ev,
			 struct inop_err *err)
{
	j->before = *ev;
	if (j->s.decide(db, ev, j->s.ctx, err) < 0) {
		/* A refusal keeps its status; a failed write is logged. */
		if (err->status >= 500)
			log_error("database: %s", db_errmsg(db));
		return -1;
	}
	if (!j->s.action) /* decide wrote its own rows and records */
		return 0;
	ev->reportable = event_reportable(ev);
	if (write_row(db, ev, j->s.now) < 0 || store_register_bump(db) < 0 ||
	    event_audit(db, j->s.action, &j->before, ev, j->s.who->username,
			j->s.now) < 0)
		return store_body_fail(db, err);
	return 0;
}

static int change_body(struct db *db, void *arg, struct inop_err *err)
{
	struct change_job *j = arg;
	int rc = lock_row(db, j->s.key) < 0
			 ? -1
			 : store_event_get(db, j->s.key, j->s.ev);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe el evento '%s'", j->s.key);
	return change_loaded(db, j, j->s.ev, err);
}

#define FAILURE_CHUNK 64 /* events read at once: 28 KB each */
#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)

struct chunk {
	struct event *ev;
	size_t n;
};

static int chunk_add(const struct event *ev, void *arg)
{
	struct chunk *c = arg;

	c->ev[c->n++] = *ev;
	return 0;
}

static int failure_body(struct db *db, void *arg, struct inop_err *err)
{
	struct change_job *j = arg;
	struct chunk c = {.ev = malloc(FAILURE_CHUNK * sizeof(*c.ev))};
	struct db_stmt *st = db_prepare(
		db, "UPDATE events SET status = status WHERE mass_failure_id "
		    "= ? AND status = 'OPEN'");
	int64_t args[2] = {j->s.failure, 0};
	int rc = 0;

	if (!c.ev || !st) {
		free(c.ev);
		return store_body_fail(db, err);
	}
	db_bind_int(st, 1, j->s.failure);
	if (db_run_later(st) != DB_DONE)
		rc = store_body_fail(db, err);
	do {
		c.n = 0;
		if (rc == 0 &&
		    store_events_each(
			    db,
			    "WHERE e.mass_failure_id = ? AND "
			    "e.status = 'OPEN' AND e.id > ? ORDER "
			    "BY e.id LIMIT " STRINGIFY(FAILURE_CHUNK),
			    args, 2, chunk_add, &c) < 0)
			rc = store_body_fail(db, err);
		for (size_t i = 0; rc == 0 && i < c.n; i++)
			rc = change_loaded(db, j, &c.ev[i], err);
		if (rc == 0 && c.n) {
			j->changed += c.n;
			args[1] = c.ev[c.n - 1].id;
			*j->s.ev = c.ev[c.n - 1];
		}
	} while (rc == 0 && c.n == FAILURE_CHUNK);
	free(c.ev);
	return rc;
}

/* Runs `body` on a job made from `spec` (allocated: it holds two
 * events); *changed (may be NULL) as the body counted. */
static int run_change(struct db *db, const struct change_spec *spec,
		      store_body_fn body, size_t *changed,
		      struct inop_err *err)
{
	struct change_job *j = malloc(sizeof(*j));
	int rc;

	if (changed)
		*changed = 0;
	if (!j)
		return err_internal(err);
	j->s = *spec;
	j->changed = 0;
	rc = store_write(db, body, j, err);
	if (rc == 0 && changed)
		*changed = j->changed;
	free(j);
	return rc;
}

int store_events_change_of_failure(struct db *db, int64_t failure_id,
				   const char *action, event_decide_fn decide,
				   void *ctx, const struct actor *who,
				   int64_t now, struct event *ev, size_t *n,
				   struct inop_err *err)
{
	return run_change(db,
			  &(struct change_spec){.failure = failure_id,
						.action = action,
						.decide = decide,
						.ctx = ctx,
						.who = who,
						.now = now,
						.ev = ev},
			  failure_body, n, err);
}

int store_event_change(struct db *db, const char *key, const char *action,
		       event_decide_fn decide, void *ctx,
		       const struct actor *who, int64_t now, struct event *ev,
		       struct inop_err *err)
{
	return run_change(db,
			  &(struct change_spec){.key = key,
						.action = action,
						.decide = decide,
						.ctx = ctx,
						.who = who,
						.now = now,
						.ev = ev},
			  change_body, NULL, err);
}

/* C4: ruling out. */

int store_event_rule_out(struct db *db, struct event *ev, const char *source,
			 const char *reason, const char *action,
			 const struct actor *who, int64_t now)
{
	struct db_stmt *st;
	json_t *before = json_pack("{s:b, s:b}", "ruled_out", ev->ruled_out,
				   "reportable", event_reportable(ev));

	ev->ruled_out = 1;
	ev->reportable = event_reportable(ev);
	/* The event reads differently now (reportable, ruled_out). */
	if (store_register_bump(db) < 0)
		goto fail;
	st = db_prepare(db, "UPDATE events SET ruled_out = 1, reportable = ? "
			    "WHERE id = ?");
	if (!st)
		goto fail;
	db_bind_int(st, 1, ev->reportable);
	db_bind_int(st, 2, ev->id);
	if (db_run(st) != DB_DONE)
		goto fail;
	st = db_prepare(db, "INSERT INTO event_exclusions (event_id, source, "
			    "reason, created_at, created_by) VALUES (?, ?, ?, "
			    "?, ?)");
	if (!st)
		goto fail;
	db_bind_int(st, 1, ev->id);
	db_bind_text(st, 2, source);
	db_bind_text(st, 3, reason);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, who->id);
	if (db_run(st) != DB_DONE)
		goto fail;
	return audit_append_json(db, "event", ev->id, action, before,
				 json_pack("{s:b, s:b, s:s, s:s}", "ruled_out",
					   1, "reportable", ev->reportable,
					   "source", source, "reason", reason),
				 who->username, now);
fail:
	json_decref(before);
	return -1;
}

static void exclusion_from_row(struct db_stmt *st, void *elem)
{
	struct exclusion *ex = elem;

	db_col_copy(st, 0, ex->source, sizeof(ex->source));
	db_col_copy(st, 1, ex->reason, sizeof(ex->reason));
	ex->created_at = db_col_int(st, 2);
	db_col_copy(st, 3, ex->created_by, sizeof(ex->created_by));
	db_col_copy(st, 4, ex->created_by_name, sizeof(ex->created_by_name));
}

int store_exclusion_get(struct db *db, int64_t event_id, struct exclusion *ex)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT x.source, x.reason, x.created_at, u.username, "
		    "u.name FROM "
		    "event_exclusions x JOIN users u ON u.id = x.created_by "
		    "WHERE x.event_id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	return db_get_one(st, exclusion_from_row, ex);
}

struct annotate_job {
	const struct event *ev;
	const char *text;
	const struct actor *who;
	int64_t now;
	int64_t *id;
};

static int annotate_body(struct db *db, void *arg, struct inop_err *err)
{
	struct annotate_job *j = arg;
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO event_annotations (event_id, text, "
			    "created_at, created_by) VALUES (?, ?, ?, ?) "
			    "RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_int(st, 1, j->ev->id);
	db_bind_text(st, 2, j->text);
	db_bind_int(st, 3, j->now);
	db_bind_int(st, 4, j->who->id);
	if (db_get_int(st, j->id) != 1 ||
	    audit_append_json(db, "event", j->ev->id, "event.annotate", NULL,
			      json_pack("{s:I, s:s, s:s}", "annotation_id",
					(json_int_t)*j->id, "event",
					j->ev->number, "text", j->text),
			      j->who->username, j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_event_annotate(struct db *db, const struct event *ev,
			 const char *text, const struct actor *who,
			 int64_t now, int64_t *id, struct inop_err *err)
{
	struct annotate_job j = {
		.ev = ev, .text = text, .who = who, .now = now, .id = id};

	return store_write(db, annotate_body, &j, err);
}

static char *dup_col(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? strdup(s) : NULL;
}

static void audit_item_from_row(struct db_stmt *st, void *elem)
{
	struct audit_item *it = elem;

	*it = (struct audit_item){.id = db_col_int(st, 0),
				  .at = db_col_int(st, 1),
				  .actor = dup_col(st, 2),
				  .action = dup_col(st, 3),
				  .before_json = dup_col(st, 4),
				  .after_json = dup_col(st, 5),
				  .actor_name = dup_col(st, 6)};
}

static void audit_item_release(void *elem)
{
	struct audit_item *it = elem;

	free(it->actor);
	free(it->actor_name);
	free(it->action);
	free(it->before_json);
	free(it->after_json);
}

int store_audit_of(struct db *db, const char *entity, int64_t entity_id,
		   struct audit_item **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT a.id, a.at, a.actor, a.action, a.before_json, "
		"a.after_json, COALESCE(u.name, a.actor) FROM audit a LEFT "
		"JOIN users u ON u.username = a.actor WHERE a.entity = ? AND "
		"a.entity_id = ? ORDER BY a.id");
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, entity);
	db_bind_int(st, 2, entity_id);
	rc = db_list_owned(st, sizeof(**out), audit_item_from_row,
			   audit_item_release, &list, n);
	*out = list;
	return rc;
}

void audit_items_free(struct audit_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		audit_item_release(&items[i]);
	free(items);
}
