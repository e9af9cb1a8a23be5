#include "domain/event_json.h"

#include <string.h>

#include "domain/manual_form.h"
#include "util/buf.h"
#include "util/jsontext.h"

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

/* The audit text of an event is a few KiB at most (codes, names, the
 * description); a cap only against the impossible. */
#define AUDIT_TEXT_MAX (256 * 1024)

static int text_codes(struct buf *b, const struct codes *c)
{
	if (c->n == 0)
		return buf_appends(b, "[]");
	for (size_t i = 0; i < c->n; i++)
		if (buf_appends(b, i ? "," : "[") < 0 ||
		    json_text_string(b, c->v[i]) < 0)
			return -1;
	return buf_appends(b, "]");
}

static int text_time(struct buf *b, int64_t t)
{
	char s[26];

	if (!t)
		return buf_appends(b, "null");
	cal_format_lima(t, s);
	return json_text_string(b, s);
}

/* One member of the audit text: its key and how its value is written. */
struct member {
	const char *key;
	enum {
		M_STR,
		M_OPT_STR,
		M_TIME,
		M_INT,
		M_NULL,
		M_BOOL,
		M_CODES,
		M_POINT
	} kind;
	const char *s;		   /* M_STR, M_OPT_STR */
	int64_t n;		   /* M_TIME, M_INT, M_BOOL */
	const struct codes *c;	   /* M_CODES */
	const struct point_ref *p; /* M_POINT */
};

static int text_point(struct buf *b, const struct point_ref *p)
{
	const struct {
		const char *key, *s;
	} m[] = {{.key = "channel", .s = p->channel},
		 {.key = "code", .s = p->code},
		 {.key = "name", .s = p->name},
		 {.key = "region", .s = p->region},
		 {.key = "type", .s = p->type}};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (buf_appends(b, i ? "," : "{") < 0 ||
		    json_text_key(b, m[i].key) < 0 ||
		    json_text_string(b, m[i].s) < 0)
			return -1;
	return buf_appends(b, "}");
}

static int text_member(struct buf *b, const struct member *m)
{
	if (json_text_key(b, m->key) < 0)
		return -1;
	switch (m->kind) {
	case M_STR:
		return json_text_string(b, m->s);
	case M_OPT_STR:
		return json_text_opt_string(b, m->s);
	case M_TIME:
		return text_time(b, m->n);
	case M_INT:
		return json_text_int(b, m->n);
	case M_BOOL:
		return buf_appends(b, m->n ? "true" : "false");
	case M_CODES:
		return text_codes(b, m->c);
	case M_POINT:
		return text_point(b, m->p);
	case M_NULL:
	default:
		return buf_appends(b, "null");
	}
}

/* The event's members with sorted keys; with report_due when `due` is
 * not NULL ("": null). */
static char *text_direct(const struct event *ev, const char *due)
{
	int64_t delay = regularisation_delay_s(ev);
	/* The keys in strcmp order, as JSON_SORT_KEYS gives them; the unit
	 * test compares the bytes with jansson's. */
	const struct member m[] = {
		{.key = "applications",
		 .kind = M_CODES,
		 .c = &ev->applications},
		{.key = "cause", .kind = M_OPT_STR, .s = ev->cause},
		{.key = "closed_by", .kind = M_OPT_STR, .s = ev->closed_by},
		{.key = "closed_by_name",
		 .kind = M_OPT_STR,
		 .s = ev->closed_by_name},
		{.key = "closure_reason",
		 .kind = M_OPT_STR,
		 .s = ev->closure_reason},
		{.key = "description",
		 .kind = M_OPT_STR,
		 .s = ev->description},
		{.key = "ended_at", .kind = M_TIME, .n = ev->ended_at},
		{.key = "id", .kind = M_INT, .n = ev->id},
		{.key = "justification",
		 .kind = M_OPT_STR,
		 .s = ev->justification},
		{.key = "late_justification",
		 .kind = M_OPT_STR,
		 .s = ev->late_justification},
		{.key = "manual_form_ref",
		 .kind = M_OPT_STR,
		 .s = ev->manual_form_ref},
		{.key = "mass_failure_id",
		 .kind = ev->mass_failure_id ? M_INT : M_NULL,
		 .n = ev->mass_failure_id},
		{.key = "number", .kind = M_STR, .s = ev->number},
		{.key = "origin", .kind = M_STR, .s = ev->origin},
		{.key = "point", .kind = M_POINT, .p = &ev->point},
		{.key = "procedure", .kind = M_STR, .s = ev->procedure},
		{.key = "registered_at",
		 .kind = M_TIME,
		 .n = ev->registered_at},
		{.key = "registered_by",
		 .kind = M_OPT_STR,
		 .s = ev->registered_by},
		{.key = "registered_by_name",
		 .kind = M_OPT_STR,
		 .s = ev->registered_by_name},
		{.key = "regularisation_delay_minutes",
		 .kind = delay >= 0 ? M_INT : M_NULL,
		 .n = delay / 60},
		{.key = "report_due",
		 .kind = due && due[0] ? M_STR : M_NULL,
		 .s = due},
		{.key = "reportable",
		 .kind = M_BOOL,
		 .n = event_reportable(ev)},
		{.key = "requests", .kind = M_CODES, .c = &ev->requests},
		{.key = "ruled_out", .kind = M_BOOL, .n = ev->ruled_out},
		{.key = "scenario", .kind = M_STR, .s = ev->scenario},
		{.key = "started_at", .kind = M_TIME, .n = ev->started_at},
		{.key = "status",
		 .kind = M_STR,
		 .s = ev->open ? "OPEN" : "CLOSED"},
	};
	struct buf b;

	buf_init(&b, AUDIT_TEXT_MAX);
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (!due && strcmp(m[i].key, "report_due") == 0)
			continue;
		if (buf_appends(&b, i ? "," : "{") < 0 ||
		    text_member(&b, &m[i]) < 0) {
			buf_release(&b);
			return NULL;
		}
	}
	if (buf_appends(&b, "}") < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *event_json_text(const struct event *ev, const struct cal_calendar *cal)
{
	struct cal_date d;
	char due[11] = "";

	if (event_report_due(ev, cal, &d))
		cal_format_date(d, due);
	return text_direct(ev, due);
}

char *event_audit_text(const struct event *ev)
{
	char *s = text_direct(ev, NULL);
	json_t *o;

	if (s)
		return s;
	/* Text that is not valid UTF-8 (a point named through the CLI in
	 * another encoding): jansson's values leave such a member out, and
	 * so does the record, as it always did. */
	o = event_to_json(ev, NULL);
	if (!o)
		return NULL;
	json_object_del(o, "report_due");
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}
