/*
 * SPEC section 12: business days (D1) and Lima time (D2).
 *
 * Expected values come from outside the module: the holiday CSV, published
 * Easter dates, and instants and weekdays worked out independently.  The
 * test runs in tests/unit, where the CSV lives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"

#define CSV_PATH     "peru-holidays-2024-2035.csv"
#define CSV_MAX_ROWS 256

struct csv_row {
	struct cal_date d;
	char name[64];
};

static struct csv_row csv_rows[CSV_MAX_ROWS];
static int csv_n;

static struct cal_date D(int y, int m, int d) {
	struct cal_date r = {y, m, d};

	return r;
}

static void
assert_date(struct cal_date got, int y, int m, int d)
{
	char g[11];

	cal_format_date(got, g);
	if (got.y != y || got.m != m || got.d != d)
		fail_msg("got %s (%d-%d-%d), want %04d-%02d-%02d", g, got.y,
			 got.m, got.d, y, m, d);
}

/* Drops the line end, '\n' or "\r\n". */
static void chomp(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
}

static int load_csv(void **state)
{
	char line[256];
	FILE *f = fopen(CSV_PATH, "r");
	int lineno = 0;

	(void)state;
	if (!f)
		return -1;
	csv_n = 0;
	while (fgets(line, sizeof(line), f)) {
		struct csv_row *r = &csv_rows[csv_n];
		char date[11];
		int len;

		chomp(line);
		if (lineno++ == 0 || line[0] == '\0')
			continue; /* the "date,name" header */
		if (csv_n == CSV_MAX_ROWS || strlen(line) < 12 ||
		    line[10] != ',')
			goto bad;
		memcpy(date, line, 10);
		date[10] = '\0';
		len = snprintf(r->name, sizeof(r->name), "%s", line + 11);
		if (len < 0 || (size_t)len >= sizeof(r->name) ||
		    cal_parse_date(date, &r->d) < 0)
			goto bad;
		csv_n++;
	}
	fclose(f);
	return 0;
bad:
	fprintf(stderr, "%s:%d: bad line '%s'\n", CSV_PATH, lineno, line);
	fclose(f);
	return -1;
}

/* D1: cal_holidays() gives exactly the CSV's dates and names, in order. */
static void test_d1_holidays_match_csv_2024_2035(void **state)
{
	int year, i = 0;

	(void)state;
	assert_int_equal(csv_n, 12 * 16);
	for (year = 2024; year <= 2035; year++) {
		struct cal_date out[32];
		const char *names[32];
		int n = cal_holidays(year, out, names, 32);
		int k;

		assert_int_equal(n, 16);
		for (k = 0; k < n; k++, i++) {
			const struct csv_row *r = &csv_rows[i];

			assert_int_equal(r->d.y, year);
			assert_date(out[k], r->d.y, r->d.m, r->d.d);
			assert_string_equal(names[k], r->name);
			assert_non_null(cal_holiday_name(r->d));
			assert_string_equal(cal_holiday_name(r->d), r->name);
		}
	}
	assert_int_equal(i, csv_n);
}

static void test_d1_csv_holidays_are_not_business_days(void **state)
{
	int i;

	(void)state;
	assert_int_equal(csv_n, 12 * 16);
	for (i = 0; i < csv_n; i++)
		if (cal_is_business_day(csv_rows[i].d, NULL))
			fail_msg("%04d-%02d-%02d counted as a business day",
				 csv_rows[i].d.y, csv_rows[i].d.m,
				 csv_rows[i].d.d);
}

static int in_csv(struct cal_date d)
{
	int i;

	for (i = 0; i < csv_n; i++)
		if (csv_rows[i].d.y == d.y && csv_rows[i].d.m == d.m &&
		    csv_rows[i].d.d == d.d)
			return 1;
	return 0;
}

/*
 * The converse: no holiday beyond the CSV's.  Weekdays are worked out here
 * from 2024-01-01 being a Monday, not by the module.
 */
static void test_d1_other_weekdays_2024_2035_are_business_days(void **state)
{
	int32_t n = cal_day_number(D(2024, 1, 1));
	int32_t last = cal_day_number(D(2035, 12, 31));
	int wd = 1; /* 0 Sunday .. 6 Saturday */
	int business = 0;

	(void)state;
	assert_int_equal(csv_n, 12 * 16);
	for (; n <= last; n++, wd = (wd + 1) % 7) {
		struct cal_date d = cal_from_day_number(n);
		int want = wd != 0 && wd != 6 && !in_csv(d);

		if (!in_csv(d))
			assert_null(cal_holiday_name(d));
		if (cal_is_business_day(d, NULL) != want)
			fail_msg("%04d-%02d-%02d: business day should be %d",
				 d.y, d.m, d.d, want);
		business += want;
	}
	/* Sanity check on the loop itself, counted independently. */
	assert_int_equal(business, 2986);
}

static void test_d1_easter_2024_2035(void **state)
{
	static const struct cal_date want[] = {
		{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28},
		{2028, 4, 16}, {2029, 4, 1},  {2030, 4, 21}, {2031, 4, 13},
		{2032, 3, 28}, {2033, 4, 17}, {2034, 4, 9},  {2035, 3, 25},
	};
	struct cal_date e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(cal_easter(want[i].y, &e), 0);
		assert_date(e, want[i].y, want[i].m, want[i].d);
	}
	/* The extremes: the latest and earliest possible Easter Sundays. */
	assert_int_equal(cal_easter(2038, &e), 0);
	assert_date(e, 2038, 4, 25);
	assert_int_equal(cal_easter(2285, &e), 0);
	assert_date(e, 2285, 3, 22);
	assert_int_equal(cal_easter(1970, &e), 0);
	assert_date(e, 1970, 3, 29);
	assert_int_equal(cal_easter(2000, &e), 0);
	assert_date(e, 2000, 4, 23);
	/* Years where the algorithm's rare correction term is needed. */
	assert_int_equal(cal_easter(1981, &e), 0);
	assert_date(e, 1981, 4, 19);
	assert_int_equal(cal_easter(2049, &e), 0);
	assert_date(e, 2049, 4, 18);
	assert_int_equal(cal_easter(2076, &e), 0);
	assert_date(e, 2076, 4, 19);
}

static void test_d1_easter_rejects_years_outside_gregorian(void **state)
{
	struct cal_date e = {1, 2, 3};

	(void)state;
	assert_int_equal(cal_easter(1582, &e), -1);
	assert_int_equal(cal_easter(10000, &e), -1);
	assert_int_equal(cal_easter(-5, &e), -1);
	assert_date(e, 1, 2, 3);
	assert_int_equal(cal_easter(2026, NULL), -1);
}

/* Holy week moves; outside the CSV's years too. */
static void test_d1_holy_week_follows_easter(void **state)
{
	(void)state;
	assert_string_equal(cal_holiday_name(D(1970, 3, 26)), "Jueves Santo");
	assert_string_equal(cal_holiday_name(D(1970, 3, 27)), "Viernes Santo");
	assert_string_equal(cal_holiday_name(D(2040, 3, 29)), "Jueves Santo");
	assert_string_equal(cal_holiday_name(D(2040, 3, 30)), "Viernes Santo");
	assert_null(cal_holiday_name(D(2040, 3, 31)));
	assert_null(cal_holiday_name(D(2040, 4, 2))); /* Easter Monday */
	assert_int_equal(cal_is_business_day(D(2040, 3, 29), NULL), 0);
	assert_int_equal(cal_is_business_day(D(2040, 3, 28), NULL), 1);
}

static void test_d1_ordinary_days_have_no_holiday_name(void **state)
{
	(void)state;
	assert_null(cal_holiday_name(D(2026, 11, 3)));
	assert_null(cal_holiday_name(D(2026, 4, 1)));
	assert_null(cal_holiday_name(D(2026, 4, 5))); /* Easter Sunday */
	assert_null(cal_holiday_name(D(2026, 7, 27)));
	assert_null(cal_holiday_name(D(2026, 7, 30)));
	assert_null(cal_holiday_name(D(2026, 12, 24)));
	assert_null(cal_holiday_name(D(2026, 12, 31)));
	assert_null(cal_holiday_name(D(2026, 2, 30)));	/* not a date */
	assert_null(cal_holiday_name(D(1969, 12, 25))); /* out of range */
	assert_string_equal(cal_holiday_name(D(2026, 7, 28)),
			    "Fiestas Patrias");
	assert_string_equal(cal_holiday_name(D(2026, 7, 29)),
			    "Fiestas Patrias");
}

static void test_d1_holidays_rejects_bad_arguments(void **state)
{
	struct cal_date out[32];
	const char *names[32] = {NULL};
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		out[i] = D(7, 7, 7);
	assert_int_equal(cal_holidays(1969, out, names, 32), -1);
	assert_int_equal(cal_holidays(10000, out, names, 32), -1);
	assert_int_equal(cal_holidays(2026, out, names, 15), -1);
	assert_int_equal(cal_holidays(2026, NULL, names, 32), -1);
	assert_date(out[0], 7, 7, 7);
	assert_null(names[0]);
	/* Exactly enough room, and names are optional. */
	assert_int_equal(cal_holidays(2026, out, NULL, 16), 16);
	assert_date(out[0], 2026, 1, 1);
	assert_date(out[1], 2026, 4, 2);
	assert_date(out[15], 2026, 12, 25);
	assert_int_equal(cal_holidays(1970, out, names, 32), 16);
	assert_int_equal(cal_holidays(9999, out, names, 32), 16);
	assert_date(out[15], 9999, 12, 25);
}

static void test_d1_weekends_are_not_business_days(void **state)
{
	int d;

	(void)state;
	/* Monday 2026-11-09 .. Friday 2026-11-13, no holidays that week. */
	for (d = 9; d <= 13; d++)
		assert_int_equal(cal_is_business_day(D(2026, 11, d), NULL), 1);
	assert_int_equal(cal_is_business_day(D(2026, 11, 7), NULL), 0);
	assert_int_equal(cal_is_business_day(D(2026, 11, 8), NULL), 0);
	assert_int_equal(cal_is_business_day(D(2026, 11, 14), NULL), 0);
	assert_int_equal(cal_is_business_day(D(1970, 1, 2), NULL), 1);
	assert_int_equal(cal_is_business_day(D(1970, 1, 3), NULL), 0);
	assert_int_equal(cal_is_business_day(D(2000, 2, 29), NULL), 1);
	assert_int_equal(cal_is_business_day(D(2000, 3, 4), NULL), 0);
	assert_int_equal(cal_is_business_day(D(9999, 12, 31), NULL), 1);
	assert_int_equal(cal_is_business_day(D(2026, 11, 31), NULL), 0);
	assert_int_equal(cal_is_business_day(D(1969, 12, 31), NULL), 0);
}

static void test_d1_add_business_days_over_fiestas_patrias(void **state)
{
	(void)state;
	/* Fri 24 Jul; Mon 27 works; 28 and 29 are Fiestas Patrias. */
	assert_date(cal_add_business_days(D(2026, 7, 24), 1, NULL), 2026, 7,
		    27);
	assert_date(cal_add_business_days(D(2026, 7, 24), 2, NULL), 2026, 7,
		    30);
	assert_date(cal_add_business_days(D(2026, 7, 27), 1, NULL), 2026, 7,
		    30);
	assert_date(cal_add_business_days(D(2026, 7, 22), 1, NULL), 2026, 7,
		    24); /* over Día de la Fuerza Aérea, Thu 23 */
}

static void test_d1_add_business_days_over_december(void **state)
{
	(void)state;
	/* Mon 7 Dec; 8 and 9 Dec are holidays. */
	assert_date(cal_add_business_days(D(2026, 12, 7), 1, NULL), 2026, 12,
		    10);
	/* Thu 24 Dec; Christmas on Friday, then the weekend. */
	assert_date(cal_add_business_days(D(2026, 12, 24), 1, NULL), 2026, 12,
		    28);
	/* Thu 31 Dec; New Year on Friday, then the weekend. */
	assert_date(cal_add_business_days(D(2026, 12, 31), 1, NULL), 2027, 1,
		    4);
}

static void test_d1_add_business_days_zero_weekend_and_limits(void **state)
{
	(void)state;
	/* n == 0 is the day itself, even a Saturday or a holiday. */
	assert_date(cal_add_business_days(D(2026, 11, 7), 0, NULL), 2026, 11,
		    7);
	assert_date(cal_add_business_days(D(2026, 12, 25), 0, NULL), 2026, 12,
		    25);
	assert_date(cal_add_business_days(D(2026, 11, 7), 1, NULL), 2026, 11,
		    9);
	assert_date(cal_add_business_days(D(2026, 11, 13), 5, NULL), 2026, 11,
		    20);
	assert_date(cal_add_business_days(D(9999, 12, 30), 1, NULL), 9999, 12,
		    31);
	assert_date(cal_add_business_days(D(9999, 12, 31), 1, NULL), 0, 0, 0);
	assert_date(cal_add_business_days(D(2026, 11, 3), -1, NULL), 0, 0, 0);
	assert_date(cal_add_business_days(D(2026, 2, 29), 1, NULL), 0, 0, 0);
}

static void test_d1_extra_days_are_not_business_days(void **state)
{
	int32_t extra[3];
	struct cal_calendar cal = {extra, 3};
	struct cal_calendar empty = {NULL, 0};

	(void)state;
	extra[0] = cal_day_number(D(2026, 11, 9));
	extra[1] = cal_day_number(D(2026, 12, 28));
	extra[2] = cal_day_number(D(2026, 12, 31));
	assert_int_equal(extra[0], 20766); /* worked out by hand */
	assert_int_equal(cal_is_business_day(D(2026, 11, 9), &cal), 0);
	assert_int_equal(cal_is_business_day(D(2026, 12, 28), &cal), 0);
	assert_int_equal(cal_is_business_day(D(2026, 12, 31), &cal), 0);
	assert_int_equal(cal_is_business_day(D(2026, 11, 10), &cal), 1);
	assert_int_equal(cal_is_business_day(D(2026, 12, 29), &cal), 1);
	assert_int_equal(cal_is_business_day(D(2026, 12, 30), &cal), 1);
	assert_int_equal(cal_is_business_day(D(2026, 12, 28), NULL), 1);
	assert_int_equal(cal_is_business_day(D(2026, 12, 28), &empty), 1);
	assert_null(cal_holiday_name(D(2026, 12, 28)));

	assert_date(cal_add_business_days(D(2026, 12, 24), 1, &cal), 2026, 12,
		    29);
	assert_date(cal_add_business_days(D(2026, 12, 24), 3, &cal), 2027, 1,
		    4);
	assert_date(cal_add_business_days(D(2026, 12, 24), 1, &empty), 2026,
		    12, 28);
	assert_int_equal(cal_business_days_between(D(2026, 12, 24),
						   D(2027, 1, 4), &cal),
			 3);
	assert_int_equal(cal_business_days_between(D(2026, 12, 24),
						   D(2027, 1, 4), NULL),
			 5);
}

/* An extra day next to a holiday run makes the run longer (a "puente"). */
static void test_d1_extra_day_bridges_holiday_runs(void **state)
{
	int32_t extra[2];
	struct cal_calendar cal = {extra, 2};

	(void)state;
	extra[0] = cal_day_number(D(2026, 7, 27)); /* Mon before 28-29 Jul */
	extra[1] = cal_day_number(D(2026, 12, 7)); /* Mon before 8-9 Dec */
	/* Fri 24 Jul + 1: Mon 27 (extra), 28, 29 (Fiestas Patrias) -> 30. */
	assert_date(cal_add_business_days(D(2026, 7, 24), 1, &cal), 2026, 7,
		    30);
	/* Fri 4 Dec + 1: Mon 7 (extra), 8, 9 (holidays) -> Thu 10. */
	assert_date(cal_add_business_days(D(2026, 12, 4), 1, &cal), 2026, 12,
		    10);
	/* O3 from a Friday end: 3 business days then fall on 10-14 Dec. */
	assert_date(cal_add_business_days(D(2026, 12, 4), 3, &cal), 2026, 12,
		    14);
	assert_date(cal_add_business_days(D(2026, 12, 4), 3, NULL), 2026, 12,
		    11);
	assert_int_equal(cal_business_days_between(D(2026, 7, 24),
						   D(2026, 7, 31), &cal),
			 2);
}

static void test_d1_business_days_between(void **state)
{
	struct cal_date start = D(2026, 7, 24);
	int k;

	(void)state;
	assert_int_equal(cal_business_days_between(D(2026, 12, 24),
						   D(2026, 12, 28), NULL),
			 1);
	assert_int_equal(cal_business_days_between(D(2026, 12, 28),
						   D(2026, 12, 24), NULL),
			 -1);
	assert_int_equal(cal_business_days_between(D(2026, 12, 24),
						   D(2026, 12, 24), NULL),
			 0);
	assert_int_equal(cal_business_days_between(D(2026, 11, 7),
						   D(2026, 11, 8), NULL),
			 0);
	/* (Fri 24 Jul, Fri 31 Jul]: Mon 27, Thu 30, Fri 31. */
	assert_int_equal(
		cal_business_days_between(start, D(2026, 7, 31), NULL), 3);
	assert_int_equal(
		cal_business_days_between(D(2026, 7, 31), start, NULL), -3);
	/* All of 2026: 261 weekdays less 13 holidays on weekdays. */
	assert_int_equal(cal_business_days_between(D(2025, 12, 31),
						   D(2026, 12, 31), NULL),
			 248);
	assert_int_equal(
		cal_business_days_between(D(2026, 2, 30), D(2026, 3, 3), NULL),
		0);
	for (k = 0; k <= 300; k++) {
		struct cal_date to = cal_add_business_days(start, k, NULL);

		assert_int_equal(cal_business_days_between(start, to, NULL),
				 k);
	}
}

/* D2: days are counted the same way as the rest of the world does. */
static void test_d2_day_number_anchors(void **state)
{
	(void)state;
	assert_int_equal(cal_day_number(D(1970, 1, 1)), 0);
	assert_int_equal(cal_day_number(D(2000, 3, 1)), 11017);
	assert_int_equal(cal_day_number(D(2024, 2, 29)), 19782);
	assert_int_equal(cal_day_number(D(2026, 11, 3)), 20760);
	assert_int_equal(cal_day_number(D(9999, 12, 31)), 2932896);
	assert_int_equal(cal_day_number(D(1969, 12, 31)), -1);
	assert_date(cal_from_day_number(20760), 2026, 11, 3);
	assert_date(cal_from_day_number(-1), 1969, 12, 31);
	assert_date(cal_from_day_number(2932897), 10000, 1, 1);
}

static int month_len(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : len[m - 1];
}

/* Every day from 1970 to 9999, against a plain day-by-day count. */
static void test_d2_every_day_1970_9999_round_trips(void **state)
{
	struct cal_date want = {1970, 1, 1};
	int32_t n;

	(void)state;
	for (n = 0; n <= 2932896; n++) {
		struct cal_date got = cal_from_day_number(n);

		if (got.y != want.y || got.m != want.m || got.d != want.d ||
		    cal_day_number(want) != n || !cal_date_valid(want))
			fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", n,
				 got.y, got.m, got.d, want.y, want.m, want.d);
		if (++want.d > month_len(want.y, want.m)) {
			want.d = 1;
			if (++want.m > 12) {
				want.m = 1;
				want.y++;
			}
		}
	}
	assert_int_equal(cal_date_valid(want), 0); /* 10000-01-01 */
}

static void test_d2_date_valid(void **state)
{
	(void)state;
	assert_int_equal(cal_date_valid(D(2024, 2, 29)), 1);
	assert_int_equal(cal_date_valid(D(2000, 2, 29)), 1);
	assert_int_equal(cal_date_valid(D(2025, 2, 29)), 0);
	assert_int_equal(cal_date_valid(D(2100, 2, 29)), 0);
	assert_int_equal(cal_date_valid(D(2026, 4, 31)), 0);
	assert_int_equal(cal_date_valid(D(2026, 12, 31)), 1);
	assert_int_equal(cal_date_valid(D(2026, 13, 1)), 0);
	assert_int_equal(cal_date_valid(D(2026, 0, 1)), 0);
	assert_int_equal(cal_date_valid(D(2026, 1, 0)), 0);
	assert_int_equal(cal_date_valid(D(1969, 12, 31)), 0);
	assert_int_equal(cal_date_valid(D(1970, 1, 1)), 1);
	assert_int_equal(cal_date_valid(D(10000, 1, 1)), 0);
}

static void test_d2_parse_date_is_strict(void **state)
{
	static const char *const bad[] = {
		"2026-11-3",   "2026-11-03x", "2026/11/03", " 2026-11-03",
		"2026-11-03 ", "2026-02-30",  "2026-13-01", "1969-12-31",
		"+026-11-03",  "2026-1-003",  "",	    "2026-11-0a",
	};
	struct cal_date d = {1, 2, 3};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cal_parse_date(bad[i], &d) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_date(d, 1, 2, 3);
	assert_int_equal(cal_parse_date(NULL, &d), -1);
	assert_int_equal(cal_parse_date("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(cal_parse_date("9999-12-31", &d), 0);
	assert_date(d, 9999, 12, 31);
}

static void test_d2_format_date(void **state)
{
	char out[11];

	(void)state;
	cal_format_date(D(2026, 1, 5), out);
	assert_string_equal(out, "2026-01-05");
	cal_format_date(D(9999, 12, 31), out);
	assert_string_equal(out, "9999-12-31");
	cal_format_date(D(1969, 12, 31), out);
	assert_string_equal(out, "1969-12-31");
	cal_format_date(D(2026, 2, 30), out);
	assert_string_equal(out, "0000-00-00");
	cal_format_date(D(12345, 1, 1), out);
	assert_string_equal(out, "0000-00-00");
	cal_format_date(D(-1, 1, 1), out);
	assert_string_equal(out, "0000-00-00");
}

/* 2026-11-03T14:15:00Z, worked out independently. */
#define T_2026_11_03_1415Z INT64_C(1793715300)

static void test_d2_rfc3339_accepts_offsets_z_and_fractions(void **state)
{
	static const char *const same[] = {
		"2026-11-03T09:15:00-05:00", "2026-11-03T14:15:00Z",
		"2026-11-03t14:15:00Z",	     "2026-11-03T14:15:00z",
		"2026-11-03T14:15:00+00:00", "2026-11-03T14:15:00-00:00",
		"2026-11-03T19:45:00+05:30", "2026-11-03T09:15:00.123-05:00",
		"2026-11-03T14:15:00.9Z",    "2026-11-03T14:15:00.000000001Z",
		"2026-11-04T00:15:00+10:00", "2026-11-02T15:16:00-22:59",
	};
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		t = 0;
		if (cal_parse_rfc3339(same[i], &t) != 0)
			fail_msg("rejected '%s'", same[i]);
		if (t != T_2026_11_03_1415Z)
			fail_msg("'%s' gave %lld", same[i], (long long)t);
	}
	assert_int_equal(cal_parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
	assert_true(t == 0);
	assert_int_equal(cal_parse_rfc3339("2000-02-29T12:00:00Z", &t), 0);
	assert_true(t == INT64_C(951825600));
	assert_int_equal(cal_parse_rfc3339("9999-12-31T23:59:59Z", &t), 0);
	assert_true(t == INT64_C(253402300799));
	assert_int_equal(cal_parse_rfc3339("2026-11-03T23:59:59-05:00", &t),
			 0);
	assert_true(t == INT64_C(1793768399)); /* 2026-11-04T04:59:59Z */
}

static void test_d2_rfc3339_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"2026-02-30T10:00:00Z", /* no such day */
		"2025-02-29T10:00:00Z",
		"2026-11-03 09:15:00-05:00", /* space for 'T' */
		"2026-11-03 09:15:00",
		"2026-11-03T09:15:00", /* no zone */
		"2026-11-03T24:00:00Z",
		"2026-11-03T09:60:00Z",
		"2026-11-03T09:15:60Z", /* leap second */
		"2026-11-03T09:15:00Zjunk",
		"2026-11-03T09:15:00-05:00 ",
		"2026-11-03T09:15:00-05:00x",
		"2026-11-03T09:15:00.Z", /* empty fraction */
		"2026-11-03T09:15:00,5Z",
		"2026-11-03T9:15:00Z",
		"2026-11-03T09:15Z",
		"2026-11-03T09:15:00-0500",
		"2026-11-03T09:15:00-05",
		"2026-11-03T09:15:00-24:00",
		"2026-11-03T09:15:00+05:60",
		"2026-11-03T09:15:00 -05:00",
		"2026-11-03T09:15:00UTC",
		"2026-11-03X09:15:00Z",
		"2026-13-03T09:15:00Z",
		"1969-12-31T23:59:59Z", /* before the calendar */
		"2026-11-03",
		"",
		"+2026-11-03T09:15:00Z",
	};
	int64_t t = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cal_parse_rfc3339(bad[i], &t) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_true(t == 42);
	assert_int_equal(cal_parse_rfc3339(NULL, &t), -1);
	assert_int_equal(cal_parse_rfc3339("2026-11-03T14:15:00Z", NULL), -1);
}

static void test_d2_format_lima(void **state)
{
	char out[26];
	int64_t t;

	(void)state;
	assert_int_equal(cal_parse_rfc3339("2026-11-03T14:15:00Z", &t), 0);
	cal_format_lima(t, out);
	assert_string_equal(out, "2026-11-03T09:15:00-05:00");
	cal_format_lima(T_2026_11_03_1415Z, out);
	assert_string_equal(out, "2026-11-03T09:15:00-05:00");
	cal_format_lima(0, out);
	assert_string_equal(out, "1969-12-31T19:00:00-05:00");
	cal_format_lima(INT64_C(951825600), out);
	assert_string_equal(out, "2000-02-29T07:00:00-05:00");
	assert_int_equal(cal_parse_rfc3339("2026-01-01T04:59:59Z", &t), 0);
	cal_format_lima(t, out);
	assert_string_equal(out, "2025-12-31T23:59:59-05:00");
	cal_format_lima(INT64_C(253402300799), out);
	assert_string_equal(out, "9999-12-31T18:59:59-05:00");
	cal_format_lima(INT64_MAX, out);
	assert_string_equal(out, "0000-00-00T00:00:00-05:00");
	cal_format_lima(INT64_MIN, out);
	assert_string_equal(out, "0000-00-00T00:00:00-05:00");
}

/*
 * What is written reads back as the same instant, from the first Lima
 * second of 1970 to the last of 9999.
 */
static void test_d2_format_lima_round_trips(void **state)
{
	const int64_t last = INT64_C(253402318799);
	int64_t t;
	char out[26];

	(void)state;
	for (t = 18000; t <= last; t += 7777777) {
		int64_t back = -1;

		cal_format_lima(t, out);
		if (cal_parse_rfc3339(out, &back) != 0 || back != t)
			fail_msg("%lld -> '%s' -> %lld", (long long)t, out,
				 (long long)back);
	}
	cal_format_lima(last, out);
	assert_string_equal(out, "9999-12-31T23:59:59-05:00");
	cal_format_lima(last + 1, out);
	assert_string_equal(out, "0000-00-00T00:00:00-05:00");
}

static void test_d2_lima_date_around_midnight(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(cal_parse_rfc3339("2026-11-04T04:59:59Z", &t), 0);
	assert_true(t == INT64_C(1793768399));
	assert_date(cal_lima_date(t), 2026, 11, 3);
	assert_date(cal_lima_date(t + 1), 2026, 11, 4);
	assert_date(cal_lima_date(T_2026_11_03_1415Z), 2026, 11, 3);
	assert_date(cal_lima_date(0), 1969, 12, 31);
	assert_date(cal_lima_date(18000), 1970, 1, 1);
	assert_date(cal_lima_date(17999), 1969, 12, 31);
	assert_date(cal_lima_date(-86400 + 17999), 1969, 12, 30);
	assert_date(cal_lima_date(INT64_MAX), 0, 0, 0);
	assert_date(cal_lima_date(INT64_MIN), 0, 0, 0);
}

static void test_d2_lima_day_start(void **state)
{
	int64_t t;

	(void)state;
	assert_true(cal_lima_day_start(D(1970, 1, 1)) == 18000);
	assert_true(cal_lima_day_start(D(2026, 11, 4)) == INT64_C(1793768400));
	assert_int_equal(cal_parse_rfc3339("2026-11-03T00:00:00-05:00", &t),
			 0);
	assert_true(cal_lima_day_start(D(2026, 11, 3)) == t);
	assert_date(cal_lima_date(cal_lima_day_start(D(2026, 11, 3))), 2026,
		    11, 3);
	assert_date(cal_lima_date(cal_lima_day_start(D(2026, 11, 3)) - 1),
		    2026, 11, 2);
	assert_true(cal_lima_day_start(D(2026, 11, 4)) -
			    cal_lima_day_start(D(2026, 11, 3)) ==
		    86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_d1_holidays_match_csv_2024_2035),
		cmocka_unit_test(test_d1_csv_holidays_are_not_business_days),
		cmocka_unit_test(
			test_d1_other_weekdays_2024_2035_are_business_days),
		cmocka_unit_test(test_d1_easter_2024_2035),
		cmocka_unit_test(
			test_d1_easter_rejects_years_outside_gregorian),
		cmocka_unit_test(test_d1_holy_week_follows_easter),
		cmocka_unit_test(test_d1_ordinary_days_have_no_holiday_name),
		cmocka_unit_test(test_d1_holidays_rejects_bad_arguments),
		cmocka_unit_test(test_d1_weekends_are_not_business_days),
		cmocka_unit_test(
			test_d1_add_business_days_over_fiestas_patrias),
		cmocka_unit_test(test_d1_add_business_days_over_december),
		cmocka_unit_test(
			test_d1_add_business_days_zero_weekend_and_limits),
		cmocka_unit_test(test_d1_extra_days_are_not_business_days),
		cmocka_unit_test(test_d1_extra_day_bridges_holiday_runs),
		cmocka_unit_test(test_d1_business_days_between),
		cmocka_unit_test(test_d2_day_number_anchors),
		cmocka_unit_test(test_d2_every_day_1970_9999_round_trips),
		cmocka_unit_test(test_d2_date_valid),
		cmocka_unit_test(test_d2_parse_date_is_strict),
		cmocka_unit_test(test_d2_format_date),
		cmocka_unit_test(
			test_d2_rfc3339_accepts_offsets_z_and_fractions),
		cmocka_unit_test(test_d2_rfc3339_rejects_malformed),
		cmocka_unit_test(test_d2_format_lima),
		cmocka_unit_test(test_d2_format_lima_round_trips),
		cmocka_unit_test(test_d2_lima_date_around_midnight),
		cmocka_unit_test(test_d2_lima_day_start),
	};

	return cmocka_run_group_tests(tests, load_csv, NULL);
}
