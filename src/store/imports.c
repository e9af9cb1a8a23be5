/* Imports and their time series (store/imports.h). */
#include "store/imports.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/complaints.h"
#include "store/writer.h"
#include "util/str.h"

static const char kind_letter[] = {'I', 'S', 'L'};

static void point_row(struct db_stmt *st, void *elem)
{
	struct import_point *p = elem;

	p->id = db_col_int(st, 0);
	db_col_copy(st, 1, p->code, sizeof(p->code));
}

int store_import_points(struct db *db, struct import_point **out, size_t *n)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT id, code FROM points ORDER BY id");

	if (!st)
		return -1;
	return db_list(st, sizeof(**out), point_row, (void **)out, n);
}

#define IMPORT_COLS                                                           \
	"SELECT id, kind, source, sha256, row_count, bytes, series_bytes, "   \
	"first_day, last_day, imported_at, imported_by, withdrawn_at, "       \
	"withdrawn_by, (SELECT u.name FROM users u WHERE u.username = "       \
	"imported_by), (SELECT u.name FROM users u WHERE u.username = "       \
	"withdrawn_by) FROM imports "

static void import_row(struct db_stmt *st, void *elem)
{
	struct import_rec *r = elem;

	r->id = db_col_int(st, 0);
	db_col_copy(st, 1, r->kind, sizeof(r->kind));
	db_col_copy(st, 2, r->source, sizeof(r->source));
	db_col_copy(st, 3, r->sha256, sizeof(r->sha256));
	r->rows = db_col_int(st, 4);
	r->bytes = db_col_int(st, 5);
	r->series_bytes = db_col_int(st, 6);
	r->first_day = (int32_t)db_col_int(st, 7);
	r->last_day = (int32_t)db_col_int(st, 8);
	r->imported_at = db_col_int(st, 9);
	db_col_copy(st, 10, r->imported_by, sizeof(r->imported_by));
	r->withdrawn_at = db_col_int(st, 11);
	db_col_copy(st, 12, r->withdrawn_by, sizeof(r->withdrawn_by));
	db_col_copy(st, 13, r->imported_by_name, sizeof(r->imported_by_name));
	db_col_copy(st, 14, r->withdrawn_by_name,
		    sizeof(r->withdrawn_by_name));
}

int store_import_get(struct db *db, int64_t id, struct import_rec *out)
{
	struct db_stmt *st = db_prepare(db, IMPORT_COLS "WHERE id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return db_get_one(st, import_row, out);
}

int store_import_by_sha(struct db *db, const char *kind, const char *sha256,
			struct import_rec *out)
{
	struct db_stmt *st =
		db_prepare(db, IMPORT_COLS "WHERE kind = ? AND sha256 = ? AND "
					   "withdrawn_at IS NULL");

	if (!st)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, sha256);
	return db_get_one(st, import_row, out);
}

int store_imports_list(struct db *db, const char *kind,
		       struct import_rec **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, IMPORT_COLS "WHERE (? = '' OR kind = ?) ORDER BY id DESC");

	if (!st)
		return -1;
	db_bind_text(st, 1, kind ? kind : "");
	db_bind_text(st, 2, kind ? kind : "");
	return db_list(st, sizeof(**out), import_row, (void **)out, n);
}

static json_t *import_audit_json(const struct import_rec *r)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:i}", "kind",
			 r->kind, "source", r->source, "sha256", r->sha256,
			 "rows", (json_int_t)r->rows, "bytes",
			 (json_int_t)r->bytes, "first_day", r->first_day,
			 "last_day", r->last_day);
}

struct save_job {
	const struct import *im;
	const char *source, *actor;
	int64_t now;
	struct import_rec *out;
};

static int already(struct db *db, struct save_job *j, struct inop_err *err)
{
	struct import_rec prev;

	if (store_import_by_sha(db, j->out->kind, j->out->sha256, &prev) != 1)
		return store_body_fail(db, err);
	*j->out = prev;
	return err_set(err, 409, "ALREADY_IMPORTED", NULL,
		       "Este contenido ya fue importado (importación %lld)",
		       (long long)prev.id);
}

static int insert_import(struct db *db, struct save_job *j,
			 struct inop_err *err)
{
	struct import_rec *r = j->out;
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO imports (kind, source, sha256, row_count, "
		    "bytes, first_day, last_day, series_bytes, imported_at, "
		    "imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		    "RETURNING id");
	int rc;

	if (!st)
		return store_body_fail(db, err);
	db_bind_text(st, 1, r->kind);
	db_bind_text(st, 2, r->source);
	db_bind_text(st, 3, r->sha256);
	db_bind_int(st, 4, r->rows);
	db_bind_int(st, 5, r->bytes);
	db_bind_int(st, 6, r->first_day);
	db_bind_int(st, 7, r->last_day);
	db_bind_int(st, 8, r->series_bytes);
	db_bind_int(st, 9, r->imported_at);
	db_bind_text(st, 10, r->imported_by);
	rc = db_step(st);
	if (rc == DB_ROW)
		r->id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_CONSTRAINT) /* the same content committed meanwhile by
				   another node: PostgreSQL allows no query
				   here, store_import_save() looks it up */
		return err_set(err, 409, "ALREADY_IMPORTED", NULL,
			       "Este contenido ya fue importado");
	return rc == DB_ROW ? 0 : store_body_fail(db, err);
}

static int copy_chunks(struct db *db, const struct import *im, int64_t id)
{
	struct db_copy *c = db_copy_begin(db, "series_days",
					  "kind, point_id, code, day, "
					  "network, import_id, total, minutes",
					  8);
	char kind[2] = {kind_letter[im->kind], '\0'};

	if (!c)
		return -1;
	for (size_t i = 0; i < im->out.n; i++) {
		const struct agg_chunk *ch = &im->out.chunks[i];
		struct db_val v[8];
		int64_t point_id;
		const char *code, *network;

		import_series_key(im, ch->series, &point_id, &code, &network);
		memset(v, 0, sizeof(v));
		v[0] = (struct db_val){.type = DBV_TEXT, .s = kind};
		v[1] = (struct db_val){.type = DBV_INT, .i = point_id};
		v[2] = (struct db_val){.type = DBV_TEXT, .s = code};
		v[3] = (struct db_val){.type = DBV_INT, .i = ch->day};
		v[4] = (struct db_val){.type = DBV_TEXT, .s = network};
		v[5] = (struct db_val){.type = DBV_INT, .i = id};
		v[6] = (struct db_val){.type = DBV_INT, .i = ch->total};
		v[7] = (struct db_val){.type = DBV_BLOB,
				       .p = im->out.bytes + ch->off,
				       .n = ch->len};
		if (db_copy_row(c, v))
			break;
	}
	return db_copy_end(c) ? -1 : 0;
}

/* The code index of a series: procedure type, PUBLICO/INBOX, or 0. */
static int code_of(const struct import *im, int32_t s, int *ncodes)
{
	*ncodes = im->kind == IMPORT_INTERACTIONS ? IMPORT_TYPES
		  : im->kind == IMPORT_SOCIAL	  ? 2
						  : 1;
	return (int)(s % *ncodes);
}

static int copy_totals(struct db *db, const struct import *im, int64_t id)
{
	int ncodes, days = im->day_max - im->day_min + 1;
	int64_t *t;
	struct db_copy *c;
	char kind[2] = {kind_letter[im->kind], '\0'};
	int rc = 0;

	code_of(im, 0, &ncodes);
	t = calloc((size_t)days * (size_t)ncodes, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < im->out.n; i++) {
		const struct agg_chunk *ch = &im->out.chunks[i];

		t[(ch->day - im->day_min) * ncodes +
		  code_of(im, ch->series, &ncodes)] += ch->total;
	}
	c = db_copy_begin(db, "day_totals",
			  "kind, day, code, import_id, total", 5);
	for (int d = 0; c && d < days; d++)
		for (int k = 0; k < ncodes; k++) {
			int64_t pid;
			const char *code, *net;
			struct db_val v[5];

			if (!t[d * ncodes + k])
				continue;
			import_series_key(im, k, &pid, &code, &net);
			v[0] = (struct db_val){.type = DBV_TEXT, .s = kind};
			v[1] = (struct db_val){.type = DBV_INT,
					       .i = im->day_min + d};
			v[2] = (struct db_val){.type = DBV_TEXT, .s = code};
			v[3] = (struct db_val){.type = DBV_INT, .i = id};
			v[4] = (struct db_val){.type = DBV_INT,
					       .i = t[d * ncodes + k]};
			db_copy_row(c, v);
		}
	free(t);
	if (!c || db_copy_end(c))
		rc = -1;
	return rc;
}

static int save_body(struct db *db, void *arg, struct inop_err *err)
{
	struct save_job *j = arg;
	struct import_rec prev;
	int rc = store_import_by_sha(db, j->out->kind, j->out->sha256, &prev);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 1)
		return already(db, j, err);
	if (insert_import(db, j, err) < 0)
		return -1;
	if (copy_chunks(db, j->im, j->out->id) < 0 ||
	    copy_totals(db, j->im, j->out->id) < 0)
		return store_body_fail(db, err);
	if (audit_append_json(db, "import", j->out->id, "import", NULL,
			      import_audit_json(j->out), j->actor, j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_import_save(struct db *db, const struct import *im,
		      const char *source, const char *actor, int64_t now,
		      struct import_rec *out, struct inop_err *err)
{
	struct save_job j = {im, source, actor, now, out};

	memset(out, 0, sizeof(*out));
	(void)str_copy(out->kind, sizeof(out->kind),
		       import_kind_name(im->kind));
	(void)str_copy(out->source, sizeof(out->source), source);
	(void)str_copy(out->sha256, sizeof(out->sha256), im->sha256);
	(void)str_copy(out->imported_by, sizeof(out->imported_by), actor);
	out->rows = im->rows;
	out->bytes = im->bytes_in;
	out->series_bytes = (int64_t)im->out.len;
	out->first_day = im->day_min;
	out->last_day = im->day_max;
	out->imported_at = now;
	if (store_write(db, save_body, &j, err) == 0)
		return 0;
	if (err->status == 409 && out->id == 0 &&
	    store_import_by_sha(db, out->kind, out->sha256, out) == 1)
		err_set(err, 409, "ALREADY_IMPORTED", NULL,
			"Este contenido ya fue importado (importación %lld)",
			(long long)out->id);
	return -1;
}

struct withdraw_job {
	int64_t id;
	const char *actor;
	int64_t now;
	struct import_rec *out;
};

static int withdraw_body(struct db *db, void *arg, struct inop_err *err)
{
	struct withdraw_job *j = arg;
	struct db_stmt *st;
	int rc = store_import_get(db, j->id, j->out);

	if (rc < 0)
		return store_body_fail(db, err);
	if (rc == 0)
		return err_set(err, 404, "NOT_FOUND", NULL,
			       "No existe la importación %lld",
			       (long long)j->id);
	if (j->out->withdrawn_at)
		return err_set(err, 409, "ALREADY_WITHDRAWN", NULL,
			       "La importación %lld ya fue retirada",
			       (long long)j->id);
	st = db_prepare(db, "UPDATE imports SET withdrawn_at = ?, "
			    "withdrawn_by = ? WHERE id = ? AND withdrawn_at "
			    "IS NULL");
	if (!st)
		return store_body_fail(db, err);
	db_bind_int(st, 1, j->now);
	db_bind_text(st, 2, j->actor);
	db_bind_int(st, 3, j->id);
	if (db_run(st))
		return store_body_fail(db, err);
	j->out->withdrawn_at = j->now;
	(void)str_copy(j->out->withdrawn_by, sizeof(j->out->withdrawn_by),
		       j->actor);
	if (audit_append_json(
		    db, "import", j->id, "withdraw", import_audit_json(j->out),
		    json_pack("{s:b}", "withdrawn", 1), j->actor, j->now) < 0)
		return store_body_fail(db, err);
	return 0;
}

int store_import_withdraw(struct db *db, int64_t id, const char *actor,
			  int64_t now, struct import_rec *out,
			  struct inop_err *err)
{
	struct withdraw_job j = {id, actor, now, out};

	return store_write(db, withdraw_body, &j, err);
}

/* ---------- reading the series (E3, E4) ---------- */

static int floor_div(int64_t a, int64_t b)
{
	return (int)(a >= 0 ? a / b : -((-a + b - 1) / b));
}

/* Marks has[k] for every window touching a day with data of `kind`. */
/* Calls fn(day, arg) for each day in [d0, d1] with data of `kind`. */
static int each_day_with_data(struct db *db, char kind, int32_t d0, int32_t d1,
			      void (*fn)(int64_t, void *), void *arg)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT DISTINCT t.day FROM day_totals t JOIN imports i ON "
		"i.id = t.import_id AND i.withdrawn_at IS NULL WHERE "
		"t.kind = ? AND t.day BETWEEN ? AND ?");
	char k[2] = {kind, '\0'};
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, k);
	db_bind_int(st, 2, d0);
	db_bind_int(st, 3, d1);
	while ((rc = db_step(st)) == DB_ROW)
		fn(db_col_int(st, 0), arg);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

struct windows {
	const int64_t *lo, *hi;
	int n;
	int *has;
};

static void mark_windows(int64_t day, void *arg)
{
	const struct windows *w = arg;

	for (int k = 0; k < w->n; k++) {
		int64_t a = floor_div(w->lo[k], 1440);
		int64_t b = floor_div(
			w->hi[k] > w->lo[k] ? w->hi[k] - 1 : w->lo[k], 1440);

		if (day >= a && day <= b)
			w->has[k] = 1;
	}
}

static void mark_known(int64_t day, void *arg)
{
	struct import_days *d = arg;

	d->has[day - d->first] = 1;
}

int store_import_days_load(struct db *db, char kind, int32_t first,
			   int32_t last, struct import_days *out)
{
	*out = (struct import_days){
		.kind = kind, .first = first, .last = last};
	if (last < first ||
	    !(out->has = calloc((size_t)(last - first) + 1, 1)) ||
	    each_day_with_data(db, kind, first, last, mark_known, out) < 0) {
		store_import_days_release(out);
		return -1;
	}
	return 0;
}

void store_import_days_release(struct import_days *d)
{
	free(d->has);
	*d = (struct import_days){0};
}

/* has[w] for each window: from `known` when it covers [d0, d1]. */
static int mark_days(struct db *db, const struct import_days *known, char kind,
		     int32_t d0, int32_t d1, const int64_t *lo,
		     const int64_t *hi, int n, int *has)
{
	struct windows w = {lo, hi, n, has};

	if (!known || !known->has || known->kind != kind ||
	    d0 < known->first || d1 > known->last)
		return each_day_with_data(db, kind, d0, d1, mark_windows, &w);
	for (int32_t day = d0; day <= d1; day++)
		if (known->has[day - known->first])
			mark_windows(day, &w);
	return 0;
}

static void add_chunk(int64_t day, const unsigned char *p, size_t len,
		      const int64_t *lo, const int64_t *hi, int n,
		      int64_t *counts)
{
	int64_t base = day * 1440;

	for (int w = 0; w < n; w++) {
		int64_t a = lo[w] - base, b = hi[w] - base;
		int64_t s;

		if (b <= 0 || a >= 1440)
			continue;
		s = series_sum(p, len, a < 0 ? 0 : (int)a,
			       b > 1440 ? 1440 : (int)b);
		if (s > 0)
			counts[w] += s;
	}
}

int store_series_windows(struct db *db, const struct import_days *known,
			 char kind, int64_t point_id, const char *code,
			 const int64_t *lo, const int64_t *hi, int n,
			 int64_t *counts, int *has)
{
	struct db_stmt *st;
	int64_t mn = lo[0], mx = hi[0];
	int32_t d0, d1;
	char k[2] = {kind, '\0'};
	int rc;

	for (int w = 0; w < n; w++) {
		counts[w] = 0;
		has[w] = 0;
		if (lo[w] < mn)
			mn = lo[w];
		if (hi[w] > mx)
			mx = hi[w];
	}
	d0 = floor_div(mn, 1440);
	d1 = floor_div(mx > mn ? mx - 1 : mn, 1440);
	if (mark_days(db, known, kind, d0, d1, lo, hi, n, has) < 0)
		return -1;
	st = db_prepare(
		db,
		"SELECT s.day, s.minutes FROM series_days s JOIN imports i "
		"ON i.id = s.import_id AND i.withdrawn_at IS NULL WHERE "
		"s.kind = ? AND s.point_id = ? AND s.code = ? AND s.day "
		"BETWEEN ? AND ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, k);
	db_bind_int(st, 2, point_id);
	db_bind_text(st, 3, code);
	db_bind_int(st, 4, d0);
	db_bind_int(st, 5, d1);
	while ((rc = db_step(st)) == DB_ROW) {
		size_t len;
		const void *p = db_col_blob(st, 1, &len);

		add_chunk(db_col_int(st, 0), p, len, lo, hi, n, counts);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_series_days(struct db *db, const struct import_days *known,
		      char kind, int64_t point_id, const char *code,
		      int32_t first_day, int days, uint32_t *counts, int *has)
{
	struct db_stmt *st;
	int64_t lo[64], hi[64];
	char k[2] = {kind, '\0'};
	int rc;

	if (days < 1 || days > 64)
		return -1;
	memset(counts, 0, (size_t)days * 1440 * sizeof(*counts));
	for (int d = 0; d < days; d++) {
		has[d] = 0;
		lo[d] = (int64_t)(first_day + d) * 1440;
		hi[d] = lo[d] + 1440;
	}
	if (mark_days(db, known, kind, first_day, first_day + days - 1, lo, hi,
		      days, has) < 0)
		return -1;
	st = db_prepare(
		db,
		"SELECT s.day, s.minutes FROM series_days s JOIN imports i "
		"ON i.id = s.import_id AND i.withdrawn_at IS NULL WHERE "
		"s.kind = ? AND s.point_id = ? AND s.code = ? AND s.day "
		"BETWEEN ? AND ?");
	if (!st)
		return -1;
	db_bind_text(st, 1, k);
	db_bind_int(st, 2, point_id);
	db_bind_text(st, 3, code);
	db_bind_int(st, 4, first_day);
	db_bind_int(st, 5, first_day + days - 1);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t d = db_col_int(st, 0) - first_day;
		size_t len;
		const void *p = db_col_blob(st, 1, &len);

		if (d >= 0 && d < days &&
		    series_decode(p, len, counts + d * 1440) < 0) {
			rc = DB_FAIL;
			break;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_day_totals(struct db *db, char kind, const char *code,
		     int32_t first_day, int days, int64_t *counts, int *has)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT t.day, SUM(CASE WHEN t.code = ? THEN t.total ELSE "
		    "0 END) FROM day_totals t JOIN imports i ON i.id = "
		    "t.import_id AND i.withdrawn_at IS NULL WHERE t.kind = ? "
		    "AND t.day BETWEEN ? AND ? GROUP BY t.day");
	char k[2] = {kind, '\0'};
	int rc;

	for (int d = 0; d < days; d++)
		counts[d] = has[d] = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, k);
	db_bind_int(st, 3, first_day);
	db_bind_int(st, 4, first_day + days - 1);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t d = db_col_int(st, 0) - first_day;

		if (d >= 0 && d < days) {
			counts[d] = db_col_int(st, 1);
			has[d] = 1;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_e4_add_complaints(struct db *db, int32_t first_day, int days,
			    int64_t *counts, int *has)
{
	/* Inop's own complaints (issue 13) join E4 here: a day with
	 * complaints received counts as a day with data.  At most 8 rows
	 * (complaint_days), so E3/E4 keep their cost. */
	int64_t c[64];

	if (days > 64 ||
	    store_complaints_per_day(db, (int64_t)first_day * 86400 + 5 * 3600,
				     days, c) < 0)
		return -1;
	for (int d = 0; d < days; d++)
		if (c[d] > 0) {
			counts[d] += c[d];
			has[d] = 1;
		}
	return 0;
}
