/* db.h: chooses the driver by the URL, then dispatches. */
#include <stdio.h>
#include <string.h>

#include "db/driver.h"

int db_open(const char *url, struct db **out, struct inop_err *err)
{
	*out = NULL;
	if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0)
		return postgres_open(url, out, err);
	return sqlite_open(url, out, err);
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

	snprintf(out, n, "%s", s ? s : "");
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

int db_backup_to(struct db *db, const char *path, struct inop_err *err)
{
	if (!db->ops->backup_to)
		return err_set(err, 500, "UNSUPPORTED", NULL,
			       "%s no tiene copia en línea: use pg_dump",
			       db->ops->engine);
	return db->ops->backup_to(db, path, err);
}
