#ifndef INOP_STORE_EVENTS_H
#define INOP_STORE_EVENTS_H
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"
#include "domain/roles.h"
#include "util/err.h"

/* The register: events, their numbering, changes and annotations. */

struct event_filter {
	const char *status;	 /* "OPEN" | "CLOSED" | NULL */
	const char *point;	 /* point code or NULL */
	const char *procedure;	 /* or NULL */
	int64_t from, to;	 /* started_at in [from, to); 0: unbounded */
	int reportable;		 /* 1, 0, or -1 for any */
	int64_t jefe_user_id;	 /* > 0: only this user's points */
	int64_t mass_failure_id; /* > 0: only events linked to it */
	int64_t limit, offset;
	/* V1: only events with a failing check (store/control.h) */
	int failing;	   /* 0: no such filter */
	int failing_check; /* with failing: -1 any, else enum check_code */
	int64_t now;	   /* the clock the checks are evaluated at */
};

/*
 * R3 + R8: registers `ev` in one transaction: refuses a second OPEN event
 * for the point and procedure (409 DUPLICATE_OPEN_EVENT, with the open
 * event's id in *open_id), takes the next number of the Lima year of `now`
 * and writes the audit record.  Fills ev->id, number, registered_at and
 * registered_by.  `after` (may be NULL) runs inside the transaction once
 * the event is written, for what must commit with it (its mail) and the
 * checks that must hold at commit (its mass failure still open); -1 from
 * it rolls everything back, with the error it set in err (500 if none).
 */
typedef int (*event_hook_fn)(struct db *db, const struct event *ev, void *ctx,
			     struct inop_err *err);
int store_event_register(struct db *db, struct event *ev,
			 const struct actor *who, int64_t now,
			 int64_t *open_id, event_hook_fn after, void *ctx,
			 struct inop_err *err);

/* By numeric id or by number.  1 found, 0 not, -1 error. */
int store_event_get(struct db *db, const char *key, struct event *ev);

/* Newest first.  *out is malloc'd (free it). */
int store_events_list(struct db *db, const struct event_filter *f,
		      struct event **out, size_t *n, int64_t *total);

/*
 * Calls fn(ev, ctx) for each event of `where`: SQL appended to the event
 * query (columns of `events e` and `points p`), with its `?` bound to the
 * n_args integers of `args` in order.  For other stores only: `where` is
 * never built from user input.  fn returns 0 to go on, -1 to stop (then
 * the result is -1).  0, or -1 on a database error or a stop.
 */
typedef int (*event_each_fn)(const struct event *ev, void *ctx);
int store_events_each(struct db *db, const char *where, const int64_t *args,
		      size_t n_args, event_each_fn fn, void *ctx);

/*
 * Changes one event in one transaction: loads it (under the write lock),
 * lets `decide` check the rules and change it, writes it back with an
 * audit record `action` holding before and after.  `decide` returns 0 to
 * go on, -1 (err set) to refuse; nothing is written then.  404 when the
 * event does not exist.  *ev holds the event as written.
 */
typedef int (*event_decide_fn)(struct db *db, struct event *ev, void *ctx,
			       struct inop_err *err);
int store_event_change(struct db *db, const char *key, const char *action,
		       event_decide_fn decide, void *ctx,
		       const struct actor *who, int64_t now, struct event *ev,
		       struct inop_err *err);
/*
 * The same inside the caller's transaction (M3 closes many events in
 * one): nothing is rolled back here; on -1 the caller rolls back.
 */
int store_event_change_tx(struct db *db, const char *key, const char *action,
			  event_decide_fn decide, void *ctx,
			  const struct actor *who, int64_t now,
			  struct event *ev, struct inop_err *err);

/* C3: a CONTROL annotation on an event, audited.  Sets *id. */
int store_event_annotate(struct db *db, const struct event *ev,
			 const char *text, const struct actor *who,
			 int64_t now, int64_t *id, struct inop_err *err);

/* The audit records of one entity, oldest first; free with the fn. */
struct audit_item {
	int64_t id;
	int64_t at;
	char *actor;
	char *action;
	char *before_json; /* may be NULL */
	char *after_json;  /* may be NULL */
};
int store_audit_of(struct db *db, const char *entity, int64_t entity_id,
		   struct audit_item **out, size_t *n);
void audit_items_free(struct audit_item *items, size_t n);

#endif
