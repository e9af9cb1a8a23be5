/* D1: business days, holidays and ADMIN's extra non-working days. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "store/calendar.h"
#include "util/strnum.h"

#define MAX_BUSINESS_DAYS 3660
#define DAY_NAME_MAX	  120 /* characters */

void api_calendar_add(struct req *r)
{
	const char *date = http_query(r, "date"),
		   *days = http_query(r, "days");
	const struct cal_calendar *cal;
	struct cal_date d;
	struct inop_err e;
	int64_t n;
	char out[11];

	if (!date || cal_parse_date(date, &d) < 0) {
		err_validation(&e, "date",
			       "'date' debe ser una fecha AAAA-MM-DD");
		reply_error(r, &e);
		return;
	}
	if (!days || strnum_i64(days, 0, MAX_BUSINESS_DAYS, &n) < 0) {
		err_validation(&e, "days",
			       "'days' debe ser un número entre 0 y %d",
			       MAX_BUSINESS_DAYS);
		reply_error(r, &e);
		return;
	}
	cal = api_calendar(r);
	if (!cal)
		return;
	cal_format_date(cal_add_business_days(d, (int)n, cal), out);
	store_calendar_release(cal);
	reply_json(r, 200, json_pack("{s:s}", "date", out));
}

void api_calendar_holidays(struct req *r)
{
	const char *year = http_query(r, "year");
	struct cal_date days[32];
	const char *names[32];
	struct inop_err e;
	int64_t y;
	int n;
	char d[11];
	json_t *items;

	if (!year || strnum_i64(year, 1970, 9999, &y) < 0 ||
	    (n = cal_holidays((int)y, days, names, 32)) < 0) {
		err_validation(&e, "year",
			       "'year' debe ser un año entre 1970 y 9999");
		reply_error(r, &e);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++) {
		cal_format_date(days[i], d);
		json_array_append_new(items, json_pack("{s:s, s:s}", "date", d,
						       "name", names[i]));
	}
	reply_json(r, 200,
		   json_pack("{s:o, s:i}", "items", items, "total", n));
}

static json_t *extra_day_to_json(const struct extra_day *d)
{
	char at[26];

	cal_format_lima(d->created_at, at);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "date", d->date, "name",
			 d->name, "created_at", at, "created_by",
			 d->created_by, "created_by_name", d->created_by_name);
}

void api_calendar_extra_list(struct req *r)
{
	const char *year = http_query(r, "year");
	struct extra_day *list = NULL;
	struct inop_err e;
	size_t n = 0;
	int64_t y = 0;
	json_t *items;
	struct db *db;

	if (year && *year && strnum_i64(year, 1970, 9999, &y) < 0) {
		err_validation(&e, "year",
			       "'year' debe ser un año entre 1970 y 9999");
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_extra_days_list(db, (int)y, &list, &n) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, extra_day_to_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)n));
}

/* A day ADMIN may add: real, and a business day of the national calendar. */
static int parse_extra_day(struct req *r, struct extra_day *d,
			   struct inop_err *e)
{
	struct cal_date day;
	const char *holiday;

	memset(d, 0, sizeof(*d));
	if (body_str(r->body, "date", 1, d->date, sizeof(d->date), e) < 0)
		return -1;
	if (cal_parse_date(d->date, &day) < 0)
		return err_validation(e, "date",
				      "'date' debe ser una fecha AAAA-MM-DD");
	if (body_text(r->body, "name", 1, DAY_NAME_MAX, d->name,
		      sizeof(d->name), e) < 0)
		return -1;
	holiday = cal_holiday_name(day);
	if (holiday)
		return err_validation(e, "date",
				      "El %s ya es feriado nacional (%s)",
				      d->date, holiday);
	if (!cal_is_business_day(day, NULL))
		return err_validation(e, "date",
				      "El %s cae en fin de semana: ya no es "
				      "día hábil",
				      d->date);
	return 0;
}

void api_calendar_extra_add(struct req *r)
{
	struct extra_day d;
	struct inop_err e;
	struct db *db;

	if (parse_extra_day(r, &d, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_extra_day_add(db, &d, &r->actor, r->now, &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, 201, extra_day_to_json(&d));
}

void api_calendar_extra_remove(struct req *r)
{
	struct cal_date day;
	struct inop_err e;
	struct db *db;

	if (cal_parse_date(r->param[0], &day) < 0) {
		err_set(&e, 404, "NOT_FOUND", "date",
			"'%s' no es una fecha AAAA-MM-DD", r->param[0]);
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_extra_day_remove(db, r->param[0], &r->actor, r->now, &e) < 0)
		reply_error(r, &e);
	else
		reply_bytes(r, 204, NULL, NULL, 0);
}
