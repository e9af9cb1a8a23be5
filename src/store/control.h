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
 * Control around one event: critical transactions (T1), operational-error
 * alerts (V2) and the facts the V1 checks need.
 *
 * Changes run through store_event_change() (store/events.h) with no
 * action: one write transaction with the event loaded under its row lock,
 * in which a decide function applies the domain rules and calls the row
 * functions below (each writes its audit record, entity "event").  The row
 * functions must only be called inside such a transaction.
 */

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
	char created_by_name[481]; /* the person's name */
};
/*
 * V2, in a store_event_change() transaction: records the alert for `ev`,
 * addressed to the active JEFEs of its point (a->recipients is filled),
 * with its audit record.  Sets a->id.
 */
int store_alert_insert(struct db *db, const struct event *ev,
		       struct operational_alert *a, const struct actor *who,
		       int64_t now);
/* The event's alerts, oldest first; *out malloc'd. */
int store_operational_alerts_list(struct db *db, int64_t event_id,
				  struct operational_alert **out, size_t *n);

/*
 * V1: the facts of `ev` the checks need.  `req` receives the Procesos
 * request and facts->processes points to it, or is NULL when none.
 */
int store_check_facts(struct db *db, const struct event *ev,
		      struct check_facts *facts,
		      struct processes_request *req);

#endif
