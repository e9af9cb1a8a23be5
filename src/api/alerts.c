/*
 * Mass-failure alerts (SPEC M1-M2): raised by JEFEs or the monitoring,
 * confirmed into a failure or discarded by FALLAS.
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

static int mail_alert(struct db *db, const struct mf_alert *a, void *ctx,
		      struct inop_err *e)
{
	return mail_alert_raised(db, ctx, a) < 0 ? err_internal(e) : 0;
}

static int mail_confirmed(struct db *db, const struct catalog *cat,
			  const struct mass_failure *mf, int64_t now,
			  struct inop_err *e)
{
	return mail_mass_failure_confirmed(db, cat, mf, now) < 0
		       ? err_internal(e)
		       : 0;
}

/* ---------- M1: alerts ---------- */

static int parse_alert(struct req *r, struct mf_alert *a, struct inop_err *e)
{
	json_t *b = r->body;

	memset(a, 0, sizeof(*a));
	(void)str_copy(a->source, sizeof(a->source), "JEFE");
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
	return alert_check(api_cat(r), &ctx, a, e);
}

int api_alert_raise(struct req *r, struct db *db, struct mf_alert *a,
		    const struct actor *who, int *created, struct inop_err *e)
{
	/* the hook only reads the catalogue (mail_alert_raised) */
	return store_alert_raise(db, a, who, r->now, mail_alert,
				 (void *)api_cat(r), created, e);
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
	if (api_page(r, API_LIMIT_DEFAULT, &f.limit, &f.offset, &e) < 0)
		goto fail;
	for (int i = 0; status && *status && statuses[i]; i++)
		if (strcmp(status, statuses[i]) == 0)
			f.status = statuses[i];
	if (status && *status && !f.status) {
		err_validation(&e, "status", "Estado no válido: '%s'", status);
		goto fail;
	}
	if (api_scoped_to_points(&r->actor))
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

	if (api_path_id(r, "la alerta", &id) < 0)
		return -1;
	rc = store_alert_get(db, id, a);
	if (rc == 1 && api_scoped_to_points(&r->actor))
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
		rc = alert_confirm_into(a, c->mf, &r->actor, r->now, e);
	}
	if (rc == 1 && store_mf_update_tx(db, before, c->mf,
					  "mass_failure.add_applications",
					  &r->actor, r->now) < 0)
		rc = err_internal(e);
	if (rc == 1)
		rc = mail_confirmed(db, api_cat(r), c->mf, r->now, e);
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
		(void)str_copy(mf->description, sizeof(mf->description),
			       a->description);
	if (alert_pending_check(a, e) < 0 ||
	    mass_failure_check(api_cat(r), mf, r->now, e) < 0)
		return -1;
	if (store_mf_insert_tx(db, mf, &r->actor, r->now) < 0)
		return err_internal(e);
	alert_mark_confirmed(a, mf->id, &r->actor, r->now);
	return mail_confirmed(db, api_cat(r), mf, r->now, e);
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
	if (api_path_id(r, "la alerta", &id) < 0)
		goto out;
	c.has_apps = json_object_get(r->body, "applications") != NULL;
	c.has_start = json_object_get(r->body, "started_at") != NULL;
	if (body_int(r->body, "mass_failure_id", &c.target_id, &e) < 0 ||
	    (!c.target_id && api_failure_parse(r->body, mf, &e) < 0) ||
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
	return alert_discard(a, d->reason, &d->r->actor, d->r->now, e);
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
	if (api_path_id(r, "la alerta", &id) < 0)
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
