/*
 * D1: ADMIN's extra non-working days and the shared in-memory calendar.
 *
 * The copy in memory is an immutable snapshot with a reference count:
 * a reload makes a new one and drops the old once its last user gives it
 * back, so readers never lock while they compute.
 */
#include "store/calendar.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/log.h"
#include "util/str.h"

#define CALENDAR_COUNTER "calendar"
#define EXTRA_DAYS_MAX	 100000 /* far beyond any real use */

struct cal_snap {
	struct cal_calendar cal; /* first: handed out as the whole */
	int64_t version;
	int refs;
	int32_t days[];
};

static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cal_snap *current;

static void extra_day_from_row(struct db_stmt *st, void *elem)
{
	struct extra_day *d = elem;

	db_col_copy(st, 0, d->date, sizeof(d->date));
	db_col_copy(st, 1, d->name, sizeof(d->name));
	d->created_at = db_col_int(st, 2);
	db_col_copy(st, 3, d->created_by, sizeof(d->created_by));
	db_col_copy(st, 4, d->created_by_name, sizeof(d->created_by_name));
}

int store_extra_days_list(struct db *db, int year, struct extra_day **out,
			  size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT d.day, d.name, d.created_at, u.username, u.name FROM "
		"calendar_extra_days d JOIN users u ON u.id = d.created_by "
		"WHERE d.day >= ? AND d.day <= ? ORDER BY d.day");
	char lo[11] = "0000-00-00", hi[11] = "9999-99-99";
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	if (year > 0 &&
	    (str_printf(lo, sizeof(lo), "%04d-01-01", year % 10000) < 0 ||
	     str_printf(hi, sizeof(hi), "%04d-12-31", year % 10000) < 0))
		return -1;
	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	rc = db_list(st, sizeof(**out), extra_day_from_row, &list, n);
	*out = list;
	return rc;
}

static json_t *day_json(const char *date, const char *name)
{
	return json_pack("{s:s, s:s}", "date", date, "name", name);
}

/*
 * The audit record of a change to the day `date` (entity id: its day).
 * Takes ownership of before/after.
 */
static int day_audit(struct db *db, const char *action, json_t *before,
		     json_t *after, const char *date, const char *actor,
		     int64_t now)
{
	struct cal_date d = {0, 0, 0};

	cal_parse_date(date, &d);
	return audit_append_json(db, "calendar_day", cal_day_number(d), action,
				 before, after, actor, now);
}

/*
 * A change of the calendar moves report_due on events: the register's
 * rendered lists (cached per register version) must be rendered again.
 */
static int bump_version(struct db *db)
{
	int64_t v;

	if (store_register_bump(db) < 0)
		return -1;
	return store_counter_next(db, CALENDAR_COUNTER, &v);
}

struct day_job {
	struct extra_day *d;
	const char *date;
	const struct actor *who;
	int64_t now;
};

static int day_add_body(struct db *db, void *arg, struct inop_err *err)
{
	struct day_job *j = arg;
	struct extra_day *d = j->d;
	const struct actor *who = j->who;
	int64_t now = j->now;
	struct db_stmt *st;
	int rc;

	st = db_prepare(db, "INSERT INTO calendar_extra_days (day, name, "
			    "created_at, created_by) VALUES (?, ?, ?, ?) "
			    "ON CONFLICT (day) DO NOTHING RETURNING day");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, d->date);
	db_bind_text(st, 2, d->name);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, who->id);
	rc = db_get_one(st, NULL, NULL);
	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0) {
		return err_set(err, 409, "DUPLICATE_DAY", "date",
			       "El %s ya es un día no laborable adicional",
			       d->date);
	}
	rc = day_audit(db, "calendar.extra_day.add", NULL,
		       day_json(d->date, d->name), d->date, who->username,
		       now);
	if (rc < 0 || bump_version(db) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_extra_day_add(struct db *db, struct extra_day *d,
			const struct actor *who, int64_t now,
			struct inop_err *err)
{
	struct day_job j = {.d = d, .who = who, .now = now};

	d->created_at = now;
	/* Both hold 64 bytes: the copy cannot be cut. */
	(void)str_copy(d->created_by, sizeof(d->created_by), who->username);
	(void)str_copy(d->created_by_name, sizeof(d->created_by_name),
		       who->name);
	return store_write(db, day_add_body, &j, err);
}

/* The name of a removed day (RETURNING name). */
static void day_name_from_row(struct db_stmt *st, void *elem)
{
	struct extra_day *d = elem;

	db_col_copy(st, 0, d->name, sizeof(d->name));
}

static int day_remove_body(struct db *db, void *arg, struct inop_err *err)
{
	struct day_job *j = arg;
	const char *date = j->date;
	const struct actor *who = j->who;
	int64_t now = j->now;
	struct db_stmt *st;
	struct extra_day gone;
	int rc;

	st = db_prepare(db, "DELETE FROM calendar_extra_days WHERE day = ? "
			    "RETURNING name");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, date);
	rc = db_get_one(st, day_name_from_row, &gone);
	if (rc == 0) {
		return err_set(err, 404, "NOT_FOUND", "date",
			       "El %s no es un día no laborable adicional",
			       date);
	}
	if (rc < 0)
		return store_body_fail(db, err);
	rc = day_audit(db, "calendar.extra_day.remove",
		       day_json(date, gone.name), NULL, date, who->username,
		       now);
	if (rc < 0 || bump_version(db) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_extra_day_remove(struct db *db, const char *date,
			   const struct actor *who, int64_t now,
			   struct inop_err *err)
{
	struct day_job j = {.date = date, .who = who, .now = now};

	return store_write(db, day_remove_body, &j, err);
}

/* The database's calendar version: 0 before the first change. */
static int read_version(struct db *db, int64_t *v)
{
	return store_counter_value(db, CALENDAR_COUNTER, v);
}

static int count_days(struct db *db, size_t *n)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT COUNT(*) FROM calendar_extra_days");
	int64_t count = 0;
	int rc;

	if (!st)
		return -1;
	rc = db_get_int(st, &count);
	*n = (size_t)count;
	return rc == 1 && *n <= EXTRA_DAYS_MAX ? 0 : -1;
}

/* A new snapshot of the extra days, tagged `version`; NULL on failure. */
static struct cal_snap *snap_load(struct db *db, int64_t version)
{
	struct cal_snap *s;
	struct db_stmt *st;
	struct cal_date d;
	size_t n, i = 0;
	int rc;

	if (count_days(db, &n) < 0)
		return NULL;
	st = db_prepare(db,
			"SELECT day FROM calendar_extra_days ORDER BY day");
	s = calloc(1, sizeof(*s) + (n + 1) * sizeof(s->days[0]));
	if (!st || !s) {
		free(s);
		return NULL;
	}
	/* Rows added since the count are left for the next version. */
	while ((rc = db_step(st)) == DB_ROW && i < n)
		if (cal_parse_date(db_col_text(st, 0), &d) == 0)
			s->days[i++] = cal_day_number(d);
	db_reset(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(s);
		return NULL;
	}
	s->cal.extra_days = s->days;
	s->cal.n_extra = i;
	s->version = version;
	s->refs = 1;
	return s;
}

static void snap_unref(struct cal_snap *s)
{
	if (s && --s->refs == 0)
		free(s);
}

int store_calendar_acquire(struct db *db, const struct cal_calendar **out)
{
	struct cal_snap *fresh;
	int64_t v;

	*out = NULL;
	if (read_version(db, &v) < 0)
		goto fail;
	pthread_mutex_lock(&snap_lock);
	if (current && current->version == v) {
		current->refs++;
		*out = &current->cal;
		pthread_mutex_unlock(&snap_lock);
		return 0;
	}
	pthread_mutex_unlock(&snap_lock);
	/* Read outside the lock: other threads keep using the old copy. */
	fresh = snap_load(db, v);
	if (!fresh)
		goto fail;
	pthread_mutex_lock(&snap_lock);
	snap_unref(current);
	current = fresh;
	fresh->refs++;
	*out = &fresh->cal;
	pthread_mutex_unlock(&snap_lock);
	return 0;
fail:
	log_error("cannot read the calendar: %s", db_errmsg(db));
	return -1;
}

void store_calendar_release(const struct cal_calendar *cal)
{
	if (!cal)
		return;
	pthread_mutex_lock(&snap_lock);
	snap_unref((struct cal_snap *)(void *)cal);
	pthread_mutex_unlock(&snap_lock);
}

void store_calendar_reset(void)
{
	pthread_mutex_lock(&snap_lock);
	snap_unref(current);
	current = NULL;
	pthread_mutex_unlock(&snap_lock);
}
