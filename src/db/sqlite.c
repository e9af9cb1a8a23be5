/*
 * The SQLite driver behind db.h.  Durability: WAL with synchronous=FULL, so
 * a commit that returned has been fsynced and survives a power cut.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/driver.h"
#include "util/log.h"

#define DB_CACHE_MAX	   256
#define DB_BUSY_TIMEOUT_MS 10000

/*
 * Writers of this process queue on a mutex instead of on SQLite's busy
 * handler, which sleeps for milliseconds between retries: under load that
 * sleeping, not the fsync, would bound throughput.  Other processes (the
 * CLI) still meet the busy timeout.
 */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
/* This thread holds writer_lock (through any connection). */
static _Thread_local int writer_held;

struct lite_stmt {
	struct db_stmt base;
	char *sql; /* the key: a copy of the SQL text */
	sqlite3_stmt *st;
};

/* Of the WAL index header: the stamp of db_commits_stamp(), iChange. */
struct wal_hdr {
	uint64_t stamp;
	uint32_t change;
};

struct lite {
	struct db base;
	sqlite3 *h;
	int in_write; /* holds writer_lock */
	/* A write outside db_begin(): the statement whose reset ends its
	 * implicit transaction (implicit_begin()). */
	sqlite3_stmt *implicit;
	int shm; /* the -shm file, for own_begin(); -2 not yet opened */
	struct wal_hdr in; /* as the write transaction began */
	sqlite3_int64 in_data_version;
	int in_known;
	sqlite3_stmt *data_version; /* PRAGMA data_version, prepared once */
	struct lite_stmt cache[DB_CACHE_MAX];
	uint32_t keys[DB_CACHE_MAX]; /* driver_sql_hash() of cache[i].sql */
	int n_cache;
};

#define LITE(d) ((struct lite *)(void *)(d))
#define STMT(s) ((struct lite_stmt *)(void *)(s))

static const struct db_ops lite_ops;
static void lite_reset(struct db_stmt *st);

static void writer_release(struct lite *db)
{
	if (db->in_write) {
		db->in_write = 0;
		writer_held = 0;
		pthread_mutex_unlock(&writer_lock);
	}
}

static int lite_map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
	case SQLITE_OK:
		return DB_DONE;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	default:
		return DB_FAIL;
	}
}

static void lite_close(struct db *d)
{
	struct lite *db = LITE(d);

	db->implicit = NULL;
	writer_release(db);
	if (db->shm >= 0)
		close(db->shm);
	sqlite3_finalize(db->data_version);
	for (int i = 0; i < db->n_cache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	free(db);
}

/*
 * In WAL mode every commit rewrites the WAL index header at the start of
 * the "-shm" file (sqlite.org/walformat.html): two 48-byte copies of
 * {iVersion, unused, iChange, isInit, bigEndCksum, szPage, mxFrame,
 * nPage, aFrameCksum, aSalt, aCksum}, the second written first.  iChange
 * moves with each write transaction, mxFrame with each frame, the salts
 * when the log restarts; a reader takes the header when both copies
 * agree, as SQLite's own readers do.  The file is only read here, never
 * mapped: a truncated file reads short instead of faulting.
 */
#define WAL_HDR 48

int sqlite_commits_open(const char *path)
{
	char shm[PATH_MAX + 8], *real = realpath(path, NULL);
	int fd = -1;

	/* SQLite names the -shm after the file a symlink leads to. */
	if (real &&
	    snprintf(shm, sizeof(shm), "%s-shm", real) < (int)sizeof(shm))
		fd = open(shm, O_RDONLY | O_CLOEXEC);
	free(real);
	return fd;
}

static int wal_header(int fd, struct wal_hdr *out)
{
	unsigned char h[2 * WAL_HDR];

	for (int tries = 0; tries < 3; tries++) {
		uint64_t v = 14695981039346656037ull;

		if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
			return -1;
		if (memcmp(h, h + WAL_HDR, WAL_HDR) != 0 || !h[12])
			continue; /* being written, or not initialised */
		for (int i = 8; i < WAL_HDR; i++) /* from iChange on */
			v = (v ^ h[i]) * 1099511628211ull;
		out->stamp = v;
		memcpy(&out->change, h + 8, sizeof(out->change)); /* native */
		return 0;
	}
	return -1;
}

int sqlite_commits_stamp(int fd, uint64_t *stamp)
{
	struct wal_hdr h;

	if (wal_header(fd, &h) < 0)
		return -1;
	*stamp = h.stamp;
	return 0;
}

/*
 * This process's own commits, as stamps: the header as a write
 * transaction began (BEGIN IMMEDIATE holds SQLite's write lock, so no
 * other commit comes between) and after its COMMIT.  The lock is gone
 * when COMMIT returns, so another process may commit before the header
 * is read again; PRAGMA data_version on this connection, read in the
 * transaction and again after the header, moves exactly when another
 * connection committed meanwhile.  A pair is kept when it did not move
 * and iChange moved by one (our commit wrote to the log; a transaction
 * that changed nothing leaves iChange, and keeps no pair).  A checkpoint
 * that truncated the log meanwhile changes nothing a reader sees.
 * versions.c asks sqlite_commits_own() before it moves every generation
 * for a stamp that changed: the committing code moved the versions its
 * own commit changed (store_batch_commit()).
 */
#define OWN_MAX 64

static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint64_t from, to;
} own[OWN_MAX];
static unsigned own_next;

/* PRAGMA data_version of this connection: 0, or -1. */
static int data_version(struct lite *db, sqlite3_int64 *v)
{
	int rc;

	if (!db->data_version &&
	    sqlite3_prepare_v3(db->h, "PRAGMA data_version", -1,
			       SQLITE_PREPARE_PERSISTENT, &db->data_version,
			       NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(db->data_version);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(db->data_version, 0);
	sqlite3_reset(db->data_version);
	return rc == SQLITE_ROW ? 0 : -1;
}

static void own_begin(struct lite *db)
{
	if (db->shm == -2)
		db->shm = sqlite_commits_open(
			sqlite3_db_filename(db->h, "main"));
	/* data_version first: a write outside db_begin() comes here without
	 * SQLite's lock, and another process's commit landing between the
	 * two reads must show as a moved data_version at own_commit(); read
	 * the other way round, a statement that changed nothing would have
	 * recorded that commit as ours. */
	db->in_known = db->shm >= 0 &&
		       data_version(db, &db->in_data_version) == 0 &&
		       wal_header(db->shm, &db->in) == 0;
}

static void own_commit(struct lite *db)
{
	struct wal_hdr out;
	sqlite3_int64 dv;

	if (!db->in_known || wal_header(db->shm, &out) < 0 ||
	    data_version(db, &dv) < 0 || dv != db->in_data_version ||
	    out.change != db->in.change + 1)
		return;
	pthread_mutex_lock(&own_lock);
	own[own_next % OWN_MAX].from = db->in.stamp;
	own[own_next % OWN_MAX].to = out.stamp;
	own_next++;
	pthread_mutex_unlock(&own_lock);
}

int sqlite_commits_own(uint64_t from, uint64_t to)
{
	int steps = 0;

	pthread_mutex_lock(&own_lock);
	while (from != to && steps++ < OWN_MAX) {
		unsigned k = 0, n = own_next < OWN_MAX ? own_next : OWN_MAX;

		/* The newest first: a stamp seen twice (the log restarted
		 * to the same header) takes its latest commit. */
		for (; k < n; k++)
			if (own[(own_next - 1 - k) % OWN_MAX].from == from)
				break;
		if (k == n)
			break;
		from = own[(own_next - 1 - k) % OWN_MAX].to;
	}
	pthread_mutex_unlock(&own_lock);
	return from == to;
}

/*
 * Before SQLite starts: no memory statistics.  Kept, they put every
 * sqlite3_malloc() and sqlite3_free() of every thread under one global
 * mutex; under POST load, futex calls under it were 7.5 % of the server's
 * samples.  Inop reads none of them.  (Where SQLite was already started,
 * as by a test that opened it first, the call is refused and harmless.)
 */
static void lite_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	(void)sqlite3_initialize();
}

int sqlite_open(const char *path, struct db **out, struct inop_err *err)
{
	static const char pragmas[] = "PRAGMA journal_mode=WAL;"
				      "PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON;";
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct lite *db;

	(void)pthread_once(&once, lite_init);
	db = calloc(1, sizeof(*db));
	*out = NULL;
	if (!db)
		return err_internal(err);
	db->base.ops = &lite_ops;
	db->shm = -2;
	if (sqlite3_open_v2(path, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		err_set(err, 500, "DB", "db",
			"No se pudo abrir la base de datos '%s': %s", path,
			db->h ? sqlite3_errmsg(db->h) : "sin memoria");
		lite_close(&db->base);
		return -1;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	if (sqlite3_exec(db->h, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		err_set(err, 500, "DB", "db",
			"No se pudo configurar la base de datos '%s': %s",
			path, sqlite3_errmsg(db->h));
		lite_close(&db->base);
		return -1;
	}
	*out = &db->base;
	return 0;
}

static const char *lite_errmsg(struct db *d)
{
	return sqlite3_errmsg(LITE(d)->h);
}

static int lite_exec(struct db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(LITE(d)->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_error("sqlite exec failed: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return lite_map(rc) == DB_DONE ? DB_FAIL : lite_map(rc);
	}
	return 0;
}

static struct db_stmt *lite_prepare(struct db *d, const char *sql)
{
	struct lite *db = LITE(d);
	uint32_t key = driver_sql_hash(sql);
	struct lite_stmt *s;

	for (int i = 0; i < db->n_cache; i++) {
		s = &db->cache[i];
		if (db->keys[i] == key && strcmp(s->sql, sql) == 0) {
			lite_reset(&s->base);
			sqlite3_clear_bindings(s->st);
			return &s->base;
		}
	}
	if (db->n_cache == DB_CACHE_MAX) {
		log_error("sqlite statement cache full");
		return NULL;
	}
	s = &db->cache[db->n_cache];
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->st, NULL) != SQLITE_OK) {
		log_error("sqlite prepare failed: %s: %s",
			  sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	s->sql = strdup(sql);
	if (!s->sql) {
		sqlite3_finalize(s->st);
		return NULL;
	}
	s->base.db = d;
	db->keys[db->n_cache++] = key;
	return &s->base;
}

static int lite_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(STMT(st)->st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int lite_bind_null(struct db_stmt *st, int idx)
{
	return sqlite3_bind_null(STMT(st)->st, idx) == SQLITE_OK ? 0 : -1;
}

static int lite_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		return lite_bind_null(st, idx);
	return sqlite3_bind_text(STMT(st)->st, idx, s, -1, SQLITE_TRANSIENT) ==
			       SQLITE_OK
		       ? 0
		       : -1;
}

static int lite_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n)
{
	if (!p)
		return lite_bind_null(st, idx);
	/* sqlite3_bind_blob64 with a NULL pointer would bind NULL. */
	return sqlite3_bind_blob64(STMT(st)->st, idx, n ? p : "", n,
				   SQLITE_TRANSIENT) == SQLITE_OK
		       ? 0
		       : -1;
}

/*
 * A statement that writes outside db_begin() (a job's lease, a login's
 * session or throttle) commits on its own, as SQLite's implicit
 * transaction: it takes the writer lock and is recorded as this
 * process's own commit (own_begin()/own_commit()) like any other, or
 * every cache would be moved for it as for another process's commit --
 * every 2 s for the mail sender's lease.  Ended by lite_reset().  0, or
 * DB_BUSY when `wait` is 0 and another thread writes.
 */
static int implicit_begin(struct db_stmt *st, int wait)
{
	struct lite *db = LITE(st->db);
	sqlite3_stmt *s = STMT(st)->st;

	/* writer_held: a write on a second connection inside this thread's
	 * transaction on another waits for SQLite's lock as before (and
	 * fails after the busy timeout) rather than for this thread. */
	if (db->in_write || writer_held || sqlite3_stmt_busy(s) ||
	    !sqlite3_get_autocommit(db->h) || sqlite3_stmt_readonly(s))
		return 0;
	if (!wait && pthread_mutex_trylock(&writer_lock) != 0)
		return DB_BUSY;
	if (wait)
		pthread_mutex_lock(&writer_lock);
	writer_held = 1;
	db->in_write = 1;
	db->implicit = s;
	own_begin(db);
	return 0;
}

static void implicit_end(struct lite *db)
{
	own_commit(db);
	db->implicit = NULL;
	writer_release(db);
}

static int lite_step(struct db_stmt *st)
{
	int rc;

	(void)implicit_begin(st, 1); /* it waits: never DB_BUSY */
	rc = lite_map(sqlite3_step(STMT(st)->st));

	if (rc < 0 && rc != DB_CONSTRAINT)
		log_error("sqlite step failed: %s",
			  sqlite3_errmsg(LITE(st->db)->h));
	return rc;
}

static int64_t lite_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(STMT(st)->st, col);
}

static const char *lite_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(STMT(st)->st, col);
}

static const void *lite_col_blob(struct db_stmt *st, int col, size_t *n)
{
	sqlite3_stmt *s = STMT(st)->st;
	const void *p = sqlite3_column_blob(s, col);

	*n = p ? (size_t)sqlite3_column_bytes(s, col) : 0;
	if (!p && sqlite3_column_type(s, col) != SQLITE_NULL)
		return ""; /* an empty blob */
	return p;
}

static int lite_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(STMT(st)->st, col) == SQLITE_NULL;
}

static int lite_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(STMT(st)->st);
}

static const char *lite_col_name(struct db_stmt *st, int col)
{
	return sqlite3_column_name(STMT(st)->st, col);
}

static void lite_reset(struct db_stmt *st)
{
	struct lite *db = LITE(st->db);

	sqlite3_reset(STMT(st)->st);
	if (db->implicit && db->implicit == STMT(st)->st)
		implicit_end(db);
}

/* Without the busy handler for this one statement; a busy database is
 * the caller's to skip, not an error to log. */
static int lite_run_nowait(struct db_stmt *st)
{
	sqlite3 *h = LITE(st->db)->h;
	int rc = implicit_begin(st, 0);

	if (rc == DB_BUSY)
		return rc;
	sqlite3_busy_timeout(h, 0);
	rc = lite_map(sqlite3_step(STMT(st)->st));
	sqlite3_busy_timeout(h, DB_BUSY_TIMEOUT_MS);
	if (rc < 0 && rc != DB_BUSY && rc != DB_CONSTRAINT)
		log_error("sqlite step failed: %s", sqlite3_errmsg(h));
	lite_reset(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

static int lite_begin(struct db *d)
{
	struct lite *db = LITE(d);

	pthread_mutex_lock(&writer_lock);
	writer_held = 1;
	db->in_write = 1;
	if (lite_exec(d, "BEGIN IMMEDIATE") != 0) {
		writer_release(db);
		return -1;
	}
	own_begin(db);
	return 0;
}

static int lite_commit(struct db *d)
{
	int rc = lite_exec(d, "COMMIT") == 0 ? 0 : -1;

	/* A failed COMMIT leaves the transaction open: the caller rolls
	 * back, which releases the lock. */
	if (rc == 0) {
		own_commit(LITE(d));
		writer_release(LITE(d));
	}
	return rc;
}

static int lite_rollback(struct db *d)
{
	int rc = 0;

	if (!sqlite3_get_autocommit(LITE(d)->h))
		rc = lite_exec(d, "ROLLBACK") == 0 ? 0 : -1;
	writer_release(LITE(d));
	return rc;
}

/*
 * One sqlite3_backup_step(-1) copies every page inside a single read
 * transaction of the source, so the copy is a snapshot of one commit; in
 * WAL mode writers are not blocked meanwhile.  BUSY only happens while
 * another connection changes the journal mode or checkpoints in
 * exclusive mode: retried for DB_BUSY_TIMEOUT_MS.
 */
static int lite_backup_to(struct db *d, const char *path, struct inop_err *err)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc = SQLITE_ERROR, waited_ms = 0;

	if (sqlite3_open_v2(path, &to,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK)
		goto out;
	b = sqlite3_backup_init(to, "main", LITE(d)->h, "main");
	if (!b)
		goto out;
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			sqlite3_sleep(20);
			waited_ms += 20;
		}
	} while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		 waited_ms < DB_BUSY_TIMEOUT_MS);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		rc = sqlite3_errcode(to);
out:
	if (rc != SQLITE_OK)
		err_set(err, 500, "DB", NULL, "No se pudo copiar a '%s': %s",
			path, to ? sqlite3_errmsg(to) : "sin memoria");
	sqlite3_close(to);
	return rc == SQLITE_OK ? 0 : -1;
}

static const struct db_ops lite_ops = {
	.engine = "sqlite",
	.close = lite_close,
	.errmsg = lite_errmsg,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.bind_int = lite_bind_int,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.bind_blob = lite_bind_blob,
	.step = lite_step,
	.col_int = lite_col_int,
	.col_text = lite_col_text,
	.col_blob = lite_col_blob,
	.col_is_null = lite_col_is_null,
	.col_count = lite_col_count,
	.col_name = lite_col_name,
	.reset = lite_reset,
	.run_nowait = lite_run_nowait,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.backup_to = lite_backup_to,
};
