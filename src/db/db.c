/* db.h: chooses the driver by the URL, then dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "util/buf.h"
#include "util/str.h"

const char *db_url_engine(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 ||
			       strncmp(url, "postgres://", 11) == 0
		       ? "postgresql"
		       : "sqlite";
}

int db_open(const char *url, struct db **out, struct inop_err *err)
{
	*out = NULL;
	if (strcmp(db_url_engine(url), "postgresql") == 0)
		return postgres_open(url, out, err);
	return sqlite_open(url, out, err);
}

int db_commits_open(const char *url)
{
	return strcmp(db_url_engine(url), "sqlite") == 0
		       ? sqlite_commits_open(url)
		       : -1;
}

int db_commits_stamp(int fd, uint64_t *stamp)
{
	return sqlite_commits_stamp(fd, stamp);
}

int db_commits_own(uint64_t from, uint64_t to)
{
	return sqlite_commits_own(from, to);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

const char *db_engine(const struct db *db)
{
	return db->ops->engine;
}

const char *db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}

int db_socket(struct db *db)
{
	return db->ops->socket ? db->ops->socket(db) : -1;
}

int db_notifications(struct db *db, db_notify_fn fn, void *ctx)
{
	return db->ops->notifications ? db->ops->notifications(db, fn, ctx)
				      : -1;
}

int db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	return db->ops->prepare(db, sql);
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return st->db->ops->bind_int(st, idx, v);
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	return st->db->ops->bind_text(st, idx, s);
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return st->db->ops->bind_null(st, idx);
}

int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	return st->db->ops->bind_blob(st, idx, p, n);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *n)
{
	return st->db->ops->col_blob(st, col, n);
}

struct db_copy *db_copy_begin(struct db *db, const char *table,
			      const char *cols, int ncols)
{
	struct db_copy *c;
	struct buf sql;
	char *text;

	if (db->ops->copy_begin)
		return db->ops->copy_begin(db, table, cols, ncols);
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->db = db;
	c->ncols = ncols;
	buf_init(&sql, 1 << 16);
	buf_appendf(&sql, "INSERT INTO %s (%s) VALUES (", table, cols);
	for (int i = 0; i < ncols; i++)
		buf_append(&sql, i ? ", ?" : "?", i ? 3 : 1);
	if (buf_append(&sql, ")", 1) < 0) {
		buf_release(&sql);
		free(c);
		return NULL;
	}
	text = buf_detach(&sql, NULL);
	c->st = text ? db_prepare(db, text) : NULL;
	free(text);
	if (!c->st) {
		free(c);
		return NULL;
	}
	return c;
}

static int bind_val(struct db_stmt *st, int idx, const struct db_val *v)
{
	switch (v->type) {
	case DBV_INT:
		return db_bind_int(st, idx, v->i);
	case DBV_TEXT:
		return db_bind_text(st, idx, v->s);
	case DBV_BLOB:
		return db_bind_blob(st, idx, v->p, v->n);
	default:
		return db_bind_null(st, idx);
	}
}

int db_copy_row(struct db_copy *c, const struct db_val *vals)
{
	int rc;

	if (c->db->ops->copy_row)
		return c->db->ops->copy_row(c, vals);
	if (c->failed)
		return c->failed;
	for (int i = 0; i < c->ncols; i++)
		if (bind_val(c->st, i + 1, &vals[i]) < 0)
			return c->failed = DB_FAIL;
	rc = db_run(c->st);
	if (rc)
		c->failed = rc;
	return rc;
}

int db_copy_end(struct db_copy *c)
{
	int rc;

	if (!c)
		return DB_FAIL;
	if (c->db->ops->copy_end)
		return c->db->ops->copy_end(c);
	rc = c->failed;
	free(c);
	return rc;
}

int db_step(struct db_stmt *st)
{
	return st->db->ops->step(st);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->col_is_null(st, col);
}

void db_col_copy(struct db_stmt *st, int col, char *out, size_t n)
{
	const char *s = db_col_text(st, col);

	/* out is sized for the column's validated limit: a cut is not
	 * expected, and kept as the historical behaviour if it happens */
	(void)str_copy(out, n, s ? s : "");
}

int db_col_count(struct db_stmt *st)
{
	return st->db->ops->col_count(st);
}

const char *db_col_name(struct db_stmt *st, int col)
{
	return st->db->ops->col_name(st, col);
}

void db_reset(struct db_stmt *st)
{
	st->db->ops->reset(st);
}

int db_begin(struct db *db)
{
	return db->ops->begin(db);
}

int db_commit(struct db *db)
{
	return db->ops->commit(db);
}

int db_rollback(struct db *db)
{
	return db->ops->rollback(db);
}

int db_get_one(struct db_stmt *st, db_row_fn from_row, void *out)
{
	int rc = db_step(st);

	if (rc == DB_ROW && from_row)
		from_row(st, out);
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void int_from_row(struct db_stmt *st, void *out)
{
	*(int64_t *)out = db_col_int(st, 0);
}

int db_get_int(struct db_stmt *st, int64_t *out)
{
	return db_get_one(st, int_from_row, out);
}

int db_run(struct db_stmt *st)
{
	int rc = db_step(st);

	db_reset(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

int db_run_nowait(struct db_stmt *st)
{
	if (!st->db->ops->run_nowait)
		return db_run(st);
	return st->db->ops->run_nowait(st);
}

int db_run_later(struct db_stmt *st)
{
	if (!st->db->ops->run_later)
		return db_run(st);
	return st->db->ops->run_later(st);
}

int db_exec_later(struct db *db, const char *sql)
{
	if (!db->ops->exec_later)
		return db_exec(db, sql);
	return db->ops->exec_later(db, sql);
}

int db_flush(struct db *db)
{
	return db->ops->flush ? db->ops->flush(db) : 0;
}

int db_defers(const struct db *db)
{
	return db->ops->run_later != NULL;
}

int db_list(struct db_stmt *st, size_t elem_size, db_row_fn from_row,
	    void **out, size_t *n)
{
	return db_list_owned(st, elem_size, from_row, NULL, out, n);
}

int db_list_owned(struct db_stmt *st, size_t elem_size, db_row_fn from_row,
		  db_elem_release_fn release, void **out, size_t *n)
{
	char *list = NULL, *grown;
	size_t count = 0, cap = 0;
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(list, cap * elem_size);
			if (!grown) {
				rc = DB_FAIL;
				break;
			}
			list = grown;
		}
		memset(list + count * elem_size, 0, elem_size);
		from_row(st, list + count * elem_size);
		count++;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		for (size_t i = 0; release && i < count; i++)
			release(list + i * elem_size);
		free(list);
		list = NULL;
		count = 0;
	}
	*out = list;
	*n = count;
	return rc == DB_DONE ? 0 : -1;
}

static struct db_stmt *page_prepare(struct db *db, const struct db_page *p,
				    int count)
{
	struct buf sql;
	struct db_stmt *st = NULL;

	buf_init(&sql, 64 * 1024);
	if (count ? buf_appendf(&sql, "SELECT COUNT(*) %s", p->from) == 0
		  : buf_appendf(&sql, "%s %s ORDER BY %s LIMIT ? OFFSET ?",
				p->cols, p->from, p->order) == 0)
		st = db_prepare(db, sql.s);
	buf_release(&sql);
	return st;
}

int db_page(struct db *db, const struct db_page *p, void **out, size_t *n,
	    int64_t *total)
{
	struct db_stmt *st = page_prepare(db, p, 1);
	int i;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	if (p->bind)
		p->bind(st, p->ctx);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	*total = db_col_int(st, 0);
	db_reset(st);
	st = page_prepare(db, p, 0);
	if (!st)
		return -1;
	i = p->bind ? p->bind(st, p->ctx) : 1;
	db_bind_int(st, i, p->limit);
	db_bind_int(st, i + 1, p->offset);
	return db_list(st, p->elem_size, p->from_row, out, n);
}

int db_backup_to(struct db *db, const char *path, struct inop_err *err)
{
	if (!db->ops->backup_to)
		return err_set(err, 500, "UNSUPPORTED", NULL,
			       "%s no tiene copia en línea: use pg_dump",
			       db->ops->engine);
	return db->ops->backup_to(db, path, err);
}

uint32_t driver_sql_hash(const char *sql)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}
