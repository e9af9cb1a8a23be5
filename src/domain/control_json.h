#ifndef INOP_DOMAIN_CONTROL_JSON_H
#define INOP_DOMAIN_CONTROL_JSON_H
#include <jansson.h>

#include "domain/critical.h"
#include "domain/evaluation.h"
#include "domain/manual_form.h"
#include "domain/processes.h"

/*
 * The JSON objects of control and contingency, for API replies and audit
 * records.  Times in Lima (RFC 3339).  Each returns a new reference.
 */

/* T1: {id, event_id, type, customer_ref, attended_at, how, system_ref,
 * system_ref_at, system_ref_by, system_ref_by_name, regularised,
 * recorded_at, recorded_by, recorded_by_name} */
json_t *critical_to_json(const struct critical_tx *tx);

/*
 * V3: {id, event_id, event, note, requested_at, requested_by,
 * requested_by_name, due_at, ruling, reason, ruled_at, ruled_by,
 * ruled_by_name, escalated_at, escalation_reason, escalated_to[]} and, when
 * now > 0, the 24-hour clock at `now`: status (PENDIENTE|VENCIDA|RESUELTA),
 * overdue, seconds_left.
 */
json_t *processes_to_json(const struct processes_request *r, int64_t now);

/*
 * E3: {from, to, count, previous:[{date, count}], mean, change_pct,
 * social:{public, inbox, count, previous, mean, change_pct}};
 * E4: {date, complaints:{count, previous, mean, change_pct}, ldr:{...}}.
 * A count without data is null, never 0 (I3).
 */
json_t *e3_to_json(const struct e34 *e);
json_t *e4_to_json(const struct e34 *e);

/*
 * The impact chart as JSON and back (frozen with a report):
 * {number, point, procedure, date, has_day, mean_days, span:[lo, hi],
 * day:[96], mean:[96]}.  impact_from_json: 0, or -1 when malformed.
 */
json_t *impact_to_json(const struct impact_chart *c);
int impact_from_json(json_t *o, struct impact_chart *c);

/*
 * E1: {result: DENTRO|FUERA, mass_failure_id, mass_failures: [{id,
 * started_at, ended_at}]} — the failures of `f` that E1 weighs for `ev`.
 */
json_t *e1_to_json(const struct event *ev, const struct e1_failure *f,
		   size_t n, int64_t now);

/* V1: [{code, passed, status, detail}] */
json_t *checks_to_json(const struct check *checks, int n);

/* K1: {serial, point, seq, issued_at, issued_by, issued_by_name, status:
 * LIBRE|USADO, event, used_at, delay_minutes} */
json_t *manual_form_to_json(const struct manual_form *f);

#endif
