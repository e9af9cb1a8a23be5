#ifndef INOP_STORE_EVENTS_H
#define INOP_STORE_EVENTS_H
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"
#include "domain/roles.h"
#include "store/store.h"
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
 * The registration is replayable (store_write_replayable()): `after` may
 * run twice, the first run rolled back, so it keeps nothing but its
 * database writes.
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
 * A page of events: store_page() over `events e` joined with `points p`
 * (where appends the WHERE, without ORDER BY); p->order, bind, ctx, limit
 * and offset as db_page says, this fills the rest of *p.  For other
 * stores only, like store_events_each.  *out malloc'd (free it).  0 or -1.
 */
int store_events_page(struct db *db, struct db_page *p, store_where_fn where,
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
 * Every change of one event goes through here.  In one write transaction
 * (store_write(); called from inside a running body it joins that body's
 * transaction, as M3 does for each event of a failure) it takes the
 * event's row lock, loads it (404 when it does not exist) and lets
 * `decide` check the rules and change it.  With `action` set, the event
 * is then written back, the register version bumped and an audit record
 * `action` holding before and after appended; with `action` NULL,
 * `decide` writes its own rows and audit records (critical transactions,
 * alerts, rulings).  `decide` returns -1 with err set to refuse (its
 * status kept: 403, 409, 422; 500 for a failed write): nothing is written
 * then.  *ev holds the event as written.
 */
typedef int (*event_decide_fn)(struct db *db, struct event *ev, void *ctx,
			       struct inop_err *err);
int store_event_change(struct db *db, const char *key, const char *action,
		       event_decide_fn decide, void *ctx,
		       const struct actor *who, int64_t now, struct event *ev,
		       struct inop_err *err);

/*
 * store_event_change for every OPEN event of mass failure `failure_id`
 * (M3), in the order of their ids: one statement locks them all and they
 * are read 64 at a time, so on PostgreSQL their writes travel in the
 * pipeline with no round trip waited per event.  The first refusal stops
 * and refuses the whole write.  *n: the events changed; *ev the last.
 */
int store_events_change_of_failure(struct db *db, int64_t failure_id,
				   const char *action, event_decide_fn decide,
				   void *ctx, const struct actor *who,
				   int64_t now, struct event *ev, size_t *n,
				   struct inop_err *err);

/* C4: why an event was ruled out. */
struct exclusion {
	char source[16]; /* CONTROL | PROCESOS */
	char reason[EVENT_TEXT_BYTES];
	int64_t created_at;
	char created_by[64];
	char created_by_name[481]; /* the person's name */
};
/*
 * In a transaction: rules `ev` out (events.ruled_out = 1, reportable
 * recomputed, the register version bumped) and records why, with the
 * audit record `action`.  ev is updated.
 */
int store_event_rule_out(struct db *db, struct event *ev, const char *source,
			 const char *reason, const char *action,
			 const struct actor *who, int64_t now);
/* 1 found (ex filled), 0 none, -1 error. */
int store_exclusion_get(struct db *db, int64_t event_id, struct exclusion *ex);

/* C3: a CONTROL annotation on an event, audited.  Sets *id. */
int store_event_annotate(struct db *db, const struct event *ev,
			 const char *text, const struct actor *who,
			 int64_t now, int64_t *id, struct inop_err *err);

/* The audit records of one entity, oldest first; free with the fn. */
struct audit_item {
	int64_t id;
	int64_t at;
	char *actor;
	char *actor_name; /* the person's name; the username when unknown */
	char *action;
	char *before_json; /* may be NULL */
	char *after_json;  /* may be NULL */
};
int store_audit_of(struct db *db, const char *entity, int64_t entity_id,
		   struct audit_item **out, size_t *n);
void audit_items_free(struct audit_item *items, size_t n);

#endif
