/*
 * The deadline board (O3): every closed, reportable event not yet handed
 * over, with its due date, the business days left and the report it is
 * in, if any.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/event_json.h"
#include "domain/processes.h"
#include "store/calendar.h"
#include "store/events.h"
#include "store/processes.h"
#include "store/deadlines.h"
#include "store/reports.h"
#include "store/store.h"

/* O1: an in-person event without a PROCEDE ruling is at risk. */
static int awaits_ruling(struct db *db, const struct event *ev)
{
	struct processes_request *q = malloc(sizeof(*q));
	int rc = q ? store_processes_get(db, ev->id, q) : -1;
	int awaits =
		rc < 0 ? -1 : event_awaits_ruling(ev, rc ? q->ruling : NULL);

	free(q);
	return awaits;
}

static json_t *deadline_item(struct db *db, const struct event *ev,
			     const struct cal_calendar *cal,
			     struct cal_date today)
{
	json_t *o = event_to_json(ev, cal);
	int awaits = awaits_ruling(db, ev);
	struct cal_date due;
	enum report_status st;
	int64_t report_id;

	if (awaits < 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "awaiting_ruling", json_boolean(awaits));

	if (event_report_due(ev, cal, &due)) {
		json_object_set_new(o, "business_days_left",
				    json_integer(cal_business_days_between(
					    today, due, cal)));
		json_object_set_new(o, "overdue",
				    json_boolean(cal_day_number(today) >
						 cal_day_number(due)));
	}
	if (store_event_pending_report(db, ev->id, &report_id, &st) == 1)
		json_object_set_new(o, "report",
				    json_pack("{s:I, s:s}", "id",
					      (json_int_t)report_id, "status",
					      report_status_code(st)));
	else
		json_object_set_new(o, "report", json_null());
	return o;
}

static int deadline_query(struct req *r, int *overdue_only, int64_t *limit,
			  int64_t *offset)
{
	const char *ov = http_query(r, "overdue");
	struct inop_err e;

	*overdue_only = ov && strcmp(ov, "true") == 0;
	if (ov && *ov && strcmp(ov, "true") != 0 && strcmp(ov, "false") != 0)
		err_validation(&e, "overdue", "'overdue' es true o false");
	else if (api_page(r, 100, limit, offset, &e) == 0)
		return 0;
	reply_error(r, &e);
	return -1;
}

void api_deadlines(struct req *r)
{
	const struct cal_calendar *cal;
	struct cal_date today = cal_lima_date(r->now);
	struct event *list = NULL;
	int64_t limit, offset, total, overdue, cutoff;
	int overdue_only;
	size_t n = 0;
	char today_s[11];
	json_t *items;
	struct db *db;

	if (deadline_query(r, &overdue_only, &limit, &offset) < 0)
		return;
	cal = api_calendar(r);
	if (!cal)
		return;
	db = store_conn();
	cutoff = cal_lima_day_start(report_overdue_cutoff(today, cal));
	if (store_deadlines(db, cutoff, 1, 0, &list, &n, &overdue) < 0)
		goto internal;
	free(list);
	list = NULL;
	if (store_deadlines(db, overdue_only ? cutoff : 0, limit, offset,
			    &list, &n, &total) < 0)
		goto internal;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = deadline_item(db, &list[i], cal, today);

		if (!o) {
			json_decref(items);
			goto internal;
		}
		json_array_append_new(items, o);
	}
	cal_format_date(today, today_s);
	reply_json(r, 200,
		   json_pack("{s:o, s:I, s:I, s:s}", "items", items, "total",
			     (json_int_t)total, "overdue", (json_int_t)overdue,
			     "today", today_s));
	goto out;
internal:
	reply_internal(r);
out:
	free(list);
	store_calendar_release(cal);
}
