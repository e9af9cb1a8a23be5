/*
 * E3/E4 per event, in process (no HTTP): the time of
 * store_evaluation_e34() -- what GET /events/{id}/evaluation adds for E3
 * and E4 -- for random events, on a register holding imported
 * interactions.
 *
 *   e3_bench -d DB [-n EVENTS] [-s YEARS] [-p POINTS]
 *
 * Without -s, DB is a register with imports already (bench/imports.sh
 * imports a 30-day file first); its points and days are read from it.
 * With -s YEARS, DB is created and YEARS of data are synthesised straight
 * into series_days/day_totals (one import; every point x procedure type
 * x day holds a chunk of ~70 busy minutes, as the import benchmark's
 * file), then measured the same way.  Prints p50/p99/max in microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "domain/evaluation.h"
#include "import/import.h"
#include "import/series.h"
#include "store/evaluation.h"
#include "store/imports.h"
#include "store/store.h"

static double clock_us(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static double now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* This thread's CPU time: what a call costs, whatever else the (shared)
 * machine runs meanwhile. */
static double cpu_us(void)
{
	return clock_us(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int add_points(struct db *db, int n)
{
	struct db_stmt *st;
	char code[16], name[32];

	for (int i = 1; i <= n; i++) {
		st = db_prepare(db, "INSERT INTO points (code, name, type, "
				    "channel, region, created_at) VALUES (?, "
				    "?, 'CAC', 'PRESENCIAL', 'Lima', 0)");
		snprintf(code, sizeof(code), "P%04d", i);
		snprintf(name, sizeof(name), "Punto %d", i);
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		if (!st || db_run(st))
			return -1;
	}
	return 0;
}

/* YEARS of chunks for every point x type x day, straight into the tables
 * (the set-up, not what is measured). */
static int synthesise(struct db *db, int years, int points, int32_t last_day)
{
	static const char *const types[4] = {"RECLAMOS", "ALTAS", "BAJAS",
					     "CONSULTAS"};
	int days = years * 365;
	int32_t first = last_day - days + 1;
	uint32_t counts[SERIES_DAY_MINUTES];
	unsigned char blob[SERIES_DAY_MINUTES * 11];
	struct db_copy *c;
	struct db_stmt *st;
	char kind[] = "I";

	db_exec(db, "PRAGMA synchronous=OFF");
	if (db_begin(db) < 0 || add_points(db, points) < 0)
		return -1;
	st = db_prepare(db,
			"INSERT INTO imports (kind, source, sha256, "
			"row_count, bytes, first_day, last_day, "
			"series_bytes, imported_at, imported_by) VALUES "
			"('interactions', 'ARCHIVO', 'synthetic', 0, 0, ?, "
			"?, 0, 0, 'bench')");
	db_bind_int(st, 1, first);
	db_bind_int(st, 2, last_day);
	if (db_run(st))
		return -1;
	c = db_copy_begin(db, "series_days",
			  "kind, point_id, code, day, network, import_id, "
			  "total, minutes",
			  8);
	for (int p = 1; c && p <= points; p++)
		for (int t = 0; t < 4; t++)
			for (int32_t d = first; d <= last_day; d++) {
				struct db_val v[8];
				int64_t total = 0;
				size_t len;

				memset(counts, 0, sizeof(counts));
				for (int k = 0; k < 70; k++) {
					counts[360 + rand() % 900]++;
					total++;
				}
				len = series_encode(counts, blob,
						    sizeof(blob));
				v[0] = (struct db_val){.type = DBV_TEXT,
						       .s = kind};
				v[1] = (struct db_val){.type = DBV_INT,
						       .i = p};
				v[2] = (struct db_val){.type = DBV_TEXT,
						       .s = types[t]};
				v[3] = (struct db_val){.type = DBV_INT,
						       .i = d};
				v[4] = (struct db_val){.type = DBV_TEXT,
						       .s = ""};
				v[5] = (struct db_val){.type = DBV_INT,
						       .i = 1};
				v[6] = (struct db_val){.type = DBV_INT,
						       .i = total};
				v[7] = (struct db_val){
					.type = DBV_BLOB, .p = blob, .n = len};
				if (db_copy_row(c, v))
					break;
			}
	if (db_copy_end(c))
		return -1;
	c = db_copy_begin(db, "day_totals",
			  "kind, day, code, import_id, total", 5);
	for (int32_t d = first; c && d <= last_day; d++)
		for (int t = 0; t < 4; t++) {
			struct db_val v[5] = {
				{.type = DBV_TEXT, .s = kind},
				{.type = DBV_INT, .i = d},
				{.type = DBV_TEXT, .s = types[t]},
				{.type = DBV_INT, .i = 1},
				{.type = DBV_INT, .i = 70 * points}};

			db_copy_row(c, v);
		}
	if (db_copy_end(c) || db_commit(db) < 0)
		return -1;
	return 0;
}

static int span(struct db *db, int32_t *first, int32_t *last, int *points)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT MIN(day), MAX(day), (SELECT COUNT(*) FROM points) "
		    "FROM day_totals");

	if (!st || db_step(st) != DB_ROW)
		return -1;
	*first = (int32_t)db_col_int(st, 0);
	*last = (int32_t)db_col_int(st, 1);
	*points = (int)db_col_int(st, 2);
	db_reset(st);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const types[4] = {"RECLAMOS", "ALTAS", "BAJAS",
					     "CONSULTAS"};
	const char *path = NULL;
	int n = 2000, years = 0, points = 600;
	int32_t first, last;
	struct inop_err err;
	struct db *db;
	struct e34 e;
	double *t, *c;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-d") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "-n") == 0)
			n = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-s") == 0)
			years = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-p") == 0)
			points = atoi(argv[i + 1]);
	}
	if (!path || n < 10) {
		fprintf(stderr,
			"usage: e3_bench -d DB [-n EVENTS] [-s YEARS] [-p "
			"POINTS]\n");
		return 2;
	}
	if (db_open(path, &db, &err) < 0 || store_migrate(db, &err) < 0) {
		fprintf(stderr, "e3_bench: cannot open %s\n", path);
		return 1;
	}
	if (years > 0) {
		double t0 = now_us();

		srand(1);
		if (synthesise(db, years, points, 20789) < 0) {
			fprintf(stderr, "e3_bench: synthesis failed: %s\n",
				db_errmsg(db));
			return 1;
		}
		fprintf(stderr, "synthesised %d years x %d points in %.0f s\n",
			years, points, (now_us() - t0) / 1e6);
	}
	if (span(db, &first, &last, &points) < 0 || last - first < 8 ||
	    points < 1) {
		fprintf(stderr, "e3_bench: no imported data in %s\n", path);
		return 1;
	}
	t = malloc((size_t)n * sizeof(*t));
	c = malloc((size_t)n * sizeof(*c));
	srand(2);
	for (int i = -n / 10; i < n; i++) { /* the first tenth warms up */
		struct event ev;
		int32_t day = first + 7 + rand() % (last - first - 6);
		double t0, c0;

		memset(&ev, 0, sizeof(ev));
		ev.point.id = 1 + rand() % points;
		snprintf(ev.procedure, sizeof(ev.procedure), "%s",
			 types[rand() % 4]);
		ev.started_at = (int64_t)day * 86400 + 5 * 3600 +
				(6 * 60 + rand() % (14 * 60)) * 60 +
				rand() % 60;
		ev.ended_at = ev.started_at + (10 + rand() % 170) * 60;
		t0 = now_us();
		c0 = cpu_us();
		if (store_evaluation_e34(db, NULL, &ev, ev.ended_at, &e) < 0) {
			fprintf(stderr, "e3_bench: evaluation failed\n");
			return 1;
		}
		if (i >= 0) {
			c[i] = cpu_us() - c0;
			t[i] = now_us() - t0;
		}
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	qsort(c, (size_t)n, sizeof(*c), cmp_double);
	printf("{\"events\": %d, \"days\": %d, \"points\": %d, "
	       "\"wall_p50_us\": %.1f, \"wall_p99_us\": %.1f, "
	       "\"cpu_p50_us\": %.1f, \"cpu_p99_us\": %.1f, "
	       "\"cpu_max_us\": %.1f}\n",
	       n, last - first + 1, points, t[n / 2], t[n * 99 / 100],
	       c[n / 2], c[n * 99 / 100], c[n - 1]);
	free(t);
	free(c);
	db_close(db);
	return 0;
}
