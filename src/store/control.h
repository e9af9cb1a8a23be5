#ifndef INOP_STORE_CONTROL_H
#define INOP_STORE_CONTROL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/critical.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "domain/roles.h"
#include "util/buf.h"
#include "util/err.h"

/*
 * Control and contingency around one event: critical transactions (T1),
 * operational-error alerts (V2), ruling an event out (C4) and the facts
 * the V1 checks need.
 *
 * Changes run through store_event_locked(): one write transaction with the
 * event loaded under the write lock, in which a callback applies the
 * domain rules and calls the row functions below (each writes its audit
 * record, entity "event").  The row functions must only be called inside
 * such a transaction.
 */

/*
 * Appends an audit record (entity "event") about event ev_id inside the
 * current transaction; takes ownership of the JSON values (may be NULL).
 */
int control_audit(struct db *db, int64_t ev_id, const char *action,
		  json_t *before, json_t *after, const char *actor,
		  int64_t now);

typedef int (*event_locked_fn)(struct db *db, struct event *ev, void *ctx,
			       struct inop_err *err);
/*
 * Through store_write() (store/writer.h): in one write transaction, takes
 * the row lock of the event `key`, loads it (404 when it does not exist)
 * and calls fn; it commits when fn returns 0, and nothing is written when
 * fn returns -1 with err set (its status kept: 403, 409, 422, or 500 for
 * a failed write).  *ev holds the event.
 */
int store_event_locked(struct db *db, const char *key, event_locked_fn fn,
		       void *ctx, struct event *ev, struct inop_err *err);

/* T1: inserts tx (sets tx->id, recorded_*) and its audit record. */
int store_critical_insert(struct db *db, const struct event *ev,
			  struct critical_tx *tx, const struct actor *who,
			  int64_t now);
/* One critical transaction of an event: 1 found, 0 not, -1 error. */
int store_critical_get(struct db *db, int64_t event_id, int64_t id,
		       struct critical_tx *tx);
/* T1: adds the system reference (tx updated) and its audit record. */
int store_critical_set_ref(struct db *db, const struct event *ev,
			   struct critical_tx *tx, const char *system_ref,
			   const struct actor *who, int64_t now);
/* The event's critical transactions, oldest first; *out malloc'd. */
int store_critical_list(struct db *db, int64_t event_id,
			struct critical_tx **out, size_t *n);

/* V2: one operational-error alert. */
struct operational_alert {
	int64_t id;
	int64_t event_id;
	char text[EVENT_TEXT_BYTES];
	char recipients[1024]; /* the point's JEFEs' addresses */
	int64_t created_at;
	char created_by[64];
};
/*
 * V2, in a store_event_locked() transaction: records the alert for `ev`,
 * addressed to the active JEFEs of its point (a->recipients is filled),
 * with its audit record.  Sets a->id.
 */
int store_alert_insert(struct db *db, const struct event *ev,
		       struct operational_alert *a, const struct actor *who,
		       int64_t now);
/* The event's alerts, oldest first; *out malloc'd. */
int store_operational_alerts_list(struct db *db, int64_t event_id,
				  struct operational_alert **out, size_t *n);

/* C4: why an event was ruled out. */
struct exclusion {
	char source[16]; /* CONTROL | PROCESOS */
	char reason[EVENT_TEXT_BYTES];
	int64_t created_at;
	char created_by[64];
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

/*
 * V1: the facts of `ev` the checks need.  `req` receives the Procesos
 * request and facts->processes points to it, or is NULL when none.
 */
int store_check_facts(struct db *db, const struct event *ev,
		      struct check_facts *facts,
		      struct processes_request *req);

/*
 * V1 in SQL, for listing events with a failing check: appends to `sql` a
 * condition (on `events e JOIN points p`) true exactly when the check
 * `check` (enum check_code, or -1 for any) is CHECK_FAIL, as
 * evaluation_checks() decides it.  control_failing_bind() binds its
 * parameters from index i and returns the next index.
 */
void control_failing_where(struct buf *sql, int check);
int control_failing_bind(struct db_stmt *st, int i, int check, int64_t now);

#endif
