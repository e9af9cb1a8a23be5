/* The register: POST/GET events, add requests, close, annotate, audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/event_json.h"
#include "mail/event_mail.h"
#include "store/calendar.h"
#include "store/events.h"
#include "store/mass_failures.h"
#include "store/store.h"
#include "store/points.h"
#include "store/users.h"
#include "util/config.h"
#include "util/rcache.h"
#include "util/strnum.h"
#include "util/str.h"

static int parse_event(struct req *r, struct event *ev, struct inop_err *e)
{
	json_t *b = r->body;

	memset(ev, 0, sizeof(*ev));
	if (body_str(b, "point", 1, ev->point.code, sizeof(ev->point.code),
		     e) < 0 ||
	    body_str(b, "procedure", 1, ev->procedure, sizeof(ev->procedure),
		     e) < 0 ||
	    body_codes(b, "requests", 1, &ev->requests, e) < 0 ||
	    body_codes(b, "applications", 1, &ev->applications, e) < 0 ||
	    body_str(b, "scenario", 1, ev->scenario, sizeof(ev->scenario), e) <
		    0 ||
	    body_str(b, "cause", 0, ev->cause, sizeof(ev->cause), e) < 0 ||
	    body_int(b, "mass_failure_id", &ev->mass_failure_id, e) < 0 ||
	    body_time(b, "started_at", 1, &ev->started_at, e) < 0 ||
	    body_bool(b, "attest_total", &ev->attest_total, e) < 0 ||
	    body_str(b, "origin", 0, ev->origin, sizeof(ev->origin), e) < 0 ||
	    body_str(b, "manual_form_ref", 0, ev->manual_form_ref,
		     sizeof(ev->manual_form_ref), e) < 0 ||
	    body_text(b, "description", 0, EVENT_TEXT_MAX, ev->description,
		      sizeof(ev->description), e) < 0 ||
	    body_text(b, "late_justification", 0, EVENT_TEXT_MAX,
		      ev->late_justification, sizeof(ev->late_justification),
		      e) < 0)
		return -1;
	/* Only a mass-failure event links to a mass failure. */
	if (strcmp(ev->scenario, "FALLA_MASIVA") != 0)
		ev->mass_failure_id = 0;
	if (!ev->origin[0])
		(void)str_copy(ev->origin, sizeof(ev->origin), "SISTEMA");
	return 0;
}

/* report_due (O3) counts ADMIN's extra non-working days too. */
static void reply_event(struct req *r, int status, const struct event *ev)
{
	const struct cal_calendar *cal = api_calendar(r);
	char *s;

	if (!cal)
		return;
	/* Written directly, without jansson values (event_json.h). */
	s = event_json_text(ev, cal);
	if (s)
		reply_bytes(r, status, "application/json; charset=utf-8", s,
			    strlen(s));
	else
		reply_json(r, status, event_to_json(ev, cal));
	store_calendar_release(cal);
}

static void reply_duplicate(struct req *r, const struct inop_err *e,
			    int64_t open_id, const struct event *ev)
{
	struct event open;
	char key[24];
	json_t *err;

	(void)str_printf(key, sizeof(key), "%lld", (long long)open_id);
	err = json_pack("{s:s, s:s, s:s}", "code", e->code, "message",
			e->message, "field", e->field);
	if (store_event_get(store_conn(), key, &open) == 1)
		json_object_set_new(err, "open_event",
				    json_pack("{s:I, s:s, s:o}", "id",
					      (json_int_t)open.id, "number",
					      open.number, "requests",
					      codes_to_json(&open.requests)));
	(void)ev;
	reply_json(r, 409, json_pack("{s:o}", "error", err));
}

/*
 * R6 at commit: the mass failure the event links to is still open (SOPORTE
 * may have closed it since the check), so M3 never leaves an event of it
 * open.
 */
static int mass_failure_still_open(struct db *db, const struct event *ev,
				   struct inop_err *e)
{
	struct mass_failure *mf;
	int rc;

	if (!ev->mass_failure_id)
		return 0;
	mf = malloc(sizeof(*mf));
	if (!mf)
		return err_internal(e);
	rc = store_mf_get_uncounted(db, ev->mass_failure_id, mf);
	if (rc == 1 && !mf->open)
		rc = err_set(e, 422, "NO_MASS_FAILURE", "mass_failure_id",
			     "La falla masiva %lld se acaba de cerrar: ya no "
			     "se registran eventos en ella",
			     (long long)mf->id);
	else
		rc = rc == 1 ? 0 : err_internal(e);
	free(mf);
	return rc;
}

static int mail_registered(struct db *db, const struct event *ev, void *ctx,
			   struct inop_err *e)
{
	(void)ctx;
	if (mass_failure_still_open(db, ev, e) < 0)
		return -1;
	return mail_event_registered(db, ev) < 0 ? err_internal(e) : 0;
}

/*
 * R6: the mass failure of a FALLA_MASIVA registration.  With
 * mass_failure_id: that failure, if it is open and covers one of the
 * event's applications.  Without: the one open failure covering one of
 * them, which is then linked; none, or several (the registrant must
 * choose), is NO_MASS_FAILURE.  *ok says whether R6 holds.
 */
static int mass_failure_link(struct db *db, struct event *ev, int *ok,
			     int *several)
{
	struct mass_failure *mf;
	int count, rc;

	*ok = 0;
	*several = 0;
	if (strcmp(ev->scenario, "FALLA_MASIVA") != 0)
		return 0;
	if (!ev->mass_failure_id) {
		if (store_mf_open_covering(db, &ev->applications,
					   &ev->mass_failure_id, &count) < 0)
			return -1;
		*ok = count == 1;
		*several = count > 1;
		if (!*ok)
			ev->mass_failure_id = 0;
		return 0;
	}
	mf = malloc(sizeof(*mf));
	if (!mf)
		return -1;
	rc = store_mf_get_uncounted(db, ev->mass_failure_id, mf);
	*ok = rc == 1 && mass_failure_covers(mf, &ev->applications);
	free(mf);
	return rc < 0 ? -1 : 0;
}

static void several_failures(struct inop_err *e)
{
	err_set(e, 422, "NO_MASS_FAILURE", "mass_failure_id",
		"Hay varias fallas masivas abiertas que cubren estos "
		"aplicativos: indique en cuál registra (mass_failure_id)");
}

void api_events_create(struct req *r)
{
	struct event *ev = malloc(sizeof(*ev));
	struct rule_ctx ctx = {
		.roles = r->actor.roles,
		.now = r->now,
		.manual_max_age_s =
			(int64_t)r->app->cfg->manual_max_age_days * 86400};
	struct point p;
	struct inop_err e;
	int64_t open_id = 0;
	struct db *db = api_db(r);
	int rc, several;

	if (!db || !ev) {
		if (db)
			reply_internal(r);
		free(ev);
		return;
	}
	if (parse_event(r, ev, &e) < 0)
		goto fail;
	rc = store_point_for_user(db, ev->point.code, r->actor.id, &p,
				  &ctx.jefe_of_point);
	if (rc < 0)
		goto internal;
	if (rc == 0) {
		err_validation(&e, "point", "Punto desconocido: '%s'",
			       ev->point.code);
		goto fail;
	}
	ev->point = p.ref;
	ctx.point_active = p.active;
	if (mass_failure_link(db, ev, &ctx.mass_failure_ok, &several) < 0)
		goto internal;
	if (registration_check(api_cat(r), &ctx, ev, &e) < 0) {
		if (several && strcmp(e.code, "NO_MASS_FAILURE") == 0)
			several_failures(&e);
		goto fail;
	}
	if (store_event_register(db, ev, &r->actor, r->now, &open_id,
				 mail_registered, NULL, &e) < 0) {
		if (e.status == 409)
			reply_duplicate(r, &e, open_id, ev);
		else
			reply_error(r, &e);
		goto out;
	}
	reply_event(r, 201, ev);
	goto out;
internal:
	reply_internal(r);
	goto out;
fail:
	reply_error(r, &e);
out:
	free(ev);
}

/* A Lima date query parameter as a UTC bound; 0 when absent. */
static int query_date(struct req *r, const char *key, int next_day,
		      int64_t *out, struct inop_err *e)
{
	const char *s = http_query(r, key);
	struct cal_date d;

	*out = 0;
	if (!s || !*s)
		return 0;
	if (cal_parse_date(s, &d) < 0)
		return err_validation(
			e, key, "'%s' debe ser una fecha AAAA-MM-DD", key);
	if (next_day)
		d = cal_from_day_number(cal_day_number(d) + 1);
	*out = cal_lima_day_start(d);
	return 0;
}

static int query_enum(struct req *r, const char *key,
		      const char *const *allowed, const char **out,
		      struct inop_err *e)
{
	const char *s = http_query(r, key);

	*out = NULL;
	if (!s || !*s)
		return 0;
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0) {
			*out = *allowed;
			return 0;
		}
	return err_validation(e, key, "Valor no válido para '%s': '%s'", key,
			      s);
}

int api_event_filter(struct req *r, struct event_filter *f, struct inop_err *e)
{
	static const char *const statuses[] = {"OPEN", "CLOSED", NULL};
	static const char *const bools[] = {"true", "false", NULL};
	const char *rep, *proc = http_query(r, "procedure");

	memset(f, 0, sizeof(*f));
	if (query_enum(r, "status", statuses, &f->status, e) < 0 ||
	    query_enum(r, "reportable", bools, &rep, e) < 0 ||
	    query_date(r, "from", 0, &f->from, e) < 0 ||
	    query_date(r, "to", 1, &f->to, e) < 0 ||
	    api_page(r, API_LIMIT_DEFAULT, &f->limit, &f->offset, e) < 0 ||
	    api_query_int(r, "mass_failure", 1, INT64_MAX, 0,
			  &f->mass_failure_id, e) < 0)
		return -1;
	if (proc && *proc &&
	    !catalog_find(api_cat(r), "procedure", NULL, proc))
		return err_validation(e, "procedure",
				      "Tipo de trámite desconocido: '%s'",
				      proc);
	f->procedure = proc && *proc ? proc : NULL;
	f->point = http_query(r, "point");
	if (f->point && !*f->point)
		f->point = NULL;
	f->reportable = rep ? strcmp(rep, "true") == 0 : -1;
	if (api_scoped_to_points(&r->actor))
		f->jefe_user_id = r->actor.id;
	return 0;
}

/* The cache key of a list: who may see what, and the filter.  0 when it
 * does not fit (then the reply is not cached). */
static int list_key(const struct event_filter *f, char *key, size_t n)
{
	return str_printf(key, n,
			  "events|%lld|%s|%s|%s|%lld|%lld|%d|%lld|%lld|%lld",
			  (long long)f->jefe_user_id,
			  f->status ? f->status : "", f->point ? f->point : "",
			  f->procedure ? f->procedure : "", (long long)f->from,
			  (long long)f->to, f->reportable, (long long)f->limit,
			  (long long)f->offset,
			  (long long)f->mass_failure_id) == 0;
}

/*
 * Lists are read far more often than the register changes (every open
 * screen polls): a rendered list is reused until the register version
 * moves.  The version is read before the list, so a reply is never older
 * than the version it is filed under.
 */
void api_events_list(struct req *r)
{
	struct event_filter f;
	struct event *list = NULL;
	const struct cal_calendar *cal;
	struct inop_err e;
	size_t n, len;
	int64_t total, version;
	char key[512], *text;
	const char *cached;
	int cacheable;
	json_t *items, *body;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (api_event_filter(r, &f, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	cacheable = list_key(&f, key, sizeof(key));
	if (store_register_version(db, &version) < 0) {
		reply_internal(r);
		return;
	}
	cached = cacheable ? rcache_get(key, version, &len) : NULL;
	if (cached) {
		reply_shared(r, 200, "application/json; charset=utf-8", cached,
			     len, rcache_release, (void *)cached);
		return;
	}
	cal = api_calendar(r);
	if (!cal)
		return;
	if (store_events_list(db, &f, &list, &n, &total) < 0) {
		store_calendar_release(cal);
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, event_to_json(&list[i], cal));
	store_calendar_release(cal);
	free(list);
	body = json_pack("{s:o, s:I}", "items", items, "total",
			 (json_int_t)total);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text) {
		reply_internal(r);
		return;
	}
	if (cacheable)
		rcache_put(key, version, text, strlen(text));
	reply_bytes(r, 200, "application/json; charset=utf-8", text,
		    strlen(text));
}

/*
 * Loads the event of the path: 404 when it does not exist, 403 when the
 * actor may not see it (a JEFE, another point's event).
 */
int api_event_load(struct req *r, struct db *db, struct event *ev)
{
	struct inop_err e;
	int rc = store_event_get(db, r->param[0], ev);

	if (rc < 0) {
		reply_internal(r);
		return -1;
	}
	if (rc == 0) {
		err_set(&e, 404, "NOT_FOUND", NULL, "No existe el evento '%s'",
			r->param[0]);
		reply_error(r, &e);
		return -1;
	}
	if (!api_scoped_to_points(&r->actor))
		return 0;
	rc = store_user_has_point(db, r->actor.id, ev->point.id);
	if (rc < 0) {
		reply_internal(r);
		return -1;
	}
	if (rc == 0) {
		err_set(&e, 403, "FORBIDDEN", NULL,
			"El evento %s es de un punto que no tiene asignado",
			ev->number);
		reply_error(r, &e);
		return -1;
	}
	return 0;
}

struct event *api_event(struct req *r, struct db *db)
{
	struct event *ev = api_alloc(r, sizeof(*ev));

	return ev && api_event_load(r, db, ev) == 0 ? ev : NULL;
}

struct event *api_event_change(struct req *r, struct db *db,
			       const char *action, event_decide_fn decide,
			       void *ctx)
{
	struct event *ev = api_event(r, db);
	struct inop_err e;

	if (!ev)
		return NULL;
	if (store_event_change(db, r->param[0], action, decide, ctx, &r->actor,
			       r->now, ev, &e) < 0) {
		reply_error(r, &e);
		return NULL;
	}
	return ev;
}

void api_events_get(struct req *r)
{
	struct db *db = api_db(r);
	struct event *ev = db ? api_event(r, db) : NULL;

	if (ev)
		reply_event(r, 200, ev);
}

struct change {
	struct req *r;
	struct codes requests;
	char reason[CODE_LEN];
	char justification[EVENT_TEXT_BYTES];
	int64_t ended_at;
};

int api_rule_ctx(struct db *db, struct req *r, const struct event *ev,
		 struct rule_ctx *ctx, struct inop_err *e)
{
	/* Only a JEFE can be the point's JEFE: no question to the store
	 * for the other roles (M3 closes thousands of events). */
	int rc = (r->actor.roles & ROLE_JEFE)
			 ? store_user_has_point(db, r->actor.id, ev->point.id)
			 : 0;

	if (rc < 0)
		return err_internal(e);
	*ctx = (struct rule_ctx){.roles = r->actor.roles,
				 .jefe_of_point = rc,
				 .point_active = 1,
				 .now = r->now};
	return 0;
}

static int decide_requests(struct db *db, struct event *ev, void *arg,
			   struct inop_err *e)
{
	struct change *c = arg;
	struct rule_ctx ctx;

	if (api_rule_ctx(db, c->r, ev, &ctx, e) < 0)
		return -1;
	return requests_merge(api_cat(c->r), &ctx, ev, &c->requests, e);
}

int api_event_close_apply(struct db *db, struct req *r, struct event *ev,
			  const char *reason, const char *justification,
			  int64_t ended_at, struct inop_err *e)
{
	struct rule_ctx ctx;

	if (api_rule_ctx(db, r, ev, &ctx, e) < 0 ||
	    closure_check(api_cat(r), &ctx, ev, reason, justification,
			  ended_at, e) < 0)
		return -1;
	ev->open = 0;
	ev->ended_at = ended_at;
	/* the sources are fields of the same sizes: no cut */
	(void)str_copy(ev->closure_reason, sizeof(ev->closure_reason), reason);
	(void)str_copy(ev->justification, sizeof(ev->justification),
		       justification ? justification : "");
	(void)str_copy(ev->closed_by, sizeof(ev->closed_by),
		       r->actor.username);
	(void)str_copy(ev->closed_by_name, sizeof(ev->closed_by_name),
		       r->actor.name);
	if (mail_event_closed(db, ev, r->now) < 0)
		return err_internal(e);
	return 0;
}

static int decide_close(struct db *db, struct event *ev, void *arg,
			struct inop_err *e)
{
	struct change *c = arg;

	return api_event_close_apply(db, c->r, ev, c->reason, c->justification,
				     c->ended_at, e);
}

static void change_event(struct req *r, const char *action,
			 event_decide_fn decide, struct change *c)
{
	struct db *db = api_db(r);
	struct event *ev =
		db ? api_event_change(r, db, action, decide, c) : NULL;

	if (ev)
		reply_event(r, 200, ev);
}

void api_events_add_requests(struct req *r)
{
	struct change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	if (body_codes(r->body, "requests", 1, &c->requests, &e) < 0)
		reply_error(r, &e);
	else
		change_event(r, "event.add_requests", decide_requests, c);
}

void api_events_close(struct req *r)
{
	struct change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	if (body_time(r->body, "ended_at", 1, &c->ended_at, &e) < 0 ||
	    body_str(r->body, "closure_reason", 1, c->reason,
		     sizeof(c->reason), &e) < 0 ||
	    body_text(r->body, "justification", 0, EVENT_TEXT_MAX,
		      c->justification, sizeof(c->justification), &e) < 0)
		reply_error(r, &e);
	else
		change_event(r, "event.close", decide_close, c);
}

void api_events_annotate(struct req *r)
{
	char *text = api_alloc(r, EVENT_TEXT_BYTES);
	struct db *db = text ? api_db(r) : NULL;
	struct event *ev = db ? api_event(r, db) : NULL;
	struct inop_err e;
	int64_t id;

	if (!ev)
		return;
	if (body_text(r->body, "text", 1, EVENT_TEXT_MAX, text,
		      EVENT_TEXT_BYTES, &e) < 0 ||
	    store_event_annotate(db, ev, text, &r->actor, r->now, &id, &e) <
		    0) {
		reply_error(r, &e);
		return;
	}
	reply_json(r, 201,
		   json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id,
			     "event", ev->number, "text", text, "by",
			     r->actor.username));
}

static json_t *json_or_null(const char *s)
{
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;

	return v ? v : json_null();
}

void reply_audit(struct req *r, struct db *db, const char *entity, int64_t id)
{
	struct audit_item *items = NULL;
	size_t n = 0;
	char at[26];
	json_t *list;

	if (store_audit_of(db, entity, id, &items, &n) < 0) {
		audit_items_free(items, n);
		reply_internal(r);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		cal_format_lima(items[i].at, at);
		json_array_append_new(
			list,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
				  (json_int_t)items[i].id, "at", at, "actor",
				  items[i].actor, "actor_name",
				  items[i].actor_name ? items[i].actor_name
						      : items[i].actor,
				  "action", items[i].action, "before",
				  json_or_null(items[i].before_json), "after",
				  json_or_null(items[i].after_json)));
	}
	audit_items_free(items, n);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", list, "total",
			     (json_int_t)n));
}

void api_events_audit(struct req *r)
{
	struct db *db = api_db(r);
	struct event *ev = db ? api_event(r, db) : NULL;

	if (ev)
		reply_audit(r, db, "event", ev->id);
}
