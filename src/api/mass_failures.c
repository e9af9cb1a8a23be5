/*
 * Mass failures (SPEC M2-M4): declared by FALLAS, closed by SOPORTE
 * together with their open events, and SOPORTE's monitoring view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/event_json.h"
#include "domain/mass_failure_json.h"
#include "mail/event_mail.h"
#include "store/alerts.h"
#include "store/events.h"
#include "store/mass_failures.h"
#include "store/points.h"
#include "store/users.h"
#include "util/buf.h"
#include "util/strnum.h"
#include "util/str.h"

static int mail_declared(struct db *db, const struct mass_failure *mf,
			 void *ctx, struct inop_err *e)
{
	struct req *r = ctx;

	return mail_mass_failure_confirmed(db, api_cat(r), mf, r->now) < 0
		       ? err_internal(e)
		       : 0;
}

int api_failure_parse(json_t *b, struct mass_failure *mf, struct inop_err *e)
{
	memset(mf, 0, sizeof(*mf));
	return body_codes(b, "applications", 0, &mf->applications, e) < 0 ||
			       body_time(b, "started_at", 0, &mf->started_at,
					 e) < 0 ||
			       body_str(b, "cause", 0, mf->cause,
					sizeof(mf->cause), e) < 0 ||
			       body_text(b, "description", 0, EVENT_TEXT_MAX,
					 mf->description,
					 sizeof(mf->description), e) < 0
		       ? -1
		       : 0;
}

void api_mass_failures_create(struct req *r)
{
	struct mass_failure *mf = malloc(sizeof(*mf));
	struct inop_err e;
	struct db *db = api_db(r);

	if (!db || !mf) {
		if (db)
			reply_internal(r);
		free(mf);
		return;
	}
	if (api_failure_parse(r->body, mf, &e) < 0 ||
	    mass_failure_check(api_cat(r), mf, r->now, &e) < 0 ||
	    store_mf_declare(db, mf, &r->actor, r->now, mail_declared, r, &e) <
		    0)
		reply_error(r, &e);
	else
		reply_json(r, 201, mass_failure_to_json(mf, 1));
	free(mf);
}

void api_mass_failures_list(struct req *r)
{
	static const char *const statuses[] = {"CONFIRMED", "CLOSED", NULL};
	struct mass_failure *list = NULL;
	const char *status = http_query(r, "status"), *want = NULL;
	struct inop_err e;
	int64_t limit, offset, total;
	size_t n = 0;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	for (int i = 0; status && *status && statuses[i]; i++)
		if (strcmp(status, statuses[i]) == 0)
			want = statuses[i];
	if (status && *status && !want) {
		err_validation(&e, "status", "Estado no válido: '%s'", status);
		reply_error(r, &e);
		return;
	}
	if (api_page(r, API_LIMIT_DEFAULT, &limit, &offset, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	if (store_mf_list(db, want, limit, &list, &n, &total) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items,
				      mass_failure_to_json(&list[i], 1));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
}

/* The failure of the path: 0, or replied (-1). */
static int load_failure(struct req *r, struct db *db, struct mass_failure *mf)
{
	struct inop_err e;
	int64_t id;
	int rc;

	if (api_path_id(r, "la falla masiva", &id) < 0)
		return -1;
	rc = store_mf_get(db, id, mf);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		reply_internal(r);
		return -1;
	}
	err_set(&e, 404, "NOT_FOUND", NULL, "No existe la falla masiva %lld",
		(long long)id);
	reply_error(r, &e);
	return -1;
}

void api_mass_failures_get(struct req *r)
{
	struct mass_failure *mf = malloc(sizeof(*mf));
	struct db *db = api_db(r);

	if (!db || !mf) {
		if (db)
			reply_internal(r);
	} else if (load_failure(r, db, mf) == 0) {
		reply_json(r, 200, mass_failure_to_json(mf, 1));
	}
	free(mf);
}

void api_mass_failures_audit(struct req *r)
{
	struct mass_failure *mf = malloc(sizeof(*mf));
	struct db *db = api_db(r);

	if (!db || !mf) {
		if (db)
			reply_internal(r);
	} else if (load_failure(r, db, mf) == 0) {
		reply_audit(r, db, "mass_failure", mf->id);
	}
	free(mf);
}

/* ---------- M3: close a failure and its open events ---------- */

struct close {
	struct req *r;
	int64_t ended_at;
	char reason[CODE_LEN];
	char justification[EVENT_TEXT_BYTES];
	size_t closed_events;
};

static int decide_event(struct db *db, struct event *ev, void *arg,
			struct inop_err *e)
{
	struct close *c = arg;

	if (api_event_close_apply(db, c->r, ev, c->reason, c->justification,
				  c->ended_at, e) == 0)
		return 0;
	/* Say which of the many events refused. */
	if (e->status != 500) {
		char msg[sizeof(e->message) + 40];

		/* msg is sized for the number and the message: no cut */
		(void)str_printf(msg, sizeof(msg), "Evento %s: %s", ev->number,
				 e->message);
		/* Cut at the message's size: a long text loses its end. */
		(void)str_printf(e->message, sizeof(e->message), "%.*s",
				 (int)sizeof(e->message) - 1, msg);
	}
	return -1;
}

/* C1 for each OPEN event of the failure, with the same time and reason. */
static int close_events(struct db *db, struct close *c, int64_t mf_id,
			struct inop_err *e)
{
	struct event *ev = malloc(sizeof(*ev));
	int rc = ev ? store_events_change_of_failure(db, mf_id, "event.close",
						     decide_event, c,
						     &c->r->actor, c->r->now,
						     ev, &c->closed_events, e)
		    : err_internal(e);

	free(ev);
	return rc;
}

static int decide_close_failure(struct db *db, struct mass_failure *mf,
				void *arg, struct inop_err *e)
{
	struct close *c = arg;
	struct req *r = c->r;

	(void)db;
	return mass_failure_close(api_cat(r), mf, c->reason, c->justification,
				  c->ended_at, &r->actor, r->now, e);
}

/* After the failure is written: its events, with the same time/reason. */
static int after_close_failure(struct db *db, const struct mass_failure *mf,
			       void *arg, struct inop_err *e)
{
	return close_events(db, arg, mf->id, e);
}

void api_mass_failures_close(struct req *r)
{
	struct mass_failure *mf = malloc(sizeof(*mf));
	struct close *c = calloc(1, sizeof(*c));
	struct inop_err e;
	int64_t id;
	json_t *o;
	struct db *db = api_db(r);

	if (!db || !mf || !c) {
		if (db)
			reply_internal(r);
		goto out;
	}
	c->r = r;
	if (api_path_id(r, "la falla masiva", &id) < 0)
		goto out;
	if (body_time(r->body, "ended_at", 1, &c->ended_at, &e) < 0 ||
	    body_str(r->body, "closure_reason", 1, c->reason,
		     sizeof(c->reason), &e) < 0 ||
	    body_text(r->body, "justification", 0, EVENT_TEXT_MAX,
		      c->justification, sizeof(c->justification), &e) < 0 ||
	    store_mf_change(db, id, "mass_failure.close", decide_close_failure,
			    after_close_failure, c, &r->actor, r->now, mf,
			    &e) < 0) {
		reply_error(r, &e);
		goto out;
	}
	o = mass_failure_to_json(mf, 1);
	json_object_set_new(o, "closed_events",
			    json_integer((json_int_t)c->closed_events));
	reply_json(r, 200, o);
out:
	free(mf);
	free(c);
}

/* ---------- M4: SOPORTE's daily monitoring ---------- */

static json_t *open_failures(struct db *db, int64_t now)
{
	struct mass_failure *list = NULL;
	size_t n = 0;
	int64_t total;
	json_t *items;

	if (store_mf_list(db, "CONFIRMED", API_LIMIT_MAX, &list, &n, &total) <
	    0) {
		free(list);
		return NULL;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = mass_failure_to_json(&list[i], 1);

		json_object_set_new(
			o, "open_minutes",
			json_integer((now - list[i].started_at) / 60));
		json_array_append_new(items, o);
	}
	free(list);
	return items;
}

static json_t *open_events(struct db *db, int64_t now, int64_t limit,
			   int64_t offset, int64_t *total)
{
	struct event_filter f = {.status = "OPEN",
				 .reportable = -1,
				 .limit = limit,
				 .offset = offset};
	struct event *list = NULL;
	size_t n = 0;
	json_t *items;

	if (store_events_list(db, &f, &list, &n, total) < 0) {
		free(list);
		return NULL;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = event_to_json(&list[i], NULL);

		json_object_set_new(
			o, "open_minutes",
			json_integer((now - list[i].started_at) / 60));
		json_array_append_new(items, o);
	}
	free(list);
	return items;
}

static int64_t pending_alerts(struct db *db)
{
	struct alert_filter f = {.status = "PENDING", .limit = 1};
	struct mf_alert *list = NULL;
	size_t n;
	int64_t total = -1;

	if (store_alerts_list(db, &f, &list, &n, &total) < 0)
		total = -1;
	free(list);
	return total;
}

void api_monitoring(struct req *r)
{
	struct inop_err e;
	int64_t limit, offset, total = 0, alerts;
	json_t *failures, *events;
	char now[26];
	struct db *db = api_db(r);

	if (!db)
		return;
	if (api_page(r, API_LIMIT_DEFAULT, &limit, &offset, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	failures = open_failures(db, r->now);
	events = open_events(db, r->now, limit, offset, &total);
	alerts = pending_alerts(db);
	if (!failures || !events || alerts < 0) {
		json_decref(failures);
		json_decref(events);
		reply_internal(r);
		return;
	}
	cal_format_lima(r->now, now);
	reply_json(r, 200,
		   json_pack("{s:s, s:o, s:o, s:I, s:I}", "now", now,
			     "mass_failures", failures, "events", events,
			     "open_events_total", (json_int_t)total,
			     "pending_alerts", (json_int_t)alerts));
}
