#ifndef INOP_API_API_H
#define INOP_API_API_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/codes.h"
#include "http/http.h"
#include "store/events.h"

/* The route table of the JSON API and the web UI (routes.c). */
extern const struct route api_routes[];
extern const size_t api_n_routes;

/*
 * Reading request bodies: each getter fills err with a 422 naming the
 * field (VALIDATION) and returns -1 when the field is missing (if
 * required), of the wrong type or too long.
 */
int body_str(json_t *body, const char *key, int required, char *out,
	     size_t size, struct inop_err *err);
/* Human text: at most max_chars characters; size >= 4 * max_chars + 1. */
int body_text(json_t *body, const char *key, int required, size_t max_chars,
	      char *out, size_t size, struct inop_err *err);
int body_time(json_t *body, const char *key, int required, int64_t *out,
	      struct inop_err *err);
int body_codes(json_t *body, const char *key, int required, struct codes *out,
	       struct inop_err *err);
int body_bool(json_t *body, const char *key, int *out, struct inop_err *err);
int body_int(json_t *body, const char *key, int64_t *out,
	     struct inop_err *err);

/* The pages of a list: ?limit= 1..API_LIMIT_MAX, ?offset= >= 0. */
#define API_LIMIT_DEFAULT 50
#define API_LIMIT_MAX	  500
/*
 * ?limit= (default `dflt`) and ?offset= (default 0) of a list; -1 with a
 * 422 naming the field when either is not a number in its range.
 */
int api_page(struct req *r, int64_t dflt, int64_t *limit, int64_t *offset,
	     struct inop_err *e);
/* The integer ?key= in [min, max] (dflt when absent), or a 422. */
int api_query_int(struct req *r, const char *key, int64_t min, int64_t max,
		  int64_t dflt, int64_t *out, struct inop_err *e);

/*
 * The handler prologue.  Memory a handler needs for its request comes
 * from the request's arena (freed after the reply): zeroed, or NULL with a
 * 500 replied.
 */
void *api_alloc(struct req *r, size_t size);
/* The database of this thread, or a 500 reply (then NULL). */
struct db *api_db(struct req *r);
struct cal_calendar;
/*
 * The calendar with ADMIN's extra days (store_calendar_acquire), or a 500
 * reply (then NULL).  Give it back with store_calendar_release().
 */
const struct cal_calendar *api_calendar(struct req *r);
/* Replies 500 and logs. */
void reply_internal(struct req *r);

struct event;
struct event_filter;
struct rule_ctx;
/*
 * Loads the event of the path (r->param[0], id or number): replies 404
 * when it does not exist, 403 when the actor may not see it (a JEFE,
 * another point's event) or 500, and returns -1; 0 when loaded.
 */
int api_event_load(struct req *r, struct db *db, struct event *ev);
/*
 * Point scope: a JEFE sees only the events, alerts and critical
 * transactions of the points assigned to them, unless another role grants
 * wider sight on purpose (roles_point_scoped, domain/roles.h).
 */
int api_scoped_to_points(const struct actor *a);
/* The numeric id of the path (":id"), or a 404 about `what` replied. */
int api_path_id(struct req *r, const char *what, int64_t *id);

/* The event of the path, in the arena: NULL when a reply was set. */
struct event *api_event(struct req *r, struct db *db);
/*
 * The event of the path (404/403 as api_event_load), changed through
 * store_event_change() with action/decide/ctx: the event as written, or
 * NULL when an error reply was set.
 */
struct event *api_event_change(struct req *r, struct db *db,
			       const char *action, event_decide_fn decide,
			       void *ctx);
/* The rule context of the actor for `ev` (JEFE of its point?). */
int api_rule_ctx(struct db *db, struct req *r, const struct event *ev,
		 struct rule_ctx *ctx, struct inop_err *e);
/* The events-list query (status, point, procedure, from, to, ...). */
int api_event_filter(struct req *r, struct event_filter *f,
		     struct inop_err *e);
struct db;
/*
 * C1-C3: closes `ev` (loaded in the caller's transaction) as r's actor,
 * and queues its event-closed mail.  Shared by a single close and M3.
 */
int api_event_close_apply(struct db *db, struct req *r, struct event *ev,
			  const char *reason, const char *justification,
			  int64_t ended_at, struct inop_err *e);

/* T1: the event's critical transactions as a JSON array, or NULL. */
json_t *api_critical_json(struct db *db, int64_t event_id);

/* The audit trail of one entity: {"items":[{id, at, actor, action,
 * before, after}], "total"}. */
void reply_audit(struct req *r, struct db *db, const char *entity, int64_t id);

struct mass_failure;
/* M2: the failure fields of a body (applications, started_at, cause,
 * description: each optional here), into a zeroed *mf. */
int api_failure_parse(json_t *b, struct mass_failure *mf, struct inop_err *e);

struct mf_alert;
struct actor;
/*
 * M1: stores a PENDING alert with its mail to the Fallas mailbox, in one
 * transaction (who NULL: the monitoring).  *created = 0 when an alert of
 * the same fingerprint exists.  0 or -1 with e set.
 */
int api_alert_raise(struct req *r, struct db *db, struct mf_alert *a,
		    const struct actor *who, int *created, struct inop_err *e);

struct user;
/* The user object of the API (no password hash). */
json_t *user_to_json(const struct user *u);

/* Handlers, one file per resource. */
void api_healthz(struct req *r);
void api_imports_create(struct req *r);
void api_imports_list(struct req *r);
void api_imports_withdraw(struct req *r);
void api_imports_audit(struct req *r);
void api_social_posts_create(struct req *r);
void api_metrics(struct req *r);
void api_openapi(struct req *r);
void api_catalog(struct req *r);
void api_catalog_cause_create(struct req *r);
void api_catalog_reason_create(struct req *r);
void api_catalog_cause_update(struct req *r);
void api_catalog_reason_update(struct req *r);
/* The catalogue as it is now (section 4 upkeep: changes on any node). */
const struct catalog *api_cat(struct req *r);
void api_session_create(struct req *r);
void api_session_get(struct req *r);
void api_session_delete(struct req *r);
void api_points_create(struct req *r);
void api_points_list(struct req *r);
void api_users_create(struct req *r);
void api_users_list(struct req *r);
void api_events_create(struct req *r);
void api_events_list(struct req *r);
void api_events_get(struct req *r);
void api_events_add_requests(struct req *r);
void api_events_close(struct req *r);
void api_events_annotate(struct req *r);
void api_events_audit(struct req *r);
void api_events_evaluation(struct req *r);
void api_events_impact(struct req *r);
void api_control_events(struct req *r);
void api_events_alerts_create(struct req *r);
void api_events_alerts_list(struct req *r);
void api_events_rule_out(struct req *r);
void api_events_control(struct req *r);
void api_critical_list(struct req *r);
void api_critical_create(struct req *r);
void api_critical_reference(struct req *r);
void api_processes_request(struct req *r);
void api_processes_get(struct req *r);
void api_processes_ruling(struct req *r);
void api_processes_list(struct req *r);
void api_processes_desk(struct req *r);
void api_processes_absence_start(struct req *r);
void api_processes_absence_end(struct req *r);
void api_manual_forms_issue(struct req *r);
void api_manual_forms_list(struct req *r);
void api_manual_forms_pdf(struct req *r);
void api_alerts_create(struct req *r);
void api_alerts_list(struct req *r);
void api_alerts_get(struct req *r);
void api_alerts_confirm(struct req *r);
void api_alerts_discard(struct req *r);
void api_mass_failures_create(struct req *r);
void api_mass_failures_list(struct req *r);
void api_mass_failures_get(struct req *r);
void api_mass_failures_close(struct req *r);
void api_mass_failures_audit(struct req *r);
void api_alerts_audit(struct req *r);
void api_monitoring(struct req *r);
void api_alertmanager(struct req *r);
void api_calendar_add(struct req *r);
void api_calendar_holidays(struct req *r);
void api_calendar_extra_list(struct req *r);
void api_calendar_extra_add(struct req *r);
void api_calendar_extra_remove(struct req *r);
void api_reports_create(struct req *r);
void api_reports_list(struct req *r);
void api_reports_get(struct req *r);
void api_reports_transition(struct req *r);
void api_reports_export(struct req *r);
void api_reports_audit(struct req *r);
void api_deadlines(struct req *r);
void api_complaints_create(struct req *r);
void api_complaint_matters_list(struct req *r);
void api_complaint_matters_update(struct req *r);
void api_complaints_list(struct req *r);
void api_complaints_get(struct req *r);
void api_complaints_transition(struct req *r);
void api_complaints_document(struct req *r);
void api_complaints_audit(struct req *r);

#endif
