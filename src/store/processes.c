#include "store/processes.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/cal.h"
#include "domain/control_json.h"
#include "store/audit.h"
#include "store/events.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define ESCALATE_BATCH 500 /* requests claimed per run at most */

#define REQUEST_COLS                                                          \
	"pr.id, pr.event_id, e.number, pr.note, pr.requested_at, "            \
	"qu.username, pr.due_at, pr.ruling, pr.reason, pr.ruled_at, "         \
	"ru.username, pr.escalated_at, pr.escalation_reason, "                \
	"pr.escalated_to, qu.name, ru.name"
#define REQUEST_FROM                                                          \
	" FROM processes_requests pr JOIN events e ON e.id = pr.event_id "    \
	"JOIN users qu ON qu.id = pr.requested_by LEFT JOIN users ru ON "     \
	"ru.id = pr.ruled_by "

static void request_from_row(struct db_stmt *st, void *elem)
{
	struct processes_request *r = elem;

	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->event_id = db_col_int(st, 1);
	db_col_copy(st, 2, r->event_number, sizeof(r->event_number));
	db_col_copy(st, 3, r->note, sizeof(r->note));
	r->requested_at = db_col_int(st, 4);
	db_col_copy(st, 5, r->requested_by, sizeof(r->requested_by));
	r->due_at = db_col_int(st, 6);
	db_col_copy(st, 7, r->ruling, sizeof(r->ruling));
	db_col_copy(st, 8, r->reason, sizeof(r->reason));
	r->ruled_at = db_col_int(st, 9);
	db_col_copy(st, 10, r->ruled_by, sizeof(r->ruled_by));
	r->escalated_at = db_col_int(st, 11);
	db_col_copy(st, 12, r->escalation_reason,
		    sizeof(r->escalation_reason));
	db_col_copy(st, 13, r->escalated_to, sizeof(r->escalated_to));
	db_col_copy(st, 14, r->requested_by_name,
		    sizeof(r->requested_by_name));
	db_col_copy(st, 15, r->ruled_by_name, sizeof(r->ruled_by_name));
}

/* By event id (by_event) or by request id: 1 found, 0 none, -1 error. */
static int request_get(struct db *db, int by_event, int64_t id,
		       struct processes_request *r)
{
	struct db_stmt *st =
		db_prepare(db, by_event ? "SELECT " REQUEST_COLS REQUEST_FROM
					  "WHERE pr.event_id = ?"
					: "SELECT " REQUEST_COLS REQUEST_FROM
					  "WHERE pr.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, request_from_row, r);
}

int store_processes_get(struct db *db, int64_t event_id,
			struct processes_request *r)
{
	return request_get(db, 1, event_id, r);
}

int store_processes_insert(struct db *db, const struct event *ev,
			   struct processes_request *r,
			   const struct actor *who, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO processes_requests (event_id, note, "
		    "requested_at, requested_by, due_at) VALUES (?, ?, ?, ?, "
		    "?) RETURNING id");

	if (!st)
		return -1;
	r->event_id = ev->id;
	/* Event numbers (24) and usernames (64) fit the fields exactly. */
	(void)str_copy(r->event_number, sizeof(r->event_number), ev->number);
	r->requested_at = now;
	r->due_at = now + PROCESSES_DEADLINE_S;
	(void)str_copy(r->requested_by, sizeof(r->requested_by),
		       who->username);
	(void)str_copy(r->requested_by_name, sizeof(r->requested_by_name),
		       who->name);
	db_bind_int(st, 1, ev->id);
	db_bind_text(st, 2, r->note[0] ? r->note : NULL);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, who->id);
	db_bind_int(st, 5, r->due_at);
	if (db_get_int(st, &r->id) != 1)
		return -1;
	return audit_append_json(db, "event", ev->id,
				 "event.processes_request", NULL,
				 processes_to_json(r, 0), who->username, now);
}

int store_processes_rule(struct db *db, struct event *ev,
			 struct processes_request *r, const char *ruling,
			 const char *reason, const struct actor *who,
			 int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE processes_requests SET ruling = ?, reason = ?, "
		    "ruled_at = ?, ruled_by = ? WHERE id = ? AND ruling IS "
		    "NULL RETURNING id");
	json_t *before;

	if (!st)
		return -1;
	db_bind_text(st, 1, ruling);
	db_bind_text(st, 2, reason);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, who->id);
	db_bind_int(st, 5, r->id);
	if (db_get_one(st, NULL, NULL) != 1)
		return -1;
	before = processes_to_json(r, 0);
	/*
	 * A ruling or reason longer than r holds would be audited cut:
	 * fail, and the change's transaction drops the UPDATE.
	 */
	if (str_copy(r->ruling, sizeof(r->ruling), ruling) < 0 ||
	    str_copy(r->reason, sizeof(r->reason), reason) < 0) {
		json_decref(before);
		return -1;
	}
	r->ruled_at = now;
	(void)str_copy(r->ruled_by, sizeof(r->ruled_by), who->username);
	(void)str_copy(r->ruled_by_name, sizeof(r->ruled_by_name), who->name);
	if (audit_append_json(db, "event", ev->id, "event.processes_ruling",
			      before, processes_to_json(r, 0), who->username,
			      now) < 0)
		return -1;
	/* V3: a NO_PROCEDE ruling takes the event out of the report. */
	if (strcmp(ruling, "NO_PROCEDE") != 0 || ev->ruled_out)
		return 0;
	return store_event_rule_out(db, ev, "PROCESOS", reason,
				    "event.rule_out", who, now);
}

/* ---------- the tray ---------- */

static const char *status_where(const char *status)
{
	if (!status)
		return "";
	if (strcmp(status, "RESUELTA") == 0)
		return "WHERE pr.ruling IS NOT NULL ";
	if (strcmp(status, "VENCIDA") == 0)
		return "WHERE pr.ruling IS NULL AND (pr.escalated_at IS NOT "
		       "NULL OR pr.due_at <= ?) ";
	return "WHERE pr.ruling IS NULL AND pr.escalated_at IS NULL AND "
	       "pr.due_at > ? ";
}

static void row_from(struct db_stmt *st, void *elem)
{
	struct processes_row *row = elem;

	request_from_row(st, &row->r);
	/* after REQUEST_COLS' 16 columns */
	row->point.id = db_col_int(st, 16);
	db_col_copy(st, 17, row->point.code, sizeof(row->point.code));
	db_col_copy(st, 18, row->point.name, sizeof(row->point.name));
	db_col_copy(st, 19, row->point.channel, sizeof(row->point.channel));
	db_col_copy(st, 20, row->scenario, sizeof(row->scenario));
	db_col_copy(st, 21, row->procedure, sizeof(row->procedure));
	row->started_at = db_col_int(st, 22);
	row->ended_at = db_col_int(st, 23);
}

struct tray_filter {
	const char *status;
	int64_t now;
};

static void tray_where(struct buf *sql, const void *ctx)
{
	const struct tray_filter *f = ctx;

	buf_appends(sql, status_where(f->status));
}

/* Binds the parameters of status_where(status); the next index. */
static int tray_bind(struct db_stmt *st, const void *ctx)
{
	const struct tray_filter *f = ctx;
	int i = 1;

	if (f->status && strcmp(f->status, "RESUELTA") != 0)
		db_bind_int(st, i++, f->now);
	return i;
}

int store_processes_list(struct db *db, const char *status, int64_t now,
			 int64_t limit, int64_t offset,
			 struct processes_row **out, size_t *n, int64_t *total)
{
	struct tray_filter f = {.status = status, .now = now};
	const struct db_page page = {
		.cols = "SELECT " REQUEST_COLS ", p.id, p.code, p.name, "
			"p.channel, e.scenario, e.procedure, e.started_at, "
			"e.ended_at",
		/* Waiting requests first, the most urgent on top. */
		.order = "CASE WHEN pr.ruling IS NULL THEN 0 ELSE 1 END, "
			 "CASE WHEN pr.ruling IS NULL THEN pr.due_at ELSE "
			 "-pr.ruled_at END, pr.id",
		.bind = tray_bind,
		.ctx = &f,
		.limit = limit,
		.offset = offset,
		.elem_size = sizeof(**out),
		.from_row = row_from};
	void *list;
	int rc;

	rc = store_page(db, &page,
			REQUEST_FROM "JOIN points p ON p.id = e.point_id ",
			tray_where, &list, n, total);
	*out = list;
	return rc;
}

/* ---------- people and absences ---------- */

/* 1 when `email` is one of the comma-separated `list`. */
static int in_address_list(const char *list, const char *email)
{
	size_t len = strlen(email);
	const char *p = list;

	while (p && *p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (n == len && len && strncasecmp(p, email, len) == 0)
			return 1;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

static void person_from_row(struct db_stmt *st, void *elem)
{
	struct processes_person *p = elem;

	db_col_copy(st, 0, p->username, sizeof(p->username));
	db_col_copy(st, 1, p->name, sizeof(p->name));
	db_col_copy(st, 2, p->email, sizeof(p->email));
	p->absent_since = db_col_int(st, 3);
	p->absent_until = db_col_int(st, 4);
}

int store_processes_people(struct db *db, const char *backups, int64_t now,
			   struct processes_person **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT u.username, u.name, u.email, a.starts_at, "
		"a.ends_at FROM users u LEFT JOIN processes_absences a ON "
		"a.user_id = u.id AND a.starts_at <= ? AND (a.ends_at IS "
		"NULL OR a.ends_at > ?) WHERE u.active = 1 AND (u.role_mask "
		"& ?) <> 0 ORDER BY u.username, a.starts_at DESC");
	struct processes_person *list;
	void *rows;
	size_t count, kept = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, ROLE_PROCESOS);
	if (db_list(st, sizeof(*list), person_from_row, &rows, &count) < 0)
		return -1;
	list = rows;
	for (size_t i = 0; i < count; i++) {
		/* Overlapping absences: the latest row of a user is kept. */
		if (kept &&
		    strcmp(list[kept - 1].username, list[i].username) == 0)
			continue;
		list[kept] = list[i];
		list[kept].backup = in_address_list(backups, list[kept].email);
		kept++;
	}
	*out = list;
	*n = kept;
	return 0;
}

int store_processes_primaries_present(struct db *db, const char *backups,
				      int64_t now, int *present)
{
	struct processes_person *people;
	size_t n;

	*present = 0;
	if (store_processes_people(db, backups, now, &people, &n) < 0) {
		free(people);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!people[i].backup && !people[i].absent_since)
			(*present)++;
	free(people);
	return 0;
}

/* An absence is recorded on the user who marks it.  Takes `after`. */
static int absence_audit(struct db *db, const struct actor *who,
			 const char *action, json_t *after, int64_t now)
{
	return audit_append_json(db, "user", who->id, action, NULL, after,
				 who->username, now);
}

/* Ends the actor's open absences at `now`; 1 when one was open. */
static int absence_close(struct db *db, int64_t user_id, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db,
		"UPDATE processes_absences SET ends_at = ? WHERE user_id = "
		"? AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?) "
		"RETURNING id");
	int rc, found = 0;

	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	while ((rc = db_step(st)) == DB_ROW)
		found = 1;
	db_reset(st);
	return rc == DB_DONE ? found : -1;
}

struct absence_job {
	const struct actor *who;
	int64_t until;
	const char *note;
	int64_t now;
};

static int absence_start_body(struct db *db, void *arg, struct inop_err *err)
{
	struct absence_job *j = arg;
	struct db_stmt *st;
	char until_s[26] = "";
	int rc;

	if (absence_close(db, j->who->id, j->now) < 0)
		return store_body_fail(db, err);
	st = db_prepare(db, "INSERT INTO processes_absences (user_id, "
			    "starts_at, ends_at, note, created_at) VALUES (?, "
			    "?, ?, ?, ?)");
	if (!st)
		return store_body_fail(db, err);
	db_bind_int(st, 1, j->who->id);
	db_bind_int(st, 2, j->now);
	if (j->until)
		db_bind_int(st, 3, j->until);
	db_bind_text(st, 4, j->note && *j->note ? j->note : NULL);
	db_bind_int(st, 5, j->now);
	rc = db_run(st);
	if (j->until)
		cal_format_lima(j->until, until_s);
	if (rc != DB_DONE ||
	    absence_audit(db, j->who, "processes.absence_start",
			  json_pack("{s:s, s:s}", "until", until_s, "note",
				    j->note ? j->note : ""),
			  j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_absence_start(struct db *db, const struct actor *who, int64_t until,
			const char *note, int64_t now, struct inop_err *err)
{
	struct absence_job j = {
		.who = who, .until = until, .note = note, .now = now};

	return store_write(db, absence_start_body, &j, err);
}

static int absence_end_body(struct db *db, void *arg, struct inop_err *err)
{
	struct absence_job *j = arg;
	int rc = absence_close(db, j->who->id, j->now);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 409, "NOT_ABSENT", NULL,
			       "No tiene una ausencia registrada");
	if (absence_audit(db, j->who, "processes.absence_end", json_object(),
			  j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_absence_end(struct db *db, const struct actor *who, int64_t now,
		      struct inop_err *err)
{
	struct absence_job j = {.who = who, .now = now};

	return store_write(db, absence_end_body, &j, err);
}

/* ---------- the 24-hour escalation ---------- */

/* Ids of the waiting requests the step must look at, up to max. */
static int escalation_candidates(struct db *db, int64_t now, int present,
				 int64_t *ids, size_t max, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id FROM processes_requests WHERE ruling IS NULL "
		    "AND escalated_at IS NULL AND (due_at <= ? OR ? = 0) "
		    "ORDER BY due_at, id LIMIT ?");
	int rc;

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, present);
	db_bind_int(st, 3, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		ids[(*n)++] = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/*
 * Claims one escalation: 1 claimed, 0 nothing to do (ruled, or another
 * run or node claimed it first), -1 error.  Runs inside a transaction.
 */
static int escalate_one(struct db *db, int64_t id, const char *backups,
			int present, int64_t now, struct processes_request *r)
{
	struct db_stmt *st;
	enum escalation e;
	json_t *before;
	int rc = request_get(db, 0, id, r);

	if (rc <= 0)
		return rc;
	e = processes_escalation(r, present, now);
	if (e == ESCALATION_NONE)
		return 0;
	st = db_prepare(db, "UPDATE processes_requests SET escalated_at = ?, "
			    "escalation_reason = ?, escalated_to = ? WHERE id "
			    "= ? AND ruling IS NULL AND escalated_at IS NULL "
			    "RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, escalation_code(e));
	db_bind_text(st, 3, backups);
	db_bind_int(st, 4, id);
	rc = db_get_one(st, NULL, NULL);
	if (rc != 1)
		return rc;
	before = processes_to_json(r, 0);
	r->escalated_at = now;
	/*
	 * Escalation codes are short, and backups is the configured
	 * procesos_backups, 512 bytes as escalated_to: neither is cut.
	 */
	(void)str_copy(r->escalation_reason, sizeof(r->escalation_reason),
		       escalation_code(e));
	(void)str_copy(r->escalated_to, sizeof(r->escalated_to), backups);
	if (audit_append_json(db, "event", r->event_id,
			      "event.processes_escalate", before,
			      processes_to_json(r, 0), "inop-timer", now) < 0)
		return -1;
	return 1;
}

struct escalate_job {
	int64_t id;
	const char *backups;
	int present;
	int64_t now;
	escalation_mail_fn mail;
	void *ctx;
	struct processes_request r;
	int claimed;
};

/* One escalation, with its mail, in one transaction. */
static int escalate_body(struct db *db, void *arg, struct inop_err *err)
{
	struct escalate_job *j = arg;
	int rc =
		escalate_one(db, j->id, j->backups, j->present, j->now, &j->r);

	j->claimed = 0;
	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return 0; /* ruled meanwhile, or claimed by another run */
	if (j->mail && j->mail(db, &j->r, j->ctx) < 0)
		return store_body_fail(db, err);
	j->claimed = 1;
	return 0;
}

int store_processes_escalate(struct db *db, const char *backups, int64_t now,
			     escalation_mail_fn mail, void *ctx,
			     int *escalated, struct inop_err *err)
{
	int64_t ids[ESCALATE_BATCH];
	struct escalate_job *j = malloc(sizeof(*j));
	size_t n;
	int rc = -1;

	*escalated = 0;
	if (!j)
		return err_internal(err);
	*j = (struct escalate_job){
		.backups = backups, .now = now, .mail = mail, .ctx = ctx};
	if (store_processes_primaries_present(db, backups, now, &j->present) <
		    0 ||
	    escalation_candidates(db, now, j->present, ids, ESCALATE_BATCH,
				  &n) < 0) {
		store_body_fail(db, err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		j->id = ids[i];
		if (store_write(db, escalate_body, j, err) < 0)
			goto out;
		*escalated += j->claimed;
	}
	rc = 0;
out:
	free(j);
	return rc;
}
