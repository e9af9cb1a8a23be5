/*
 * The store on a real SQLite file: the audit chain (A1), the gapless
 * numbering (R8) and the one-open-event constraint (R3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sodium.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "store/audit.h"
#include "store/batch.h"
#include "store/outbox.h"
#include "store/writer.h"
#include "store/events.h"
#include "store/points.h"
#include "store/store.h"
#include "store/users.h"
#include "store/versions.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/rcache.h"

struct fixture {
	char path[64];
	struct db *db;
	struct actor jefe;
	struct point point;
	FILE *devnull;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct inop_err e;
	struct user u = {0};
	const char *codes[] = {"CAC-1"};
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/inop-test-XXXXXX");
	fd = mkstemp(f->path);
	close(fd);
	assert_int_equal(db_open(f->path, &f->db, &e), 0);
	assert_int_equal(store_migrate(f->db, &e), 0);
	snprintf(f->point.ref.code, sizeof(f->point.ref.code), "CAC-1");
	snprintf(f->point.ref.name, sizeof(f->point.ref.name), "CAC Uno");
	snprintf(f->point.ref.type, sizeof(f->point.ref.type), "CAC");
	snprintf(f->point.ref.channel, sizeof(f->point.ref.channel),
		 "PRESENCIAL");
	snprintf(f->point.ref.region, sizeof(f->point.ref.region), "Lima");
	assert_int_equal(store_point_insert(f->db, &f->point, "t", 1, &e), 0);
	snprintf(u.username, sizeof(u.username), "jefe");
	snprintf(u.name, sizeof(u.name), "Jefe");
	snprintf(u.email, sizeof(u.email), "j@x.pe");
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = ROLE_JEFE;
	assert_int_equal(store_user_insert(f->db, &u, codes, 1, "t", 1, &e),
			 0);
	f->jefe.id = u.id;
	f->jefe.roles = ROLE_JEFE;
	snprintf(f->jefe.username, sizeof(f->jefe.username), "jefe");
	f->devnull = fopen("/dev/null", "w");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[80];

	db_close(f->db);
	fclose(f->devnull);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

static int register_one(struct fixture *f, const char *procedure,
			const char *request, int64_t now, struct event *ev,
			struct inop_err *e)
{
	int64_t open_id;

	memset(ev, 0, sizeof(*ev));
	ev->point = f->point.ref;
	snprintf(ev->procedure, sizeof(ev->procedure), "%s", procedure);
	codes_add(&ev->requests, request);
	codes_add(&ev->applications, "SIAC_UNICO");
	snprintf(ev->scenario, sizeof(ev->scenario), "EVENTO_NO_PREVISTO");
	snprintf(ev->cause, sizeof(ev->cause), "CORTE_LUZ");
	snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
	ev->started_at = now - 60;
	return store_event_register(f->db, ev, &f->jefe, now, &open_id, NULL,
				    NULL, e);
}

static int close_decide(struct db *db, struct event *ev, void *ctx,
			struct inop_err *e)
{
	(void)db;
	(void)ctx;
	(void)e;
	ev->open = 0;
	ev->ended_at = ev->started_at + 60;
	snprintf(ev->closure_reason, sizeof(ev->closure_reason),
		 "SIN_FLUIDO_ELECTRICO");
	return 0;
}

static void test_r8_numbers_are_gapless_per_lima_year(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	struct inop_err e;
	int64_t t2026, t2027;

	/* 2026-12-31 23:00 Lima is already 2027 in UTC: still 2026. */
	assert_int_equal(
		cal_parse_rfc3339("2026-12-31T23:00:00-05:00", &t2026), 0);
	assert_int_equal(
		cal_parse_rfc3339("2027-01-01T00:10:00-05:00", &t2027), 0);
	assert_int_equal(
		register_one(f, "CONSULTAS", "MIGRACION_PLAN", t2026, &ev, &e),
		0);
	assert_string_equal(ev.number, "INOP-2026-000001");
	/* A refused registration (R3) does not consume a number. */
	assert_int_equal(
		register_one(f, "CONSULTAS", "CAMBIO_NOMBRE", t2026, &ev, &e),
		-1);
	assert_int_equal(e.status, 409);
	assert_int_equal(
		register_one(f, "ALTAS", "CONTRATACION", t2026, &ev, &e), 0);
	assert_string_equal(ev.number, "INOP-2026-000002");
	assert_int_equal(
		register_one(f, "BAJAS", "BAJA_SERVICIO", t2027, &ev, &e), 0);
	assert_string_equal(ev.number, "INOP-2027-000001");
}

static void test_r3_one_open_event_per_point_and_procedure(void **state)
{
	struct fixture *f = *state;
	struct event ev, dup;
	struct inop_err e;
	char key[24];

	assert_int_equal(
		register_one(f, "RECLAMOS", "RECLAMO", 2000000000, &ev, &e),
		0);
	assert_int_equal(
		register_one(f, "RECLAMOS", "QUEJA", 2000000000, &dup, &e),
		-1);
	assert_string_equal(e.code, "DUPLICATE_OPEN_EVENT");
	assert_non_null(strstr(e.message, ev.number));
	snprintf(key, sizeof(key), "%lld", (long long)ev.id);
	assert_int_equal(store_event_change(f->db, key, "event.close",
					    close_decide, NULL, &f->jefe,
					    2000000000, &ev, &e),
			 0);
	/* Closed: a new one may be opened. */
	assert_int_equal(
		register_one(f, "RECLAMOS", "QUEJA", 2000000000, &dup, &e), 0);
}

static void test_r3_database_refuses_a_second_open_row(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	struct inop_err e;
	struct db_stmt *st;

	assert_int_equal(register_one(f, "CONSULTAS", "MIGRACION_PLAN",
				      2000000000, &ev, &e),
			 0);
	/* Bypassing the check in C: the unique index still says no. */
	st = db_prepare(
		f->db, "INSERT INTO events (number, point_id, procedure, "
		       "requests, applications, scenario, started_at, status, "
		       "origin, registered_at, registered_by, reportable) "
		       "SELECT 'X', point_id, procedure, requests, "
		       "applications, scenario, started_at, 'OPEN', origin, "
		       "registered_at, registered_by, 1 FROM events WHERE "
		       "id = ?");
	assert_non_null(st);
	db_bind_int(st, 1, ev.id);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_reset(st);
}

static int64_t verify(struct fixture *f)
{
	int64_t n;

	return audit_verify(f->db, f->devnull, &n);
}

static void test_a1_every_change_is_audited_and_chained(void **state)
{
	struct fixture *f = *state;
	struct event ev;
	struct inop_err e;
	struct audit_item *items;
	size_t n;
	char key[24];

	assert_int_equal(
		register_one(f, "BAJAS", "BAJA_SERVICIO", 2000000000, &ev, &e),
		0);
	snprintf(key, sizeof(key), "%lld", (long long)ev.id);
	assert_int_equal(store_event_change(f->db, key, "event.close",
					    close_decide, NULL, &f->jefe,
					    2000000100, &ev, &e),
			 0);
	assert_int_equal(store_audit_of(f->db, "event", ev.id, &items, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].action, "event.register");
	assert_null(items[0].before_json);
	assert_string_equal(items[1].action, "event.close");
	assert_non_null(strstr(items[1].before_json, "\"OPEN\""));
	assert_non_null(strstr(items[1].after_json, "\"CLOSED\""));
	assert_string_equal(items[1].actor, "jefe");
	audit_items_free(items, n);
	assert_int_equal(verify(f), 0);
}

static void tamper(struct fixture *f, const char *sql)
{
	assert_int_equal(db_exec(f->db, "DROP TRIGGER IF EXISTS "
					"audit_no_update; DROP TRIGGER IF "
					"EXISTS audit_no_delete"),
			 0);
	assert_int_equal(db_exec(f->db, sql), 0);
}

static void test_a1_audit_log_is_append_only(void **state)
{
	struct fixture *f = *state;

	assert_int_not_equal(db_exec(f->db, "UPDATE audit SET actor = 'x' "
					    "WHERE id = 1"),
			     0);
	assert_int_not_equal(db_exec(f->db, "DELETE FROM audit WHERE id = 1"),
			     0);
	assert_int_equal(verify(f), 0);
}

static void test_a1_verify_detects_an_edited_record(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(verify(f), 0);
	tamper(f, "UPDATE audit SET after_json = '{\"code\":\"X\"}' "
		  "WHERE id = 1");
	assert_true(verify(f) > 0);
}

static void test_a1_verify_detects_a_removed_record(void **state)
{
	struct fixture *f = *state;

	tamper(f, "DELETE FROM audit WHERE id = 1");
	assert_true(verify(f) > 0);
}

static void test_a1_verify_detects_a_removed_last_record(void **state)
{
	struct fixture *f = *state;

	tamper(f, "DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)");
	assert_true(verify(f) > 0);
}

static void test_a1_verify_detects_an_inserted_record(void **state)
{
	struct fixture *f = *state;

	/* A copy of record 1 slipped in with a fresh id in the middle:
	 * the links around it break. */
	tamper(f, "INSERT INTO audit (id, at, actor, action, entity, "
		  "entity_id, before_json, after_json, prev_hash, hash) "
		  "SELECT 1000, at, actor, action, entity, entity_id, "
		  "before_json, after_json, prev_hash, hash FROM audit "
		  "WHERE id = 1; UPDATE audit SET id = -id WHERE id >= 2; "
		  "UPDATE audit SET id = 2 WHERE id = 1000; "
		  "UPDATE audit SET id = -id + 1 WHERE id < 0");
	assert_true(verify(f) > 0);
}

/*
 * session_idle_minutes is exact to the minute: a session used 45 s ago is
 * alive whatever happened before, one unused for 61 s (idle 1 minute) is
 * not.  Recording activity only once a minute expired it 90 s after the
 * login although it had been used 45 s before.
 */
static void test_session_idle_counts_from_the_last_use(void **state)
{
	struct fixture *f = *state;
	struct actor a;
	const char *tok = "00112233445566778899aabbccddeeff"
			  "00112233445566778899aabbccddeeff";
	int64_t t0 = 2000000000;

	assert_int_equal(store_session_create(f->db, tok, f->jefe.id, t0), 0);
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 45, 60, &a), 1);
	assert_string_equal(a.username, "jefe");
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 90, 60, &a), 1);
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 95, 60, &a), 1);
	/* Last recorded use: t0 + 90 (t0 + 95 is within the 10 s). */
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 151, 60, &a),
			 0);
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 152, 60, &a),
			 0);
}

static int64_t sessions(struct fixture *f)
{
	struct db_stmt *st =
		db_prepare(f->db, "SELECT COUNT(*) FROM sessions");
	int64_t n = -1;

	assert_non_null(st);
	assert_int_equal(db_get_int(st, &n), 1);
	return n;
}

/*
 * A lookup never waits for another writer: it runs on a thread that
 * serves many connections.  An expired session is refused and left for
 * the job sessions-expire; the record of a use is skipped while another
 * connection holds SQLite's write lock (it waited out the busy timeout,
 * 10 s, before), and made by a later lookup.
 */
static void test_session_lookup_never_waits_for_a_writer(void **state)
{
	struct fixture *f = *state;
	struct actor a;
	const char *tok = "ffeeddccbbaa99887766554433221100"
			  "ffeeddccbbaa99887766554433221100";
	const char *old = "0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef";
	int64_t t0 = 2000000000, seen;
	struct inop_err e;
	struct db *other;
	struct db_stmt *st;
	struct timespec t1, t2;

	assert_int_equal(store_session_create(f->db, tok, f->jefe.id, t0), 0);
	assert_int_equal(
		store_session_create(f->db, old, f->jefe.id, t0 - 600), 0);
	assert_int_equal(db_open(f->path, &other, &e), 0);
	assert_int_equal(db_exec(other, "BEGIN IMMEDIATE"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 30, 60, &a), 1);
	assert_int_equal(store_session_lookup(f->db, old, t0 + 30, 60, &a), 0);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	assert_true(t2.tv_sec - t1.tv_sec < 5); /* not the busy timeout */
	assert_int_equal(db_exec(other, "ROLLBACK"), 0);
	db_close(other);
	st = db_prepare(f->db, "SELECT last_seen_at FROM sessions WHERE "
			       "token_hash = ?");
	assert_non_null(st);
	db_bind_text(st, 1, tok);
	assert_int_equal(db_get_int(st, &seen), 1);
	assert_int_equal(seen, t0); /* skipped */
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 31, 60, &a), 1);
	db_bind_text(st, 1, tok);
	assert_int_equal(db_get_int(st, &seen), 1);
	assert_int_equal(seen, t0 + 31); /* made by the next lookup */
	/* The expired one is still there until the job removes it. */
	assert_int_equal(sessions(f), 2);
	assert_int_equal(store_sessions_expire(f->db, t0 + 31 - 60), 1);
	assert_int_equal(sessions(f), 1);
	assert_int_equal(store_session_lookup(f->db, tok, t0 + 32, 60, &a), 1);
}

/* Runs the migrations of `files` on a fresh file; the applied versions. */
static void applied_versions(struct db *db, char *out, size_t n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT version FROM schema_migrations ORDER BY version");

	out[0] = '\0';
	while (db_step(st) == DB_ROW)
		snprintf(out + strlen(out), n - strlen(out), "%lld,",
			 (long long)db_col_int(st, 0));
	db_reset(st);
}

static void test_migrations_apply_every_missing_version_in_order(void **s)
{
	/* Out of order in the table, with a gap (3, 4 missing) and another
	 * engine's file: 002 must run before 005, which alters its table. */
	static const unsigned char m1[] = "CREATE TABLE t1 (a INTEGER);";
	static const unsigned char m2[] = "CREATE TABLE t2 (a INTEGER);";
	static const unsigned char m5[] = "ALTER TABLE t2 ADD COLUMN b TEXT;";
	static const unsigned char m3[] = "CREATE TABLE t3 (a INTEGER);";
	static const unsigned char pg[] = "THIS IS NOT SQLITE;";
	const struct inop_embedded first[] = {
		{"src/store/sql/sqlite/005_five.sql", m5, sizeof(m5) - 1},
		{"src/store/sql/pg/004_four.sql", pg, sizeof(pg) - 1},
		{"src/store/sql/sqlite/001_one.sql", m1, sizeof(m1) - 1},
		{"src/store/sql/sqlite/002_two.sql", m2, sizeof(m2) - 1},
		{NULL, NULL, 0}};
	/* Later 003 lands (another branch merged): it is applied too. */
	const struct inop_embedded later[] = {
		first[0],
		first[1],
		first[2],
		first[3],
		{"src/store/sql/sqlite/003_three.sql", m3, sizeof(m3) - 1},
		{NULL, NULL, 0}};
	const struct inop_embedded twice[] = {
		first[2],
		{"src/store/sql/sqlite/001_again.sql", m3, sizeof(m3) - 1},
		{NULL, NULL, 0}};
	char p[64], versions[64];
	struct inop_err e;
	struct db *db;
	int fd;

	(void)s;
	snprintf(p, sizeof(p), "/tmp/inop-migr-XXXXXX");
	fd = mkstemp(p);
	close(fd);
	assert_int_equal(db_open(p, &db, &e), 0);
	assert_int_equal(store_migrate_files(db, first, &e), 0);
	applied_versions(db, versions, sizeof(versions));
	assert_string_equal(versions, "1,2,5,");
	assert_int_equal(store_migrate_files(db, first, &e), 0);
	assert_int_equal(store_migrate_files(db, later, &e), 0);
	applied_versions(db, versions, sizeof(versions));
	assert_string_equal(versions, "1,2,3,5,");
	assert_int_equal(db_exec(db, "INSERT INTO t3 (a) VALUES (1); "
				     "INSERT INTO t2 (a, b) VALUES (1, 'x')"),
			 0);
	/* Two files with one number are refused. */
	assert_int_equal(store_migrate_files(db, twice, &e), -1);
	db_close(db);
	unlink(p);
}

static void test_migrations_of_the_binary_include_mass_failures(void **s)
{
	struct fixture *f = *s;
	char versions[64];

	applied_versions(f->db, versions, sizeof(versions));
	assert_non_null(strstr(versions, "5,"));
	assert_int_equal(db_exec(f->db, "SELECT id FROM mass_failures; "
					"SELECT id FROM mass_failure_alerts"),
			 0);
}

/* Batch: a counter moved in memory is rolled back with its change's
 * savepoint and written once at the end (store/batch.h). */
static void test_batch_counter_undo_and_flush(void **state)
{
	struct fixture *f = *state;
	int64_t v = 0;

	assert_int_equal(store_batch_begin(f->db), 0);
	assert_int_equal(store_counter_next(f->db, "batch-test", &v), 0);
	assert_int_equal(v, 1);
	store_batch_mark();
	assert_int_equal(store_counter_next(f->db, "batch-test", &v), 0);
	assert_int_equal(v, 2);
	store_batch_undo(); /* that change was refused */
	store_batch_mark();
	assert_int_equal(store_counter_next(f->db, "batch-test", &v), 0);
	assert_int_equal(v, 2); /* gapless: 2 again */
	assert_int_equal(store_counter_next(f->db, "batch-test", &v), 0);
	assert_int_equal(store_counter_value(f->db, "batch-test", &v), 0);
	assert_int_equal(v, 3); /* the transaction sees its own moves */
	assert_int_equal(store_batch_flush(f->db), 0);
	assert_int_equal(store_batch_commit(f->db), 0);
	store_batch_end();
	assert_int_equal(store_counter_value(f->db, "batch-test", &v), 0);
	assert_int_equal(v, 3); /* written once, as moved */
}

/* Batch: a counter only bumped is not read; the flush adds the batch's
 * bumps to its row (or creates it).  A later read or next() of it in the
 * batch counts them. */
static void test_batch_bumps_are_added_at_the_flush(void **state)
{
	struct fixture *f = *state;
	int64_t v = 0;

	assert_int_equal(db_exec(f->db, "INSERT INTO counters (name, value) "
					"VALUES ('bump-test', 5)"),
			 0);
	assert_int_equal(store_batch_begin(f->db), 0);
	assert_int_equal(store_counter_bump(f->db, "bump-test"), 0);
	assert_int_equal(store_counter_bump(f->db, "bump-new"), 0);
	store_batch_mark();
	assert_int_equal(store_counter_bump(f->db, "bump-test"), 0);
	store_batch_undo(); /* that change was refused */
	assert_int_equal(store_counter_bump(f->db, "bump-test"), 0);
	assert_int_equal(store_counter_bump(f->db, "bump-new"), 0);
	assert_int_equal(store_counter_value(f->db, "bump-test", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(store_counter_value(f->db, "bump-new", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(store_counter_next(f->db, "bump-test", &v), 0);
	assert_int_equal(v, 8); /* 5, two bumps, and this one */
	assert_int_equal(store_counter_bump(f->db, "bump-test"), 0);
	assert_int_equal(store_batch_flush(f->db), 0);
	assert_int_equal(store_batch_commit(f->db), 0);
	store_batch_end();
	assert_int_equal(store_counter_value(f->db, "bump-test", &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(store_counter_value(f->db, "bump-new", &v), 0);
	assert_int_equal(v, 2);
}

struct recipients_job {
	struct fixture *f;
	struct buf before, after;
};

static int recipients_body(struct db *db, void *arg, struct inop_err *e)
{
	struct recipients_job *j = arg;
	struct user u = {0};
	const char *codes[] = {"CAC-1"};

	if (store_role_emails(db, "JEFE", j->f->point.ref.id, &j->before) < 0)
		return -1;
	snprintf(u.username, sizeof(u.username), "jefe2");
	snprintf(u.name, sizeof(u.name), "Jefe Dos");
	snprintf(u.email, sizeof(u.email), "j2@x.pe");
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = ROLE_JEFE;
	if (store_user_insert(db, &u, codes, 1, "t", 1, e) < 0)
		return -1;
	return store_role_emails(db, "JEFE", j->f->point.ref.id, &j->after);
}

/* Batch: recipients are looked up once per batch, and a user created in
 * the batch is among them afterwards. */
static void test_batch_recipients_follow_a_user_created_in_it(void **state)
{
	struct recipients_job j = {.f = *state};
	struct inop_err e;

	buf_init(&j.before, 4096);
	buf_init(&j.after, 4096);
	assert_int_equal(store_write(j.f->db, recipients_body, &j, &e), 0);
	assert_string_equal(j.before.s, "j@x.pe");
	assert_string_equal(j.after.s, "j2@x.pe,j@x.pe");
	buf_release(&j.before);
	buf_release(&j.after);
}

struct user_thread {
	const char *path;
	int rc;
};

/* A JEFE of CAC-1 created on a connection and thread of its own (as
 * another request or node would). */
static void *create_jefe3(void *arg)
{
	struct user_thread *t = arg;
	struct user u = {0};
	const char *codes[] = {"CAC-1"};
	struct inop_err e;
	struct db *db;

	t->rc = db_open(t->path, &db, &e);
	if (t->rc < 0)
		return NULL;
	snprintf(u.username, sizeof(u.username), "jefe3");
	snprintf(u.name, sizeof(u.name), "Jefe Tres");
	snprintf(u.email, sizeof(u.email), "j3@x.pe");
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = ROLE_JEFE;
	t->rc = store_user_insert(db, &u, codes, 1, "t", 1, &e);
	db_close(db);
	return NULL;
}

/* One committed batch of this thread, looking up the JEFEs of CAC-1: 1
 * when they were still known from the batch before. */
static int recipients_batch(struct fixture *f, struct buf *out)
{
	int kept;

	assert_int_equal(store_batch_begin(f->db), 0);
	kept = store_batch_recipients("JEFE", f->point.ref.id) != NULL;
	buf_reset(out);
	assert_int_equal(
		store_role_emails(f->db, "JEFE", f->point.ref.id, out), 0);
	assert_int_equal(store_batch_flush(f->db), 0);
	assert_int_equal(store_batch_commit(f->db), 0);
	store_batch_end();
	return kept;
}

/* The group writer keeps the recipients from one batch to the next until
 * a user is created anywhere: the users' version moves at that commit.
 * A user created by another thread does not touch this thread's memo, so
 * without that version the next batch would still miss them. */
static void test_batch_keeps_recipients_until_a_user_is_created(void **state)
{
	struct fixture *f = *state;
	struct user_thread t = {.path = f->path};
	struct inop_err e;
	struct buf out;
	pthread_t th;

	buf_init(&out, 4096);
	assert_int_equal(store_versions_listen(f->path, &e), 0);
	store_batch_keep(1);
	assert_int_equal(recipients_batch(f, &out), 0);
	assert_string_equal(out.s, "j@x.pe");
	assert_int_equal(recipients_batch(f, &out), 1); /* kept */
	assert_string_equal(out.s, "j@x.pe");
	assert_int_equal(pthread_create(&th, NULL, create_jefe3, &t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(t.rc, 0);
	assert_int_equal(recipients_batch(f, &out), 0); /* forgotten */
	assert_string_equal(out.s, "j3@x.pe,j@x.pe");
	/* A batch rolled back forgets what it looked up. */
	assert_int_equal(store_batch_begin(f->db), 0);
	assert_non_null(store_batch_recipients("JEFE", f->point.ref.id));
	store_batch_end(); /* no commit */
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(recipients_batch(f, &out), 0);
	store_batch_keep(0);
	store_versions_stop();
	buf_release(&out);
}

/* A cached reply is shared, not copied: a put for its key while a reply
 * still sends it leaves the bytes it holds (ASan's pass sees a use after
 * free otherwise); the next get gets the new bytes. */
static void test_rcache_shares_bytes_until_released(void **state)
{
	const char *a, *b, *c;
	size_t len = 0;

	(void)state;
	assert_null(rcache_get("/events?x", 1, &len));
	rcache_put("/events?x", 1, "{\"total\":1}", 11);
	a = rcache_get("/events?x", 1, &len);
	b = rcache_get("/events?x", 1, &len);
	assert_non_null(a);
	assert_ptr_equal(a, b); /* no copy */
	assert_int_equal(len, 11);
	assert_null(rcache_get("/events?x", 2, &len)); /* another version */
	rcache_put("/events?x", 2, "{\"total\":2}", 11);
	assert_string_equal(a, "{\"total\":1}"); /* still held */
	rcache_release((void *)a);
	assert_string_equal(b, "{\"total\":1}");
	rcache_release((void *)b);
	c = rcache_get("/events?x", 2, &len);
	assert_string_equal(c, "{\"total\":2}");
	rcache_release((void *)c);
}

/* The stamp of the WAL index of the fixture's database now. */
static uint64_t stamp_now(int fd)
{
	uint64_t v = 0;

	assert_int_equal(db_commits_stamp(fd, &v), 0);
	return v;
}

static void own_write(struct db *db, int v)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "INSERT INTO t VALUES (%d)", v);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, sql), 0);
	assert_int_equal(db_commit(db), 0);
}

/*
 * The WAL index tells this process's commits from others': a chain of
 * its own db_commit()s is its own; a commit by another connection
 * outside it (another process) and a checkpoint that restarted the log
 * are not, nor any chain through them.
 */
static void test_commits_own_tells_this_process_from_others(void **state)
{
	struct fixture *f = *state;
	sqlite3 *other;
	uint64_t s0, s1, s2, s3, s4, s5;
	int fd;

	assert_int_equal(db_exec(f->db, "CREATE TABLE t (v INTEGER)"), 0);
	fd = db_commits_open(f->path);
	assert_true(fd >= 0);
	s0 = stamp_now(fd);
	own_write(f->db, 1);
	s1 = stamp_now(fd);
	assert_true(s1 != s0);
	assert_int_equal(db_commits_own(s0, s1), 1);
	own_write(f->db, 2);
	s2 = stamp_now(fd);
	assert_int_equal(db_commits_own(s1, s2), 1);
	assert_int_equal(db_commits_own(s0, s2), 1); /* a chain */
	assert_int_equal(db_commits_own(s2, s0), 0);
	/* Another process's commit (a connection not of this driver). */
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(other, "INSERT INTO t VALUES (3)", 0, 0, 0),
		SQLITE_OK);
	s3 = stamp_now(fd);
	assert_int_equal(db_commits_own(s2, s3), 0);
	assert_int_equal(db_commits_own(s0, s3), 0);
	/* Ours after theirs: from theirs on it is ours, not before. */
	own_write(f->db, 4);
	s4 = stamp_now(fd);
	assert_int_equal(db_commits_own(s3, s4), 1);
	assert_int_equal(db_commits_own(s2, s4), 0);
	/* A checkpoint that truncates the log changes the header. */
	assert_int_equal(sqlite3_exec(other, "PRAGMA wal_checkpoint(TRUNCATE)",
				      0, 0, 0),
			 SQLITE_OK);
	s5 = stamp_now(fd);
	assert_true(s5 != s4);
	assert_int_equal(db_commits_own(s4, s5), 0);
	own_write(f->db, 5); /* ours again, on the restarted log */
	assert_int_equal(db_commits_own(s5, stamp_now(fd)), 1);
	sqlite3_close(other);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcache_shares_bytes_until_released),
		cmocka_unit_test_setup_teardown(
			test_commits_own_tells_this_process_from_others, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_r8_numbers_are_gapless_per_lima_year, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_r3_one_open_event_per_point_and_procedure, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_r3_database_refuses_a_second_open_row, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_every_change_is_audited_and_chained, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_audit_log_is_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_verify_detects_an_edited_record, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_verify_detects_a_removed_record, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_verify_detects_a_removed_last_record, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a1_verify_detects_an_inserted_record, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_session_idle_counts_from_the_last_use, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_session_lookup_never_waits_for_a_writer, setup,
			teardown),
		cmocka_unit_test(
			test_migrations_apply_every_missing_version_in_order),
		cmocka_unit_test_setup_teardown(
			test_batch_counter_undo_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_batch_bumps_are_added_at_the_flush, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_batch_keeps_recipients_until_a_user_is_created,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_batch_recipients_follow_a_user_created_in_it,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_migrations_of_the_binary_include_mass_failures,
			setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
