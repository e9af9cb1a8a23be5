/*
 * The PostgreSQL driver behind db.h (libpq).  SQL arrives with `?`
 * placeholders and is rewritten to $1, $2, ... once, when the statement
 * is prepared (PQprepare) and cached on the connection; values are always
 * sent as parameters, never pasted into the text.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"
#include "util/buf.h"
#include "util/dlib.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strnum.h"

/*
 * libpq, loaded by the first postgres_open() (util/dlib.h): a node on
 * SQLite never maps it.  Every function this file calls is listed here.
 */
// clang-format off
#define PQ_FUNCS(X) \
	X(PQclear) \
	X(PQcmdStatus) \
	X(PQconnectdb) \
	X(PQconsumeInput) \
	X(PQenterPipelineMode) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecPrepared) \
	X(PQexitPipelineMode) \
	X(PQfinish) \
	X(PQfname) \
	X(PQfreemem) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQnfields) \
	X(PQnotifies) \
	X(PQntuples) \
	X(PQpipelineSync) \
	X(PQprepare) \
	X(PQputCopyData) \
	X(PQputCopyEnd) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQsendQueryParams) \
	X(PQsendQueryPrepared) \
	X(PQsetNoticeProcessor) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus) \
	X(PQunescapeBytea)
// clang-format on

static struct {
	PQ_FUNCS(DLIB_MEMBER)
} pq;

#define PQ_SLOT(f) &pq.f,
static const char *const pq_names[] = {PQ_FUNCS(DLIB_NAME)};
static void *const pq_slots[] = {PQ_FUNCS(PQ_SLOT)};
#undef PQ_SLOT

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_why[256]; /* empty once libpq is loaded */

static void pq_load(void)
{
	if (dlib_load("libpq.so.5", pq_names, pq_slots,
		      sizeof(pq_names) / sizeof(pq_names[0]), pq_why,
		      sizeof(pq_why)) == 0)
		pq_why[0] = '\0';
	else if (!pq_why[0])
		(void)str_copy(pq_why, sizeof(pq_why), "libpq.so.5");
}

#define PG_CACHE_MAX  256
#define PG_PARAMS_MAX 32
#define PG_BLOB_COLS  8	  /* bytea columns decoded per row */
#define PG_PIPE_MAX   128 /* statements sent before their results are read */

struct pg_stmt {
	struct db_stmt base;
	char *sql; /* the key: the caller's text */
	char name[16];
	int nparams;
	char *params[PG_PARAMS_MAX]; /* malloc'd text values, NULL = NULL */
	int lengths[PG_PARAMS_MAX];  /* of binary (bytea) values */
	int formats[PG_PARAMS_MAX];  /* 1: binary (bytea), 0: text */
	unsigned char *blob[PG_BLOB_COLS]; /* decoded bytea of this row */
	PGresult *res;
	int row, nrows;
};

struct pg {
	struct db base;
	PGconn *c;
	struct pg_stmt cache[PG_CACHE_MAX];
	uint32_t keys[PG_CACHE_MAX]; /* driver_sql_hash() of cache[i].sql */
	int n_cache;
	/* The pipeline: statements sent, results not read yet (their SQL,
	 * for the log). */
	const char *piped_sql[PG_PIPE_MAX];
	int piped;
	/* The last failed statement's error (db_errmsg): libpq's own
	 * message does not keep a pipelined statement's. */
	char failed[512];
};

#define PG(d)	((struct pg *)(void *)(d))
#define PGST(s) ((struct pg_stmt *)(void *)(s))

static const struct db_ops pg_ops;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void clear_params(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->params[i]);
		s->params[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
}

static void clear_blobs(struct pg_stmt *s)
{
	for (int i = 0; i < PG_BLOB_COLS; i++) {
		pq.PQfreemem(s->blob[i]);
		s->blob[i] = NULL;
	}
}

static void pg_reset(struct db_stmt *st)
{
	struct pg_stmt *s = PGST(st);

	pq.PQclear(s->res);
	clear_blobs(s);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
}

/* ---------- the pipeline (db_run_later) ----------
 *
 * Writes whose result is only "done" are sent in libpq's pipeline mode
 * and their results read when the caller next needs the server: the
 * statement that needs an answer goes in the same pipeline, then one Sync
 * and all the results, in order.  The first failure is the answer of
 * that call (the server skips the rest of the pipeline after it).
 */

static int pg_map_error(const PGresult *res);
static int pipe_end(struct pg *db, PGresult **last);

/* The failure of `res` (NULL: of the connection), for db_errmsg(). */
static void note_failure(struct pg *db, const PGresult *res)
{
	const char *msg =
		res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(db->c);

	if (!msg || !*msg)
		msg = pq.PQerrorMessage(db->c);
	(void)str_copy(db->failed, sizeof(db->failed), msg); /* cut: fine */
}

/* Into pipeline mode, or room in it: a full pipeline is read first (the
 * results of a long one would fill the server's socket while it waits
 * for us to read). */
static int pipe_enter(struct pg *db)
{
	int rc;

	if (db->piped == PG_PIPE_MAX && (rc = pipe_end(db, NULL)) != 0)
		return rc;
	if (db->piped)
		return 0;
	if (pq.PQenterPipelineMode(db->c) != 1) {
		log_error("postgresql pipeline: %s", pq.PQerrorMessage(db->c));
		return DB_FAIL;
	}
	return 0;
}

/* Sends a prepared statement with its parameters into the pipeline. */
static int pipe_send(struct pg *db, struct pg_stmt *s)
{
	int rc = pipe_enter(db);

	if (rc)
		return rc;
	if (!pq.PQsendQueryPrepared(db->c, s->name, s->nparams,
				    (const char *const *)s->params, s->lengths,
				    s->formats, 0)) {
		log_error("postgresql send failed: %s: %s",
			  pq.PQerrorMessage(db->c), s->sql);
		return DB_FAIL;
	}
	db->piped_sql[db->piped++] = s->sql;
	return 0;
}

/* One SQL statement without parameters (BEGIN, COMMIT, SAVEPOINT). */
static int pipe_send_text(struct pg *db, const char *sql)
{
	int rc = pipe_enter(db);

	if (rc)
		return rc;
	if (!pq.PQsendQueryParams(db->c, sql, 0, NULL, NULL, NULL, NULL, 0)) {
		log_error("postgresql send failed: %s: %s",
			  pq.PQerrorMessage(db->c), sql);
		return DB_FAIL;
	}
	db->piped_sql[db->piped++] = sql;
	return 0;
}

/*
 * Ends the pipeline: a Sync, then every result in order.  Returns 0 or
 * the code of the first failed statement.  With `last`, the last
 * statement sent is the caller's: its result goes to *last, unjudged.
 */
static int pipe_end(struct pg *db, PGresult **last)
{
	int n = db->piped, rc = 0;
	PGresult *res;

	if (!n)
		return 0;
	db->piped = 0;
	db->failed[0] = '\0';
	if (pq.PQpipelineSync(db->c) != 1)
		rc = DB_FAIL;
	for (int i = 0; i < n; i++) {
		PGresult *first = pq.PQgetResult(db->c);
		ExecStatusType t = pq.PQresultStatus(first);

		while ((res = pq.PQgetResult(db->c)) != NULL)
			pq.PQclear(res);
		if (last && i == n - 1) {
			*last = first;
			break;
		}
		if (rc == 0 && t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			rc = t == PGRES_PIPELINE_ABORTED ? DB_FAIL
							 : pg_map_error(first);
			note_failure(db, first);
			/* As pg_step: a violated constraint is its caller's
			 * to judge (and to log, with db_errmsg()). */
			if (rc != DB_CONSTRAINT)
				log_error(
					"postgresql step failed: %s: %s",
					first ? pq.PQresultErrorMessage(first)
					      : pq.PQerrorMessage(db->c),
					db->piped_sql[i]);
		}
		pq.PQclear(first);
	}
	res = pq.PQgetResult(db->c);
	if (pq.PQresultStatus(res) != PGRES_PIPELINE_SYNC && rc == 0)
		rc = DB_FAIL;
	pq.PQclear(res);
	if (pq.PQexitPipelineMode(db->c) != 1) {
		log_error("postgresql pipeline: %s", pq.PQerrorMessage(db->c));
		if (rc == 0)
			rc = DB_FAIL;
	}
	return rc;
}

static int pg_flush(struct db *d)
{
	return pipe_end(PG(d), NULL);
}

static void pg_close(struct db *d)
{
	struct pg *db = PG(d);

	(void)pipe_end(db, NULL);

	for (int i = 0; i < db->n_cache; i++) {
		pg_reset(&db->cache[i].base);
		clear_params(&db->cache[i]);
		free(db->cache[i].sql);
	}
	pq.PQfinish(db->c);
	free(db);
}

int postgres_open(const char *url, struct db **out, struct inop_err *err)
{
	struct pg *db = calloc(1, sizeof(*db));

	*out = NULL;
	(void)pthread_once(&pq_once, pq_load);
	if (pq_why[0]) {
		free(db);
		err_set(err, 500, "DB", "db",
			"No se pudo cargar libpq para PostgreSQL (instale el "
			"paquete libpq5): %s",
			pq_why);
		return -1;
	}
	if (!db)
		return err_internal(err);
	db->base.ops = &pg_ops;
	db->c = pq.PQconnectdb(url);
	if (!db->c || pq.PQstatus(db->c) != CONNECTION_OK) {
		err_set(err, 500, "DB", "db",
			"No se pudo conectar a PostgreSQL: %s",
			db->c ? pq.PQerrorMessage(db->c) : "sin memoria");
		pg_close(&db->base);
		return -1;
	}
	pq.PQsetNoticeProcessor(db->c, quiet, NULL);
	*out = &db->base;
	return 0;
}

static const char *pg_errmsg(struct db *d)
{
	struct pg *db = PG(d);

	return db->failed[0] ? db->failed : pq.PQerrorMessage(db->c);
}

/* The db.h code of a failed result. */
static int pg_map_error(const PGresult *res)
{
	const char *state =
		res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (state && strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (state &&
	    (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	     strcmp(state, "55P03") == 0))
		return DB_BUSY;
	return DB_FAIL;
}

static int exec_result(struct pg *db, PGresult *res, const char *sql)
{
	ExecStatusType t = pq.PQresultStatus(res);
	int rc = 0;

	db->failed[0] = '\0';
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		rc = pg_map_error(res);
		note_failure(db, res);
		log_error("postgresql exec failed: %s: %s",
			  res ? pq.PQresultErrorMessage(res)
			      : pq.PQerrorMessage(db->c),
			  sql);
	} else if (strcmp(pq.PQcmdStatus(res), "ROLLBACK") == 0 &&
		   strncmp(sql, "ROLLBACK", 8) != 0) {
		/* COMMIT of an aborted transaction answers ROLLBACK (and
		 * so does ROLLBACK TO a savepoint, which is no failure). */
		rc = DB_FAIL;
	}
	pq.PQclear(res);
	return rc;
}

static int pg_exec(struct db *d, const char *sql)
{
	struct pg *db = PG(d);
	int rollback = strncmp(sql, "ROLLBACK", 8) == 0;
	PGresult *res = NULL;
	int rc;

	if (db->piped && !rollback && !strchr(sql, ';')) {
		/* One statement: it ends the pipeline, in its round trip. */
		rc = pipe_send_text(db, sql);
		if (rc == 0)
			rc = pipe_end(db, &res);
		else
			(void)pipe_end(db, NULL);
		if (rc) {
			pq.PQclear(res);
			return rc;
		}
		return exec_result(db, res, sql);
	}
	/* A rollback undoes whatever failed in the pipeline before it. */
	rc = pipe_end(db, NULL);
	if (rc && !rollback)
		return rc;
	return exec_result(db, pq.PQexec(db->c, sql), sql);
}

/* `?` -> `$n`, outside quoted strings.  NULL when out of memory. */
static char *rewrite(const char *sql, int *nparams)
{
	struct buf b;
	int n = 0, quoted = 0;

	buf_init(&b, 1 << 20);
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted) {
			if (buf_appendf(&b, "$%d", ++n) < 0)
				break;
		} else if (buf_append(&b, p, 1) < 0) {
			break;
		}
	}
	*nparams = n;
	return buf_detach(&b, NULL);
}

static struct db_stmt *pg_prepare(struct db *d, const char *sql)
{
	struct pg *db = PG(d);
	uint32_t key = driver_sql_hash(sql);
	struct pg_stmt *s;
	PGresult *res;
	char *text;

	for (int i = 0; i < db->n_cache; i++) {
		s = &db->cache[i];
		if (db->keys[i] == key && strcmp(s->sql, sql) == 0) {
			pg_reset(&s->base);
			clear_params(s);
			return &s->base;
		}
	}
	if (db->n_cache == PG_CACHE_MAX) {
		log_error("postgresql statement cache full");
		return NULL;
	}
	s = &db->cache[db->n_cache];
	memset(s, 0, sizeof(*s));
	text = rewrite(sql, &s->nparams);
	if (!text || s->nparams > PG_PARAMS_MAX) {
		free(text);
		return NULL;
	}
	(void)str_printf(s->name, sizeof(s->name), "s%d", db->n_cache);
	if (pipe_end(db, NULL) != 0) { /* PQprepare waits: not in a pipeline */
		free(text);
		return NULL;
	}
	res = pq.PQprepare(db->c, s->name, text, s->nparams, NULL);
	free(text);
	if (pq.PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_error("postgresql prepare failed: %s: %s",
			  pq.PQerrorMessage(db->c), sql);
		pq.PQclear(res);
		return NULL;
	}
	pq.PQclear(res);
	s->sql = strdup(sql);
	if (!s->sql)
		return NULL;
	s->base.db = d;
	s->row = -1;
	db->keys[db->n_cache++] = key;
	return &s->base;
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *v)
{
	struct pg_stmt *s = PGST(st);

	if (idx < 1 || idx > s->nparams)
		return -1;
	free(s->params[idx - 1]);
	s->params[idx - 1] = v ? strdup(v) : NULL;
	s->formats[idx - 1] = 0;
	return v && !s->params[idx - 1] ? -1 : 0;
}

/* bytea goes as a binary parameter: no escaping, no doubling in hex. */
static int pg_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	struct pg_stmt *s = PGST(st);

	if (!p)
		return pg_bind_text(st, idx, NULL);
	if (idx < 1 || idx > s->nparams || n > INT32_MAX)
		return -1;
	free(s->params[idx - 1]);
	s->params[idx - 1] = malloc(n ? n : 1);
	if (!s->params[idx - 1])
		return -1;
	memcpy(s->params[idx - 1], p, n);
	s->lengths[idx - 1] = (int)n;
	s->formats[idx - 1] = 1;
	return 0;
}

static int pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	char num[24];

	(void)str_printf(num, sizeof(num), "%lld", (long long)v);
	return pg_bind_text(st, idx, num);
}

static int pg_bind_null(struct db_stmt *st, int idx)
{
	return pg_bind_text(st, idx, NULL);
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = PGST(st);
	ExecStatusType t;

	if (!s->res) {
		struct pg *db = PG(st->db);

		if (db->piped) { /* the pipeline ends with this statement */
			int rc = pipe_send(db, s);

			if (rc)
				(void)pipe_end(db, NULL);
			else
				rc = pipe_end(db, &s->res);
			if (rc) {
				pg_reset(st);
				return rc;
			}
		} else {
			db->failed[0] = '\0';
			s->res = pq.PQexecPrepared(
				db->c, s->name, s->nparams,
				(const char *const *)s->params, s->lengths,
				s->formats, 0);
		}
		t = pq.PQresultStatus(s->res);
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			int rc = pg_map_error(s->res);

			note_failure(db, s->res);
			if (rc != DB_CONSTRAINT)
				log_error("postgresql step failed: %s: %s",
					  db->failed, s->sql);
			pg_reset(st);
			return rc;
		}
		s->nrows = t == PGRES_TUPLES_OK ? pq.PQntuples(s->res) : 0;
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		clear_blobs(s);
		s->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = PGST(st);

	if (!s->res || s->row < 0 || pq.PQgetisnull(s->res, s->row, col))
		return NULL;
	return pq.PQgetvalue(s->res, s->row, col);
}

/* Results come as text: bytea in its hex form, decoded on demand. */
static const void *pg_col_blob(struct db_stmt *st, int col, size_t *n)
{
	struct pg_stmt *s = PGST(st);
	const char *v = pg_col_text(st, col);

	*n = 0;
	if (!v || col < 0 || col >= PG_BLOB_COLS)
		return NULL;
	pq.PQfreemem(s->blob[col]); /* decoded before in this row */
	s->blob[col] = pq.PQunescapeBytea((const unsigned char *)v, n);
	if (!s->blob[col]) {
		*n = 0;
		log_error("postgresql: cannot decode bytea");
	}
	return s->blob[col];
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	const char *v = pg_col_text(st, col);
	int64_t n = 0;

	if (v && strnum_i64(v, INT64_MIN, INT64_MAX, &n) < 0)
		n = 0;
	return n;
}

static int pg_col_is_null(struct db_stmt *st, int col)
{
	return pg_col_text(st, col) == NULL;
}

static int pg_col_count(struct db_stmt *st)
{
	return PGST(st)->res ? pq.PQnfields(PGST(st)->res) : 0;
}

static const char *pg_col_name(struct db_stmt *st, int col)
{
	return PGST(st)->res ? pq.PQfname(PGST(st)->res, col) : NULL;
}

static int pg_run_later(struct db_stmt *st)
{
	struct pg *db = PG(st->db);
	int rc;

	if (!db->piped && pq.PQtransactionStatus(db->c) != PQTRANS_INTRANS) {
		/* Outside a transaction nothing would end the pipeline. */
		rc = pg_step(st);
		pg_reset(st);
		return rc == DB_ROW ? DB_DONE : rc;
	}
	return pipe_send(db, PGST(st));
}

static int pg_exec_later(struct db *d, const char *sql)
{
	struct pg *db = PG(d);

	if (!db->piped && pq.PQtransactionStatus(db->c) != PQTRANS_INTRANS)
		return pg_exec(d, sql);
	return pipe_send_text(db, sql);
}

/* ---------- bulk load: COPY FROM STDIN, text format ---------- */

struct pg_copy {
	struct db_copy base;
	struct buf line;
};

#define PG_COPY_FLUSH (256u * 1024)

static struct db_copy *pg_copy_begin(struct db *d, const char *table,
				     const char *cols, int ncols)
{
	struct pg_copy *c = calloc(1, sizeof(*c));
	char sql[512];
	PGresult *res;

	if (!c || pipe_end(PG(d), NULL) != 0 ||
	    str_printf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN", table,
		       cols) < 0) {
		free(c);
		return NULL;
	}
	res = pq.PQexec(PG(d)->c, sql);
	if (pq.PQresultStatus(res) != PGRES_COPY_IN) {
		log_error("postgresql copy failed: %s",
			  pq.PQerrorMessage(PG(d)->c));
		pq.PQclear(res);
		free(c);
		return NULL;
	}
	pq.PQclear(res);
	c->base.db = d;
	c->base.ncols = ncols;
	buf_init(&c->line, 64u << 20);
	return &c->base;
}

/* COPY text format: backslash, tab, newline and CR escaped. */
static int copy_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '\\'   ? "\\\\"
				: *s == '\t' ? "\\t"
				: *s == '\n' ? "\\n"
				: *s == '\r' ? "\\r"
					     : NULL;

		if (e ? buf_append(b, e, 2) < 0 : buf_append(b, s, 1) < 0)
			return -1;
	}
	return 0;
}

static int copy_blob(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char pair[2];

	if (buf_append(b, "\\\\x", 3) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		pair[0] = hex[p[i] >> 4];
		pair[1] = hex[p[i] & 15];
		if (buf_append(b, pair, 2) < 0)
			return -1;
	}
	return 0;
}

static int copy_flush(struct pg_copy *c)
{
	if (c->line.len && pq.PQputCopyData(PG(c->base.db)->c, c->line.s,
					    (int)c->line.len) != 1)
		return -1;
	c->line.len = 0;
	return 0;
}

static int pg_copy_row(struct db_copy *base, const struct db_val *v)
{
	struct pg_copy *c = (struct pg_copy *)(void *)base;
	int rc = 0;

	if (base->failed)
		return base->failed;
	for (int i = 0; i < base->ncols && rc == 0; i++) {
		if (i)
			rc = buf_append(&c->line, "\t", 1);
		if (rc)
			break;
		if (v[i].type == DBV_INT)
			rc = buf_appendf(&c->line, "%lld", (long long)v[i].i);
		else if (v[i].type == DBV_TEXT && v[i].s)
			rc = copy_text(&c->line, v[i].s);
		else if (v[i].type == DBV_BLOB)
			rc = copy_blob(&c->line, v[i].p, v[i].n);
		else
			rc = buf_append(&c->line, "\\N", 2);
	}
	if (rc == 0)
		rc = buf_append(&c->line, "\n", 1);
	if (rc == 0 && c->line.len >= PG_COPY_FLUSH)
		rc = copy_flush(c);
	if (rc)
		base->failed = DB_FAIL;
	return rc ? DB_FAIL : 0;
}

static int pg_copy_end(struct db_copy *base)
{
	struct pg_copy *c = (struct pg_copy *)(void *)base;
	PGconn *conn = PG(base->db)->c;
	PGresult *res;
	int rc = base->failed;

	if (!rc && copy_flush(c) < 0)
		rc = DB_FAIL;
	if (pq.PQputCopyEnd(conn, rc ? "aborted" : NULL) != 1)
		rc = DB_FAIL;
	while ((res = pq.PQgetResult(conn)) != NULL) {
		if (pq.PQresultStatus(res) != PGRES_COMMAND_OK && !rc) {
			rc = pg_map_error(res);
			log_error("postgresql copy failed: %s",
				  pq.PQerrorMessage(conn));
		}
		pq.PQclear(res);
	}
	buf_release(&c->line);
	free(c);
	return rc;
}

static int pg_socket(struct db *d)
{
	return pq.PQsocket(PG(d)->c);
}

static int pg_notifications(struct db *d, db_notify_fn fn, void *ctx)
{
	PGconn *c = PG(d)->c;
	PGnotify *n;
	int count = 0;

	if (!pq.PQconsumeInput(c) || pq.PQstatus(c) != CONNECTION_OK)
		return -1;
	while ((n = pq.PQnotifies(c)) != NULL) {
		count++;
		fn(n->extra ? n->extra : "", ctx);
		pq.PQfreemem(n);
	}
	return count;
}

static int pg_begin(struct db *d)
{
	struct pg *db = PG(d);

	/* Read committed whatever the server's default_transaction_isolation:
	 * a change locks the audit head, then reads it as the last commit
	 * left it (store/batch.h).  Under repeatable read or serializable,
	 * that read would fail whenever another node committed meanwhile.
	 * Sent with the transaction's first statement, in its round trip;
	 * a failure is that statement's. */
	static const char begin[] = "BEGIN ISOLATION LEVEL READ COMMITTED";

	if (!db->piped && pq.PQtransactionStatus(db->c) == PQTRANS_IDLE)
		return pipe_send_text(db, begin) == 0 ? 0 : -1;
	return pg_exec(d, begin) == 0 ? 0 : -1;
}

static int pg_commit(struct db *d)
{
	return pg_exec(d, "COMMIT") == 0 ? 0 : -1;
}

static int pg_rollback(struct db *d)
{
	return pg_exec(d, "ROLLBACK") == 0 ? 0 : -1;
}

static const struct db_ops pg_ops = {
	.engine = "postgresql",
	.close = pg_close,
	.errmsg = pg_errmsg,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_is_null = pg_col_is_null,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.reset = pg_reset,
	.run_later = pg_run_later,
	.exec_later = pg_exec_later,
	.flush = pg_flush,
	.socket = pg_socket,
	.notifications = pg_notifications,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
};
