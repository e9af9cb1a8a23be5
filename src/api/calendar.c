/* D1: business days and holidays (Lima days). */
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "util/strnum.h"

#define MAX_BUSINESS_DAYS 3660

void api_calendar_add(struct req *r)
{
	const char *date = http_query(r, "date"), *days = http_query(r, "days");
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
	cal_format_date(cal_add_business_days(d, (int)n, NULL), out);
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
