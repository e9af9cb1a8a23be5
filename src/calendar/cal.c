/*
 * Calendar arithmetic after Howard Hinnant's "chrono-Compatible Low-Level
 * Date Algorithms": dates are shifted to start the year on 1 March, so the
 * leap day is the last day of its year and a 400-year era is always
 * 146097 days.  No mktime(), timegm() or TZ: Lima's offset is a constant.
 */
#include "calendar/cal.h"

#include <string.h>

#define YEAR_MIN     1970
#define YEAR_MAX     9999
#define SECS_PER_DAY 86400
/*
 * Lima is UTC-05:00 all year; local time = UTC + LIMA_OFFSET.  A constant
 * rather than the system's time zone database because Peru has kept
 * UTC-05:00 without daylight saving time since April 1994 (tzdata's
 * America/Lima), so the answer never depends on the server: not on its TZ
 * (servers and containers often run in UTC), nor on whether tzdata is
 * installed or up to date, and no thread touches localtime()'s shared
 * state.  Times before April 1994 are never register times.  Should Peru
 * change its legal time, this constant is the one place to change.
 */
#define LIMA_OFFSET (-5 * 3600)
/* The Lima days cal_format_lima() and cal_lima_date() can express. */
#define DAY_0000_01_01 (-719528)
#define DAY_9999_12_31 2932896

static const struct cal_date no_date = {0, 0, 0};

static const struct fixed_holiday {
	int m, d;
	const char *name;
} fixed_holidays[] = {
	{1, 1, "Año Nuevo"},
	{5, 1, "Día del Trabajo"},
	{6, 7, "Batalla de Arica y Día de la Bandera"},
	{6, 29, "San Pedro y San Pablo"},
	{7, 23, "Día de la Fuerza Aérea del Perú"},
	{7, 28, "Fiestas Patrias"},
	{7, 29, "Fiestas Patrias"},
	{8, 6, "Batalla de Junín"},
	{8, 30, "Santa Rosa de Lima"},
	{10, 8, "Combate de Angamos"},
	{11, 1, "Día de Todos los Santos"},
	{12, 8, "Inmaculada Concepción"},
	{12, 9, "Batalla de Ayacucho"},
	{12, 25, "Navidad"},
};
#define N_FIXED (sizeof(fixed_holidays) / sizeof(fixed_holidays[0]))

/* Holidays that move with Easter Sunday, in date order. */
static const struct easter_holiday {
	int offset;
	const char *name;
} easter_holidays[] = {
	{-3, "Jueves Santo"},
	{-2, "Viernes Santo"},
};
#define N_EASTER (sizeof(easter_holidays) / sizeof(easter_holidays[0]))

/* Floor division; the C operator truncates towards zero instead. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static int is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

static int date_real(struct cal_date d, int ymin, int ymax)
{
	if (d.y < ymin || d.y > ymax || d.m < 1 || d.m > 12)
		return 0;
	return d.d >= 1 && d.d <= days_in_month(d.y, d.m);
}

int cal_date_valid(struct cal_date d)
{
	return date_real(d, YEAR_MIN, YEAR_MAX);
}

/* All in 64 bits, so that no argument whatsoever can overflow. */
int32_t cal_day_number(struct cal_date d)
{
	int64_t y = (int64_t)d.y - (d.m <= 2);
	int64_t m = d.m;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400; /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */

	return (int32_t)(era * 146097 + doe - 719468);
}

struct cal_date cal_from_day_number(int32_t n)
{
	int64_t z = (int64_t)n + 719468; /* days since 0000-03-01 */
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097; /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;		       /* 0 is March */
	struct cal_date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

/*
 * 0 is Sunday, 6 Saturday; day 0, 1970-01-01, was a Thursday.  Only asked
 * about real dates, so n >= 0 and the remainder is never negative.
 */
static int weekday(int32_t n)
{
	return (int)(((int64_t)n + 4) % 7);
}

/* Reads exactly `len` ASCII digits; isdigit() would depend on the locale. */
static int read_digits(const char *s, int len, int *out)
{
	int v = 0;
	int i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Writes `v` (>= 0) as exactly `len` digits, zero-padded, no NUL. */
static void put_digits(char *p, int v, int len)
{
	while (len-- > 0) {
		p[len] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "YYYY-MM-DD" at the start of `s`, real date or not; nothing after. */
static int read_ymd(const char *s, struct cal_date *d)
{
	if (read_digits(s, 4, &d->y) < 0 || s[4] != '-' ||
	    read_digits(s + 5, 2, &d->m) < 0 || s[7] != '-' ||
	    read_digits(s + 8, 2, &d->d) < 0)
		return -1;
	return 0;
}

int cal_parse_date(const char *s, struct cal_date *out)
{
	struct cal_date d;

	if (!s || !out || read_ymd(s, &d) < 0 || s[10] != '\0' ||
	    !cal_date_valid(d))
		return -1;
	*out = d;
	return 0;
}

void cal_format_date(struct cal_date d, char out[11])
{
	if (!date_real(d, 0, 9999))
		d = no_date;
	put_digits(out, d.y, 4);
	out[4] = '-';
	put_digits(out + 5, d.m, 2);
	out[7] = '-';
	put_digits(out + 8, d.d, 2);
	out[10] = '\0';
}

/* "dd:dd": the first number at most `hmax`, the second at most 59. */
static int read_hhmm(const char *s, int hmax, int *h, int *m)
{
	if (read_digits(s, 2, h) < 0 || s[2] != ':' ||
	    read_digits(s + 3, 2, m) < 0)
		return -1;
	return *h <= hmax && *m <= 59 ? 0 : -1;
}

/*
 * The zone at `s`: 'Z'/'z' or "+hh:mm"/"-hh:mm", and then the end of the
 * string.  Stores the offset east of UTC in seconds.
 */
static int read_zone(const char *s, int64_t *offset)
{
	int h, m;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*offset = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || read_hhmm(s + 1, 23, &h, &m) < 0 ||
	    s[6] != '\0')
		return -1;
	*offset = (int64_t)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int cal_parse_rfc3339(const char *s, int64_t *utc)
{
	struct cal_date d;
	int h, mi, sec;
	int64_t offset;
	const char *p;

	if (!s || !utc || read_ymd(s, &d) < 0 || !cal_date_valid(d) ||
	    (s[10] != 'T' && s[10] != 't') ||
	    read_hhmm(s + 11, 23, &h, &mi) < 0 || s[16] != ':' ||
	    read_digits(s + 17, 2, &sec) < 0 || sec > 59)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (read_zone(p, &offset) < 0)
		return -1;
	*utc = (int64_t)cal_day_number(d) * SECS_PER_DAY + h * 3600 + mi * 60 +
	       sec - offset;
	return 0;
}

/* The Lima day number of `utc`, or -1 if outside 0000..9999 (see .h). */
static int lima_day(int64_t utc, int32_t *n)
{
	const int64_t lo =
		(int64_t)DAY_0000_01_01 * SECS_PER_DAY - LIMA_OFFSET;
	const int64_t hi =
		((int64_t)DAY_9999_12_31 + 1) * SECS_PER_DAY - LIMA_OFFSET;

	if (utc < lo || utc >= hi)
		return -1;
	*n = (int32_t)floor_div(utc + LIMA_OFFSET, SECS_PER_DAY);
	return 0;
}

void cal_format_lima(int64_t utc, char out[26])
{
	struct cal_date d = no_date;
	int64_t secs = 0;
	int32_t n;

	if (lima_day(utc, &n) == 0) {
		d = cal_from_day_number(n);
		secs = utc + LIMA_OFFSET - (int64_t)n * SECS_PER_DAY;
	}
	cal_format_date(d, out);
	out[10] = 'T';
	put_digits(out + 11, (int)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (int)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (int)(secs % 60), 2);
	memcpy(out + 19, "-05:00", sizeof("-05:00"));
}

struct cal_date cal_lima_date(int64_t utc)
{
	int32_t n;

	if (lima_day(utc, &n) < 0)
		return no_date;
	return cal_from_day_number(n);
}

int64_t cal_lima_day_start(struct cal_date d)
{
	return (int64_t)cal_day_number(d) * SECS_PER_DAY - LIMA_OFFSET;
}

int cal_easter(int year, struct cal_date *out)
{
	int a, b, c, d, e, f, g, h, i, k, l, m;

	if (!out || year < 1583 || year > YEAR_MAX)
		return -1;
	a = year % 19;
	b = year / 100;
	c = year % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	out->y = year;
	out->m = (h + l - 7 * m + 114) / 31;
	out->d = (h + l - 7 * m + 114) % 31 + 1;
	return 0;
}

/* Day number of Easter Sunday; INT32_MIN, far from any real date, if none. */
static int32_t easter_day(int year)
{
	struct cal_date e;

	if (cal_easter(year, &e) < 0)
		return INT32_MIN;
	return cal_day_number(e);
}

/* As cal_holiday_name(), for a real date `d` whose day number is `n`. */
static const char *holiday_name(struct cal_date d, int32_t n)
{
	int32_t easter = easter_day(d.y);
	size_t i;

	for (i = 0; i < N_FIXED; i++)
		if (fixed_holidays[i].m == d.m && fixed_holidays[i].d == d.d)
			return fixed_holidays[i].name;
	for (i = 0; i < N_EASTER; i++)
		if ((int64_t)n - easter == easter_holidays[i].offset)
			return easter_holidays[i].name;
	return NULL;
}

const char *cal_holiday_name(struct cal_date d)
{
	if (!cal_date_valid(d))
		return NULL;
	return holiday_name(d, cal_day_number(d));
}

static void put_holiday(struct cal_date out[], const char *names[], int i,
			struct cal_date d, const char *name)
{
	out[i] = d;
	if (names)
		names[i] = name;
}

/*
 * Merges the Easter holidays into the fixed ones.  Holy week falls between
 * 19 March and 23 April, so no fixed holiday ever shares its dates.
 */
int cal_holidays(int year, struct cal_date out[], const char *names[], int max)
{
	int32_t easter;
	size_t f, e = 0;
	int n = 0;

	if (!out || year < YEAR_MIN || year > YEAR_MAX ||
	    max < (int)(N_FIXED + N_EASTER))
		return -1;
	easter = easter_day(year);
	for (f = 0; f <= N_FIXED; f++) {
		struct cal_date fd = {year, 0, 0};
		int32_t fn = INT32_MAX; /* past the end: flush the rest */

		if (f < N_FIXED) {
			fd.m = fixed_holidays[f].m;
			fd.d = fixed_holidays[f].d;
			fn = cal_day_number(fd);
		}
		for (; e < N_EASTER; e++) {
			int32_t en = easter + easter_holidays[e].offset;

			if (en >= fn)
				break;
			put_holiday(out, names, n++, cal_from_day_number(en),
				    easter_holidays[e].name);
		}
		if (f < N_FIXED)
			put_holiday(out, names, n++, fd,
				    fixed_holidays[f].name);
	}
	return n;
}

static int is_extra_day(int32_t n, const struct cal_calendar *cal)
{
	size_t lo = 0, hi;

	if (!cal || !cal->extra_days)
		return 0;
	hi = cal->n_extra;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->extra_days[mid] < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->n_extra && cal->extra_days[lo] == n;
}

/* As cal_is_business_day(), for the day number of a real date. */
static int business_day(int32_t n, const struct cal_calendar *cal)
{
	int wd = weekday(n);

	if (wd == 0 || wd == 6)
		return 0;
	if (holiday_name(cal_from_day_number(n), n))
		return 0;
	return !is_extra_day(n, cal);
}

int cal_is_business_day(struct cal_date d, const struct cal_calendar *cal)
{
	if (!cal_date_valid(d))
		return 0;
	return business_day(cal_day_number(d), cal);
}

/*
 * A day at a time: at most a few million steps even across the whole
 * calendar, and nothing to get wrong about runs of holidays.
 */
struct cal_date cal_add_business_days(struct cal_date d, int n,
				      const struct cal_calendar *cal)
{
	int32_t day;

	if (!cal_date_valid(d) || n < 0)
		return no_date;
	day = cal_day_number(d);
	while (n > 0) {
		if (day >= DAY_9999_12_31)
			return no_date;
		day++;
		if (business_day(day, cal))
			n--;
	}
	return cal_from_day_number(day);
}

/* NOLINTNEXTLINE(misc-no-recursion): calls itself once, with b >= a */
int cal_business_days_between(struct cal_date from, struct cal_date to,
			      const struct cal_calendar *cal)
{
	int32_t a, b, day;
	int count = 0;

	if (!cal_date_valid(from) || !cal_date_valid(to))
		return 0;
	a = cal_day_number(from);
	b = cal_day_number(to);
	if (b < a)
		return -cal_business_days_between(to, from, cal);
	for (day = a + 1; day <= b; day++)
		count += business_day(day, cal);
	return count;
}
