/*
 * M1-M2: alerts of a possible mass failure.  A change takes its rows'
 * locks in the order audit head (at BEGIN) -> alert -> failure (see
 * store/mass_failures.c), so two changes never wait on each other in a
 * circle.
 */
#include "store/alerts.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/mass_failure_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/str.h"

#define ALERT_SELECT                                                          \
	"SELECT a.id, a.source, p.id, p.code, p.name, p.type, p.channel, "    \
	"p.region, a.applications, a.observed_at, a.description, "            \
	"a.fingerprint, a.status, a.raised_at, ru.username, a.decided_at, "   \
	"du.username, a.mass_failure_id, a.discard_reason, ru.name, du.name "
#define ALERT_FROM                                                            \
	"FROM mass_failure_alerts a LEFT JOIN points p ON p.id = a.point_id " \
	"LEFT JOIN users ru ON ru.id = a.raised_by "                          \
	"LEFT JOIN users du ON du.id = a.decided_by "

static void alert_from_row(struct db_stmt *st, void *elem)
{
	struct mf_alert *a = elem;

	memset(a, 0, sizeof(*a));
	a->id = db_col_int(st, 0);
	db_col_copy(st, 1, a->source, sizeof(a->source));
	a->point.id = db_col_int(st, 2);
	db_col_copy(st, 3, a->point.code, sizeof(a->point.code));
	db_col_copy(st, 4, a->point.name, sizeof(a->point.name));
	db_col_copy(st, 5, a->point.type, sizeof(a->point.type));
	db_col_copy(st, 6, a->point.channel, sizeof(a->point.channel));
	db_col_copy(st, 7, a->point.region, sizeof(a->point.region));
	codes_from_csv(&a->applications, db_col_text(st, 8));
	a->observed_at = db_col_int(st, 9);
	db_col_copy(st, 10, a->description, sizeof(a->description));
	db_col_copy(st, 11, a->fingerprint, sizeof(a->fingerprint));
	if (alert_status_parse(db_col_text(st, 12), &a->status) < 0)
		a->status = ALERT_PENDING;
	a->raised_at = db_col_int(st, 13);
	db_col_copy(st, 14, a->raised_by, sizeof(a->raised_by));
	a->decided_at = db_col_int(st, 15);
	db_col_copy(st, 16, a->decided_by, sizeof(a->decided_by));
	a->mass_failure_id = db_col_int(st, 17);
	db_col_copy(st, 18, a->discard_reason, sizeof(a->discard_reason));
	db_col_copy(st, 19, a->raised_by_name, sizeof(a->raised_by_name));
	db_col_copy(st, 20, a->decided_by_name, sizeof(a->decided_by_name));
}

/* The audit record of a change of alert `after`; before may be NULL. */
static int alert_audit(struct db *db, const char *action,
		       const struct mf_alert *before,
		       const struct mf_alert *after, const char *actor,
		       int64_t now)
{
	return audit_append_json(db, "mass_failure_alert", after->id, action,
				 before ? alert_to_json(before) : NULL,
				 alert_to_json(after), actor, now);
}

/* A hook or decide function that failed without saying why: a 500. */
static int hook_failed(struct db *db, struct inop_err *err)
{
	return err->code[0] ? -1 : store_body_fail(db, err);
}

/*
 * The alert's row lock, taken before reading it: a no-op UPDATE holds
 * it until commit on PostgreSQL (SQLite's write transaction is exclusive
 * anyway).
 */
static int lock_alert(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE mass_failure_alerts SET status = status WHERE "
		    "id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_run(st) == DB_DONE ? 0 : -1;
}

int store_alert_get(struct db *db, int64_t id, struct mf_alert *a)
{
	struct db_stmt *st =
		db_prepare(db, ALERT_SELECT ALERT_FROM "WHERE a.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, alert_from_row, a);
}

/* Appends the WHERE of `f`; binds with alert_filter_bind. */
static void alert_filter_sql(struct buf *sql, const void *ctx)
{
	const struct alert_filter *f = ctx;

	buf_appends(sql, "WHERE 1 = 1");
	if (f->status)
		buf_appends(sql, " AND a.status = ?");
	if (f->jefe_user_id > 0)
		buf_appends(sql, " AND a.point_id IN (SELECT point_id FROM "
				 "user_points WHERE user_id = ?)");
}

static int alert_filter_bind(struct db_stmt *st, const void *ctx)
{
	const struct alert_filter *f = ctx;
	int i = 1;

	if (f->status)
		db_bind_text(st, i++, f->status);
	if (f->jefe_user_id > 0)
		db_bind_int(st, i++, f->jefe_user_id);
	return i;
}

int store_alerts_list(struct db *db, const struct alert_filter *f,
		      struct mf_alert **out, size_t *n, int64_t *total)
{
	const struct db_page page = {.cols = ALERT_SELECT,
				     .order = "a.id DESC",
				     .bind = alert_filter_bind,
				     .ctx = f,
				     .limit = f->limit,
				     .offset = f->offset,
				     .elem_size = sizeof(**out),
				     .from_row = alert_from_row};
	void *list;
	int rc;

	rc = store_page(db, &page, ALERT_FROM, alert_filter_sql, &list, n,
			total);
	*out = list;
	return rc;
}

/* The id of the alert with this fingerprint: 1, 0 none, -1 error. */
static int alert_by_fingerprint(struct db *db, const char *fp, int64_t *id)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT id FROM mass_failure_alerts WHERE fingerprint = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, fp);
	return db_get_int(st, id);
}

/* 1 inserted (a->id set), 0 a duplicate fingerprint, -1 error. */
static int alert_insert(struct db *db, struct mf_alert *a,
			const struct actor *who)
{
	char apps[CODES_MAX * CODE_LEN];
	struct db_stmt *st;

	codes_to_csv(&a->applications, apps, sizeof(apps));
	st = db_prepare(
		db, "INSERT INTO mass_failure_alerts (source, point_id, "
		    "applications, observed_at, description, fingerprint, "
		    "status, raised_at, raised_by) VALUES (?, ?, ?, ?, ?, ?, "
		    "'PENDING', ?, ?) ON CONFLICT (fingerprint) DO NOTHING "
		    "RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, a->source);
	if (a->point.id)
		db_bind_int(st, 2, a->point.id);
	db_bind_text(st, 3, apps);
	db_bind_int(st, 4, a->observed_at);
	db_bind_text(st, 5, a->description[0] ? a->description : NULL);
	db_bind_text(st, 6, a->fingerprint[0] ? a->fingerprint : NULL);
	db_bind_int(st, 7, a->raised_at);
	if (who)
		db_bind_int(st, 8, who->id);
	return db_get_int(st, &a->id);
}

struct raise_job {
	struct mf_alert *a;
	const struct actor *who;
	int64_t now;
	alert_hook_fn after;
	void *ctx;
	int created;
};

static int raise_body(struct db *db, void *arg, struct inop_err *err)
{
	struct raise_job *j = arg;
	int rc = alert_insert(db, j->a, j->who);

	j->created = rc == 1;
	if (rc == 0)
		return alert_by_fingerprint(db, j->a->fingerprint,
					    &j->a->id) == 1
			       ? 0
			       : store_body_fail(db, err);
	if (rc < 0 || alert_audit(db, "alert.raise", NULL, j->a,
				  j->who ? j->who->username : "alertmanager",
				  j->now) < 0)
		return store_body_fail(db, err);
	if (j->after && j->after(db, j->a, j->ctx, err) < 0)
		return hook_failed(db, err);
	return 0;
}

int store_alert_raise(struct db *db, struct mf_alert *a,
		      const struct actor *who, int64_t now,
		      alert_hook_fn after, void *ctx, int *created,
		      struct inop_err *err)
{
	struct raise_job j = {a, who, now, after, ctx, 0};
	int rc;

	a->status = ALERT_PENDING;
	a->raised_at = now;
	/* Usernames are 64 bytes at most, as raised_by. */
	(void)str_copy(a->raised_by, sizeof(a->raised_by),
		       who ? who->username : "");
	(void)str_copy(a->raised_by_name, sizeof(a->raised_by_name),
		       who ? who->name : "");
	rc = store_write(db, raise_body, &j, err);
	*created = rc == 0 && j.created;
	return rc;
}

static int alert_write(struct db *db, const struct mf_alert *a,
		       const struct actor *who)
{
	struct db_stmt *st = db_prepare(
		db,
		"UPDATE mass_failure_alerts SET status = ?, decided_at = ?, "
		"decided_by = ?, mass_failure_id = ?, discard_reason = ? "
		"WHERE id = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, alert_status_code(a->status));
	if (a->decided_at)
		db_bind_int(st, 2, a->decided_at);
	db_bind_int(st, 3, who->id);
	if (a->mass_failure_id)
		db_bind_int(st, 4, a->mass_failure_id);
	db_bind_text(st, 5, a->discard_reason[0] ? a->discard_reason : NULL);
	db_bind_int(st, 6, a->id);
	return db_run(st) == DB_DONE ? 0 : -1;
}

struct alert_change_job {
	int64_t id;
	const char *action;
	alert_decide_fn decide;
	void *ctx;
	const struct actor *who;
	int64_t now;
	struct mf_alert *a;
	struct mf_alert before;
};

static int alert_change_body(struct db *db, void *arg, struct inop_err *err)
{
	struct alert_change_job *j = arg;
	int rc = lock_alert(db, j->id) < 0 ? -1
					   : store_alert_get(db, j->id, j->a);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe la alerta %lld", (long long)j->id);
	j->before = *j->a;
	if (j->decide(db, j->a, j->ctx, err) < 0)
		return hook_failed(db, err);
	if (alert_write(db, j->a, j->who) < 0 ||
	    alert_audit(db, j->action, &j->before, j->a, j->who->username,
			j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_alert_change(struct db *db, int64_t id, const char *action,
		       alert_decide_fn decide, void *ctx,
		       const struct actor *who, int64_t now,
		       struct mf_alert *a, struct inop_err *err)
{
	struct alert_change_job *j = malloc(sizeof(*j));
	int rc;

	if (!j)
		return err_internal(err);
	*j = (struct alert_change_job){.id = id,
				       .action = action,
				       .decide = decide,
				       .ctx = ctx,
				       .who = who,
				       .now = now,
				       .a = a};
	rc = store_write(db, alert_change_body, j, err);
	free(j);
	return rc;
}
