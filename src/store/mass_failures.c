#include "store/mass_failures.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/mass_failure_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/str.h"

/* A failure's columns, its two event counts given by `counts`. */
#define MF_SELECT_WITH(counts)                                                \
	"SELECT m.id, m.applications, m.started_at, m.cause, "                \
	"m.description, m.status, m.confirmed_at, cu.username, m.ended_at, "  \
	"m.closure_reason, m.justification, m.closed_at, "                    \
	"xu.username, " counts ", cu.name, xu.name "
#define MF_SELECT                                                             \
	MF_SELECT_WITH("(SELECT COUNT(*) FROM events e WHERE "                \
		       "e.mass_failure_id = m.id AND e.status = 'OPEN'), "    \
		       "(SELECT COUNT(*) FROM events e WHERE "                \
		       "e.mass_failure_id = m.id)")
#define MF_FROM                                                               \
	"FROM mass_failures m JOIN users cu ON cu.id = m.confirmed_by "       \
	"LEFT JOIN users xu ON xu.id = m.closed_by "

static void mf_from_row(struct db_stmt *st, void *elem)
{
	struct mass_failure *mf = elem;

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
	db_col_copy(st, 15, mf->confirmed_by_name,
		    sizeof(mf->confirmed_by_name));
	db_col_copy(st, 16, mf->closed_by_name, sizeof(mf->closed_by_name));
}

/* The audit record of a change of failure `after`; before may be NULL. */
static int mf_audit(struct db *db, const char *action,
		    const struct mass_failure *before,
		    const struct mass_failure *after, const char *actor,
		    int64_t now)
{
	return audit_append_json(db, "mass_failure", after->id, action,
				 before ? mass_failure_to_json(before, 0)
					: NULL,
				 mass_failure_to_json(after, 0), actor, now);
}

int store_mf_get(struct db *db, int64_t id, struct mass_failure *mf)
{
	struct db_stmt *st =
		db_prepare(db, MF_SELECT MF_FROM "WHERE m.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, mf_from_row, mf);
}

int store_mf_get_uncounted(struct db *db, int64_t id, struct mass_failure *mf)
{
	struct db_stmt *st = db_prepare(db, MF_SELECT_WITH("-1, -1") MF_FROM
					"WHERE m.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, mf_from_row, mf);
}

static int status_bind(struct db_stmt *st, const void *status)
{
	db_bind_text(st, 1, status);
	return 2;
}

int store_mf_list(struct db *db, const char *status, int64_t limit,
		  struct mass_failure **out, size_t *n, int64_t *total)
{
	/*
	 * Filters are spelled into the SQL text rather than "? IS NULL OR
	 * ...": PostgreSQL cannot infer the type of a parameter that is
	 * only tested for NULL.
	 */
	struct db_page page = {
		.cols = MF_SELECT,
		.from = status ? MF_FROM "WHERE m.status = ?" : MF_FROM,
		.order = "CASE WHEN m.status = 'CONFIRMED' THEN 0 ELSE 1 END, "
			 "m.started_at DESC, m.id DESC",
		.bind = status ? status_bind : NULL,
		.ctx = status,
		.limit = limit,
		.elem_size = sizeof(**out),
		.from_row = mf_from_row};
	void *list = NULL;
	int rc;

	*n = 0;
	rc = db_page(db, &page, &list, n, total);
	*out = list;
	return rc;
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

int store_mf_insert_tx(struct db *db, struct mass_failure *mf,
		       const struct actor *who, int64_t now)
{
	char apps[CODES_MAX * CODE_LEN];
	struct db_stmt *st;

	codes_to_csv(&mf->applications, apps, sizeof(apps));
	st = db_prepare(db, "INSERT INTO mass_failures (applications, "
			    "started_at, cause, description, status, "
			    "confirmed_at, confirmed_by) VALUES (?, ?, ?, ?, "
			    "'CONFIRMED', ?, ?) RETURNING id");
	if (!st)
		return -1;
	mf->open = 1;
	mf->confirmed_at = now;
	/* Usernames are 64 bytes at most, as confirmed_by. */
	(void)str_copy(mf->confirmed_by, sizeof(mf->confirmed_by),
		       who->username);
	(void)str_copy(mf->confirmed_by_name, sizeof(mf->confirmed_by_name),
		       who->name);
	db_bind_text(st, 1, apps);
	db_bind_int(st, 2, mf->started_at);
	db_bind_text(st, 3, mf->cause);
	db_bind_text(st, 4, mf->description[0] ? mf->description : NULL);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, who->id);
	if (db_get_int(st, &mf->id) != 1)
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
	if (db_run(st) != DB_DONE)
		return -1;
	return mf_audit(db, action, before, after, who->username, now);
}

/*
 * Row locks, taken before reading a row that is about to change: a no-op
 * UPDATE holds the lock until commit on PostgreSQL (SQLite's write
 * transaction is exclusive anyway).  The order is always the audit head
 * (taken at the transaction's BEGIN: store_batch_begin), then the alert
 * (store/alerts.c), then the failure, so two changes never wait on each
 * other in a circle.
 */
int store_mf_lock_get(struct db *db, int64_t id, struct mass_failure *mf)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE mass_failures SET status = status WHERE id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != DB_DONE)
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
