#include "store/points.h"

#include <jansson.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"

static json_t *point_audit_json(const struct point *p, const char *lines)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code", p->ref.code,
			 "name", p->ref.name, "type", p->ref.type, "channel",
			 p->ref.channel, "region", p->ref.region, "lines",
			 lines);
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
	char lines[128];
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
	if (audit_append_json(db, "point", p->ref.id, "point.create", NULL,
			      point_audit_json(p, lines), j->actor,
			      j->now) < 0)
		return store_body_fail(db, err);
	return 0;
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

static void point_from_row(struct db_stmt *st, void *elem)
{
	struct point *p = elem;

	memset(p, 0, sizeof(*p));
	p->ref.id = db_col_int(st, 0);
	db_col_copy(st, 1, p->ref.code, sizeof(p->ref.code));
	db_col_copy(st, 2, p->ref.name, sizeof(p->ref.name));
	db_col_copy(st, 3, p->ref.type, sizeof(p->ref.type));
	db_col_copy(st, 4, p->ref.channel, sizeof(p->ref.channel));
	codes_from_csv(&p->lines, db_col_text(st, 5));
	db_col_copy(st, 6, p->ref.region, sizeof(p->ref.region));
	p->active = (int)db_col_int(st, 7);
}

int store_point_by_code(struct db *db, const char *code, struct point *p)
{
	struct db_stmt *st = db_prepare(db, POINT_COLS "WHERE code = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	return db_get_one(st, point_from_row, p);
}

struct point_of_user {
	struct point *p;
	int *assigned;
};

static void point_of_user_from_row(struct db_stmt *st, void *elem)
{
	struct point_of_user *pu = elem;

	point_from_row(st, pu->p);
	*pu->assigned = db_col_int(st, 8) != 0;
}

int store_point_for_user(struct db *db, const char *code, int64_t user_id,
			 struct point *p, int *assigned)
{
	/* One statement for the point and the JEFE's assignment: a round
	 * trip less for every registration on PostgreSQL. */
	struct db_stmt *st = db_prepare(
		db, "SELECT id, code, name, type, channel, lines, region, "
		    "active, CASE WHEN EXISTS (SELECT 1 FROM user_points up "
		    "WHERE up.user_id = ? AND up.point_id = points.id) THEN 1 "
		    "ELSE 0 END FROM points WHERE code = ?");
	struct point_of_user pu = {.p = p, .assigned = assigned};

	*assigned = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, code);
	return db_get_one(st, point_of_user_from_row, &pu);
}

int store_points_list(struct db *db, int64_t jefe_user_id, struct point **out,
		      size_t *n)
{
	struct db_stmt *st;
	void *list;
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
	rc = db_list(st, sizeof(**out), point_from_row, &list, n);
	*out = list;
	return rc;
}
