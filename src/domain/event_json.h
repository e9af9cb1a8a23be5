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
