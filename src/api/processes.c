/*
 * V3: the Procesos request (CONTROL), the ruling (PROCESOS), the tray
 * with its 24-hour clock, and the desk: who is present, who is absent,
 * the backups that get the escalations.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/e1.h"
#include "calendar/cal.h"
#include "domain/control_json.h"
#include "domain/processes.h"
#include "mail/event_mail.h"
#include "store/control.h"
#include "store/events.h"
#include "store/processes.h"
#include "store/reports.h"
#include "util/config.h"
#include "util/strnum.h"

#define ABSENCE_MAX_S (366 * 86400)

struct processes_change {
	struct req *r;
	struct processes_request req;
	char ruling[16];
	char reason[PROCESSES_REASON_MAX * 4 + 1];
};

static int decide_request(struct db *db, struct event *ev, void *arg,
			  struct inop_err *e)
{
	struct processes_change *c = arg;
	int rc = store_processes_get(db, ev->id, &c->req);

	if (rc < 0)
		return err_internal(e);
	if (processes_request_check(ev, rc, e) < 0)
		return -1;
	if (store_processes_insert(db, ev, &c->req, &c->r->actor, c->r->now) <
		    0 ||
	    mail_processes_request(db, ev, &c->req, c->r->now) < 0)
		return err_internal(e);
	return 0;
}

static int decide_ruling(struct db *db, struct event *ev, void *arg,
			 struct inop_err *e)
{
	struct processes_change *c = arg;
	int rc = store_processes_get(db, ev->id, &c->req);
	int64_t report_id = 0;

	if (rc < 0)
		return err_internal(e);
	if (processes_ruling_check(rc ? &c->req : NULL, c->ruling, c->reason,
				   e) < 0)
		return -1;
	if (strcmp(c->ruling, "NO_PROCEDE") == 0 && !ev->ruled_out &&
	    store_event_frozen_report(db, ev->id, &report_id) < 0)
		return err_internal(e);
	if (rule_out_report_check(ev, report_id, e) < 0)
		return -1;
	if (store_processes_rule(db, ev, &c->req, c->ruling, c->reason,
				 &c->r->actor, c->r->now) < 0 ||
	    mail_processes_ruling(db, ev, &c->req, c->r->now) < 0)
		return err_internal(e);
	return 0;
}

static void change(struct req *r, event_decide_fn fn,
		   struct processes_change *c, int status)
{
	struct db *db = api_db(r);

	if (db && api_event_change(r, db, NULL, fn, c))
		reply_json(r, status, processes_to_json(&c->req, r->now));
}

void api_processes_request(struct req *r)
{
	struct processes_change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	/* The body is optional: {"note"} for Procesos. */
	if (r->body && body_text(r->body, "note", 0, PROCESSES_NOTE_MAX,
				 c->req.note, sizeof(c->req.note), &e) < 0)
		reply_error(r, &e);
	else
		change(r, decide_request, c, 201);
}

void api_processes_ruling(struct req *r)
{
	struct processes_change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	if (body_str(r->body, "ruling", 1, c->ruling, sizeof(c->ruling), &e) <
		    0 ||
	    body_text(r->body, "reason", 1, PROCESSES_REASON_MAX, c->reason,
		      sizeof(c->reason), &e) < 0)
		reply_error(r, &e);
	else
		change(r, decide_ruling, c, 200);
}

void api_processes_get(struct req *r)
{
	struct processes_request *q = api_alloc(r, sizeof(*q));
	struct db *db = q ? api_db(r) : NULL;
	struct event *ev = db ? api_event(r, db) : NULL;
	struct inop_err e;
	int rc;

	if (!ev)
		return;
	rc = store_processes_get(db, ev->id, q);
	if (rc < 0) {
		reply_internal(r);
	} else if (rc == 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"No se ha solicitado el dictamen de Procesos para el "
			"evento %s",
			ev->number);
		reply_error(r, &e);
	} else {
		reply_json(r, 200, processes_to_json(q, r->now));
	}
}

/* ---------- the tray ---------- */

/* E1 of the row's event: Procesos checks the mass-failure window. */
static json_t *row_e1(struct db *db, const struct processes_row *row,
		      int64_t now)
{
	struct event *ev = malloc(sizeof(*ev));
	json_t *e1 = NULL;

	if (ev && store_event_get(db, row->r.event_number, ev) == 1)
		e1 = api_e1_json(db, ev, now);
	free(ev);
	return e1;
}

static json_t *row_json(struct db *db, const struct processes_row *row,
			int64_t now)
{
	json_t *o = processes_to_json(&row->r, now);
	json_t *e1 = row_e1(db, row, now);
	char start[26], end[26];

	if (!e1) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "e1", e1);
	cal_format_lima(row->started_at, start);
	cal_format_lima(row->ended_at, end);
	json_object_set_new(
		o, "event_summary",
		json_pack("{s:s, s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:o}",
			  "number", row->r.event_number, "point", "code",
			  row->point.code, "name", row->point.name, "channel",
			  row->point.channel, "procedure", row->procedure,
			  "scenario", row->scenario, "started_at", start,
			  "ended_at",
			  row->ended_at ? json_string(end) : json_null()));
	return o;
}

static int list_params(struct req *r, const char **status, int64_t *limit,
		       int64_t *offset, struct inop_err *e)
{
	static const char *const statuses[] = {"PENDIENTE", "VENCIDA",
					       "RESUELTA", NULL};
	const char *s = http_query(r, "status");

	*status = NULL;
	for (int i = 0; s && *s && statuses[i]; i++)
		if (strcmp(s, statuses[i]) == 0)
			*status = statuses[i];
	if (s && *s && !*status)
		return err_validation(e, "status",
				      "Estado no válido: '%s' (PENDIENTE, "
				      "VENCIDA o RESUELTA)",
				      s);
	return api_page(r, API_LIMIT_DEFAULT, limit, offset, e);
}

void api_processes_list(struct req *r)
{
	struct processes_row *list = NULL;
	const char *status;
	int64_t limit = 0, offset = 0, total;
	struct inop_err e;
	size_t n = 0;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (list_params(r, &status, &limit, &offset, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	if (store_processes_list(db, status, r->now, limit, offset, &list, &n,
				 &total) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = row_json(db, &list[i], r->now);

		if (!o) {
			json_decref(items);
			items = NULL;
			break;
		}
		json_array_append_new(items, o);
	}
	free(list);
	if (!items) {
		reply_internal(r);
		return;
	}
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
}

/* ---------- the desk and absences ---------- */

static json_t *person_json(const struct processes_person *p)
{
	char since[26], until[26];

	cal_format_lima(p->absent_since, since);
	cal_format_lima(p->absent_until, until);
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "username",
			 p->username, "name", p->name, "email", p->email,
			 "backup", p->backup, "absent", p->absent_since != 0,
			 "absent_since",
			 p->absent_since ? json_string(since) : json_null(),
			 "absent_until",
			 p->absent_until ? json_string(until) : json_null());
}

static void reply_desk(struct req *r, struct db *db)
{
	const char *backups = r->app->cfg->procesos_backups;
	struct processes_person *people = NULL;
	size_t n = 0;
	int present = 0;
	json_t *list, *backup_list;

	if (store_processes_people(db, backups, r->now, &people, &n) < 0) {
		free(people);
		reply_internal(r);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(list, person_json(&people[i]));
		present += !people[i].backup && !people[i].absent_since;
	}
	free(people);
	backup_list = json_array();
	for (const char *p = backups; *p;) {
		size_t len;

		p += strspn(p, " ");
		len = strcspn(p, ",");
		while (len && p[len - 1] == ' ')
			len--;
		if (len)
			json_array_append_new(backup_list,
					      json_stringn(p, len));
		p += strcspn(p, ",");
		p += *p == ',';
	}
	reply_json(r, 200,
		   json_pack("{s:o, s:i, s:o, s:I}", "people", list,
			     "primaries_present", present, "backups",
			     backup_list, "deadline_hours",
			     (json_int_t)(PROCESSES_DEADLINE_S / 3600)));
}

void api_processes_desk(struct req *r)
{
	struct db *db = api_db(r);

	if (db)
		reply_desk(r, db);
}

void api_processes_absence_start(struct req *r)
{
	char note[PROCESSES_NOTE_MAX * 4 + 1];
	int64_t until = 0;
	struct inop_err e;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (r->body && (body_time(r->body, "until", 0, &until, &e) < 0 ||
			body_text(r->body, "note", 0, PROCESSES_NOTE_MAX, note,
				  sizeof(note), &e) < 0)) {
		reply_error(r, &e);
		return;
	}
	if (!r->body)
		note[0] = '\0';
	if (until && (until <= r->now || until > r->now + ABSENCE_MAX_S)) {
		err_validation(&e, "until",
			       "El regreso debe ser una fecha futura, dentro "
			       "de un año");
		reply_error(r, &e);
		return;
	}
	if (store_absence_start(db, &r->actor, until, note, r->now, &e) < 0)
		reply_error(r, &e);
	else
		reply_desk(r, db);
}

void api_processes_absence_end(struct req *r)
{
	struct inop_err e;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (store_absence_end(db, &r->actor, r->now, &e) < 0)
		reply_error(r, &e);
	else
		reply_desk(r, db);
}
