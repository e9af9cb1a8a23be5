#include "domain/event_json.h"

#include "domain/manual_form.h"

#define REPORT_DEADLINE_BUSINESS_DAYS 3 /* O3 */

json_t *codes_to_json(const struct codes *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(a, json_string(c->v[i]));
	return a;
}

json_t *json_opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *json_opt_time(int64_t t)
{
	char s[26];

	if (!t)
		return json_null();
	cal_format_lima(t, s);
	return json_string(s);
}

int event_report_due(const struct event *ev, const struct cal_calendar *cal,
		     struct cal_date *due)
{
	if (ev->open || !ev->ended_at || !event_reportable(ev))
		return 0;
	*due = cal_add_business_days(cal_lima_date(ev->ended_at),
				     REPORT_DEADLINE_BUSINESS_DAYS, cal);
	return 1;
}

json_t *event_to_json(const struct event *ev, const struct cal_calendar *cal)
{
	struct cal_date due;
	char due_s[11];
	int64_t delay;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(ev->id));
	json_object_set_new(o, "number", json_string(ev->number));
	json_object_set_new(o, "point",
			    json_pack("{s:s, s:s, s:s, s:s, s:s}", "code",
				      ev->point.code, "name", ev->point.name,
				      "type", ev->point.type, "channel",
				      ev->point.channel, "region",
				      ev->point.region));
	json_object_set_new(o, "procedure", json_string(ev->procedure));
	json_object_set_new(o, "requests", codes_to_json(&ev->requests));
	json_object_set_new(o, "applications",
			    codes_to_json(&ev->applications));
	json_object_set_new(o, "scenario", json_string(ev->scenario));
	json_object_set_new(o, "cause", json_opt_str(ev->cause));
	json_object_set_new(o, "mass_failure_id",
			    ev->mass_failure_id
				    ? json_integer(ev->mass_failure_id)
				    : json_null());
	json_object_set_new(o, "started_at", json_opt_time(ev->started_at));
	json_object_set_new(o, "ended_at", json_opt_time(ev->ended_at));
	json_object_set_new(o, "status",
			    json_string(ev->open ? "OPEN" : "CLOSED"));
	json_object_set_new(o, "closure_reason",
			    json_opt_str(ev->closure_reason));
	json_object_set_new(o, "justification",
			    json_opt_str(ev->justification));
	json_object_set_new(o, "origin", json_string(ev->origin));
	json_object_set_new(o, "manual_form_ref",
			    json_opt_str(ev->manual_form_ref));
	json_object_set_new(o, "description", json_opt_str(ev->description));
	json_object_set_new(o, "late_justification",
			    json_opt_str(ev->late_justification));
	json_object_set_new(o, "registered_at",
			    json_opt_time(ev->registered_at));
	json_object_set_new(o, "registered_by",
			    json_opt_str(ev->registered_by));
	json_object_set_new(o, "registered_by_name",
			    json_opt_str(ev->registered_by_name));
	json_object_set_new(o, "closed_by", json_opt_str(ev->closed_by));
	json_object_set_new(o, "closed_by_name",
			    json_opt_str(ev->closed_by_name));
	json_object_set_new(o, "reportable",
			    json_boolean(event_reportable(ev)));
	json_object_set_new(o, "ruled_out", json_boolean(ev->ruled_out));
	/* K2: how late a paper form was typed in. */
	delay = regularisation_delay_s(ev);
	json_object_set_new(o, "regularisation_delay_minutes",
			    delay >= 0 ? json_integer(delay / 60)
				       : json_null());
	if (event_report_due(ev, cal, &due)) {
		cal_format_date(due, due_s);
		json_object_set_new(o, "report_due", json_string(due_s));
	} else {
		json_object_set_new(o, "report_due", json_null());
	}
	return o;
}
