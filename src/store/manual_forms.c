#include "store/manual_forms.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/control_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/buf.h"

#define FORM_COLS                                                             \
	"SELECT f.id, f.serial, p.id, p.code, p.name, p.type, p.channel, "    \
	"p.region, f.seq, f.issued_at, f.issued_by, f.event_id, e.number, "   \
	"f.used_at, e.started_at FROM manual_forms f JOIN points p ON "       \
	"p.id = f.point_id LEFT JOIN events e ON e.id = f.event_id "

static void form_from_row(struct db_stmt *st, struct manual_form *f)
{
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
}

static int form_audit(struct db *db, const struct manual_form *f,
		      const char *action, const char *actor, int64_t now)
{
	json_t *o = manual_form_to_json(f);
	char *a = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_rec rec = {.at = now,
				.actor = actor,
				.action = action,
				.entity = "manual_form",
				.entity_id = f->id,
				.after_json = a};
	int rc = audit_append(db, &rec);

	free(a);
	json_decref(o);
	return rc;
}

static int issue_body(struct db *db, void *arg, struct inop_err *err)
{
	struct manual_form *f = arg;
	struct db_stmt *st;
	char counter[48];
	int rc;

	snprintf(counter, sizeof(counter), "manual-form-%lld",
		 (long long)f->point.id);
	if (store_counter_next(db, counter, &f->seq) < 0)
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
	rc = db_step(st);
	if (rc == DB_ROW)
		f->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW || form_audit(db, f, "manual_form.issue",
				       f->issued_by, f->issued_at) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_manual_form_issue(struct db *db, const struct point_ref *point,
			    const char *issued_by, int64_t now,
			    struct manual_form *f, struct inop_err *err)
{
	memset(f, 0, sizeof(*f));
	f->point = *point;
	f->issued_at = now;
	snprintf(f->issued_by, sizeof(f->issued_by), "%s", issued_by);
	return store_write(db, issue_body, f, err);
}

int store_manual_form_get(struct db *db, const char *serial,
			  struct manual_form *f)
{
	struct db_stmt *st = db_prepare(db, FORM_COLS "WHERE f.serial = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, serial);
	rc = db_step(st);
	if (rc == DB_ROW)
		form_from_row(st, f);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
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
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		return store_body_fail(db, err);
	f.event_id = ev->id;
	snprintf(f.event_number, sizeof(f.event_number), "%s", ev->number);
	f.used_at = now;
	f.event_started_at = ev->started_at;
	if (form_audit(db, &f, "manual_form.use", ev->registered_by, now) < 0)
		return store_body_fail(db, err);
	return 0;
}

static void filter_where(struct buf *sql, const struct manual_form_filter *f)
{
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

static int filter_bind(struct db_stmt *st, const struct manual_form_filter *f)
{
	int i = 1;

	if (f->point)
		db_bind_text(st, i++, f->point);
	if (f->jefe_user_id > 0)
		db_bind_int(st, i++, f->jefe_user_id);
	return i;
}

static int forms_count(struct db *db, const struct manual_form_filter *f,
		       int64_t *total)
{
	struct buf sql;
	struct db_stmt *st;
	int rc;

	buf_init(&sql, 2048);
	buf_appends(&sql, "SELECT COUNT(*) FROM manual_forms f JOIN points p "
			  "ON p.id = f.point_id ");
	filter_where(&sql, f);
	st = db_prepare(db, sql.s);
	buf_release(&sql);
	if (!st)
		return -1;
	filter_bind(st, f);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int store_manual_forms_list(struct db *db, const struct manual_form_filter *f,
			    struct manual_form **out, size_t *n,
			    int64_t *total)
{
	struct buf sql;
	struct db_stmt *st;
	struct manual_form *list;
	size_t count = 0;
	int rc, i;

	*out = NULL;
	*n = 0;
	if (forms_count(db, f, total) < 0)
		return -1;
	list = calloc((size_t)(f->limit > 0 ? f->limit : 1), sizeof(*list));
	if (!list)
		return -1;
	buf_init(&sql, 2048);
	buf_appends(&sql, FORM_COLS);
	filter_where(&sql, f);
	buf_appends(&sql, " ORDER BY f.issued_at DESC, f.id DESC LIMIT ? "
			  "OFFSET ?");
	st = db_prepare(db, sql.s);
	buf_release(&sql);
	if (!st) {
		free(list);
		return -1;
	}
	i = filter_bind(st, f);
	db_bind_int(st, i, f->limit);
	db_bind_int(st, i + 1, f->offset);
	while ((rc = db_step(st)) == DB_ROW && count < (size_t)f->limit)
		form_from_row(st, &list[count++]);
	db_reset(st);
	*out = list;
	*n = count;
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}
