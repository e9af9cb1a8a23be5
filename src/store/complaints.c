/* Complaints (SPEC Q1-Q5): the SQL. */
#include "store/complaints.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/complaint_json.h"
#include "store/audit.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/str.h"
#include "util/strnum.h"

#define COMPLAINT_COLS_ONLY                                                   \
	"SELECT id, code, source, external_ref, customer_name, "              \
	"document_type, document, email, phone, service, matter, "            \
	"matter_name, business_days, description, status, received_at, "      \
	"due_date, in_process_at, resolved_at, note"
#define COMPLAINT_COLS COMPLAINT_COLS_ONLY " FROM complaints "

static void complaint_from_row(struct db_stmt *st, void *elem)
{
	struct complaint *c = elem;
	char status[16];

	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	db_col_copy(st, 1, c->code, sizeof(c->code));
	db_col_copy(st, 2, c->source, sizeof(c->source));
	db_col_copy(st, 3, c->external_ref, sizeof(c->external_ref));
	db_col_copy(st, 4, c->customer_name, sizeof(c->customer_name));
	db_col_copy(st, 5, c->document_type, sizeof(c->document_type));
	db_col_copy(st, 6, c->document, sizeof(c->document));
	db_col_copy(st, 7, c->email, sizeof(c->email));
	db_col_copy(st, 8, c->phone, sizeof(c->phone));
	db_col_copy(st, 9, c->service, sizeof(c->service));
	db_col_copy(st, 10, c->matter, sizeof(c->matter));
	db_col_copy(st, 11, c->matter_name, sizeof(c->matter_name));
	c->business_days = (int)db_col_int(st, 12);
	db_col_copy(st, 13, c->description, sizeof(c->description));
	db_col_copy(st, 14, status, sizeof(status));
	if (complaint_status_parse(status, &c->status) < 0)
		c->status = COMPLAINT_RECIBIDO;
	c->received_at = db_col_int(st, 15);
	db_col_copy(st, 16, c->due_date, sizeof(c->due_date));
	c->in_process_at = db_col_int(st, 17);
	c->resolved_at = db_col_int(st, 18);
	db_col_copy(st, 19, c->note, sizeof(c->note));
}

static void doc_from_row(struct db_stmt *st, void *elem)
{
	struct complaint_doc *d = elem;

	d->id = db_col_int(st, 0);
	db_col_copy(st, 1, d->filename, sizeof(d->filename));
	db_col_copy(st, 2, d->content_type, sizeof(d->content_type));
	d->len = (size_t)db_col_int(st, 3);
}

static int load_docs(struct db *db, struct complaint *c)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT id, filename, content_type, size FROM "
		    "complaint_documents WHERE complaint_id = ? ORDER BY "
		    "position");
	struct complaint_doc *docs;
	size_t n;

	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	if (db_list(st, sizeof(*docs), doc_from_row, (void **)&docs, &n) < 0)
		return -1;
	c->n_docs = 0;
	for (size_t i = 0; i < n && i < COMPLAINT_DOCS_MAX; i++)
		c->docs[c->n_docs++] = docs[i];
	free(docs);
	return 0;
}

static int get_by(struct db *db, const char *sql, const char *text, int64_t id,
		  struct complaint *c)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	if (!st || !c)
		return -1;
	if (text)
		db_bind_text(st, 1, text);
	else
		db_bind_int(st, 1, id);
	rc = db_get_one(st, complaint_from_row, c);
	if (rc == 1 && load_docs(db, c) < 0)
		return -1;
	return rc;
}

int store_complaint_get(struct db *db, const char *key, struct complaint *c)
{
	int64_t id;

	if (strnum_i64(key, 1, INT64_MAX, &id) == 0)
		return get_by(db, COMPLAINT_COLS "WHERE id = ?", NULL, id, c);
	return get_by(db, COMPLAINT_COLS "WHERE code = ?", key, 0, c);
}

int store_complaint_by_ref(struct db *db, const char *external_ref,
			   struct complaint *c)
{
	return get_by(db, COMPLAINT_COLS "WHERE external_ref = ?",
		      external_ref, 0, c);
}

/* ---------- intake ---------- */

static void matter_from_row(struct db_stmt *st, void *elem)
{
	struct complaint_matter *m = elem;

	memset(m, 0, sizeof(*m));
	db_col_copy(st, 0, m->code, sizeof(m->code));
	db_col_copy(st, 1, m->name, sizeof(m->name));
	m->business_days = (int)db_col_int(st, 2);
	m->company_setting = (int)db_col_int(st, 3);
}

static int matter_get(struct db *db, const char *code,
		      struct complaint_matter *m)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT code, name, business_days, company_setting FROM "
		    "complaint_matters WHERE code = ?");

	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	return db_get_one(st, matter_from_row, m);
}

/* The row; DB_CONSTRAINT when its external_ref was taken meanwhile. */
static int insert_row(struct db *db, struct complaint *c,
		      const char *client_addr)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO complaints (code, source, external_ref, "
		    "customer_name, document_type, document, email, phone, "
		    "service, matter, matter_name, business_days, "
		    "description, received_at, due_date, client_addr) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		    "ON CONFLICT (external_ref) DO NOTHING RETURNING id");
	int rc;

	if (!st)
		return DB_FAIL;
	db_bind_text(st, 1, c->code);
	db_bind_text(st, 2, c->source);
	db_bind_text(st, 3, c->external_ref[0] ? c->external_ref : NULL);
	db_bind_text(st, 4, c->customer_name);
	db_bind_text(st, 5, c->document_type);
	db_bind_text(st, 6, c->document);
	db_bind_text(st, 7, c->email);
	db_bind_text(st, 8, c->phone);
	db_bind_text(st, 9, c->service);
	db_bind_text(st, 10, c->matter);
	db_bind_text(st, 11, c->matter_name);
	db_bind_int(st, 12, c->business_days);
	db_bind_text(st, 13, c->description);
	db_bind_int(st, 14, c->received_at);
	db_bind_text(st, 15, c->due_date);
	db_bind_text(st, 16, client_addr ? client_addr : "");
	rc = db_step(st);
	if (rc == DB_ROW)
		c->id = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? DB_CONSTRAINT : rc;
}

static int insert_docs(struct db *db, struct complaint *c)
{
	for (int i = 0; i < c->n_docs; i++) {
		struct complaint_doc *d = &c->docs[i];
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO complaint_documents (complaint_id, "
			    "position, filename, content_type, size, data) "
			    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");

		if (!st)
			return -1;
		db_bind_int(st, 1, c->id);
		db_bind_int(st, 2, i + 1);
		db_bind_text(st, 3, d->filename);
		db_bind_text(st, 4, d->content_type);
		db_bind_int(st, 5, (int64_t)d->len);
		db_bind_blob(st, 6, d->data, d->len);
		if (db_step(st) != DB_ROW) {
			db_reset(st);
			return -1;
		}
		d->id = db_col_int(st, 0);
		db_reset(st);
	}
	return 0;
}

static int audit(struct db *db, const char *action, const struct complaint *b,
		 const struct complaint *a, const char *actor, int64_t now)
{
	/* Every call passes `a` or `b`; the record is about the one given. */
	const struct complaint *subject = a ? a : b;
	json_t *bj = b ? complaint_to_json(b, 0) : NULL;
	json_t *aj = a ? complaint_to_json(a, 0) : NULL;

	/* Overdue depends on the day it is read: not part of the record. */
	json_object_del(bj, "overdue");
	json_object_del(aj, "overdue");
	return audit_append_json(db, "complaint", subject->id, action, bj, aj,
				 actor, now);
}

static int number(struct db *db, struct complaint *c, int64_t now)
{
	int year = cal_lima_date(now).y;
	char counter[32];
	int64_t seq;

	(void)str_printf(counter, sizeof(counter), "complaint-%d", year);
	if (store_counter_next(db, counter, &seq) < 0)
		return -1;
	return complaint_code_format(c->code, year, seq);
}

/* Lima day number of a UTC time (Lima is UTC-5 all year). */
static int64_t lima_day(int64_t t)
{
	return (t - 5 * 3600) / 86400;
}

/* E4: one more complaint on the Lima day of `at`, in the intake's
 * transaction (complaint_days, migration 021). */
static int day_count_add(struct db *db, int64_t at)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO complaint_days (day, received) VALUES (?, 1) "
		    "ON CONFLICT (day) DO UPDATE SET received = "
		    "complaint_days.received + 1");

	if (!st)
		return -1;
	db_bind_int(st, 1, lima_day(at));
	return db_run(st) == DB_DONE ? 0 : -1;
}

static int receive_body(struct db *db, void *arg, struct inop_err *err)
{
	struct complaint_receive *rx = arg;
	struct complaint *c = rx->c;
	struct complaint_matter m;
	struct cal_date due;
	int rc;

	if (c->external_ref[0]) {
		rc = store_complaint_by_ref(db, c->external_ref, c);
		if (rc < 0)
			return store_body_fail(db, err);
		if (rc == 1) {
			rx->existing = 1;
			return 0;
		}
	}
	rc = matter_get(db, c->matter, &m);
	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_validation(err, "matter",
				      "La materia '%s' no es reclamable: vea "
				      "GET /api/v1/complaint-matters",
				      c->matter);
	/* Both hold a matter's name: the copy cannot be cut. */
	(void)str_copy(c->matter_name, sizeof(c->matter_name), m.name);
	c->business_days = m.business_days;
	c->received_at = rx->now;
	c->status = COMPLAINT_RECIBIDO;
	due = complaint_due(rx->now, m.business_days, rx->cal);
	cal_format_date(due, c->due_date);
	if (number(db, c, rx->now) < 0)
		return store_body_fail(db, err);
	rc = insert_row(db, c, rx->client_addr);
	if (rc == DB_CONSTRAINT)
		/* A delivery of the same external_ref committed meanwhile
		 * (another node): this one is rolled back, number and all,
		 * and the caller answers with the first. */
		return err_set(err, 409, "EXTERNAL_REF_RACE", "external_ref",
			       "El reclamo ya fue recibido");
	if (rc != 0 || insert_docs(db, c) < 0 ||
	    day_count_add(db, c->received_at) < 0 ||
	    audit(db, "complaint.receive", NULL, c, rx->actor, rx->now) < 0)
		return store_body_fail(db, err);
	if (rx->after && rx->after(db, c, rx->ctx, err) < 0)
		return err->code[0] ? -1 : store_body_fail(db, err);
	return 0;
}

int store_complaint_receive(struct db *db, struct complaint_receive *rx,
			    struct inop_err *err)
{
	rx->existing = 0;
	if (store_write(db, receive_body, rx, err) == 0)
		return 0;
	if (strcmp(err->code, "EXTERNAL_REF_RACE") != 0)
		return -1;
	if (store_complaint_by_ref(db, rx->c->external_ref, rx->c) != 1)
		return err_internal(err);
	rx->existing = 1;
	return 0;
}

int store_complaint_document(struct db *db, int64_t complaint_id,
			     int64_t doc_id, struct complaint_doc *d,
			     unsigned char **data)
{
	/* complaint_id 0: any complaint (the mail sender has the id). */
	struct db_stmt *st = db_prepare(
		db, "SELECT id, filename, content_type, size, data FROM "
		    "complaint_documents WHERE id = ? AND (? = 0 OR "
		    "complaint_id = ?)");
	const void *p;
	size_t n;
	int rc;

	*data = NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, doc_id);
	db_bind_int(st, 2, complaint_id);
	db_bind_int(st, 3, complaint_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		memset(d, 0, sizeof(*d));
		doc_from_row(st, d);
		p = db_col_blob(st, 4, &n);
		*data = malloc(n ? n : 1);
		if (!p || !*data) {
			free(*data);
			*data = NULL;
			rc = DB_FAIL;
		} else {
			memcpy(*data, p, n);
			d->len = n;
			d->data = *data;
		}
	}
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---------- the tray ---------- */

struct list_ctx {
	const struct complaint_filter *f;
	char today[11];
};

static int list_bind(struct db_stmt *st, const void *arg)
{
	const struct list_ctx *lc = arg;
	int i = 1;

	if (lc->f->status)
		db_bind_text(st, i++, lc->f->status);
	if (lc->f->matter)
		db_bind_text(st, i++, lc->f->matter);
	if (lc->f->overdue)
		db_bind_text(st, i++, lc->today);
	return i;
}

int store_complaints_list(struct db *db, const struct complaint_filter *f,
			  struct complaint **items, size_t *n, int64_t *total)
{
	struct list_ctx lc = {.f = f};
	char from[256];
	struct db_page p = {.cols = COMPLAINT_COLS_ONLY,
			    .from = from,
			    .order = "due_date, id",
			    .bind = list_bind,
			    .ctx = &lc,
			    .limit = f->limit,
			    .offset = f->offset,
			    .elem_size = sizeof(struct complaint),
			    .from_row = complaint_from_row};

	cal_format_date(cal_lima_date(f->now), lc.today);
	if (str_printf(from, sizeof(from), "FROM complaints WHERE 1 = 1%s%s%s",
		       f->status ? " AND status = ?" : "",
		       f->matter ? " AND matter = ?" : "",
		       f->overdue
			       ? " AND status <> 'RESUELTO' AND due_date < ?"
			       : "") < 0)
		return -1; /* a cut query must not run */
	if (db_page(db, &p, (void **)items, n, total) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (load_docs(db, &(*items)[i]) < 0) {
			free(*items);
			*items = NULL;
			return -1;
		}
	return 0;
}

static void transition_from_row(struct db_stmt *st, void *elem)
{
	struct complaint_transition *t = elem;

	db_col_copy(st, 0, t->from, sizeof(t->from));
	db_col_copy(st, 1, t->to, sizeof(t->to));
	t->at = db_col_int(st, 2);
	db_col_copy(st, 3, t->by, sizeof(t->by));
	db_col_copy(st, 4, t->note, sizeof(t->note));
	db_col_copy(st, 5, t->by_name, sizeof(t->by_name));
}

int store_complaint_transitions(struct db *db, int64_t complaint_id,
				struct complaint_transition **items, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT from_status, to_status, at, by_user, note, (SELECT "
		"u.name FROM users u WHERE u.username = by_user) FROM "
		"complaint_transitions WHERE complaint_id = ? ORDER BY id");

	if (!st)
		return -1;
	db_bind_int(st, 1, complaint_id);
	return db_list(st, sizeof(**items), transition_from_row,
		       (void **)items, n);
}

struct move {
	const char *key, *to, *note, *actor;
	int64_t now;
	complaint_hook_fn after;
	void *ctx;
	struct complaint *c;
};

/* The conditional UPDATE is the lock: of two racing moves from the same
 * state, one finds the row changed and is refused. */
static int move_row(struct db *db, const struct complaint *c,
		    enum complaint_status from, const struct move *mv)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE complaints SET status = ?, note = ?, "
		    "in_process_at = CASE WHEN ? = 'EN_PROCESO' THEN ? ELSE "
		    "in_process_at END, resolved_at = CASE WHEN ? = "
		    "'RESUELTO' THEN ? ELSE resolved_at END WHERE id = ? AND "
		    "status = ? RETURNING id");

	if (!st)
		return -1;
	db_bind_text(st, 1, complaint_status_code(c->status));
	db_bind_text(st, 2, mv->note);
	db_bind_text(st, 3, complaint_status_code(c->status));
	db_bind_int(st, 4, mv->now);
	db_bind_text(st, 5, complaint_status_code(c->status));
	db_bind_int(st, 6, mv->now);
	db_bind_int(st, 7, c->id);
	db_bind_text(st, 8, complaint_status_code(from));
	return db_get_one(st, NULL, NULL);
}

static int transition_insert(struct db *db, const struct complaint *c,
			     enum complaint_status from, const struct move *mv)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO complaint_transitions (complaint_id, "
		    "from_status, to_status, at, by_user, note) VALUES (?, ?, "
		    "?, ?, ?, ?)");

	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, complaint_status_code(from));
	db_bind_text(st, 3, complaint_status_code(c->status));
	db_bind_int(st, 4, mv->now);
	db_bind_text(st, 5, mv->actor);
	db_bind_text(st, 6, mv->note);
	return db_run(st) == 0 ? 0 : -1;
}

static int move_body(struct db *db, void *arg, struct inop_err *err)
{
	struct move *mv = arg;
	struct complaint *c = mv->c, before;
	enum complaint_status to;
	int rc = store_complaint_get(db, mv->key, c);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "El reclamo no existe");
	if (complaint_transition_check(c->status, mv->to, &to, err) < 0)
		return -1;
	before = *c;
	c->status = to;
	(void)str_copy(c->note, sizeof(c->note), mv->note); /* same size */
	if (to == COMPLAINT_EN_PROCESO)
		c->in_process_at = mv->now;
	else
		c->resolved_at = mv->now;
	rc = move_row(db, c, before.status, mv);
	if (rc == 0)
		return err_set(err, 409, "INVALID_TRANSITION", "to",
			       "El reclamo cambió de estado mientras tanto: "
			       "recargue");
	if (rc < 0 || transition_insert(db, c, before.status, mv) < 0 ||
	    audit(db, "complaint.transition", &before, c, mv->actor, mv->now) <
		    0)
		return store_body_fail(db, err);
	if (mv->after && mv->after(db, c, mv->ctx, err) < 0)
		return err->code[0] ? -1 : store_body_fail(db, err);
	return 0;
}

int store_complaint_transition(struct db *db, const char *key, const char *to,
			       const char *note, const char *actor,
			       int64_t now, complaint_hook_fn after, void *ctx,
			       struct complaint *c, struct inop_err *err)
{
	struct move mv = {.key = key,
			  .to = to,
			  .note = note ? note : "",
			  .actor = actor,
			  .now = now,
			  .after = after,
			  .ctx = ctx,
			  .c = c};

	return store_write(db, move_body, &mv, err);
}

/* ---------- matters ---------- */

int store_complaint_matters(struct db *db, struct complaint_matter **items,
			    size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT code, name, business_days, company_setting FROM "
		    "complaint_matters ORDER BY position, code");

	if (!st)
		return -1;
	return db_list(st, sizeof(**items), matter_from_row, (void **)items,
		       n);
}

static json_t *matter_json(const struct complaint_matter *m)
{
	return json_pack("{ss ss si sb}", "code", m->code, "name", m->name,
			 "business_days", m->business_days, "company_setting",
			 m->company_setting);
}

struct matter_edit {
	const struct complaint_matter *m;
	const char *actor;
	int64_t now;
};

static int matter_body(struct db *db, void *arg, struct inop_err *err)
{
	struct matter_edit *me = arg;
	struct complaint_matter before, after;
	struct db_stmt *st;
	int rc = matter_get(db, me->m->code, &before);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "La materia '%s' no existe", me->m->code);
	st = db_prepare(db, "UPDATE complaint_matters SET name = ?, "
			    "business_days = ?, company_setting = 1, "
			    "updated_at = ? WHERE code = ?");
	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, me->m->name);
	db_bind_int(st, 2, me->m->business_days);
	db_bind_int(st, 3, me->now);
	db_bind_text(st, 4, me->m->code);
	after = *me->m;
	after.company_setting = 1;
	if (db_run(st) != 0 ||
	    audit_append_json(db, "complaint_matter", 0,
			      "complaint_matter.update", matter_json(&before),
			      matter_json(&after), me->actor, me->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_complaint_matter_update(struct db *db,
				  const struct complaint_matter *m,
				  const char *actor, int64_t now,
				  struct inop_err *err)
{
	struct matter_edit me = {.m = m, .actor = actor, .now = now};

	return store_write(db, matter_body, &me, err);
}

/* ---------- E4 ---------- */

struct day_count {
	int64_t day, received;
};

static void day_count_from_row(struct db_stmt *st, void *elem)
{
	struct day_count *d = elem;

	d->day = db_col_int(st, 0);
	d->received = db_col_int(st, 1);
}

int store_complaints_per_day(struct db *db, int64_t first_day_start_utc,
			     int days, int64_t *counts)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT day, received FROM complaint_days WHERE day >= ? "
		    "AND day < ?");
	int64_t first = lima_day(first_day_start_utc);
	struct day_count *rows;
	size_t n;

	if (!st || days < 0)
		return -1;
	memset(counts, 0, sizeof(*counts) * (size_t)days);
	db_bind_int(st, 1, first);
	db_bind_int(st, 2, first + days);
	if (db_list(st, sizeof(*rows), day_count_from_row, (void **)&rows,
		    &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		counts[rows[i].day - first] = rows[i].received;
	free(rows);
	return 0;
}
