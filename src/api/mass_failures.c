/*
 * Mass failures (SPEC M1-M4): alerts raised by JEFEs, confirmed or
 * discarded by FALLAS, failures declared by FALLAS and closed by SOPORTE
 * together with their open events, and SOPORTE's monitoring view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/event_json.h"
#include "domain/mass_failure_json.h"
#include "mail/notify.h"
#include "store/events.h"
#include "store/mass_failures.h"
#include "store/points.h"
#include "store/users.h"
#include "util/buf.h"
#include "util/strnum.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX	   500
#define MAIL_DETAIL_MAX	   4096

/* A JEFE with no other role sees only the alerts of own points. */
static int scoped_to_points(const struct actor *a)
{
	return a->roles == ROLE_JEFE;
}

/* The numeric id of the path, or a 404 reply (then -1). */
static int path_id(struct req *r, const char *what, int64_t *id)
{
	struct inop_err e;

	if (strnum_i64(r->param[0], 1, INT64_MAX, id) == 0)
		return 0;
	err_set(&e, 404, "NOT_FOUND", NULL, "No existe %s '%s'", what,
		r->param[0]);
	reply_error(r, &e);
	return -1;
}

static int query_limit(struct req *r, int64_t *limit, int64_t *offset,
		       struct inop_err *e)
{
	const char *l = http_query(r, "limit"), *o = http_query(r, "offset");

	*limit = LIST_LIMIT_DEFAULT;
	*offset = 0;
	if (l && *l && strnum_i64(l, 1, LIST_LIMIT_MAX, limit) < 0)
		return err_validation(e, "limit",
				      "'limit' debe ser un número entre 1 y "
				      "%d",
				      LIST_LIMIT_MAX);
	if (o && *o && strnum_i64(o, 0, INT32_MAX, offset) < 0)
		return err_validation(e, "offset",
				      "'offset' debe ser un número positivo");
	return 0;
}

/* ---------- the mails (N2) ---------- */

/* "03/11/2026 09:15" in Lima. */
static void human_time(int64_t t, char out[20])
{
	char s[26];

	cal_format_lima(t, s);
	snprintf(out, 20, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s, s + 11);
}

static void app_names(const struct catalog *cat, const struct codes *apps,
		      struct buf *out)
{
	for (size_t i = 0; i < apps->n; i++) {
		const struct cat_item *it =
			catalog_find(cat, "application", NULL, apps->v[i]);

		buf_appendf(out, "%s%s", i ? ", " : "",
			    it ? it->name : apps->v[i]);
	}
}

static int mail_alert(struct db *db, const struct mf_alert *a, void *ctx,
		      struct inop_err *e)
{
	const struct catalog *cat = ctx;
	char ref[600], when[20];
	struct buf d;
	struct notify_args args = {.ref = ref, .link = "/#/fallas"};
	int rc;

	buf_init(&d, MAIL_DETAIL_MAX);
	snprintf(ref, sizeof(ref), "alerta N.º %lld (%s)", (long long)a->id,
		 a->point.id ? a->point.name : "monitoreo");
	human_time(a->observed_at, when);
	if (a->point.id)
		buf_appendf(&d, "Punto: %s (%s). Alertado por: %s. ",
			    a->point.name, a->point.code, a->raised_by);
	else
		buf_appends(&d, "Origen: monitoreo (Alertmanager). ");
	buf_appends(&d, "Aplicativos: ");
	app_names(cat, &a->applications, &d);
	buf_appendf(&d, ". Observada: %s (hora de Lima).", when);
	if (a->description[0])
		buf_appendf(&d, " Descripción: %s", a->description);
	args.detail = d.s;
	rc = notify(db, NOTIFY_ALERT_RAISED, &args, a->raised_at);
	buf_release(&d);
	return rc < 0 ? err_internal(e) : 0;
}

static int mail_confirmed(struct db *db, const struct catalog *cat,
			  const struct mass_failure *mf, int64_t now,
			  struct inop_err *e)
{
	char link[48], when[20];
	const struct cat_item *cause =
		catalog_find(cat, "cause", "FALLA_MASIVA", mf->cause);
	struct buf d, ref;
	struct notify_args args = {.link = link};
	int rc;

	buf_init(&d, MAIL_DETAIL_MAX);
	buf_init(&ref, MAIL_DETAIL_MAX);
	buf_appendf(&ref, "N.º %lld (", (long long)mf->id);
	app_names(cat, &mf->applications, &ref);
	buf_appends(&ref, ")");
	args.ref = ref.s;
	snprintf(link, sizeof(link), "/#/fallas/%lld", (long long)mf->id);
	human_time(mf->started_at, when);
	buf_appends(&d, "Aplicativos: ");
	app_names(cat, &mf->applications, &d);
	buf_appendf(&d, ". Inicio: %s (hora de Lima). Motivo: %s.", when,
		    cause ? cause->name : mf->cause);
	if (mf->description[0])
		buf_appendf(&d, " Descripción: %s", mf->description);
	args.detail = d.s;
	rc = notify(db, NOTIFY_MASS_FAILURE_CONFIRMED, &args, now);
	buf_release(&d);
	buf_release(&ref);
	return rc < 0 ? err_internal(e) : 0;
}

static int mail_declared(struct db *db, const struct mass_failure *mf,
			 void *ctx, struct inop_err *e)
{
	struct req *r = ctx;

	return mail_confirmed(db, &r->app->catalog, mf, r->now, e);
}

/* ---------- M1: alerts ---------- */

static int parse_alert(struct req *r, struct mf_alert *a, struct inop_err *e)
{
	json_t *b = r->body;

	memset(a, 0, sizeof(*a));
	snprintf(a->source, sizeof(a->source), "JEFE");
	if (body_str(b, "point", 1, a->point.code, sizeof(a->point.code), e) <
		    0 ||
	    body_codes(b, "applications", 1, &a->applications, e) < 0 ||
	    body_time(b, "observed_at", 0, &a->observed_at, e) < 0 ||
	    body_text(b, "description", 0, EVENT_TEXT_MAX, a->description,
		      sizeof(a->description), e) < 0)
		return -1;
	/* Seen now, unless the JEFE says when. */
	if (!a->observed_at)
		a->observed_at = r->now;
	return 0;
}

/* M1: the JEFE's point, its scope and the rules. */
static int alert_allowed(struct req *r, struct db *db, struct mf_alert *a,
			 struct inop_err *e)
{
	struct point p;
	struct mf_ctx ctx = {.roles = r->actor.roles, .now = r->now};
	int rc = store_point_by_code(db, a->point.code, &p);

	if (rc < 0)
		return err_internal(e);
	if (rc == 0)
		return err_validation(e, "point", "Punto desconocido: '%s'",
				      a->point.code);
	a->point = p.ref;
	ctx.point_active = p.active;
	rc = store_user_has_point(db, r->actor.id, p.ref.id);
	if (rc < 0)
		return err_internal(e);
	ctx.jefe_of_point = rc;
	return alert_check(&r->app->catalog, &ctx, a, e);
}

int api_alert_raise(struct req *r, struct db *db, struct mf_alert *a,
		    const struct actor *who, int *created, struct inop_err *e)
{
	return store_alert_raise(db, a, who, r->now, mail_alert,
				 &r->app->catalog, created, e);
}

void api_alerts_create(struct req *r)
{
	struct mf_alert *a = malloc(sizeof(*a));
	struct inop_err e;
	struct db *db = api_db(r);
	int created;

	if (!db || !a) {
		if (db)
			reply_internal(r);
		free(a);
		return;
	}
	if (parse_alert(r, a, &e) < 0 || alert_allowed(r, db, a, &e) < 0 ||
	    api_alert_raise(r, db, a, &r->actor, &created, &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, 201, alert_to_json(a));
	free(a);
}

void api_alerts_list(struct req *r)
{
	static const char *const statuses[] = {"PENDING", "CONFIRMED",
					       "DISCARDED", NULL};
	struct alert_filter f = {0};
	struct mf_alert *list = NULL;
	const char *status = http_query(r, "status");
	struct inop_err e;
	size_t n = 0;
	int64_t total;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (query_limit(r, &f.limit, &f.offset, &e) < 0)
		goto fail;
	for (int i = 0; status && *status && statuses[i]; i++)
		if (strcmp(status, statuses[i]) == 0)
			f.status = statuses[i];
	if (status && *status && !f.status) {
		err_validation(&e, "status", "Estado no válido: '%s'", status);
		goto fail;
	}
	if (scoped_to_points(&r->actor))
		f.jefe_user_id = r->actor.id;
	if (store_alerts_list(db, &f, &list, &n, &total) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, alert_to_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
	return;
fail:
	reply_error(r, &e);
}

/* The alert of the path, visible to the actor: 0, or replied (-1). */
static int load_alert(struct req *r, struct db *db, struct mf_alert *a)
{
	struct inop_err e;
	int64_t id;
	int rc;

	if (path_id(r, "la alerta", &id) < 0)
		return -1;
	rc = store_alert_get(db, id, a);
	if (rc == 1 && scoped_to_points(&r->actor))
		rc = a->point.id && store_user_has_point(db, r->actor.id,
							 a->point.id) == 1
			     ? 1
			     : 2;
	if (rc < 0) {
		reply_internal(r);
		return -1;
	}
	if (rc == 1)
		return 0;
	if (rc == 0)
		err_set(&e, 404, "NOT_FOUND", NULL, "No existe la alerta '%s'",
			r->param[0]);
	else
		err_set(&e, 403, "FORBIDDEN", NULL,
			"La alerta es de un punto que no tiene asignado");
	reply_error(r, &e);
	return -1;
}

void api_alerts_get(struct req *r)
{
	struct mf_alert *a = malloc(sizeof(*a));
	struct db *db = api_db(r);

	if (!db || !a) {
		if (db)
			reply_internal(r);
	} else if (load_alert(r, db, a) == 0) {
		reply_json(r, 200, alert_to_json(a));
	}
	free(a);
}

void api_alerts_audit(struct req *r)
{
	struct mf_alert *a = malloc(sizeof(*a));
	struct db *db = api_db(r);

	if (!db || !a) {
		if (db)
			reply_internal(r);
	} else if (load_alert(r, db, a) == 0) {
		reply_audit(r, db, "mass_failure_alert", a->id);
	}
	free(a);
}

/* ---------- M2: confirm, discard, declare ---------- */

struct confirm {
	struct req *r;
	int64_t target_id;	 /* an existing failure, or 0: a new one */
	struct mass_failure *mf; /* the new failure's fields; as written */
	int has_apps, has_start; /* given in the body */
};

static int parse_failure(json_t *b, struct mass_failure *mf,
			 struct inop_err *e)
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

/*
 * Into an existing failure: it must exist and be open.  When the alert
 * brings applications the failure lacked, the failure grows (audited)
 * and the JEFEs hear of it again: it now covers more outages.
 */
static int confirm_existing(struct db *db, struct confirm *c,
			    struct mf_alert *a, struct inop_err *e)
{
	struct mass_failure *before = malloc(sizeof(*before));
	struct req *r = c->r;
	int rc;

	if (!before)
		return err_internal(e);
	rc = store_mf_lock_get(db, c->target_id, c->mf);
	if (rc == 0)
		rc = err_validation(e, "mass_failure_id",
				    "No existe la falla masiva %lld",
				    (long long)c->target_id);
	if (rc > 0) {
		*before = *c->mf;
		rc = alert_confirm_into(a, c->mf, r->actor.username, r->now,
					e);
	}
	if (rc == 1 && store_mf_update_tx(db, before, c->mf,
					  "mass_failure.add_applications",
					  &r->actor, r->now) < 0)
		rc = err_internal(e);
	if (rc == 1)
		rc = mail_confirmed(db, &r->app->catalog, c->mf, r->now, e);
	free(before);
	return rc < 0 ? -1 : 0;
}

/* Into a new failure: the alert's data fill what the body leaves out. */
static int confirm_new(struct db *db, struct confirm *c, struct mf_alert *a,
		       struct inop_err *e)
{
	struct req *r = c->r;
	struct mass_failure *mf = c->mf;

	if (!c->has_apps)
		mf->applications = a->applications;
	if (!c->has_start)
		mf->started_at = a->observed_at;
	if (!mf->description[0])
		snprintf(mf->description, sizeof(mf->description), "%s",
			 a->description);
	if (alert_pending_check(a, e) < 0 ||
	    mass_failure_check(&r->app->catalog, mf, r->now, e) < 0)
		return -1;
	if (store_mf_insert_tx(db, mf, &r->actor, r->now) < 0)
		return err_internal(e);
	alert_mark_confirmed(a, mf->id, r->actor.username, r->now);
	return mail_confirmed(db, &r->app->catalog, mf, r->now, e);
}

static int decide_confirm(struct db *db, struct mf_alert *a, void *arg,
			  struct inop_err *e)
{
	struct confirm *c = arg;

	if (c->target_id)
		return confirm_existing(db, c, a, e);
	return confirm_new(db, c, a, e);
}

static json_t *confirm_reply(const struct mf_alert *a,
			     const struct mass_failure *mf)
{
	json_t *o = alert_to_json(a);

	json_object_set_new(o, "mass_failure", mass_failure_to_json(mf, 1));
	return o;
}

void api_alerts_confirm(struct req *r)
{
	struct mf_alert *a = malloc(sizeof(*a));
	struct mass_failure *mf = malloc(sizeof(*mf));
	struct confirm c = {.r = r, .mf = mf};
	struct inop_err e;
	int64_t id;
	struct db *db = api_db(r);

	if (!db || !a || !mf) {
		if (db)
			reply_internal(r);
		goto out;
	}
	if (path_id(r, "la alerta", &id) < 0)
		goto out;
	c.has_apps = json_object_get(r->body, "applications") != NULL;
	c.has_start = json_object_get(r->body, "started_at") != NULL;
	if (body_int(r->body, "mass_failure_id", &c.target_id, &e) < 0 ||
	    (!c.target_id && parse_failure(r->body, mf, &e) < 0) ||
	    store_alert_change(db, id, "alert.confirm", decide_confirm, &c,
			       &r->actor, r->now, a, &e) < 0) {
		reply_error(r, &e);
		goto out;
	}
	if (store_mf_get(db, a->mass_failure_id, mf) != 1)
		reply_internal(r);
	else
		reply_json(r, 200, confirm_reply(a, mf));
out:
	free(a);
	free(mf);
}

struct discard {
	struct req *r;
	char reason[EVENT_TEXT_BYTES];
};

static int decide_discard(struct db *db, struct mf_alert *a, void *arg,
			  struct inop_err *e)
{
	struct discard *d = arg;

	(void)db;
	return alert_discard(a, d->reason, d->r->actor.username, d->r->now, e);
}

void api_alerts_discard(struct req *r)
{
	struct mf_alert *a = malloc(sizeof(*a));
	struct discard *d = malloc(sizeof(*d));
	struct inop_err e;
	int64_t id;
	struct db *db = api_db(r);

	if (!db || !a || !d) {
		if (db)
			reply_internal(r);
		goto out;
	}
	d->r = r;
	if (path_id(r, "la alerta", &id) < 0)
		goto out;
	if (body_text(r->body, "reason", 1, EVENT_TEXT_MAX, d->reason,
		      sizeof(d->reason), &e) < 0 ||
	    store_alert_change(db, id, "alert.discard", decide_discard, d,
			       &r->actor, r->now, a, &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, 200, alert_to_json(a));
out:
	free(a);
	free(d);
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
	if (parse_failure(r->body, mf, &e) < 0 ||
	    mass_failure_check(&r->app->catalog, mf, r->now, &e) < 0 ||
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
	if (query_limit(r, &limit, &offset, &e) < 0) {
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

	if (path_id(r, "la falla masiva", &id) < 0)
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

		snprintf(msg, sizeof(msg), "Evento %s: %s", ev->number,
			 e->message);
		/* Cut at the message's size: a long text loses its end. */
		snprintf(e->message, sizeof(e->message), "%.*s",
			 (int)sizeof(e->message) - 1, msg);
	}
	return -1;
}

/* C1 for each OPEN event of the failure, with the same time and reason. */
static int close_events(struct db *db, struct close *c, int64_t mf_id,
			struct inop_err *e)
{
	struct event *ev = malloc(sizeof(*ev));
	int64_t *ids = NULL;
	size_t n = 0;
	char key[24];
	int rc = 0;

	if (!ev || store_mf_open_event_ids(db, mf_id, &ids, &n) < 0)
		rc = err_internal(e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		snprintf(key, sizeof(key), "%lld", (long long)ids[i]);
		rc = store_event_change(db, key, "event.close", decide_event,
					c, &c->r->actor, c->r->now, ev, e);
	}
	c->closed_events = rc == 0 ? n : 0;
	free(ids);
	free(ev);
	return rc;
}

static int decide_close_failure(struct db *db, struct mass_failure *mf,
				void *arg, struct inop_err *e)
{
	struct close *c = arg;
	struct req *r = c->r;

	(void)db;
	return mass_failure_close(&r->app->catalog, mf, c->reason,
				  c->justification, c->ended_at,
				  r->actor.username, r->now, e);
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
	if (path_id(r, "la falla masiva", &id) < 0)
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

	if (store_mf_list(db, "CONFIRMED", LIST_LIMIT_MAX, &list, &n, &total) <
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
	if (query_limit(r, &limit, &offset, &e) < 0) {
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
