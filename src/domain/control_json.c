#include "domain/control_json.h"

#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"
#include "domain/event_json.h"

json_t *critical_to_json(const struct critical_tx *tx)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(tx->id));
	json_object_set_new(o, "event_id", json_integer(tx->event_id));
	json_object_set_new(o, "type", json_string(tx->type));
	json_object_set_new(o, "customer_ref", json_string(tx->customer_ref));
	json_object_set_new(o, "attended_at", json_opt_time(tx->attended_at));
	json_object_set_new(o, "how", json_string(tx->how));
	json_object_set_new(o, "system_ref", json_opt_str(tx->system_ref));
	json_object_set_new(o, "system_ref_at",
			    json_opt_time(tx->system_ref_at));
	json_object_set_new(o, "system_ref_by",
			    json_opt_str(tx->system_ref_by));
	json_object_set_new(o, "system_ref_by_name",
			    json_opt_str(tx->system_ref_by_name));
	json_object_set_new(o, "regularised",
			    json_boolean(tx->system_ref[0] != '\0'));
	json_object_set_new(o, "recorded_at", json_opt_time(tx->recorded_at));
	json_object_set_new(o, "recorded_by", json_opt_str(tx->recorded_by));
	json_object_set_new(o, "recorded_by_name",
			    json_opt_str(tx->recorded_by_name));
	return o;
}

json_t *e1_to_json(const struct event *ev, const struct e1_failure *f,
		   size_t n, int64_t now)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		if (e1_failure_counts(ev, &f[i], now))
			json_array_append_new(
				list,
				json_pack("{s:I, s:o, s:o}", "id",
					  (json_int_t)f[i].id, "started_at",
					  json_opt_time(f[i].span.start),
					  "ended_at",
					  json_opt_time(f[i].span.end)));
	return json_pack(
		"{s:s, s:o, s:o}", "result",
		e1_code(evaluation_e1(ev, e1_window(ev, f, n, now), now)),
		"mass_failure_id",
		ev->mass_failure_id ? json_integer(ev->mass_failure_id)
				    : json_null(),
		"mass_failures", list);
}

/* "a@x.pe,b@x.pe" -> ["a@x.pe", "b@x.pe"] */
static json_t *address_list(const char *csv)
{
	json_t *a = json_array();
	const char *p = csv;

	while (p && *p) {
		size_t n = strcspn(p, ",");

		while (n && *p == ' ') {
			p++;
			n--;
		}
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	return a;
}

json_t *processes_to_json(const struct processes_request *r, int64_t now)
{
	json_t *o = json_object();
	enum processes_status st;

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "event_id", json_integer(r->event_id));
	json_object_set_new(o, "event", json_string(r->event_number));
	json_object_set_new(o, "note", json_opt_str(r->note));
	json_object_set_new(o, "requested_at", json_opt_time(r->requested_at));
	json_object_set_new(o, "requested_by", json_opt_str(r->requested_by));
	json_object_set_new(o, "requested_by_name",
			    json_opt_str(r->requested_by_name));
	json_object_set_new(o, "due_at", json_opt_time(r->due_at));
	json_object_set_new(o, "ruling", json_opt_str(r->ruling));
	json_object_set_new(o, "reason", json_opt_str(r->reason));
	json_object_set_new(o, "ruled_at", json_opt_time(r->ruled_at));
	json_object_set_new(o, "ruled_by", json_opt_str(r->ruled_by));
	json_object_set_new(o, "ruled_by_name",
			    json_opt_str(r->ruled_by_name));
	json_object_set_new(o, "escalated_at", json_opt_time(r->escalated_at));
	json_object_set_new(o, "escalation_reason",
			    json_opt_str(r->escalation_reason));
	json_object_set_new(o, "escalated_to", address_list(r->escalated_to));
	if (now <= 0)
		return o;
	st = processes_status(r, now);
	json_object_set_new(o, "status",
			    json_string(processes_status_code(st)));
	json_object_set_new(o, "overdue",
			    json_boolean(st == PROCESSES_VENCIDA));
	json_object_set_new(o, "seconds_left",
			    st == PROCESSES_RESUELTA
				    ? json_null()
				    : json_integer(r->due_at - now));
	return o;
}

json_t *checks_to_json(const struct check *checks, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:s, s:b, s:s, s:s}", "code",
				     check_code_name(checks[i].code), "passed",
				     check_passed(&checks[i]), "status",
				     check_status_name(checks[i].status),
				     "detail", checks[i].detail));
	return a;
}

json_t *manual_form_to_json(const struct manual_form *f)
{
	json_t *o = json_object();
	int64_t delay = f->used_at && f->event_started_at
				? f->used_at - f->event_started_at
				: -1;

	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "serial", json_string(f->serial));
	json_object_set_new(o, "point",
			    json_pack("{s:s, s:s}", "code", f->point.code,
				      "name", f->point.name));
	json_object_set_new(o, "seq", json_integer(f->seq));
	json_object_set_new(o, "issued_at", json_opt_time(f->issued_at));
	json_object_set_new(o, "issued_by", json_string(f->issued_by));
	json_object_set_new(o, "issued_by_name",
			    json_opt_str(f->issued_by_name));
	json_object_set_new(o, "status",
			    json_string(f->event_id ? "USADO" : "LIBRE"));
	json_object_set_new(o, "event", json_opt_str(f->event_number));
	json_object_set_new(o, "used_at", json_opt_time(f->used_at));
	json_object_set_new(o, "delay_minutes",
			    delay >= 0 ? json_integer(delay / 60)
				       : json_null());
	return o;
}

static json_t *day_json(int64_t day)
{
	struct cal_date d = cal_from_day_number((int32_t)day);
	char s[16];

	(void)snprintf(s, sizeof(s), "%04d-%02d-%02d", d.y, d.m, d.d);
	return json_string(s);
}

static json_t *count_json(const struct e_series *s, int d)
{
	return s->has[d] ? json_integer(s->c[d]) : json_null();
}

/* {count, previous:[{date, count}], mean, change_pct} into `o`; the
 * previous days' dates from first_day. */
static json_t *series_json(json_t *o, const struct e_series *s,
			   int64_t first_day)
{
	json_t *prev = json_array();

	for (int d = 0; d < E_DAYS - 1; d++)
		json_array_append_new(prev,
				      json_pack("{s:o, s:o}", "date",
						day_json(first_day + d),
						"count", count_json(s, d)));
	json_object_set_new(o, "count", count_json(s, E_DAYS - 1));
	json_object_set_new(o, "previous", prev);
	json_object_set_new(o, "mean",
			    s->has_mean ? json_real(s->mean) : json_null());
	json_object_set_new(o, "change_pct",
			    s->has_change ? json_real(s->change_pct)
					  : json_null());
	return o;
}

static int64_t floor_day(int64_t minute)
{
	return minute >= 0 ? minute / 1440 : -((-minute + 1439) / 1440);
}

json_t *e3_to_json(const struct e34 *e)
{
	char from[26], to[26];
	int64_t first = floor_day(e->lo[0]);
	json_t *social;

	cal_format_lima(e->lo[E_DAYS - 1] * 60 + 5 * 3600, from);
	cal_format_lima(e->hi[E_DAYS - 1] * 60 + 5 * 3600, to);
	social = series_json(json_object(), &e->social, first);
	json_object_set_new(social, "public",
			    count_json(&e->social_public, E_DAYS - 1));
	json_object_set_new(social, "inbox",
			    count_json(&e->social_inbox, E_DAYS - 1));
	json_t *o =
		series_json(json_pack("{s:s, s:s}", "from", from, "to", to),
			    &e->e3, first);
	json_object_set_new(o, "social", social);
	return o;
}

json_t *e4_to_json(const struct e34 *e)
{
	int64_t first = e->day - (E_DAYS - 1);

	return json_pack("{s:o, s:o, s:o}", "date", day_json(e->day),
			 "complaints",
			 series_json(json_object(), &e->complaints, first),
			 "ldr", series_json(json_object(), &e->ldr, first));
}

json_t *impact_to_json(const struct impact_chart *c)
{
	json_t *day = json_array(), *mean = json_array();

	for (int b = 0; b < IMPACT_BUCKETS; b++) {
		json_array_append_new(day, json_real(c->day[b]));
		json_array_append_new(mean, json_real(c->mean[b]));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:[i, i], s:o, s:o}",
			 "number", c->number, "point", c->point, "procedure",
			 c->procedure, "date", c->date, "has_day", c->has_day,
			 "mean_days", c->mean_days, "span", c->span_lo,
			 c->span_hi, "day", day, "mean", mean);
}

static int copy_str(json_t *o, const char *key, char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s || strlen(s) >= n)
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int impact_from_json(json_t *o, struct impact_chart *c)
{
	json_t *day = json_object_get(o, "day"),
	       *mean = json_object_get(o, "mean");
	json_t *span = json_object_get(o, "span");

	memset(c, 0, sizeof(*c));
	if (copy_str(o, "number", c->number, sizeof(c->number)) < 0 ||
	    copy_str(o, "point", c->point, sizeof(c->point)) < 0 ||
	    copy_str(o, "procedure", c->procedure, sizeof(c->procedure)) < 0 ||
	    copy_str(o, "date", c->date, sizeof(c->date)) < 0 ||
	    json_array_size(day) != IMPACT_BUCKETS ||
	    json_array_size(mean) != IMPACT_BUCKETS ||
	    json_array_size(span) != 2)
		return -1;
	c->has_day = json_is_true(json_object_get(o, "has_day"));
	c->mean_days =
		(int)json_integer_value(json_object_get(o, "mean_days"));
	c->span_lo = (int)json_integer_value(json_array_get(span, 0));
	c->span_hi = (int)json_integer_value(json_array_get(span, 1));
	for (int b = 0; b < IMPACT_BUCKETS; b++) {
		c->day[b] = json_number_value(json_array_get(day, b));
		c->mean[b] = json_number_value(json_array_get(mean, b));
	}
	return 0;
}
