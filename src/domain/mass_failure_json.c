#include "domain/mass_failure_json.h"

#include "calendar/cal.h"
#include "domain/event_json.h"

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *mass_failure_to_json(const struct mass_failure *mf, int counts)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(mf->id));
	json_object_set_new(o, "status",
			    json_string(mf->open ? "CONFIRMED" : "CLOSED"));
	json_object_set_new(o, "applications",
			    codes_to_json(&mf->applications));
	json_object_set_new(o, "started_at", json_opt_time(mf->started_at));
	json_object_set_new(o, "cause", json_opt_str(mf->cause));
	json_object_set_new(o, "description", json_opt_str(mf->description));
	json_object_set_new(o, "confirmed_at",
			    json_opt_time(mf->confirmed_at));
	json_object_set_new(o, "confirmed_by", json_opt_str(mf->confirmed_by));
	json_object_set_new(o, "confirmed_by_name",
			    json_opt_str(mf->confirmed_by_name));
	json_object_set_new(o, "ended_at", json_opt_time(mf->ended_at));
	json_object_set_new(o, "closure_reason",
			    json_opt_str(mf->closure_reason));
	json_object_set_new(o, "justification",
			    json_opt_str(mf->justification));
	json_object_set_new(o, "closed_at", json_opt_time(mf->closed_at));
	json_object_set_new(o, "closed_by", json_opt_str(mf->closed_by));
	json_object_set_new(o, "closed_by_name",
			    json_opt_str(mf->closed_by_name));
	if (counts) {
		json_object_set_new(o, "open_events",
				    json_integer(mf->open_events));
		json_object_set_new(o, "events", json_integer(mf->events));
	}
	return o;
}

static json_t *point_json(const struct point_ref *p)
{
	if (!p->id)
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", p->code, "name",
			 p->name, "type", p->type, "channel", p->channel,
			 "region", p->region);
}

json_t *alert_to_json(const struct mf_alert *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "status",
			    json_string(alert_status_code(a->status)));
	json_object_set_new(o, "source", json_string(a->source));
	json_object_set_new(o, "point", point_json(&a->point));
	json_object_set_new(o, "applications",
			    codes_to_json(&a->applications));
	json_object_set_new(o, "observed_at", json_opt_time(a->observed_at));
	json_object_set_new(o, "description", json_opt_str(a->description));
	json_object_set_new(o, "fingerprint", json_opt_str(a->fingerprint));
	json_object_set_new(o, "raised_at", json_opt_time(a->raised_at));
	json_object_set_new(o, "raised_by", json_opt_str(a->raised_by));
	json_object_set_new(o, "raised_by_name",
			    json_opt_str(a->raised_by_name));
	json_object_set_new(o, "decided_at", json_opt_time(a->decided_at));
	json_object_set_new(o, "decided_by", json_opt_str(a->decided_by));
	json_object_set_new(o, "decided_by_name",
			    json_opt_str(a->decided_by_name));
	json_object_set_new(o, "mass_failure_id", opt_id(a->mass_failure_id));
	json_object_set_new(o, "discard_reason",
			    json_opt_str(a->discard_reason));
	return o;
}
