#include "store/mass_failures.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/mass_failure_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/log.h"

#define MF_COLS                                                               \
	"SELECT m.id, m.applications, m.started_at, m.cause, "                \
	"m.description, m.status, m.confirmed_at, cu.username, m.ended_at, "  \
	"m.closure_reason, m.justification, m.closed_at, xu.username, "       \
	"(SELECT COUNT(*) FROM events e WHERE e.mass_failure_id = m.id "      \
	"AND e.status = 'OPEN'), (SELECT COUNT(*) FROM events e WHERE "       \
	"e.mass_failure_id = m.id) FROM mass_failures m "                     \
	"JOIN users cu ON cu.id = m.confirmed_by "                            \
	"LEFT JOIN users xu ON xu.id = m.closed_by "

#define ALERT_COLS                                                            \
	"SELECT a.id, a.source, p.id, p.code, p.name, p.type, p.channel, "    \
	"p.region, a.applications, a.observed_at, a.description, "            \
	"a.fingerprint, a.status, a.raised_at, ru.username, a.decided_at, "   \
	"du.username, a.mass_failure_id, a.discard_reason "                   \
	"FROM mass_failure_alerts a LEFT JOIN points p ON p.id = a.point_id " \
	"LEFT JOIN users ru ON ru.id = a.raised_by "                          \
	"LEFT JOIN users du ON du.id = a.decided_by "

#define MF_ORDER                                                              \
	"ORDER BY CASE WHEN m.status = 'CONFIRMED' THEN 0 ELSE 1 END, "       \
	"m.started_at DESC, m.id DESC LIMIT ?"

static void mf_from_row(struct db_stmt *st, struct mass_failure *mf)
{
	memset(mf, 0, sizeof(*mf));
	mf->id = db_col_int(st, 0);
	codes_from_csv(&mf->applications, db_col_text(st, 1));
	mf->started_at = db_col_int(st, 2);
	db_col_copy(st, 3, mf->cause, sizeof(mf->cause));
	db_col_copy(st, 4, mf->description, sizeof(mf->description));
	mf->open = strcmp(db_col_text(st, 5), "CONFIRMED") == 0;
	mf->confirmed_at = db_col_int(st, 6);
	db_col_copy(st, 7, mf->confirmed_by, sizeof(mf->confirmed_by));
	mf->ended_at = db_col_int(st, 8);
	db_col_copy(st, 9, mf->closure_reason, sizeof(mf->closure_reason));
	db_col_copy(st, 10, mf->justification, sizeof(mf->justification));
	mf->closed_at = db_col_int(st, 11);
	db_col_copy(st, 12, mf->closed_by, sizeof(mf->closed_by));
	mf->open_events = db_col_int(st, 13);
	mf->events = db_col_int(st, 14);
}

static void alert_from_row(struct db_stmt *st, struct mf_alert *a)
{
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
}

/* The audit record of a change; before/after may be NULL. */
static int audit_json(struct db *db, const char *entity, int64_t id,
		      const char *action, json_t *before, json_t *after,
		      const char *actor, int64_t now)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)
			: NULL;
	struct audit_rec rec = {.at = now,
				.actor = actor,
				.action = action,
				.entity = entity,
				.entity_id = id,
				.before_json = b,
				.after_json = a};
	int rc = audit_append(db, &rec);

	json_decref(before);
	json_decref(after);
	free(b);
	free(a);
	return rc;
}

static int mf_audit(struct db *db, const char *action,
		    const struct mass_failure *before,
		    const struct mass_failure *after, const char *actor,
		    int64_t now)
{
	return audit_json(db, "mass_failure", after->id, action,
			  before ? mass_failure_to_json(before, 0) : NULL,
			  mass_failure_to_json(after, 0), actor, now);
}

static int alert_audit(struct db *db, const char *action,
		       const struct mf_alert *before,
		       const struct mf_alert *after, const char *actor,
		       int64_t now)
{
	return audit_json(db, "mass_failure_alert", after->id, action,
			  before ? alert_to_json(before) : NULL,
			  alert_to_json(after), actor, now);
}

int store_mf_get(struct db *db, int64_t id, struct mass_failure *mf)
{
	struct db_stmt *st = db_prepare(db, MF_COLS "WHERE m.id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		mf_from_row(st, mf);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/*
 * Filters are spelled into the SQL text rather than "? IS NULL OR ...":
 * PostgreSQL cannot infer the type of a parameter that is only tested
 * for NULL.
 */
static int mf_count(struct db *db, const char *status, int64_t *total)
{
	struct db_stmt *st = db_prepare(
		db, status ? "SELECT COUNT(*) FROM mass_failures WHERE "
			     "status = ?"
			   : "SELECT COUNT(*) FROM mass_failures");
	int rc;

	if (!st)
		return -1;
	if (status)
		db_bind_text(st, 1, status);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int store_mf_list(struct db *db, const char *status, int64_t limit,
		  struct mass_failure **out, size_t *n, int64_t *total)
{
	struct db_stmt *st;
	struct mass_failure *list;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (mf_count(db, status, total) < 0)
		return -1;
	list = calloc((size_t)(limit > 0 ? limit : 1), sizeof(*list));
	st = !list    ? NULL
	     : status ? db_prepare(db, MF_COLS "WHERE m.status = ? " MF_ORDER)
		      : db_prepare(db, MF_COLS MF_ORDER);
	if (!st) {
		free(list);
		return -1;
	}
	if (status)
		db_bind_text(st, 1, status);
	db_bind_int(st, status ? 2 : 1, limit);
	while ((rc = db_step(st)) == DB_ROW && count < (size_t)limit)
		mf_from_row(st, &list[count++]);
	db_reset(st);
	*out = list;
	*n = count;
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

int store_mf_open_covering(struct db *db, const struct codes *apps,
			   int64_t *id, int *count)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id, applications FROM mass_failures WHERE "
		    "status = 'CONFIRMED' ORDER BY started_at DESC, id DESC");
	struct mass_failure *mf = malloc(sizeof(*mf));
	int rc = DB_FAIL;

	*id = 0;
	*count = 0;
	if (!st || !mf) {
		free(mf);
		return -1;
	}
	memset(mf, 0, sizeof(*mf));
	mf->open = 1;
	while ((rc = db_step(st)) == DB_ROW) {
		codes_from_csv(&mf->applications, db_col_text(st, 1));
		if (!mass_failure_covers(mf, apps))
			continue;
		if ((*count)++ == 0)
			*id = db_col_int(st, 0);
	}
	db_reset(st);
	free(mf);
	return rc == DB_DONE ? 0 : -1;
}

int store_mf_open_event_ids(struct db *db, int64_t id, int64_t **ids,
			    size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id FROM events WHERE mass_failure_id = ? AND "
		    "status = 'OPEN' ORDER BY id");
	int64_t *list = NULL, *grown;
	size_t count = 0;
	int rc = DB_FAIL;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		grown = realloc(list, (count + 1) * sizeof(*list));
		if (!grown) {
			rc = DB_FAIL;
			break;
		}
		list = grown;
		list[count++] = db_col_int(st, 0);
	}
	db_reset(st);
	*ids = list;
	*n = count;
	return rc == DB_DONE ? 0 : -1;
}

int store_mf_insert_tx(struct db *db, struct mass_failure *mf,
		       const struct actor *who, int64_t now)
{
	char apps[CODES_MAX * CODE_LEN];
	struct db_stmt *st;
	int rc;

	codes_to_csv(&mf->applications, apps, sizeof(apps));
	st = db_prepare(db, "INSERT INTO mass_failures (applications, "
			    "started_at, cause, description, status, "
			    "confirmed_at, confirmed_by) VALUES (?, ?, ?, ?, "
			    "'CONFIRMED', ?, ?) RETURNING id");
	if (!st)
		return -1;
	mf->open = 1;
	mf->confirmed_at = now;
	snprintf(mf->confirmed_by, sizeof(mf->confirmed_by), "%s",
		 who->username);
	db_bind_text(st, 1, apps);
	db_bind_int(st, 2, mf->started_at);
	db_bind_text(st, 3, mf->cause);
	db_bind_text(st, 4, mf->description[0] ? mf->description : NULL);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, who->id);
	rc = db_step(st);
	if (rc == DB_ROW)
		mf->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return -1;
	return mf_audit(db, "mass_failure.declare", NULL, mf, who->username,
			now);
}

int store_mf_update_tx(struct db *db, const struct mass_failure *before,
		       const struct mass_failure *after, const char *action,
		       const struct actor *who, int64_t now)
{
	char apps[CODES_MAX * CODE_LEN];
	struct db_stmt *st;
	int rc;

	codes_to_csv(&after->applications, apps, sizeof(apps));
	st = db_prepare(db, "UPDATE mass_failures SET applications = ?, "
			    "status = ?, ended_at = ?, closure_reason = ?, "
			    "justification = ?, closed_at = ?, closed_by = "
			    "(SELECT id FROM users WHERE username = ?) "
			    "WHERE id = ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, apps);
	db_bind_text(st, 2, after->open ? "CONFIRMED" : "CLOSED");
	if (after->ended_at)
		db_bind_int(st, 3, after->ended_at);
	db_bind_text(st, 4,
		     after->closure_reason[0] ? after->closure_reason : NULL);
	db_bind_text(st, 5,
		     after->justification[0] ? after->justification : NULL);
	if (after->closed_at)
		db_bind_int(st, 6, after->closed_at);
	db_bind_text(st, 7, after->closed_by[0] ? after->closed_by : NULL);
	db_bind_int(st, 8, after->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	return mf_audit(db, action, before, after, who->username, now);
}

/*
 * Row locks, taken before reading a row that is about to change: a no-op
 * UPDATE holds the lock until commit on PostgreSQL (SQLite's write
 * transaction is exclusive anyway).  The order is always alert, then
 * failure, then the audit head (audit_append), so two changes never wait
 * on each other in a circle.
 */
static int lock_row(struct db *db, const char *sql, int64_t id)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_mf_lock_get(struct db *db, int64_t id, struct mass_failure *mf)
{
	if (lock_row(db,
		     "UPDATE mass_failures SET status = status WHERE "
		     "id = ?",
		     id) < 0)
		return -1;
	return store_mf_get(db, id, mf);
}

/* A hook or decide function that failed without saying why: a 500. */
static int hook_failed(struct db *db, struct inop_err *err)
{
	return err->code[0] ? -1 : store_body_fail(db, err);
}

struct declare_job {
	struct mass_failure *mf;
	const struct actor *who;
	int64_t now;
	mf_hook_fn after;
	void *ctx;
};

static int declare_body(struct db *db, void *arg, struct inop_err *err)
{
	struct declare_job *j = arg;

	if (store_mf_insert_tx(db, j->mf, j->who, j->now) < 0)
		return store_body_fail(db, err);
	if (j->after && j->after(db, j->mf, j->ctx, err) < 0)
		return hook_failed(db, err);
	return 0;
}

int store_mf_declare(struct db *db, struct mass_failure *mf,
		     const struct actor *who, int64_t now, mf_hook_fn after,
		     void *ctx, struct inop_err *err)
{
	struct declare_job j = {mf, who, now, after, ctx};

	return store_write(db, declare_body, &j, err);
}

struct mf_change_job {
	int64_t id;
	const char *action;
	mf_decide_fn decide;
	mf_hook_fn after;
	void *ctx;
	const struct actor *who;
	int64_t now;
	struct mass_failure *mf;
	struct mass_failure before;
};

static int mf_change_body(struct db *db, void *arg, struct inop_err *err)
{
	struct mf_change_job *j = arg;
	int rc = store_mf_lock_get(db, j->id, j->mf);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe la falla masiva %lld",
			       (long long)j->id);
	j->before = *j->mf;
	if (j->decide(db, j->mf, j->ctx, err) < 0)
		return hook_failed(db, err);
	if (store_mf_update_tx(db, &j->before, j->mf, j->action, j->who,
			       j->now) < 0)
		return store_body_fail(db, err);
	if (j->after && j->after(db, j->mf, j->ctx, err) < 0)
		return hook_failed(db, err);
	return 0;
}

int store_mf_change(struct db *db, int64_t id, const char *action,
		    mf_decide_fn decide, mf_hook_fn after, void *ctx,
		    const struct actor *who, int64_t now,
		    struct mass_failure *mf, struct inop_err *err)
{
	struct mf_change_job *j = malloc(sizeof(*j));
	int rc;

	if (!j)
		return err_internal(err);
	*j = (struct mf_change_job){.id = id,
				    .action = action,
				    .decide = decide,
				    .after = after,
				    .ctx = ctx,
				    .who = who,
				    .now = now,
				    .mf = mf};
	rc = store_write(db, mf_change_body, j, err);
	free(j);
	/* The counts of linked events as they stand after the commit. */
	if (rc == 0 && store_mf_get(db, id, mf) != 1)
		rc = err_internal(err);
	return rc;
}

int store_alert_get(struct db *db, int64_t id, struct mf_alert *a)
{
	struct db_stmt *st = db_prepare(db, ALERT_COLS "WHERE a.id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		alert_from_row(st, a);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Appends the WHERE of `f`; binds with alert_filter_bind. */
static void alert_filter_sql(struct buf *sql, const struct alert_filter *f)
{
	buf_appends(sql, "WHERE 1 = 1");
	if (f->status)
		buf_appends(sql, " AND a.status = ?");
	if (f->jefe_user_id > 0)
		buf_appends(sql, " AND a.point_id IN (SELECT point_id FROM "
				 "user_points WHERE user_id = ?)");
}

static int alert_filter_bind(struct db_stmt *st, const struct alert_filter *f)
{
	int i = 1;

	if (f->status)
		db_bind_text(st, i++, f->status);
	if (f->jefe_user_id > 0)
		db_bind_int(st, i++, f->jefe_user_id);
	return i;
}

static struct db_stmt *alert_prepare(struct db *db, const char *head,
				     const struct alert_filter *f,
				     const char *tail)
{
	struct db_stmt *st;
	struct buf sql;

	buf_init(&sql, 4096);
	buf_appends(&sql, head);
	alert_filter_sql(&sql, f);
	buf_appends(&sql, tail);
	st = db_prepare(db, sql.s);
	buf_release(&sql);
	return st;
}

static int alerts_count(struct db *db, const struct alert_filter *f,
			int64_t *total)
{
	struct db_stmt *st = alert_prepare(
		db, "SELECT COUNT(*) FROM mass_failure_alerts a ", f, "");
	int rc;

	if (!st)
		return -1;
	alert_filter_bind(st, f);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int store_alerts_list(struct db *db, const struct alert_filter *f,
		      struct mf_alert **out, size_t *n, int64_t *total)
{
	struct db_stmt *st;
	struct mf_alert *list;
	size_t count = 0;
	int rc, i;

	*out = NULL;
	*n = 0;
	if (alerts_count(db, f, total) < 0)
		return -1;
	list = calloc((size_t)(f->limit > 0 ? f->limit : 1), sizeof(*list));
	st = list ? alert_prepare(db, ALERT_COLS, f,
				  " ORDER BY a.id DESC LIMIT ? OFFSET ?")
		  : NULL;
	if (!st) {
		free(list);
		return -1;
	}
	i = alert_filter_bind(st, f);
	db_bind_int(st, i, f->limit);
	db_bind_int(st, i + 1, f->offset);
	while ((rc = db_step(st)) == DB_ROW && count < (size_t)f->limit)
		alert_from_row(st, &list[count++]);
	db_reset(st);
	*out = list;
	*n = count;
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* The id of the alert with this fingerprint: 1, 0 none, -1 error. */
static int alert_by_fingerprint(struct db *db, const char *fp, int64_t *id)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT id FROM mass_failure_alerts WHERE fingerprint = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, fp);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* DB_ROW inserted (a->id set), DB_DONE a duplicate fingerprint, < 0. */
static int alert_insert(struct db *db, struct mf_alert *a,
			const struct actor *who)
{
	char apps[CODES_MAX * CODE_LEN];
	struct db_stmt *st;
	int rc;

	codes_to_csv(&a->applications, apps, sizeof(apps));
	st = db_prepare(
		db, "INSERT INTO mass_failure_alerts (source, point_id, "
		    "applications, observed_at, description, fingerprint, "
		    "status, raised_at, raised_by) VALUES (?, ?, ?, ?, ?, ?, "
		    "'PENDING', ?, ?) ON CONFLICT (fingerprint) DO NOTHING "
		    "RETURNING id");
	if (!st)
		return DB_FAIL;
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
	rc = db_step(st);
	if (rc == DB_ROW)
		a->id = db_col_int(st, 0);
	db_reset(st);
	return rc;
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

	j->created = rc == DB_ROW;
	if (rc == DB_DONE)
		return alert_by_fingerprint(db, j->a->fingerprint,
					    &j->a->id) == 1
			       ? 0
			       : store_body_fail(db, err);
	if (rc != DB_ROW ||
	    alert_audit(db, "alert.raise", NULL, j->a,
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
	snprintf(a->raised_by, sizeof(a->raised_by), "%s",
		 who ? who->username : "");
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
	int rc;

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
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
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
	int rc = lock_row(db,
			  "UPDATE mass_failure_alerts SET status = status "
			  "WHERE id = ?",
			  j->id);

	rc = rc < 0 ? -1 : store_alert_get(db, j->id, j->a);
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
