#include "store/points.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/str.h"

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

/*
 * ---------- the points a serving process looked up, kept ----------
 *
 * A point and the users assigned to it are written once, with the point
 * (store_point_insert) or the user (store_user_create), and never changed
 * or deleted: no route or command does (API.md; a restore or copy is done
 * with the servers stopped).  So what store_point_for_user() found stays
 * true for the life of the database: a serving process keeps it, and a
 * registration needs no round trip for its point (one per registration on
 * PostgreSQL).  A point not found is not kept: it may be created next.
 *
 * At most KEPT_SLOTS / 2 points (text only: 100-200 bytes each), and the
 * answers of KEPT_USERS users each; beyond that the database answers.
 * Only `inop serve` keeps them (one database for the life of the
 * process).  A change of this rule -- a route that edits a point or the
 * points of a user -- must end this cache.
 */
#define KEPT_SLOTS 65536
#define KEPT_USERS 4

struct kept_point {
	int64_t id;
	int active;
	int n_users;
	int64_t user[KEPT_USERS];
	unsigned char assigned[KEPT_USERS];
	/* into text: code, name, type, channel, lines (CSV), region */
	const char *field[6];
	char text[];
};

static pthread_rwlock_t kept_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct kept_point **kept;
static size_t n_kept;

void store_points_keep(int on)
{
	pthread_rwlock_wrlock(&kept_lock);
	for (size_t i = 0; kept && i < KEPT_SLOTS; i++)
		free(kept[i]);
	free(kept);
	kept = on ? calloc(KEPT_SLOTS, sizeof(struct kept_point *)) : NULL;
	n_kept = 0;
	pthread_rwlock_unlock(&kept_lock);
}

/* The slot of `code`: its point's, or the empty one where it would go
 * (FNV-1a, then the next slots). */
static size_t kept_slot(const char *code)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (const char *c = code; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	i = h & (KEPT_SLOTS - 1);

	while (kept[i] && strcmp(kept[i]->field[0], code) != 0)
		i = (i + 1) & (KEPT_SLOTS - 1);
	return i;
}

static void kept_copy(const struct kept_point *k, struct point *p)
{
	memset(p, 0, sizeof(*p));
	p->ref.id = k->id;
	/* Kept from rows of the same sizes: no cut. */
	(void)str_copy(p->ref.code, sizeof(p->ref.code), k->field[0]);
	(void)str_copy(p->ref.name, sizeof(p->ref.name), k->field[1]);
	(void)str_copy(p->ref.type, sizeof(p->ref.type), k->field[2]);
	(void)str_copy(p->ref.channel, sizeof(p->ref.channel), k->field[3]);
	codes_from_csv(&p->lines, k->field[4]);
	(void)str_copy(p->ref.region, sizeof(p->ref.region), k->field[5]);
	p->active = k->active;
}

/* 1 with *p and *assigned as kept, 0 when not kept. */
static int kept_find(const char *code, int64_t user_id, struct point *p,
		     int *assigned)
{
	const struct kept_point *k;
	int rc = 0;

	pthread_rwlock_rdlock(&kept_lock);
	k = kept ? kept[kept_slot(code)] : NULL;
	for (int i = 0; k && i < k->n_users; i++) {
		if (k->user[i] == user_id) {
			kept_copy(k, p);
			*assigned = k->assigned[i];
			rc = 1;
			break;
		}
	}
	pthread_rwlock_unlock(&kept_lock);
	return rc;
}

static struct kept_point *kept_new(const struct point *p)
{
	char lines[CODES_MAX * CODE_LEN];
	const char *f[6] = {p->ref.code,    p->ref.name, p->ref.type,
			    p->ref.channel, lines,	 p->ref.region};
	size_t len[6], total = 0;
	struct kept_point *k;
	char *t;

	codes_to_csv(&p->lines, lines, sizeof(lines));
	for (int i = 0; i < 6; i++)
		total += len[i] = strlen(f[i]) + 1;
	k = calloc(1, sizeof(*k) + total);
	if (!k)
		return NULL;
	k->id = p->ref.id;
	k->active = p->active;
	t = k->text;
	for (int i = 0; i < 6; i++) {
		memcpy(t, f[i], len[i]);
		k->field[i] = t;
		t += len[i];
	}
	return k;
}

static void kept_add(const struct point *p, int64_t user_id, int assigned)
{
	struct kept_point *k;
	size_t slot;

	pthread_rwlock_wrlock(&kept_lock);
	if (!kept)
		goto out;
	slot = kept_slot(p->ref.code);
	k = kept[slot];
	if (!k) {
		if (n_kept >= KEPT_SLOTS / 2 || !(k = kept_new(p)))
			goto out;
		kept[slot] = k;
		n_kept++;
	}
	for (int i = 0; i < k->n_users; i++)
		if (k->user[i] == user_id)
			goto out;
	if (k->n_users < KEPT_USERS) {
		k->user[k->n_users] = user_id;
		k->assigned[k->n_users++] = (unsigned char)assigned;
	}
out:
	pthread_rwlock_unlock(&kept_lock);
}

int store_point_for_user(struct db *db, const char *code, int64_t user_id,
			 struct point *p, int *assigned)
{
	/* One statement for the point and the JEFE's assignment: a round
	 * trip less for every registration on PostgreSQL. */
	struct db_stmt *st;
	struct point_of_user pu = {.p = p, .assigned = assigned};
	int rc;

	*assigned = 0;
	if (kept_find(code, user_id, p, assigned))
		return 1;
	st = db_prepare(db,
			"SELECT id, code, name, type, channel, lines, region, "
			"active, CASE WHEN EXISTS (SELECT 1 FROM user_points "
			"up WHERE up.user_id = ? AND up.point_id = points.id) "
			"THEN 1 ELSE 0 END FROM points WHERE code = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, code);
	rc = db_get_one(st, point_of_user_from_row, &pu);
	if (rc == 1)
		kept_add(p, user_id, *assigned);
	return rc;
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
