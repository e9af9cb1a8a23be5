#ifndef INOP_STORE_CALENDAR_H
#define INOP_STORE_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * D1: the extra non-working days ADMIN sets on top of the national
 * holidays, and the calendar every report_due is computed with.
 */

struct extra_day {
	char date[11];	/* YYYY-MM-DD, a Lima day */
	char name[481]; /* why it is not worked: 120 characters */
	int64_t created_at;
	char created_by[64];
	char created_by_name[PERSON_NAME_BYTES];
};

/*
 * The extra days of Lima year `year` (every year when 0), in date order.
 * *out is malloc'd (free it).  0 or -1.
 */
int store_extra_days_list(struct db *db, int year, struct extra_day **out,
			  size_t *n);

/*
 * Adds `d` (date and name set) in one transaction with its audit record;
 * 409 DUPLICATE_DAY when the day is already one.  Fills created_at/by.
 */
int store_extra_day_add(struct db *db, struct extra_day *d,
			const struct actor *who, int64_t now,
			struct inop_err *err);

/* Removes the extra day `date`, audited; 404 when there is none. */
int store_extra_day_remove(struct db *db, const char *date,
			   const struct actor *who, int64_t now,
			   struct inop_err *err);

/*
 * The calendar with the extra days as the database holds them now, in
 * *out.  Each process keeps one copy in memory and reloads it when the
 * database's calendar version (bumped by every change, on whichever node)
 * differs from the copy's, so a call costs one small query.  Give it back
 * with store_calendar_release(); it stays valid until then, however many
 * reloads happen meanwhile.  Thread-safe; one database per process (the
 * copy is the process's, keyed by version only).  0, or -1 (logged) when the
 * database cannot be read: a deadline is never computed from a stale
 * calendar.
 */
int store_calendar_acquire(struct db *db, const struct cal_calendar **out);
void store_calendar_release(const struct cal_calendar *cal);
/* Forgets the copy, for programs that open another database (tests). */
void store_calendar_reset(void);

#endif
