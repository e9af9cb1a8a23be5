/*
 * sqlite_commit - the raw SQLite reference for bench/run.sh.
 *
 * Commits one event-shaped row per transaction (BEGIN IMMEDIATE; INSERT;
 * COMMIT) with a prepared statement, from T threads that each own a
 * connection, for D seconds, and prints how many commits per second the
 * machine sustains with the durability settings inop uses (WAL,
 * synchronous=FULL, foreign keys on, busy timeout).  This is the ceiling
 * a server committing one registration per request could reach if HTTP,
 * JSON, authentication, validation and auditing cost nothing.
 *
 * Build: cc -O2 bench/sqlite_commit.c -lsqlite3 -lpthread
 * Usage: sqlite_commit [-f FILE] [-t THREADS] [-d SECONDS] [-p POINTS]
 *
 * The file is created fresh (any previous FILE, FILE-wal, FILE-shm is
 * removed).  The last line printed is machine-readable:
 *   RESULT threads=T commits=N seconds=S commits_per_s=X p50_us=A p99_us=B
 * p50/p99 are the latencies of single commits (BEGIN IMMEDIATE .. COMMIT,
 * including any wait for the write lock).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define MAX_THREADS	256
#define BUSY_TIMEOUT_MS 5000

static const char *const schema =
    "CREATE TABLE points ("
    " id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, type TEXT NOT NULL, region TEXT);"
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE,"
    " point_id INTEGER NOT NULL REFERENCES points(id),"
    " procedure TEXT NOT NULL,"
    " requests TEXT NOT NULL,"
    " applications TEXT NOT NULL,"
    " scenario TEXT NOT NULL,"
    " cause TEXT,"
    " mass_failure_id INTEGER,"
    " started_at INTEGER NOT NULL,"
    " ended_at INTEGER,"
    " status TEXT NOT NULL,"
    " closure_reason TEXT,"
    " justification TEXT,"
    " origin TEXT NOT NULL,"
    " manual_form_ref TEXT,"
    " description TEXT,"
    " registered_at INTEGER NOT NULL,"
    " registered_by INTEGER NOT NULL REFERENCES users(id),"
    " closed_by INTEGER REFERENCES users(id));"
    "CREATE INDEX events_started ON events(started_at);"
    "CREATE INDEX events_point ON events(point_id, procedure);";

static const char *const insert_sql =
    "INSERT INTO events (number, point_id, procedure, requests,"
    " applications, scenario, cause, started_at, status, origin,"
    " registered_at, registered_by)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', 'SISTEMA', ?, 1)";

static const char *const procedures[4][2] = {
    {"RECLAMOS", "[\"RECLAMO\"]"},
    {"ALTAS", "[\"CONTRATACION\"]"},
    {"BAJAS", "[\"BAJA_SERVICIO\"]"},
    {"CONSULTAS", "[\"MIGRACION_PLAN\"]"},
};

struct worker {
	pthread_t tid;
	int index;
	long commits;
	long failures;
	uint32_t *lat_us; /* one entry per commit, capped at lat_cap */
	size_t lat_len, lat_cap;
};

static const char *db_path = "sqlite_commit.db";
static int n_points = 600;
static atomic_int stop_flag;
static atomic_long next_number;

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int parse_int(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(db_path, &db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open '%s': %s\n", db_path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(db,
			 "PRAGMA journal_mode=WAL;"
			 "PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "cannot set pragmas: %s\n", msg);
		sqlite3_free(msg);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sql failed: %s\n", msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int create_schema(void)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st = NULL;
	char code[32], name[32];
	int rc = -1;

	if (!db)
		return -1;
	if (exec(db, schema) || exec(db, "BEGIN"))
		goto out;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO points (code, name, type, region)"
			       " VALUES (?, ?, 'CAC', 'Lima')",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	for (int i = 1; i <= n_points; i++) {
		snprintf(code, sizeof code, "P%04d", i);
		snprintf(name, sizeof name, "Punto %d", i);
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
	}
	if (exec(db, "INSERT INTO users (username, name)"
		     " VALUES ('jefe', 'Jefe'); COMMIT"))
		goto out;
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "cannot create schema: %s\n",
			sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static void record_latency(struct worker *w, int64_t us)
{
	if (w->lat_len == w->lat_cap) {
		size_t cap = w->lat_cap ? w->lat_cap * 2 : 65536;
		uint32_t *p = realloc(w->lat_us, cap * sizeof *p);

		if (!p)
			return;
		w->lat_us = p;
		w->lat_cap = cap;
	}
	w->lat_us[w->lat_len++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* One transaction: BEGIN IMMEDIATE; INSERT one row; COMMIT. */
static int commit_one(sqlite3 *db, sqlite3_stmt *begin, sqlite3_stmt *ins,
		      sqlite3_stmt *commit, sqlite3_stmt *rollback)
{
	char number[32];
	long n = atomic_fetch_add(&next_number, 1) + 1;
	int proc = (int)(n % 4);
	int64_t t = (int64_t)time(NULL);

	snprintf(number, sizeof number, "INOP-2026-%06ld", n);
	if (sqlite3_step(begin) != SQLITE_DONE) {
		sqlite3_reset(begin);
		return -1;
	}
	sqlite3_reset(begin);
	sqlite3_bind_text(ins, 1, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 2, 1 + (n / 4) % n_points);
	sqlite3_bind_text(ins, 3, procedures[proc][0], -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, procedures[proc][1], -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, "[\"SIAC_UNICO\"]", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, "EVENTO_NO_PREVISTO", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 7, "CORTE_LUZ", -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 8, t - 60);
	sqlite3_bind_int64(ins, 9, t);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db));
		sqlite3_reset(ins);
		sqlite3_step(rollback);
		sqlite3_reset(rollback);
		return -1;
	}
	sqlite3_reset(ins);
	if (sqlite3_step(commit) != SQLITE_DONE) {
		sqlite3_reset(commit);
		sqlite3_step(rollback);
		sqlite3_reset(rollback);
		return -1;
	}
	sqlite3_reset(commit);
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	sqlite3 *db = open_db();
	sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL;
	sqlite3_stmt *rollback = NULL;

	if (!db)
		goto out;
	if (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	    sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) ||
	    sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, NULL)) {
		fprintf(stderr, "prepare failed: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		int64_t t0 = now_us();

		if (commit_one(db, begin, ins, commit, rollback) == 0) {
			w->commits++;
			record_latency(w, now_us() - t0);
		} else {
			w->failures++;
		}
	}
out:
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_finalize(rollback);
	sqlite3_close(db);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void remove_db_files(void)
{
	char path[4096];

	unlink(db_path);
	snprintf(path, sizeof path, "%s-wal", db_path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", db_path);
	unlink(path);
}

static void usage(void)
{
	fprintf(stderr, "usage: sqlite_commit [-f FILE] [-t THREADS]"
			" [-d SECONDS] [-p POINTS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct worker workers[MAX_THREADS];
	long threads = 1, seconds = 5, points = 600;
	long commits = 0, failures = 0;
	size_t n_lat = 0, k = 0;
	uint32_t *all = NULL;
	double elapsed, p50 = 0, p99 = 0;
	int64_t t0;
	int opt;

	while ((opt = getopt(argc, argv, "f:t:d:p:")) != -1) {
		switch (opt) {
		case 'f':
			db_path = optarg;
			break;
		case 't':
			if (parse_int(optarg, 1, MAX_THREADS, &threads))
				usage();
			break;
		case 'd':
			if (parse_int(optarg, 1, 3600, &seconds))
				usage();
			break;
		case 'p':
			if (parse_int(optarg, 1, 1000000, &points))
				usage();
			break;
		default:
			usage();
		}
	}
	n_points = (int)points;
	remove_db_files();
	if (create_schema())
		return 1;

	t0 = now_us();
	for (int i = 0; i < threads; i++) {
		workers[i].index = i;
		if (pthread_create(&workers[i].tid, NULL, worker_main,
				   &workers[i])) {
			fprintf(stderr, "cannot start thread %d\n", i);
			atomic_store(&stop_flag, 1);
			threads = i;
			break;
		}
	}
	while (now_us() - t0 < (int64_t)seconds * 1000000)
		usleep(10000);
	atomic_store(&stop_flag, 1);
	for (int i = 0; i < threads; i++)
		pthread_join(workers[i].tid, NULL);
	elapsed = (double)(now_us() - t0) / 1e6;

	for (int i = 0; i < threads; i++) {
		commits += workers[i].commits;
		failures += workers[i].failures;
		n_lat += workers[i].lat_len;
	}
	all = malloc((n_lat ? n_lat : 1) * sizeof *all);
	if (all) {
		for (int i = 0; i < threads; i++) {
			memcpy(all + k, workers[i].lat_us,
			       workers[i].lat_len * sizeof *all);
			k += workers[i].lat_len;
		}
		qsort(all, n_lat, sizeof *all, cmp_u32);
		if (n_lat) {
			p50 = all[(size_t)((double)(n_lat - 1) * 0.50)];
			p99 = all[(size_t)((double)(n_lat - 1) * 0.99)];
		}
	}
	for (int i = 0; i < threads; i++)
		free(workers[i].lat_us);
	free(all);

	if (failures)
		fprintf(stderr, "%ld transactions failed\n", failures);
	printf("RESULT threads=%ld commits=%ld seconds=%.3f commits_per_s=%.1f"
	       " p50_us=%.0f p99_us=%.0f failures=%ld\n",
	       threads, commits, elapsed, (double)commits / elapsed, p50, p99,
	       failures);
	return commits > 0 ? 0 : 1;
}
