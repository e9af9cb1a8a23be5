/*
 * Times building and exporting one report of N closed events (O1-O4):
 *
 *   report_bench [-n EVENTS] [-d DIR] [-r] [-f FORMAT]
 *
 * Makes DIR/report-bench.db (a fresh SQLite database, the server's
 * schema), registers and closes N events over 600 points through the
 * store (fsync off: the set-up is not what is measured), then times what
 * the API does for a report: build it (O1), freeze it at EN_REVISION
 * (rows, snapshot, hash: O2), and for each format read the frozen rows
 * back and render them (O4).  Prints one line per step and leaves the
 * database and the three files in DIR, with the user `control` whose
 * password is `bench-password-2026`, for bench/reports.sh to time the
 * same exports through HTTP.  -r reuses that database and only exports
 * (for profiling); -f exports only FORMAT (csv, xlsx or pdf).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "render/render.h"
#include "store/calendar.h"
#include "store/events.h"
#include "store/points.h"
#include "store/reports.h"
#include "store/store.h"
#include "store/users.h"
#include "util/embed.h"
#include "util/password.h"
#include "util/strnum.h"

#define POINTS 600
#define PASSWORD "bench-password-2026"

static const char *const procs[4][2] = {
	{"RECLAMOS", "RECLAMO"},
	{"ALTAS", "PORTABILIDAD"},
	{"BAJAS", "BAJA_SERVICIO"},
	{"CONSULTAS", "MIGRACION_PLAN"},
};

static double clock_s(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time: what the step costs, whatever else the machine runs. */
static double cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static void die(const char *what, const struct inop_err *e)
{
	fprintf(stderr, "report_bench: %s%s%s\n", what, e ? ": " : "",
		e ? e->message : "");
	exit(1);
}

static struct db *open_db(const char *path, struct catalog *cat, int reuse)
{
	const struct inop_embedded *json = embed_find("data/catalog.json");
	struct inop_err e;
	struct db *db;

	if (!reuse)
		unlink(path);
	if (db_open(path, &db, &e) < 0)
		die("cannot open the database", &e);
	/* The set-up writes 2 N transactions: no fsync for them. */
	db_exec(db, "PRAGMA synchronous=OFF");
	if (store_migrate(db, &e) < 0 || !json ||
	    catalog_from_json(cat, (const char *)json->data) < 0 ||
	    store_seed_catalog(db, cat, &e) < 0)
		die("cannot prepare the database", &e);
	return db;
}

static void add_user(struct db *db, struct actor *a)
{
	struct user u = {0};
	struct inop_err e;

	snprintf(u.username, sizeof(u.username), "control");
	snprintf(u.name, sizeof(u.name), "Control e Información");
	snprintf(u.email, sizeof(u.email), "control@example.pe");
	if (password_hash(PASSWORD, u.password_hash) < 0)
		die("cannot hash the password", NULL);
	u.roles = ROLE_CONTROL | ROLE_GERENTE | ROLE_DIRECTOR | ROLE_JEFE;
	if (store_user_insert(db, &u, NULL, 0, "bench", 1, &e) < 0)
		die("cannot add the user", &e);
	*a = (struct actor){.id = u.id, .roles = u.roles};
	snprintf(a->username, sizeof(a->username), "control");
}

static void add_points(struct db *db, struct point *pts)
{
	struct inop_err e;

	for (int i = 0; i < POINTS; i++) {
		struct point_ref *r = &pts[i].ref;

		memset(&pts[i], 0, sizeof(pts[i]));
		snprintf(r->code, sizeof(r->code), "CAC-%03d", i + 1);
		snprintf(r->name, sizeof(r->name),
			 "Centro de Atención al Cliente N.º %d, Av. Principal",
			 i + 1);
		snprintf(r->type, sizeof(r->type), "CAC");
		snprintf(r->channel, sizeof(r->channel), "PRESENCIAL");
		snprintf(r->region, sizeof(r->region), "Región %d",
			 i % 25 + 1);
		pts[i].active = 1;
		if (store_point_insert(db, &pts[i], "bench", 1, &e) < 0)
			die("cannot add a point", &e);
	}
}

static int decide_close(struct db *db, struct event *ev, void *arg,
			struct inop_err *e)
{
	(void)db;
	(void)e;
	ev->open = 0;
	ev->ended_at = ev->started_at + *(int64_t *)arg;
	snprintf(ev->closure_reason, sizeof(ev->closure_reason),
		 "SIN_FLUIDO_ELECTRICO");
	snprintf(ev->closed_by, sizeof(ev->closed_by), "control");
	return 0;
}

/* N events of October 2026, every one closed and reportable. */
static void add_events(struct db *db, const struct point *pts, int n,
		       const struct actor *a)
{
	struct event *ev = calloc(1, sizeof(*ev));
	struct cal_date oct1 = {2026, 10, 1};
	int64_t base = cal_lima_day_start(oct1), open_id, span;
	struct inop_err e;
	char key[24];

	for (int i = 0; ev && i < n; i++) {
		memset(ev, 0, sizeof(*ev));
		ev->point = pts[i % POINTS].ref;
		snprintf(ev->procedure, sizeof(ev->procedure), "%s",
			 procs[i % 4][0]);
		codes_add(&ev->requests, procs[i % 4][1]);
		codes_add(&ev->applications, i % 3 ? "SIAC_UNICO" : "SISACT");
		snprintf(ev->scenario, sizeof(ev->scenario),
			 "EVENTO_NO_PREVISTO");
		snprintf(ev->cause, sizeof(ev->cause), "CORTE_LUZ");
		snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
		ev->started_at = base + (int64_t)i * (30 * 86400 / n);
		if (store_event_register(db, ev, a, ev->started_at + 60,
					 &open_id, NULL, NULL, &e) < 0)
			die("cannot register an event", &e);
		span = 600 + (i % 17) * 300;
		snprintf(key, sizeof(key), "%lld", (long long)ev->id);
		if (store_event_change(db, key, "event.close", decide_close,
				       &span, a, ev->started_at + span, ev,
				       &e) < 0)
			die("cannot close an event", &e);
	}
	free(ev);
}

static int write_file(const char *dir, const char *name, const char *data,
		      size_t len)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	return fclose(f) == 0 ? rc : -1;
}

/* Reads the frozen rows back and renders them, as GET .../export does. */
static void export(struct db *db, const struct report_info *info,
		   const struct catalog *cat, const char *format,
		   const char *dir)
{
	struct report_rows rows;
	struct report_step *trail;
	struct report_doc doc = {.id = info->id, .status = info->status,
				 .generated_at = info->frozen_at};
	struct buf b;
	char path[512];
	size_t nt;
	double t0 = now_s(), c0 = cpu_s(), t1, c1;
	int rc;

	if (store_report_rows(db, info, cat, NULL, (int64_t)time(NULL),
			      &rows) < 0 ||
	    store_report_trail(db, info->id, &trail, &nt) < 0)
		die("cannot read the report back", NULL);
	memcpy(doc.from, info->from, sizeof(doc.from));
	memcpy(doc.to, info->to, sizeof(doc.to));
	memcpy(doc.hash, info->hash, sizeof(doc.hash));
	doc.rows = &rows;
	doc.trail = trail;
	doc.n_trail = nt;
	t1 = now_s();
	c1 = cpu_s();
	buf_init(&b, RENDER_MAX_BYTES);
	snprintf(path, sizeof(path), "%s/report.xlsx", dir);
	if (strcmp(format, "xlsx") == 0)
		rc = render_xlsx(&doc, path);
	else if (strcmp(format, "pdf") == 0)
		rc = render_pdf(&doc, &b) ||
		     write_file(dir, "report.pdf", b.s, b.len);
	else
		rc = render_csv(&doc, &b) ||
		     write_file(dir, "report.csv", b.s, b.len);
	if (rc != 0)
		die("cannot render the report", NULL);
	printf("export %-4s  %zu rows  read %.3f s + render %.3f s = %.3f s "
	       "(CPU %.3f + %.3f s)\n",
	       format, rows.n, t1 - t0, now_s() - t1, now_s() - t0, c1 - c0,
	       cpu_s() - c1);
	buf_release(&b);
	report_rows_release(&rows);
	free(trail);
}

/* Builds the database and the frozen report; fills *info. */
static void prepare(struct db *db, const struct catalog *cat, int64_t n,
		    struct report_info *info)
{
	struct point *pts = calloc(POINTS, sizeof(*pts));
	struct report_change c = {.to = REPORT_EN_REVISION, .comment = "",
				  .reference = "", .sent_on = ""};
	struct actor a;
	struct inop_err e;
	double t0;

	if (!pts)
		die("out of memory", NULL);
	add_user(db, &a);
	add_points(db, pts);
	t0 = now_s();
	add_events(db, pts, (int)n, &a);
	/* The points are in person: their events enter a report only with a
	 * PROCEDE ruling of Procesos (V1-V3), given here to every one. */
	if (db_exec(db, "INSERT INTO processes_requests (event_id, "
			"requested_at, requested_by, due_at, ruling, reason, "
			"ruled_at, ruled_by) SELECT id, registered_at, "
			"registered_by, registered_at + 86400, 'PROCEDE', "
			"'bench', registered_at + 3600, registered_by "
			"FROM events") < 0)
		die("cannot add the rulings", NULL);
	printf("set-up      %lld events registered, closed and ruled in "
	       "%.1f s\n",
	       (long long)n, now_s() - t0);
	snprintf(info->from, sizeof(info->from), "2026-10-01");
	snprintf(info->to, sizeof(info->to), "2026-10-31");
	t0 = now_s();
	if (store_report_create(db, info, &a, 1, &e) < 0)
		die("cannot build the report", &e);
	printf("build       %lld events chosen (O1) in %.3f s\n",
	       (long long)info->n_events, now_s() - t0);
	c.cat = cat;
	c.today = cal_lima_date((int64_t)time(NULL));
	t0 = now_s();
	if (store_report_transition(db, info->id, &c, &a, 2, info, &e) < 0)
		die("cannot freeze the report", &e);
	printf("freeze      rows + snapshot + SHA-256 (O2) in %.3f s\n",
	       now_s() - t0);
	free(pts);
}

int main(int argc, char **argv)
{
	static const char *const formats[] = {"csv", "xlsx", "pdf"};
	const char *dir = "/tmp", *only = NULL;
	struct catalog cat = {0};
	struct report_info info = {0};
	struct db *db;
	char path[512];
	int64_t n = 10000;
	int opt, reuse = 0;

	while ((opt = getopt(argc, argv, "n:d:rf:")) != -1) {
		if (opt == 'n' && strnum_i64(optarg, 1, 999999, &n) == 0)
			continue;
		if (opt == 'd' || opt == 'f') {
			*(opt == 'd' ? &dir : &only) = optarg;
			continue;
		}
		if (opt == 'r') {
			reuse = 1;
			continue;
		}
		fprintf(stderr,
			"usage: report_bench [-n EVENTS] [-d DIR] [-r] "
			"[-f FORMAT]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/report-bench.db", dir);
	db = open_db(path, &cat, reuse);
	if (!reuse)
		prepare(db, &cat, n, &info);
	else if (store_report_get(db, 1, &info) != 1)
		die("no report 1 to reuse", NULL);
	for (size_t i = 0; i < 3; i++)
		if (!only || strcmp(only, formats[i]) == 0)
			export(db, &info, &cat, formats[i], dir);
	db_close(db);
	catalog_release(&cat);
	printf("REPORT_ID %lld\n", (long long)info.id);
	return 0;
}
