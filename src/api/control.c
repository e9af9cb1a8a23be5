/*
 * Control of events (SPEC V1, V2, E1, E2, C4 ruling-out): the evaluation
 * of one event, the list of events with a failing check, operational-error
 * alerts and ruling an event out of the report.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/e1.h"
#include "calendar/cal.h"
#include "domain/control_json.h"
#include "domain/evaluation.h"
#include "domain/event_json.h"
#include "domain/processes.h"
#include "mail/event_mail.h"
#include "render/chart.h"
#include "store/control.h"
#include "store/evaluation.h"
#include "store/events.h"
#include "store/processes.h"
#include "store/reports.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/str.h"

/* What one event's evaluation needs: large, so it lives on the heap. */
struct eval_buf {
	struct event ev;
	struct processes_request req;
	struct check_facts facts;
	struct check checks[CHECK_COUNT];
	struct e34 e34;
};

/* V1: computes b->checks for b->ev.  0 or -1. */
static int compute_checks(struct db *db, struct req *r, struct eval_buf *b)
{
	if (store_check_facts(db, &b->ev, &b->facts, &b->req) < 0 ||
	    store_evaluation_e34(db, NULL, &b->ev, r->now, &b->e34) < 0)
		return -1;
	b->facts.impact = &b->e34;
	evaluation_checks(api_cat(r), &b->ev, &b->facts, r->now, b->checks);
	return 0;
}

static json_t *e2_json(const struct event *ev, int64_t now)
{
	struct e2_result e2;

	evaluation_e2(ev, now, &e2);
	return json_pack("{s:I, s:b, s:o, s:b}", "minutes",
			 (json_int_t)e2.minutes, "over_1h", e2.over_1h,
			 "closure_reason",
			 e2.closure_reason ? json_string(e2.closure_reason)
					   : json_null(),
			 "ongoing", e2.ongoing);
}

void api_events_evaluation(struct req *r)
{
	struct eval_buf *b = malloc(sizeof(*b));
	struct db *db = api_db(r);
	json_t *e1;
	char at[26];

	if (!b || !db) {
		if (db)
			reply_internal(r);
		free(b);
		return;
	}
	if (api_event_load(r, db, &b->ev) < 0)
		goto out;
	e1 = compute_checks(db, r, b) < 0 ? NULL
					  : api_e1_json(db, &b->ev, r->now);
	if (!e1) {
		reply_internal(r);
		goto out;
	}
	cal_format_lima(r->now, at);
	reply_json(r, 200,
		   json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "event",
			     b->ev.number, "evaluated_at", at, "e1", e1, "e2",
			     e2_json(&b->ev, r->now), "e3",
			     e3_to_json(&b->e34), "e4", e4_to_json(&b->e34),
			     "checks",
			     checks_to_json(b->checks, CHECK_COUNT)));
out:
	free(b);
}

/* GET /events/{id}/impact.svg: the impact chart (render/chart.c). */
void api_events_impact(struct req *r)
{
	struct eval_buf *b = malloc(sizeof(*b));
	struct impact_chart *c = malloc(sizeof(*c));
	struct db *db = api_db(r);
	const struct cat_item *it;
	struct buf out;
	char *data;
	size_t len;

	buf_init(&out, 16u << 20);
	if (!b || !c || !db) {
		if (db)
			reply_internal(r);
		goto out;
	}
	if (api_event_load(r, db, &b->ev) < 0)
		goto out;
	if (store_evaluation_impact(db, NULL, &b->ev, r->now, c) < 0) {
		reply_internal(r);
		goto out;
	}
	it = catalog_find(&r->app->catalog, "procedure", NULL,
			  b->ev.procedure);
	if (it)
		(void)str_copy(c->procedure, sizeof(c->procedure), it->name);
	if (chart_impact_svg(c, &out) < 0) {
		reply_internal(r);
		goto out;
	}
	data = buf_detach(&out, &len);
	reply_bytes(r, 200, "image/svg+xml", data, len);
out:
	buf_release(&out);
	free(c);
	free(b);
}

/* ---------- V1: the events with a failing check ---------- */

static int check_param(struct req *r, int *check, struct inop_err *e)
{
	const char *s = http_query(r, "check");

	*check = -1;
	if (!s || !*s)
		return 0;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (strcmp(s, check_code_name((enum check_code)i)) == 0) {
			*check = i;
			return 0;
		}
	return err_validation(e, "check", "Control desconocido: '%s'", s);
}

static json_t *failing_item(struct db *db, struct req *r, struct eval_buf *b)
{
	json_t *o = event_to_json(&b->ev, NULL), *failing = json_array();

	if (compute_checks(db, r, b) < 0) {
		json_decref(o);
		json_decref(failing);
		return NULL;
	}
	for (int i = 0; i < CHECK_COUNT; i++)
		if (b->checks[i].status == CHECK_FAIL)
			json_array_append_new(failing,
					      json_string(check_code_name(
						      b->checks[i].code)));
	json_object_set_new(o, "failing", failing);
	json_object_set_new(o, "checks",
			    checks_to_json(b->checks, CHECK_COUNT));
	return o;
}

/* Replies the page of events of `f` with their checks. */
static void reply_failing(struct req *r, struct db *db,
			  const struct event_filter *f)
{
	struct eval_buf *b = malloc(sizeof(*b));
	struct event *list = NULL;
	size_t n = 0;
	int64_t total;
	json_t *items = json_array(), *it;

	if (!b || store_events_list(db, f, &list, &n, &total) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		b->ev = list[i];
		it = failing_item(db, r, b);
		if (!it)
			goto fail;
		json_array_append_new(items, it);
	}
	free(b);
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
	return;
fail:
	free(b);
	free(list);
	json_decref(items);
	reply_internal(r);
}

void api_control_events(struct req *r)
{
	struct event_filter f;
	struct inop_err e;
	int check;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (api_event_filter(r, &f, &e) < 0 ||
	    check_param(r, &check, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	f.failing = 1;
	f.failing_check = check;
	f.now = r->now;
	reply_failing(r, db, &f);
}

/* ---------- V2: operational-error alerts ---------- */

static json_t *alert_to_json(const struct operational_alert *a)
{
	char at[26];
	json_t *to = json_array();
	const char *p = a->recipients;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len)
			json_array_append_new(to, json_stringn(p, len));
		p += len;
		if (*p == ',')
			p++;
	}
	cal_format_lima(a->created_at, at);
	return json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:s}", "id",
			 (json_int_t)a->id, "event_id",
			 (json_int_t)a->event_id, "text", a->text,
			 "recipients", to, "created_at", at, "created_by",
			 a->created_by, "created_by_name", a->created_by_name);
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

struct alert_change {
	struct req *r;
	struct operational_alert a;
};

/* V2: the alert and its mail to the point's JEFEs, in one transaction. */
static int decide_alert(struct db *db, struct event *ev, void *arg,
			struct inop_err *e)
{
	struct alert_change *c = arg;

	if (store_alert_insert(db, ev, &c->a, &c->r->actor, c->r->now) < 0 ||
	    mail_operational_error(db, ev, c->a.text, c->r->now) < 0)
		return err_internal(e);
	return 0;
}

void api_events_alerts_create(struct req *r)
{
	struct alert_change *c = api_alloc(r, sizeof(*c));
	struct db *db = c ? api_db(r) : NULL;
	struct inop_err e;

	if (!db)
		return;
	c->r = r;
	if (body_text(r->body, "text", 1, EVENT_TEXT_MAX, c->a.text,
		      sizeof(c->a.text), &e) < 0 ||
	    (blank(c->a.text) &&
	     err_validation(&e, "text", "Describa el error operativo") < 0)) {
		/* The event's 404/403 come first, as for every change. */
		if (api_event(r, db))
			reply_error(r, &e);
		return;
	}
	if (api_event_change(r, db, NULL, decide_alert, c))
		reply_json(r, 201, alert_to_json(&c->a));
}

static json_t *alerts_json(struct db *db, int64_t event_id)
{
	struct operational_alert *list;
	size_t n;
	json_t *a;

	if (store_operational_alerts_list(db, event_id, &list, &n) < 0) {
		free(list);
		return NULL;
	}
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, alert_to_json(&list[i]));
	free(list);
	return a;
}

void api_events_alerts_list(struct req *r)
{
	struct db *db = api_db(r);
	struct event *ev = db ? api_event(r, db) : NULL;
	json_t *items = ev ? alerts_json(db, ev->id) : NULL;

	if (!ev)
		return;
	if (!items)
		reply_internal(r);
	else
		reply_json(r, 200,
			   json_pack("{s:I, s:o}", "total",
				     (json_int_t)json_array_size(items),
				     "items", items));
}

/* ---------- C4: ruling an event out ---------- */

struct rule_out {
	struct req *r;
	char reason[EVENT_TEXT_BYTES];
};

static int decide_rule_out(struct db *db, struct event *ev, void *arg,
			   struct inop_err *e)
{
	struct rule_out *c = arg;
	int64_t report_id;

	if (rule_out_check(ev, c->reason, e) < 0)
		return -1;
	if (store_event_frozen_report(db, ev->id, &report_id) < 0)
		return err_internal(e);
	if (rule_out_report_check(ev, report_id, e) < 0)
		return -1;
	if (store_event_rule_out(db, ev, "CONTROL", c->reason,
				 "event.rule_out", &c->r->actor,
				 c->r->now) < 0)
		return err_internal(e);
	return 0;
}

void api_events_rule_out(struct req *r)
{
	struct rule_out *c = api_alloc(r, sizeof(*c));
	struct db *db = c ? api_db(r) : NULL;
	struct event *ev;
	struct inop_err e;

	if (!db)
		return;
	c->r = r;
	if (body_text(r->body, "reason", 1, EVENT_TEXT_MAX, c->reason,
		      sizeof(c->reason), &e) < 0) {
		if (api_event(r, db))
			reply_error(r, &e);
		return;
	}
	ev = api_event_change(r, db, NULL, decide_rule_out, c);
	if (ev)
		reply_json(r, 200, event_to_json(ev, NULL));
}

/* ---------- everything Control keeps about one event ---------- */

static json_t *exclusion_json(struct db *db, int64_t event_id, int *fail)
{
	struct exclusion *x = malloc(sizeof(*x));
	char at[26];
	json_t *o = json_null();
	int rc = x ? store_exclusion_get(db, event_id, x) : -1;

	*fail = rc < 0;
	if (rc == 1) {
		cal_format_lima(x->created_at, at);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "source", x->source,
			      "reason", x->reason, "created_at", at,
			      "created_by", x->created_by, "created_by_name",
			      x->created_by_name);
	}
	free(x);
	return o;
}

/* GET /events/:id/control: critical transactions, the Procesos request,
 * alerts and the ruling-out, in one answer for the event page. */
void api_events_control(struct req *r)
{
	struct eval_buf *b = malloc(sizeof(*b));
	struct db *db = api_db(r);
	json_t *crit = NULL, *alerts = NULL, *excl;
	int rc, fail;

	if (!b || !db) {
		if (db)
			reply_internal(r);
		free(b);
		return;
	}
	if (api_event_load(r, db, &b->ev) < 0)
		goto out;
	rc = store_processes_get(db, b->ev.id, &b->req);
	crit = api_critical_json(db, b->ev.id);
	alerts = alerts_json(db, b->ev.id);
	excl = exclusion_json(db, b->ev.id, &fail);
	if (rc < 0 || !crit || !alerts || fail) {
		json_decref(excl);
		reply_internal(r);
		goto out;
	}
	reply_json(r, 200,
		   json_pack("{s:o, s:o, s:o, s:o}", "critical", crit,
			     "processes",
			     rc ? processes_to_json(&b->req, r->now)
				: json_null(),
			     "alerts", alerts, "exclusion", excl));
	crit = alerts = NULL;
out:
	json_decref(crit);
	json_decref(alerts);
	free(b);
}
