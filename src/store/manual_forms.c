#include "store/manual_forms.h"

#include <jansson.h>
#include <string.h>

#include "domain/control_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"
#include "util/str.h"

#define FORM_SELECT                                                           \
	"SELECT f.id, f.serial, p.id, p.code, p.name, p.type, p.channel, "    \
	"p.region, f.seq, f.issued_at, f.issued_by, f.event_id, e.number, "   \
	"f.used_at, e.started_at, iu.name "
#define FORM_FROM                                                             \
	"FROM manual_forms f JOIN points p ON p.id = f.point_id "             \
	"LEFT JOIN events e ON e.id = f.event_id "                            \
	"LEFT JOIN users iu ON iu.username = f.issued_by "
#define FORM_COLS FORM_SELECT FORM_FROM

static void form_from_row(struct db_stmt *st, void *elem)
{
	struct manual_form *f = elem;

	memset(f, 0, sizeof(*f));
	f->id = db_col_int(st, 0);
	db_col_copy(st, 1, f->serial, sizeof(f->serial));
	f->point.id = db_col_int(st, 2);
	db_col_copy(st, 3, f->point.code, sizeof(f->point.code));
	db_col_copy(st, 4, f->point.name, sizeof(f->point.name));
	db_col_copy(st, 5, f->point.type, sizeof(f->point.type));
	db_col_copy(st, 6, f->point.channel, sizeof(f->point.channel));
	db_col_copy(st, 7, f->point.region, sizeof(f->point.region));
	f->seq = db_col_int(st, 8);
	f->issued_at = db_col_int(st, 9);
	db_col_copy(st, 10, f->issued_by, sizeof(f->issued_by));
	f->event_id = db_col_int(st, 11);
	db_col_copy(st, 12, f->event_number, sizeof(f->event_number));
	f->used_at = db_col_int(st, 13);
	f->event_started_at = db_col_int(st, 14);
	db_col_copy(st, 15, f->issued_by_name, sizeof(f->issued_by_name));
}

static int form_audit(struct db *db, const struct manual_form *f,
		      const char *action, const char *actor, int64_t now)
{
	return audit_append_json(db, "manual_form", f->id, action, NULL,
				 manual_form_to_json(f), actor, now);
}

static int issue_body(struct db *db, void *arg, struct inop_err *err)
{
	struct manual_form *f = arg;
	struct db_stmt *st;
	char counter[48];

	if (str_printf(counter, sizeof(counter), "manual-form-%lld",
		       (long long)f->point.id) < 0 ||
	    store_counter_next(db, counter, &f->seq) < 0)
		return store_body_fail(db, err);
	if (manual_form_serial(f->serial, f->point.code, f->seq) < 0)
		return err_set(err, 409, "FORM_SERIALS_EXHAUSTED", NULL,
			       "No quedan números de formato para el punto %s",
			       f->point.code);
	st = db_prepare(db, "INSERT INTO manual_forms (serial, point_id, seq, "
			    "issued_at, issued_by) VALUES (?, ?, ?, ?, ?) "
			    "RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, f->serial);
	db_bind_int(st, 2, f->point.id);
	db_bind_int(st, 3, f->seq);
	db_bind_int(st, 4, f->issued_at);
	db_bind_text(st, 5, f->issued_by);
	if (db_get_int(st, &f->id) != 1 ||
	    form_audit(db, f, "manual_form.issue", f->issued_by,
		       f->issued_at) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_manual_form_issue(struct db *db, const struct point_ref *point,
			    const struct actor *who, int64_t now,
			    struct manual_form *f, struct inop_err *err)
{
	memset(f, 0, sizeof(*f));
	f->point = *point;
	f->issued_at = now;
	/* issued_by is a username: 64 bytes at most, as the field. */
	(void)str_copy(f->issued_by, sizeof(f->issued_by), who->username);
	(void)str_copy(f->issued_by_name, sizeof(f->issued_by_name),
		       who->name);
	return store_write(db, issue_body, f, err);
}

int store_manual_form_get(struct db *db, const char *serial,
			  struct manual_form *f)
{
	struct db_stmt *st = db_prepare(db, FORM_COLS "WHERE f.serial = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, serial);
	return db_get_one(st, form_from_row, f);
}

int store_manual_form_use(struct db *db, const struct event *ev, int64_t now,
			  struct inop_err *err)
{
	struct manual_form f;
	struct db_stmt *st;
	int rc = store_manual_form_get(db, ev->manual_form_ref, &f);

	if (rc < 0)
		return store_body_fail(db, err);
	if (manual_form_use_check(rc ? &f : NULL, ev, err) < 0)
		return -1;
	st = db_prepare(db,
			"UPDATE manual_forms SET event_id = ?, used_at = "
			"? WHERE id = ? AND event_id IS NULL RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_int(st, 1, ev->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, f.id);
	if (db_get_one(st, NULL, NULL) != 1)
		return store_body_fail(db, err);
	f.event_id = ev->id;
	/* Both are event numbers of 24 bytes. */
	(void)str_copy(f.event_number, sizeof(f.event_number), ev->number);
	f.used_at = now;
	f.event_started_at = ev->started_at;
	if (form_audit(db, &f, "manual_form.use", ev->registered_by, now) < 0)
		return store_body_fail(db, err);
	return 0;
}

static void filter_where(struct buf *sql, const void *ctx)
{
	const struct manual_form_filter *f = ctx;

	buf_appends(sql, "WHERE 1 = 1");
	if (f->point)
		buf_appends(sql, " AND p.code = ?");
	if (f->status)
		buf_appends(sql, strcmp(f->status, "USADO") == 0
					 ? " AND f.event_id IS NOT NULL"
					 : " AND f.event_id IS NULL");
	if (f->jefe_user_id > 0)
		buf_appends(sql, " AND f.point_id IN (SELECT point_id FROM "
				 "user_points WHERE user_id = ?)");
}

/* Binds the parameters of filter_where(f) from 1; the next index. */
static int filter_bind(struct db_stmt *st, const void *ctx)
{
	const struct manual_form_filter *f = ctx;
	int i = 1;

	if (f->point)
		db_bind_text(st, i++, f->point);
	if (f->jefe_user_id > 0)
		db_bind_int(st, i++, f->jefe_user_id);
	return i;
}

int store_manual_forms_list(struct db *db, const struct manual_form_filter *f,
			    struct manual_form **out, size_t *n,
			    int64_t *total)
{
	const struct db_page page = {.cols = FORM_SELECT,
				     .order = "f.issued_at DESC, f.id DESC",
				     .bind = filter_bind,
				     .ctx = f,
				     .limit = f->limit,
				     .offset = f->offset,
				     .elem_size = sizeof(**out),
				     .from_row = form_from_row};
	void *list;
	int rc;

	rc = store_page(db, &page, FORM_FROM, filter_where, &list, n, total);
	*out = list;
	return rc;
}
