#include "store/copy.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define TABLES_MAX 64

struct tables {
	char name[TABLES_MAX][64];
	int n;
};

/* Table names come from the engine's catalogue; still, only plain
 * identifiers are ever pasted into SQL. */
static int ident_ok(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

static int list_tables(struct db *db, struct tables *t)
{
	/* The one place that needs each engine's own catalogue. */
	const char *sql = strcmp(db_engine(db), "sqlite") == 0
				  ? "SELECT name FROM sqlite_master WHERE "
				    "type = 'table' AND name NOT LIKE "
				    "'sqlite_%' ORDER BY name"
				  : "SELECT tablename FROM pg_tables WHERE "
				    "schemaname = current_schema() ORDER BY "
				    "tablename";
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	t->n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);

		if (strcmp(name, "schema_migrations") == 0 || !ident_ok(name))
			continue;
		if (t->n == TABLES_MAX)
			break;
		/* ident_ok: shorter than 64, never cut. */
		(void)str_copy(t->name[t->n++], 64, name);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t count_rows(struct db *db, const char *table)
{
	char sql[128];
	struct db_stmt *st;
	int64_t n;

	if (str_printf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table) < 0)
		return -1;
	st = db_prepare(db, sql);
	if (!st || db_get_int(st, &n) != 1)
		return -1;
	return n;
}

/* The INSERT for the columns of the current row of `src`. */
static int insert_sql(struct db_stmt *src, const char *table, struct buf *b)
{
	int n = db_col_count(src);

	buf_reset(b);
	buf_appendf(b, "INSERT INTO %s (", table);
	for (int i = 0; i < n; i++)
		if (!ident_ok(db_col_name(src, i)) ||
		    buf_appendf(b, "%s%s", i ? ", " : "",
				db_col_name(src, i)) < 0)
			return -1;
	buf_appends(b, ") VALUES (");
	for (int i = 0; i < n; i++)
		buf_appends(b, i ? ", ?" : "?");
	return buf_appends(b, ")");
}

/*
 * The binary columns of the schema (BLOB / bytea): copied as bytes, every
 * other column as text.
 */
static int is_binary(const char *table, const char *col)
{
	return strcmp(table, "series_days") == 0 &&
	       strcmp(col, "minutes") == 0;
}

static void bind_column(struct db_stmt *src, struct db_stmt *dst,
			const char *table, int i)
{
	size_t n;
	const void *p;

	if (db_col_is_null(src, i)) {
		db_bind_null(dst, i + 1);
	} else if (is_binary(table, db_col_name(src, i))) {
		p = db_col_blob(src, i, &n);
		db_bind_blob(dst, i + 1, p, n);
	} else {
		db_bind_text(dst, i + 1, db_col_text(src, i));
	}
}

/* Copies every row of `table`; DB_CONSTRAINT when a parent is missing. */
static int copy_table(struct db *from, struct db *to, const char *table,
		      int64_t *rows)
{
	char sql[128];
	struct db_stmt *src, *dst = NULL;
	struct buf ins;
	int rc;

	*rows = 0;
	if (str_printf(sql, sizeof(sql), "SELECT * FROM %s", table) < 0)
		return DB_FAIL;
	src = db_prepare(from, sql);
	if (!src)
		return DB_FAIL;
	buf_init(&ins, 1 << 16);
	while ((rc = db_step(src)) == DB_ROW) {
		if (!dst && (insert_sql(src, table, &ins) < 0 ||
			     !(dst = db_prepare(to, ins.s)))) {
			rc = DB_FAIL;
			break;
		}
		for (int i = 0; i < db_col_count(src); i++)
			bind_column(src, dst, table, i);
		rc = db_run(dst);
		if (rc != DB_DONE)
			break;
		(*rows)++;
	}
	db_reset(src);
	buf_release(&ins);
	return rc == DB_DONE ? 0 : rc;
}

/* PostgreSQL identities must continue after the copied ids. */
static int fix_identity(struct db *to, const char *table)
{
	struct db_stmt *st;
	char sql[256];
	int rc;

	if (strcmp(db_engine(to), "postgresql") != 0)
		return 0;
	st = db_prepare(to, "SELECT 1 FROM information_schema.columns WHERE "
			    "table_schema = current_schema() AND "
			    "table_name = ? AND column_name = 'id' AND "
			    "is_identity = 'YES'");
	if (!st)
		return -1;
	db_bind_text(st, 1, table);
	rc = db_get_one(st, NULL, NULL);
	if (rc != 1)
		return rc;
	if (str_printf(sql, sizeof(sql),
		       "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
		       "(SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)",
		       table, table) < 0)
		return -1;
	return db_exec(to, sql) == 0 ? 0 : -1;
}

/* Tables the migrations fill (the empty audit log's head, the company's
 * complaint matters): the source's rows replace them. */
static const char *const seeded[] = {"audit_head", "complaint_matters"};
#define N_SEEDED (sizeof(seeded) / sizeof(seeded[0]))

static int is_seeded(const char *table)
{
	for (size_t i = 0; i < N_SEEDED; i++)
		if (strcmp(table, seeded[i]) == 0)
			return 1;
	return 0;
}

static int clear_seeded(struct db *to)
{
	char sql[64];

	for (size_t i = 0; i < N_SEEDED; i++)
		if (str_printf(sql, sizeof(sql), "DELETE FROM %s", seeded[i]) <
			    0 ||
		    db_exec(to, sql) != 0)
			return -1;
	return 0;
}

static int target_empty(struct db *to, const struct tables *t,
			struct inop_err *err)
{
	for (int i = 0; i < t->n; i++) {
		int64_t n;

		if (is_seeded(t->name[i]))
			continue;
		n = count_rows(to, t->name[i]);
		if (n != 0)
			return err_set(err, 409, "TARGET_NOT_EMPTY", "to",
				       "El destino ya tiene datos en '%s': "
				       "copie a una base nueva (sin 'init')",
				       t->name[i]);
	}
	return 0;
}

static int copy_all(struct db *from, struct db *to, const struct tables *t,
		    FILE *out, struct inop_err *err)
{
	int done[TABLES_MAX] = {0}, left = t->n, progress = 1;
	int64_t rows;

	/* Parents before children, found by trying: a table whose parent
	 * rows are not there yet fails on its foreign key and waits. */
	while (left && progress) {
		progress = 0;
		for (int i = 0; i < t->n; i++) {
			int rc;

			if (done[i])
				continue;
			db_exec(to, "SAVEPOINT copy_table");
			rc = copy_table(from, to, t->name[i], &rows);
			if (rc == DB_CONSTRAINT) {
				db_exec(to, "ROLLBACK TO copy_table");
				db_exec(to, "RELEASE copy_table");
				continue;
			}
			db_exec(to, "RELEASE copy_table");
			if (rc != 0 || fix_identity(to, t->name[i]) < 0)
				return err_set(err, 500, "COPY", NULL,
					       "No se pudo copiar '%s': %s",
					       t->name[i], db_errmsg(to));
			fprintf(out, "%-24s %lld\n", t->name[i],
				(long long)rows);
			done[i] = 1;
			left--;
			progress = 1;
		}
	}
	if (left)
		return err_set(err, 500, "COPY", NULL,
			       "Tablas con referencias sin resolver");
	return 0;
}

int store_copy(struct db *from, struct db *to, FILE *out, struct inop_err *err)
{
	struct tables t;

	if (list_tables(from, &t) < 0)
		return err_set(err, 500, "COPY", "from",
			       "No se pudo leer el origen");
	if (target_empty(to, &t, err) < 0)
		return -1;
	if (db_begin(to) < 0)
		return err_set(err, 500, "COPY", "to", "%s", db_errmsg(to));
	/* The source's rows replace what the migrations seeded. */
	if (clear_seeded(to) < 0 || copy_all(from, to, &t, out, err) < 0) {
		if (!err->code[0])
			err_set(err, 500, "COPY", "to", "%s", db_errmsg(to));
		db_rollback(to);
		return -1;
	}
	if (db_commit(to) < 0) {
		db_rollback(to);
		return err_set(err, 500, "COPY", "to", "%s", db_errmsg(to));
	}
	for (int i = 0; i < t.n; i++)
		if (count_rows(from, t.name[i]) != count_rows(to, t.name[i]))
			return err_set(err, 500, "COPY", NULL,
				       "Los conteos de '%s' no coinciden",
				       t.name[i]);
	return 0;
}
