#include "store/points.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"

static char *point_audit_json(const struct point *p, const char *lines)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code",
			      p->ref.code, "name", p->ref.name, "type",
			      p->ref.type, "channel", p->ref.channel, "region",
			      p->ref.region, "lines", lines);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	return s;
}

struct point_job {
	struct point *p;
	const char *actor;
	int64_t now;
};

static int point_insert_body(struct db *db, void *arg, struct inop_err *err)
{
	struct point_job *j = arg;
	struct point *p = j->p;
	struct db_stmt *st;
	struct audit_rec rec;
	char lines[128], *after;
	int rc;

	codes_to_csv(&p->lines, lines, sizeof(lines));
	st = db_prepare(db, "INSERT INTO points (code, name, type, channel, "
			    "lines, region, active, created_at) VALUES (?, ?, "
			    "?, ?, ?, ?, 1, ?) RETURNING id");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, p->ref.code);
	db_bind_text(st, 2, p->ref.name);
	db_bind_text(st, 3, p->ref.type);
	db_bind_text(st, 4, p->ref.channel);
	db_bind_text(st, 5, lines);
	db_bind_text(st, 6, p->ref.region);
	db_bind_int(st, 7, j->now);
	rc = db_step(st);
	if (rc == DB_ROW)
		p->ref.id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT)
		return err_set(err, 409, "ALREADY_EXISTS", "code",
			       "Ya existe un punto con el código '%s'",
			       p->ref.code);
	if (rc != DB_ROW)
		return store_body_fail(db, err);
	p->active = 1;
	after = point_audit_json(p, lines);
	rec = (struct audit_rec){.at = j->now,
				 .actor = j->actor,
				 .action = "point.create",
				 .entity = "point",
				 .entity_id = p->ref.id,
				 .after_json = after};
	rc = audit_append(db, &rec);
	free(after);
	return rc < 0 ? store_body_fail(db, err) : 0;
}

int store_point_insert(struct db *db, struct point *p, const char *actor,
		       int64_t now, struct inop_err *err)
{
	struct point_job j = {.p = p, .actor = actor, .now = now};

	return store_write(db, point_insert_body, &j, err);
}

#define POINT_COLS                                                            \
	"SELECT id, code, name, type, channel, lines, region, "               \
	"active FROM points "

static void point_from_row(struct db_stmt *st, struct point *p)
{
	memset(p, 0, sizeof(*p));
	p->ref.id = db_col_int(st, 0);
	snprintf(p->ref.code, sizeof(p->ref.code), "%s", db_col_text(st, 1));
	snprintf(p->ref.name, sizeof(p->ref.name), "%s", db_col_text(st, 2));
	snprintf(p->ref.type, sizeof(p->ref.type), "%s", db_col_text(st, 3));
	snprintf(p->ref.channel, sizeof(p->ref.channel), "%s",
		 db_col_text(st, 4));
	codes_from_csv(&p->lines, db_col_text(st, 5));
	snprintf(p->ref.region, sizeof(p->ref.region), "%s",
		 db_col_text(st, 6));
	p->active = (int)db_col_int(st, 7);
}

int store_point_by_code(struct db *db, const char *code, struct point *p)
{
	struct db_stmt *st = db_prepare(db, POINT_COLS "WHERE code = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		point_from_row(st, p);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int store_points_list(struct db *db, int64_t jefe_user_id, struct point **out,
		      size_t *n)
{
	struct db_stmt *st;
	struct point *list = NULL, *grown;
	size_t count = 0;
	int rc;

	if (jefe_user_id > 0) {
		st = db_prepare(db, POINT_COLS "WHERE id IN (SELECT point_id "
					       "FROM user_points WHERE "
					       "user_id = ?) ORDER BY code");
		if (st)
			db_bind_int(st, 1, jefe_user_id);
	} else {
		st = db_prepare(db, POINT_COLS "ORDER BY code");
	}
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		grown = realloc(list, (count + 1) * sizeof(*list));
		if (!grown) {
			rc = DB_FAIL;
			break;
		}
		list = grown;
		point_from_row(st, &list[count++]);
	}
	db_reset(st);
	*out = list;
	*n = count;
	return rc == DB_DONE ? 0 : -1;
}
