/*
 * Control and contingency on a real SQLite file: the V3 escalation step
 * with an injected clock (two connections standing in for two nodes), the
 * SQL of the failing-check list against the C rules it mirrors (V1), and
 * the use of paper-form serials (K2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/evaluation.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "store/control.h"
#include "import/series.h"
#include "store/evaluation.h"
#include "store/events.h"
#include "store/manual_forms.h"
#include "store/points.h"
#include "store/processes.h"
#include "store/store.h"
#include "store/users.h"
#include "util/embed.h"

#define T0	1795000000 /* 2026-11-18T08:26:40Z */
#define H	3600
#define BACKUPS "virginia@x.pe,milagros@x.pe"

struct fixture {
	char path[64];
	struct db *db;
	struct db *node2; /* a second connection: another node */
	struct catalog cat;
	struct point cac, cc;
	struct actor jefe, control, primary, other;
	int mails;
	int fail_mail;
};

static void make_point(struct fixture *f, struct point *p, const char *code,
		       const char *type, const char *channel)
{
	struct inop_err e;

	memset(p, 0, sizeof(*p));
	snprintf(p->ref.code, sizeof(p->ref.code), "%s", code);
	snprintf(p->ref.name, sizeof(p->ref.name), "Punto %s", code);
	snprintf(p->ref.type, sizeof(p->ref.type), "%s", type);
	snprintf(p->ref.channel, sizeof(p->ref.channel), "%s", channel);
	snprintf(p->ref.region, sizeof(p->ref.region), "Lima");
	if (strcmp(type, "CALL_CENTER") == 0)
		codes_add(&p->lines, "123");
	assert_int_equal(store_point_insert(f->db, p, "t", 1, &e), 0);
}

static void make_user(struct fixture *f, struct actor *a, const char *name,
		      const char *email, unsigned roles)
{
	const char *points[] = {"CAC-1", "CC-1"};
	struct user u = {0};
	struct inop_err e;

	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.name, sizeof(u.name), "Persona %s", name);
	snprintf(u.email, sizeof(u.email), "%s", email);
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = roles;
	assert_int_equal(store_user_insert(f->db, &u, points,
					   roles & ROLE_JEFE ? 2 : 0, "t", 1,
					   &e),
			 0);
	a->id = u.id;
	a->roles = roles;
	snprintf(a->username, sizeof(a->username), "%s", name);
	snprintf(a->name, sizeof(a->name), "%s", u.name);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct inop_embedded *json = embed_find("data/catalog.json");
	struct actor backup;
	struct inop_err e;
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/inop-ctl-XXXXXX");
	fd = mkstemp(f->path);
	close(fd);
	assert_int_equal(db_open(f->path, &f->db, &e), 0);
	assert_int_equal(store_migrate(f->db, &e), 0);
	assert_int_equal(catalog_from_json(&f->cat, (const char *)json->data),
			 0);
	assert_int_equal(store_seed_catalog(f->db, &f->cat, &e), 0);
	assert_int_equal(db_open(f->path, &f->node2, &e), 0);
	make_point(f, &f->cac, "CAC-1", "CAC", "PRESENCIAL");
	make_point(f, &f->cc, "CC-1", "CALL_CENTER", "TELEFONICO");
	make_user(f, &f->jefe, "jefe", "jefe@x.pe", ROLE_JEFE);
	make_user(f, &f->control, "control", "control@x.pe", ROLE_CONTROL);
	make_user(f, &f->primary, "marcelo", "marcelo@x.pe", ROLE_PROCESOS);
	/* a backup who also uses Inop is not a primary */
	make_user(f, &backup, "virginia", "virginia@x.pe", ROLE_PROCESOS);
	make_user(f, &f->other, "soporte", "soporte@x.pe", ROLE_SOPORTE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[80];

	db_close(f->node2);
	db_close(f->db);
	catalog_release(&f->cat);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

/* Registers an event at `p` (procedure picks the R3 slot). */
static int64_t register_at(struct fixture *f, const struct point *p,
			   const char *procedure, const char *scenario,
			   const struct actor *who, int64_t now)
{
	struct event ev = {0};
	struct inop_err e;
	int64_t open_id;
	const char *req = strcmp(procedure, "ALTAS") == 0   ? "CONTRATACION"
			  : strcmp(procedure, "BAJAS") == 0 ? "BAJA_SERVICIO"
			  : strcmp(procedure, "RECLAMOS") == 0
				  ? "RECLAMO"
				  : "MIGRACION_PLAN";

	ev.point = p->ref;
	snprintf(ev.procedure, sizeof(ev.procedure), "%s", procedure);
	codes_add(&ev.requests, req);
	codes_add(&ev.applications, "SIAC_UNICO");
	snprintf(ev.scenario, sizeof(ev.scenario), "%s", scenario);
	snprintf(ev.origin, sizeof(ev.origin), "SISTEMA");
	ev.started_at = now - 2 * H;
	assert_int_equal(store_event_register(f->db, &ev, who, now, &open_id,
					      NULL, NULL, &e),
			 0);
	return ev.id;
}

static const char *closing_reason;

static int close_decide(struct db *db, struct event *ev, void *ctx,
			struct inop_err *e)
{
	(void)db;
	(void)ctx;
	(void)e;
	ev->open = 0;
	ev->ended_at = ev->started_at + H;
	snprintf(ev->closure_reason, sizeof(ev->closure_reason), "%s",
		 closing_reason);
	return 0;
}

static void close_as(struct fixture *f, int64_t id, const char *reason,
		     int64_t now)
{
	struct event ev;
	struct inop_err e;
	char key[24];

	closing_reason = reason;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	assert_int_equal(store_event_change(f->db, key, "event.close",
					    close_decide, NULL, &f->jefe, now,
					    &ev, &e),
			 0);
}

struct req_ctx {
	struct fixture *f;
	int64_t now;
};

static int request_fn(struct db *db, struct event *ev, void *arg,
		      struct inop_err *e)
{
	struct req_ctx *c = arg;
	struct processes_request r = {0};

	(void)e;
	return store_processes_insert(db, ev, &r, &c->f->control, c->now);
}

static void request_ruling(struct fixture *f, int64_t id, int64_t now)
{
	struct req_ctx c = {f, now};
	struct event ev;
	struct inop_err e;
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	assert_int_equal(store_event_change(f->db, key, NULL, request_fn, &c,
					    &f->control, now, &ev, &e),
			 0);
}

static int count_mail(struct db *db, const struct processes_request *r,
		      void *ctx)
{
	struct fixture *f = ctx;

	(void)db;
	assert_string_equal(r->escalated_to, BACKUPS);
	if (f->fail_mail)
		return -1;
	f->mails++;
	return 0;
}

static int escalate(struct fixture *f, struct db *db, int64_t now)
{
	struct inop_err e;
	int n = -1;

	assert_int_equal(store_processes_escalate(db, BACKUPS, now, count_mail,
						  f, &n, &e),
			 0);
	return n;
}

static void get_request(struct fixture *f, int64_t event_id,
			struct processes_request *r)
{
	assert_int_equal(store_processes_get(f->db, event_id, r), 1);
}

/* ---------- V3: the escalation step ---------- */

static void test_v3_escalation_at_24_hours_once_across_two_nodes(void **state)
{
	struct fixture *f = *state;
	struct processes_request r;
	int64_t id = register_at(f, &f->cac, "CONSULTAS", "EVENTO_NO_PREVISTO",
				 &f->jefe, T0);

	request_ruling(f, id, T0);
	assert_int_equal(escalate(f, f->db, T0 + 24 * H - 1), 0);
	assert_int_equal(f->mails, 0);
	/* both nodes run the minute's step */
	assert_int_equal(escalate(f, f->db, T0 + 24 * H), 1);
	assert_int_equal(escalate(f, f->node2, T0 + 24 * H), 0);
	assert_int_equal(escalate(f, f->node2, T0 + 24 * H + 60), 0);
	assert_int_equal(escalate(f, f->db, T0 + 25 * H), 0);
	assert_int_equal(f->mails, 1);
	get_request(f, id, &r);
	assert_int_equal(r.escalated_at, T0 + 24 * H);
	assert_string_equal(r.escalation_reason, "VENCIDA");
	assert_string_equal(r.escalated_to, BACKUPS);
	assert_int_equal(processes_status(&r, T0 + 25 * H), PROCESSES_VENCIDA);
}

static void test_v3_absent_primary_escalates_at_once(void **state)
{
	struct fixture *f = *state;
	struct processes_request r;
	struct inop_err e;
	int present = -1;
	int64_t id = register_at(f, &f->cac, "ALTAS", "EVENTO_NO_PREVISTO",
				 &f->jefe, T0);

	request_ruling(f, id, T0);
	assert_int_equal(store_processes_primaries_present(f->db, BACKUPS, T0,
							   &present),
			 0);
	assert_int_equal(present, 1); /* the backup does not count */
	assert_int_equal(escalate(f, f->db, T0 + 60), 0);
	assert_int_equal(store_absence_start(f->db, &f->primary, T0 + 72 * H,
					     "Vacaciones", T0 + 120, &e),
			 0);
	assert_int_equal(store_processes_primaries_present(f->db, BACKUPS,
							   T0 + 180, &present),
			 0);
	assert_int_equal(present, 0);
	assert_int_equal(escalate(f, f->node2, T0 + 180), 1);
	assert_int_equal(escalate(f, f->db, T0 + 180), 0);
	assert_int_equal(f->mails, 1);
	get_request(f, id, &r);
	assert_string_equal(r.escalation_reason, "AUSENCIA");
	/* the absence ends by itself at `until` */
	assert_int_equal(store_processes_primaries_present(
				 f->db, BACKUPS, T0 + 72 * H, &present),
			 0);
	assert_int_equal(present, 1);
}

static void test_v3_absence_ended_by_hand(void **state)
{
	struct fixture *f = *state;
	struct inop_err e;
	int present;

	assert_int_equal(store_absence_end(f->db, &f->primary, T0, &e), -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(
		store_absence_start(f->db, &f->primary, 0, "", T0, &e), 0);
	assert_int_equal(store_processes_primaries_present(
				 f->db, BACKUPS, T0 + 400 * 86400LL, &present),
			 0);
	assert_int_equal(present, 0); /* open-ended */
	assert_int_equal(store_absence_end(f->db, &f->primary, T0 + H, &e), 0);
	assert_int_equal(store_processes_primaries_present(f->db, BACKUPS,
							   T0 + H, &present),
			 0);
	assert_int_equal(present, 1);
}

static void test_v3_failed_mail_rolls_the_escalation_back(void **state)
{
	struct fixture *f = *state;
	struct processes_request r;
	struct inop_err e;
	int n;
	int64_t id = register_at(f, &f->cac, "BAJAS", "EVENTO_NO_PREVISTO",
				 &f->jefe, T0);

	request_ruling(f, id, T0);
	f->fail_mail = 1;
	assert_int_equal(store_processes_escalate(f->db, BACKUPS, T0 + 24 * H,
						  count_mail, f, &n, &e),
			 -1);
	get_request(f, id, &r);
	assert_int_equal(r.escalated_at, 0);
	f->fail_mail = 0;
	assert_int_equal(escalate(f, f->db, T0 + 24 * H + 60), 1);
	assert_int_equal(f->mails, 1);
}

static void test_v3_ruled_request_is_not_escalated(void **state)
{
	struct fixture *f = *state;
	struct processes_request r;
	struct event ev;
	struct inop_err e;
	char key[24];
	int64_t id = register_at(f, &f->cac, "RECLAMOS", "EVENTO_NO_PREVISTO",
				 &f->jefe, T0);

	request_ruling(f, id, T0);
	snprintf(key, sizeof(key), "%lld", (long long)id);
	assert_int_equal(store_event_get(f->db, key, &ev), 1);
	get_request(f, id, &r);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(store_processes_rule(f->db, &ev, &r, "NO_PROCEDE",
					      "Fuera de horario", &f->primary,
					      T0 + H),
			 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(escalate(f, f->db, T0 + 48 * H), 0);
	assert_int_equal(store_event_get(f->db, key, &ev), 1);
	assert_true(ev.ruled_out);
	assert_false(ev.reportable);
	(void)e;
}

static int64_t count_rows(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void test_v3_job_mails_the_backups_once(void **state)
{
	struct fixture *f = *state;
	struct processes_request r;
	struct config cfg;
	struct db_stmt *st;
	int64_t id = register_at(f, &f->cac, "CONSULTAS", "EVENTO_NO_PREVISTO",
				 &f->jefe, T0);

	config_defaults(&cfg);
	notify_setup(&cfg);
	request_ruling(f, id, T0);
	/* no backups configured: nobody to escalate to, nothing marked */
	assert_int_equal(job_processes_escalation(f->db, T0 + 25 * H), 0);
	get_request(f, id, &r);
	assert_int_equal(r.escalated_at, 0);
	snprintf(cfg.procesos_backups, sizeof(cfg.procesos_backups), "%s",
		 BACKUPS);
	assert_int_equal(job_processes_escalation(f->db, T0 + 23 * H), 0);
	assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM outbox WHERE "
					   "trigger = 'processes.escalation'"),
			 0);
	assert_int_equal(job_processes_escalation(f->db, T0 + 24 * H), 0);
	assert_int_equal(job_processes_escalation(f->node2, T0 + 24 * H), 0);
	assert_int_equal(job_processes_escalation(f->node2, T0 + 30 * H), 0);
	assert_int_equal(count_rows(f->db, "SELECT COUNT(*) FROM outbox WHERE "
					   "trigger = 'processes.escalation'"),
			 1);
	st = db_prepare(f->db, "SELECT recipients, subject FROM outbox WHERE "
			       "trigger = 'processes.escalation'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), BACKUPS);
	assert_non_null(strstr(db_col_text(st, 1), "INOP-2026-"));
	db_reset(st);
	notify_setup(NULL);
}

/* ---------- V1: the SQL of the failing list = the C rules ---------- */

static int critical_fn(struct db *db, struct event *ev, void *arg,
		       struct inop_err *e)
{
	struct fixture *f = arg;
	struct critical_tx tx = {0};

	(void)e;
	snprintf(tx.type, sizeof(tx.type), "BLOQUEO_ROBO_PERDIDA");
	snprintf(tx.customer_ref, sizeof(tx.customer_ref), "DNI 1");
	snprintf(tx.how, sizeof(tx.how), "respaldo");
	tx.attended_at = ev->started_at + 60;
	return store_critical_insert(db, ev, &tx, &f->jefe, T0);
}

static void add_critical(struct fixture *f, int64_t id)
{
	struct event ev;
	struct inop_err e;
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	assert_int_equal(store_event_change(f->db, key, NULL, critical_fn, f,
					    &f->jefe, T0, &ev, &e),
			 0);
}

/* One event of every kind the checks tell apart. */
static void varied_events(struct fixture *f)
{
	int64_t id;

	register_at(f, &f->cac, "CONSULTAS", "EVENTO_NO_PREVISTO", &f->jefe,
		    T0); /* open, no request */
	id = register_at(f, &f->cac, "ALTAS", "EVENTO_NO_PREVISTO", &f->jefe,
			 T0);
	close_as(f, id, "SIN_FLUIDO_ELECTRICO", T0); /* closed, no request */
	id = register_at(f, &f->cac, "ALTAS", "EVENTO_NO_PREVISTO", &f->jefe,
			 T0);
	close_as(f, id, "ERROR_USUARIO", T0);
	id = register_at(f, &f->cac, "ALTAS", "EVENTO_NO_PREVISTO", &f->jefe,
			 T0);
	close_as(f, id, "INTERMITENCIA", T0); /* reason misfits scenario */
	id = register_at(f, &f->cac, "ALTAS", "PRUEBA", &f->control, T0);
	close_as(f, id, "ERROR_USUARIO", T0);
	id = register_at(f, &f->cc, "ALTAS", "EVENTO_NO_PREVISTO", &f->jefe,
			 T0);
	add_critical(f, id);
	close_as(f, id, "SIN_FLUIDO_ELECTRICO", T0); /* critical missing */
	register_at(f, &f->cc, "BAJAS", "EVENTO_NO_PREVISTO", &f->other,
		    T0); /* not by a JEFE */
	id = register_at(f, &f->cac, "BAJAS", "EVENTO_NO_PREVISTO", &f->jefe,
			 T0);
	add_critical(f, id); /* open with a missing reference */
	request_ruling(f, id, T0);
	id = register_at(f, &f->cac, "RECLAMOS", "EVENTO_NO_PREVISTO",
			 &f->jefe, T0);
	close_as(f, id, "SIN_FLUIDO_ELECTRICO", T0);
	request_ruling(f, id, T0 - 30 * H); /* overdue */
}

/* Ids of events with check `check` (-1: any) failing, by the C rules. */
static size_t failing_by_c(struct fixture *f, int check, int64_t now,
			   int64_t *ids)
{
	struct event_filter all = {.reportable = -1, .limit = 500};
	struct event *list;
	struct processes_request req;
	struct check_facts facts;
	struct check out[CHECK_COUNT];
	size_t n, k = 0;
	int64_t total;

	assert_int_equal(store_events_list(f->db, &all, &list, &n, &total), 0);
	for (size_t i = 0; i < n; i++) {
		int fails = 0;

		assert_int_equal(
			store_check_facts(f->db, &list[i], &facts, &req), 0);
		evaluation_checks(&f->cat, &list[i], &facts, now, out);
		for (int c = 0; c < CHECK_COUNT; c++)
			if ((check < 0 || check == c) &&
			    out[c].status == CHECK_FAIL)
				fails = 1;
		if (fails)
			ids[k++] = list[i].id;
	}
	free(list);
	return k;
}

static size_t failing_by_sql(struct fixture *f, int check, int64_t now,
			     int64_t *ids)
{
	struct event_filter q = {.reportable = -1,
				 .limit = 500,
				 .failing = 1,
				 .failing_check = check,
				 .now = now};
	struct event *list;
	size_t n;
	int64_t total;

	assert_int_equal(store_events_list(f->db, &q, &list, &n, &total), 0);
	assert_int_equal(total, (int64_t)n);
	for (size_t i = 0; i < n; i++)
		ids[i] = list[i].id;
	free(list);
	return n;
}

static void test_v1_failing_list_sql_matches_the_rules(void **state)
{
	struct fixture *f = *state;
	int64_t a[64], b[64];
	const int64_t clocks[] = {T0, T0 + 25 * H};

	varied_events(f);
	for (int t = 0; t < 2; t++)
		for (int c = -1; c < CHECK_COUNT; c++) {
			size_t na = failing_by_c(f, c, clocks[t], a);
			size_t nb = failing_by_sql(f, c, clocks[t], b);

			/* both newest first */
			assert_int_equal(na, nb);
			for (size_t i = 0; i < na; i++)
				assert_int_equal(a[i], b[i]);
			/* every check fails once, but IMPACT_DATA, which
			 * is never FALLA (PENDIENTE until imported) */
			if (c >= 0 && t == 0 && c != CHECK_IMPACT_DATA)
				assert_true(na > 0);
		}
}

/* ---------- K2: serials ---------- */

static int register_manual(struct fixture *f, const char *serial, int64_t now,
			   struct inop_err *e)
{
	struct event ev = {0};
	int64_t open_id;

	ev.point = f->cac.ref;
	snprintf(ev.procedure, sizeof(ev.procedure), "ALTAS");
	codes_add(&ev.requests, "CONTRATACION");
	codes_add(&ev.applications, "SISACT");
	snprintf(ev.scenario, sizeof(ev.scenario), "EVENTO_NO_PREVISTO");
	snprintf(ev.origin, sizeof(ev.origin), "MANUAL");
	snprintf(ev.manual_form_ref, sizeof(ev.manual_form_ref), "%s", serial);
	ev.started_at = now - 3 * 86400;
	if (store_event_register(f->db, &ev, &f->jefe, now, &open_id, NULL,
				 NULL, e) < 0)
		return -1;
	close_as(f, ev.id, "SIN_FLUIDO_ELECTRICO", now);
	return 0;
}

static void test_k2_serial_is_used_once_in_the_registration(void **state)
{
	struct fixture *f = *state;
	struct manual_form a, b, got;
	struct inop_err e;
	int64_t next;

	assert_int_equal(store_manual_form_issue(f->db, &f->cac.ref, &f->jefe,
						 T0, &a, &e),
			 0);
	assert_int_equal(store_manual_form_issue(f->db, &f->cac.ref, &f->jefe,
						 T0, &b, &e),
			 0);
	assert_string_equal(a.serial, "FM-CAC-1-000001");
	assert_string_equal(b.serial, "FM-CAC-1-000002");
	assert_int_equal(register_manual(f, a.serial, T0, &e), 0);
	assert_int_equal(store_manual_form_get(f->db, a.serial, &got), 1);
	assert_true(got.event_id > 0);
	assert_int_equal(got.used_at, T0);
	/* the person's name beside the username */
	assert_string_equal(got.issued_by, f->jefe.username);
	assert_string_equal(got.issued_by_name, f->jefe.name);
	assert_int_equal(register_manual(f, a.serial, T0, &e), -1);
	assert_string_equal(e.code, "MANUAL_FORM_USED");
	assert_int_equal(register_manual(f, "FM-CAC-1-000009", T0, &e), -1);
	assert_string_equal(e.code, "MANUAL_FORM_UNKNOWN");
	/* the refused registrations used no event number (R8) */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(store_counter_next(f->db, "event-2026", &next), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(next, 2);
	assert_int_equal(store_manual_form_get(f->db, b.serial, &got), 1);
	assert_int_equal(got.event_id, 0);
}

/* ---------- E3/E4: a report's memo gives what each event reads ---------- */

static void import_row(struct db *db, int64_t id, const char *kind,
		       int withdrawn)
{
	struct db_stmt *st = db_prepare(
		db,
		"INSERT INTO imports (id, kind, source, sha256, row_count, "
		"bytes, first_day, last_day, series_bytes, imported_at, "
		"imported_by, withdrawn_at) VALUES (?, ?, 'ARCHIVO', ?, 1, "
		"1, 0, 0, 0, 1, 't', ?)");
	char sha[16];

	snprintf(sha, sizeof(sha), "sha-%lld", (long long)id);
	assert_non_null(st);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, sha);
	if (withdrawn)
		db_bind_int(st, 4, 2);
	else
		db_bind_null(st, 4);
	assert_int_equal(db_run(st), DB_DONE);
}

static void day_total(struct db *db, int64_t import, const char *kind,
		      const char *code, int32_t day, int64_t total)
{
	struct db_stmt *st = db_prepare(
		db,
		"INSERT INTO day_totals (kind, day, code, import_id, total) "
		"VALUES (?, ?, ?, ?, ?)");

	assert_non_null(st);
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, day);
	db_bind_text(st, 3, code);
	db_bind_int(st, 4, import);
	db_bind_int(st, 5, total);
	assert_int_equal(db_run(st), DB_DONE);
}

/* One day of a series (its minutes from `seed`) and its day total. */
static void series_day(struct db *db, int64_t import, const char *kind,
		       int64_t point, const char *code, int32_t day,
		       uint32_t seed)
{
	uint32_t counts[SERIES_DAY_MINUTES];
	static unsigned char chunk[8 * SERIES_DAY_MINUTES];
	struct db_stmt *st;
	int64_t total = 0;
	size_t len;

	for (int m = 0; m < SERIES_DAY_MINUTES; m++) {
		counts[m] = (uint32_t)((m * 7 + seed) % 5);
		total += counts[m];
	}
	len = series_encode(counts, chunk, sizeof(chunk));
	assert_true(len > 0);
	st = db_prepare(db,
			"INSERT INTO series_days (kind, point_id, code, day, "
			"network, import_id, total, minutes) VALUES (?, ?, "
			"?, ?, '', ?, ?, ?)");
	assert_non_null(st);
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, point);
	db_bind_text(st, 3, code);
	db_bind_int(st, 4, day);
	db_bind_int(st, 5, import);
	db_bind_int(st, 6, total);
	db_bind_blob(st, 7, chunk, len);
	assert_int_equal(db_run(st), DB_DONE);
	day_total(db, import, kind, code, day, total);
}

/*
 * A report evaluates its events with a memo (store_e34_memo_new) of the
 * days with imports and each day's complaint and LDR totals.  Over 90 days
 * of imports with gaps, a withdrawn import, social and LDR data and Inop's
 * own complaints, every event -- across midnight, longer than the memo's
 * days, on more event days than the memo keeps -- gets exactly what it gets
 * without one, for E3/E4 and for its impact chart.
 */
static void test_e34_memo_gives_what_each_event_reads(void **state)
{
	struct fixture *f = *state;
	const char *procs[] = {"CONSULTAS", "RECLAMOS"};
	int32_t day0 = cal_day_number(cal_lima_date(T0));
	struct e34 *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct impact_chart *ca = malloc(sizeof(*ca)),
			    *cb = malloc(sizeof(*cb));
	struct e34_memo *memo;
	struct event ev = {0};
	int with_e3 = 0, without_e3 = 0, with_complaints = 0;

	assert_int_equal(db_begin(f->db), 0);
	import_row(f->db, 1, "interactions", 0);
	import_row(f->db, 2, "social", 0);
	import_row(f->db, 3, "ldr", 0);
	import_row(f->db, 4, "interactions", 1); /* withdrawn */
	for (int32_t d = day0 - 90; d <= day0 + 1; d++) {
		if (d % 3 != 1)
			for (int p = 0; p < 2; p++)
				series_day(f->db, 1, "I", f->cac.ref.id,
					   procs[p], d, (uint32_t)(d + p));
		if (d % 4 != 2) {
			series_day(f->db, 2, "S", 0, "PUBLICO", d,
				   (uint32_t)d * 3);
			series_day(f->db, 2, "S", 0, "INBOX", d,
				   (uint32_t)d * 5);
		}
		if (d % 5 != 3)
			day_total(f->db, 3, "L", "", d, 100 + d % 17);
		if (d % 3 == 1)
			series_day(f->db, 4, "I", f->cac.ref.id, "CONSULTAS",
				   d, 9);
		if (d % 2 == 0) {
			struct db_stmt *st = db_prepare(
				f->db, "INSERT INTO complaint_days (day, "
				       "received) VALUES (?, ?) ON CONFLICT "
				       "(day) DO UPDATE SET received = "
				       "excluded.received");

			assert_non_null(st);
			db_bind_int(st, 1, d);
			db_bind_int(st, 2, 1 + d % 4);
			assert_int_equal(db_run(st), DB_DONE);
		}
	}
	/* The memo covers the last 40 days only: older events fall back. */
	memo = store_e34_memo_new(f->db, day0 - 40, day0);
	assert_non_null(memo);
	ev.point.id = f->cac.ref.id;
	for (int k = 0; k < 110; k++) {
		snprintf(ev.procedure, sizeof(ev.procedure), "%s",
			 procs[k % 2]);
		ev.started_at = T0 - (int64_t)k * 17 * H - k * 60;
		ev.ended_at =
			ev.started_at + (k % 4 == 0   ? 10 * H
					 : k % 9 == 0 ? 12 * 24 * H
						      : (k % 7 + 1) * 900);
		ev.open = k % 11 == 0;
		assert_int_equal(store_evaluation_e34(f->db, NULL, &ev,
						      ev.ended_at + H, a),
				 0);
		assert_int_equal(store_evaluation_e34(f->db, memo, &ev,
						      ev.ended_at + H, b),
				 0);
		assert_memory_equal(a, b, sizeof(*a));
		assert_int_equal(store_evaluation_impact(f->db, NULL, &ev,
							 ev.ended_at + H, ca),
				 0);
		assert_int_equal(store_evaluation_impact(f->db, memo, &ev,
							 ev.ended_at + H, cb),
				 0);
		assert_memory_equal(ca, cb, sizeof(*ca));
		with_e3 += a->e3.has[E_DAYS - 1];
		without_e3 += !a->e3.has[E_DAYS - 1];
		with_complaints += a->complaints.has[E_DAYS - 1];
	}
	/* The data has days with and without imports: the comparison saw
	 * both. */
	assert_true(with_e3 > 10 && without_e3 > 10 && with_complaints > 10);
	store_e34_memo_free(memo);
	assert_int_equal(db_rollback(f->db), 0);
	free(a);
	free(b);
	free(ca);
	free(cb);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_v3_escalation_at_24_hours_once_across_two_nodes),
		T(test_v3_absent_primary_escalates_at_once),
		T(test_v3_absence_ended_by_hand),
		T(test_v3_failed_mail_rolls_the_escalation_back),
		T(test_v3_ruled_request_is_not_escalated),
		T(test_v3_job_mails_the_backups_once),
		T(test_v1_failing_list_sql_matches_the_rules),
		T(test_k2_serial_is_used_once_in_the_registration),
		T(test_e34_memo_gives_what_each_event_reads),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
