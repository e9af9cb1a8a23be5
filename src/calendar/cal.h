#ifndef INOP_CALENDAR_CAL_H
#define INOP_CALENDAR_CAL_H
#include <stddef.h>
#include <stdint.h>

/*
 * Lima calendar days, Peruvian business days and the instants Inop stores
 * (SPEC section 12, rules D1 and D2).
 *
 * Instants are `int64_t` seconds since 1970-01-01T00:00:00Z, leap seconds
 * not counted (POSIX time).  Days are days in Lima, which is UTC-05:00 all
 * year round: Peru has not used daylight saving time since 1994, so no
 * time zone database is consulted and the answers never depend on TZ, the
 * locale or the host's clock.
 *
 * Everything here is pure arithmetic on its arguments: no I/O, no
 * allocation, no hidden state.  Every function is safe to call from any
 * thread at any time.  Strings handed back (holiday names) are static and
 * must not be freed; strings written go to buffers the caller owns, sized
 * as the prototypes say, and are always NUL-terminated.
 *
 * The calendar covers the years 1970 to 9999.  A date outside them, or one
 * that does not exist (2026-02-30), is "not real"; functions that return a
 * date say failure with {0, 0, 0}, which cal_date_valid() rejects.
 */

/* A Lima calendar day: y 1970..9999, m 1..12, d 1..31. */
struct cal_date {
	int y, m, d;
};

/*
 * Extra non-working days set by ADMIN, on top of the national holidays.
 * `extra_days` holds `n_extra` day numbers (see cal_day_number()) sorted
 * ascending; duplicates are harmless, an unsorted array gives wrong
 * answers.  The caller owns the array and keeps it alive while the
 * calendar is in use.  `extra_days` may be NULL when `n_extra` is 0.
 */
struct cal_calendar {
	const int32_t *extra_days;
	size_t n_extra;
};

/*
 * Days, dates and strings
 * -----------------------
 */

/*
 * Returns the number of days from 1970-01-01 to `d` (negative before it).
 * For a real date the result is exact and cal_from_day_number() gives `d`
 * back; for any other date it is meaningless, but computing it is safe.
 */
int32_t cal_day_number(struct cal_date d);

/*
 * The inverse of cal_day_number(): the proleptic Gregorian date `n` days
 * after 1970-01-01.  Defined for every `n`, including dates outside the
 * years 1970..9999 (which cal_date_valid() will then reject).
 */
struct cal_date cal_from_day_number(int32_t n);

/*
 * Returns 1 if `d` is a day that exists in a year from 1970 to 9999
 * (2024-02-29 yes, 2025-02-29 no), 0 otherwise.
 */
int cal_date_valid(struct cal_date d);

/*
 * Parses `s`, which must be exactly "YYYY-MM-DD" naming a real date: no
 * surrounding space, no sign, no missing zeros, nothing after it.  Returns
 * 0 and fills `*out`, or -1 and leaves `*out` untouched.
 */
int cal_parse_date(const char *s, struct cal_date *out);

/*
 * Writes `d` as "YYYY-MM-DD" into `out`.  Any real date of the years
 * 0000..9999 is written as is (so 1969-12-31 can be shown); anything else
 * becomes "0000-00-00", which cal_parse_date() rejects.
 */
void cal_format_date(struct cal_date d, char out[11]);

/*
 * Instants
 * --------
 */

/*
 * Parses an RFC 3339 date-time and stores the instant it names in `*utc`:
 *
 *   2026-11-03T09:15:00-05:00    2026-11-03T14:15:00Z
 *   2026-11-03t14:15:00.123z     2026-11-03T19:45:00+05:30
 *
 * The separator is 'T' or 't', the zone 'Z', 'z' or "+hh:mm"/"-hh:mm"
 * ("-00:00" is read as UTC).  A fraction of a second (one or more digits
 * after '.') is accepted and dropped.  Everything else is rejected: a
 * space instead of 'T', a missing zone, "-0500", a date that does not
 * exist or whose written year is outside 1970..9999, hour 24, minute or
 * second 60 (leap seconds cannot be stored), an offset beyond 23:59, and
 * anything after the zone.  Returns 0 on success; -1 on failure, with
 * `*utc` untouched.
 */
int cal_parse_rfc3339(const char *s, int64_t *utc);

/*
 * Writes `utc` as Lima time, always in the form
 * "YYYY-MM-DDTHH:MM:SS-05:00" (25 characters and the NUL), which
 * cal_parse_rfc3339() reads back to the same instant.  An instant whose
 * Lima year is outside 0000..9999 becomes "0000-00-00T00:00:00-05:00".
 */
void cal_format_lima(int64_t utc, char out[26]);

/*
 * Returns the Lima day `utc` falls on: 2026-11-04T04:59:59Z is still
 * 2026-11-03 in Lima.  Returns {0, 0, 0} if the Lima year is outside
 * 0000..9999; a year before 1970 comes back as is, for
 * cal_date_valid() to reject.
 */
struct cal_date cal_lima_date(int64_t utc);

/*
 * Returns the instant at which the Lima day `d` begins (00:00:00-05:00,
 * i.e. 05:00:00Z).  The day ends just before the start of the next one,
 * cal_lima_day_start(d) + 86400.  `d` must be real; for any other date the
 * result is meaningless, but computing it is safe.
 */
int64_t cal_lima_day_start(struct cal_date d);

/*
 * Holidays and business days (SPEC D1)
 * -------------------------------------
 */

/*
 * Stores Easter Sunday of the Gregorian `year` in `*out`, by the anonymous
 * Gregorian algorithm (Meeus/Jones/Butcher).  Returns 0, or -1 with `*out`
 * untouched if `year` is outside 1583..9999 (before 1583 the Gregorian
 * reckoning did not exist).
 */
int cal_easter(int year, struct cal_date *out);

/*
 * Returns the Spanish name of the national holiday on `d` ("Año Nuevo",
 * "Viernes Santo", ...; UTF-8, static, never to be freed), or NULL if `d`
 * is not a holiday or not a real date.  Both 28 and 29 July are "Fiestas
 * Patrias".  Holidays falling on a weekend are not moved.  The extra days
 * of a struct cal_calendar are not holidays and have no name.
 */
const char *cal_holiday_name(struct cal_date d);

/*
 * Stores the national holidays of `year` in date order: the dates in
 * `out`, their names (as cal_holiday_name() gives them) in `names`, unless
 * `names` is NULL.  Returns how many there are, never more than 32, so
 * arrays of 32 always do.  Returns -1, writing nothing, if `year` is
 * outside 1970..9999, `out` is NULL, or `max` is less than the count.
 */
int cal_holidays(int year, struct cal_date out[], const char *names[],
		 int max);

/*
 * Returns 1 if `d` is a business day: a real date, Monday to Friday, not a
 * national holiday and not one of the extra days of `cal`; 0 otherwise.
 * `cal` may be NULL, meaning no extra days.
 */
int cal_is_business_day(struct cal_date d, const struct cal_calendar *cal);

/*
 * Returns the n-th business day after `d`, not counting `d` itself; `d`
 * need not be a business day.  n == 0 returns `d` unchanged, so
 * 2026-12-24 + 1 is 2026-12-28 (Christmas, then a weekend) and Saturday
 * 2026-11-07 + 1 is Monday 2026-11-09.  Returns {0, 0, 0} if `d` is not
 * real, `n` is negative or the result would fall after 9999-12-31.
 * `cal` may be NULL.
 */
struct cal_date cal_add_business_days(struct cal_date d, int n,
				      const struct cal_calendar *cal);

/*
 * Returns how many business days lie in (from, to]: `from` not counted,
 * `to` counted, so cal_business_days_between(d,
 * cal_add_business_days(d, n, cal), cal) == n.  If `to` is before `from`
 * the count is that of (to, from], negated; the same day gives 0.  Both
 * dates must be real: with one that is not, the result is 0.  `cal` may
 * be NULL.
 */
int cal_business_days_between(struct cal_date from, struct cal_date to,
			      const struct cal_calendar *cal);

#endif
