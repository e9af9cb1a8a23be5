#ifndef INOP_DOMAIN_EVENT_JSON_H
#define INOP_DOMAIN_EVENT_JSON_H
#include <jansson.h>

#include "calendar/cal.h"
#include "domain/event.h"

/*
 * The event object of API.md, also the before/after of its audit records.
 * Times in Lima (RFC 3339, -05:00).  `cal` gives the extra non-working
 * days for report_due (may be NULL).  Returns a new reference.
 */
json_t *event_to_json(const struct event *ev, const struct cal_calendar *cal);

/*
 * The audit record's text of an event: exactly what json_dumps() writes,
 * with JSON_COMPACT | JSON_SORT_KEYS, for event_to_json(ev, NULL) without
 * its report_due (that depends on the calendar of the day).  Written
 * directly: the jansson values, made only to print them, were a third
 * of a registration's time on the one writer thread.  An event with text
 * that is not valid UTF-8 goes through jansson, which leaves that member
 * out.  A malloc'd string, or NULL when out of memory.
 */
char *event_audit_text(const struct event *ev);

/*
 * The event object as text: what json_dumps() writes for
 * event_to_json(ev, cal) with JSON_COMPACT | JSON_SORT_KEYS, written
 * directly (no jansson values: a reply of each registration, on the work
 * lane).  NULL when a text is not valid UTF-8 (then event_to_json(), which
 * leaves that member out) or out of memory.
 */
char *event_json_text(const struct event *ev, const struct cal_calendar *cal);

/* O3: the Lima day the event must reach the regulator by; 0 when none. */
int event_report_due(const struct event *ev, const struct cal_calendar *cal,
		     struct cal_date *due);

/* JSON array of the codes. */
json_t *codes_to_json(const struct codes *c);

/* A string, or null when empty. */
json_t *json_opt_str(const char *s);
/* A UTC time as Lima ISO-8601 text, or null when 0 (not set). */
json_t *json_opt_time(int64_t t);

#endif
