#ifndef INOP_STORE_DEADLINES_H
#define INOP_STORE_DEADLINES_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"
#include "domain/report.h"
#include "store/events.h"

/*
 * O3, the deadline board: CLOSED reportable events not in a sent report,
 * by end time (so by due date), oldest first; with ended_before > 0 only
 * those that ended before it.  *out is malloc'd.
 */
int store_deadlines(struct db *db, int64_t ended_before, int64_t limit,
		    int64_t offset, struct event **out, size_t *n,
		    int64_t *total);

/*
 * Calls fn for each CLOSED reportable event not in a sent report that
 * ended in [from, to) (UTC seconds).  0 or -1.
 */
int store_unsent_events_ended(struct db *db, int64_t from, int64_t to,
			      event_each_fn fn, void *ctx);

/*
 * The report not yet sent that holds event `event_id`, if any: 1 with
 * *report_id and *status set, 0 none, -1 error.
 */
int store_event_pending_report(struct db *db, int64_t event_id,
			       int64_t *report_id, enum report_status *status);

#endif
