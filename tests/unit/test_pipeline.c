/*
 * db_run_later() and db_flush() (db/db.h) on the engine of
 * INOP_TEST_DB_URL -- a real PostgreSQL server when tests/pg/with-postgres.sh
 * runs this (ctest db_pipeline_pg), else a SQLite file.  On PostgreSQL the
 * writes go in libpq's pipeline and a failure is reported by the next call
 * that waits for the server; on SQLite at once.  Either way a failed write
 * fails its change and leaves nothing.
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
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "db/db.h"
#include "store/audit.h"
#include "store/batch.h"
#include "store/store.h"
#include "store/writer.h"

struct fixture {
	char path[64];
	const char *url;
	struct db *db;
	int pg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *env = getenv("INOP_TEST_DB_URL");
	struct inop_err e;
	int fd;

	if (env && *env) {
		f->url = env;
	} else {
		snprintf(f->path, sizeof(f->path), "/tmp/inop-pipe-XXXXXX");
		fd = mkstemp(f->path);
		assert_int_equal(close(fd), 0);
		f->url = f->path;
	}
	assert_int_equal(db_open(f->url, &f->db, &e), 0);
	f->pg = strcmp(db_engine(f->db), "postgresql") == 0;
	/* The writer's transactions lock the audit head (store/batch.h). */
	assert_int_equal(store_migrate(f->db, &e), 0);
	assert_int_equal(db_exec(f->db, "DROP TABLE IF EXISTS pipe_t"), 0);
	assert_int_equal(db_exec(f->db,
				 "CREATE TABLE pipe_t (id INTEGER "
				 "PRIMARY KEY, v INTEGER CHECK (v > 0))"),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	(void)db_exec(f->db, "DROP TABLE IF EXISTS pipe_t");
	db_close(f->db);
	if (f->path[0])
		unlink(f->path);
	free(f);
	return 0;
}

static int insert_later(struct db *db, int64_t id, int64_t v)
{
	struct db_stmt *st =
		db_prepare(db, "INSERT INTO pipe_t (id, v) VALUES (?, ?)");

	assert_non_null(st);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, v);
	return db_run_later(st);
}

static int64_t rows(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM pipe_t");
	int64_t n = -1;

	assert_non_null(st);
	assert_int_equal(db_get_int(st, &n), 1);
	return n;
}

/* Writes sent later are seen by the read after them, and kept. */
static void test_later_writes_are_read_back_and_committed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(insert_later(f->db, i, i), DB_DONE);
	assert_int_equal(rows(f->db), 3);
	assert_int_equal(insert_later(f->db, 4, 4), DB_DONE);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(rows(f->db), 4);
}

/* A failed write is reported by the next statement; a rollback then
 * leaves nothing of the transaction. */
static void test_failure_is_reported_by_the_next_statement(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st;
	int rc;

	/* Prepared once before (as a serving connection has its
	 * statements): a first prepare would end the pipeline itself. */
	assert_int_equal(rows(f->db), 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert_later(f->db, 10, 1), DB_DONE);
	rc = insert_later(f->db, 11, -1); /* violates the CHECK */
	if (f->pg) {
		assert_int_equal(rc, DB_DONE); /* sent, not answered yet */
		assert_int_equal(insert_later(f->db, 12, 1), DB_DONE);
		st = db_prepare(f->db, "SELECT COUNT(*) FROM pipe_t");
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_CONSTRAINT);
		db_reset(st);
		/* For the log of whoever judges it (store_body_fail). */
		assert_non_null(strstr(db_errmsg(f->db), "pipe_t_v_check"));
	} else {
		assert_int_equal(rc, DB_CONSTRAINT); /* SQLite: at once */
	}
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(rows(f->db), 0);
}

static void test_flush_reports_the_first_failure(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert_later(f->db, 20, 1), DB_DONE);
	assert_int_equal(db_flush(f->db), 0);
	if (f->pg) {
		assert_int_equal(insert_later(f->db, 20, 1), DB_DONE);
		assert_int_equal(db_flush(f->db), DB_CONSTRAINT); /* the key */
	}
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(rows(f->db), 0);
}

/* A COMMIT carrying a failed write fails: nothing is written. */
static void test_commit_after_a_failed_write_fails(void **state)
{
	struct fixture *f = *state;

	if (!f->pg)
		return; /* SQLite refused the write itself (test above) */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert_later(f->db, 30, 1), DB_DONE);
	assert_int_equal(insert_later(f->db, 31, 0), DB_DONE);
	assert_int_not_equal(db_commit(f->db), 0);
	(void)db_rollback(f->db);
	assert_int_equal(rows(f->db), 0);
}

/* Outside a transaction nothing would end the pipeline: run at once. */
static void test_outside_a_transaction_it_runs_at_once(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(insert_later(f->db, 40, 1), DB_DONE);
	assert_int_equal(insert_later(f->db, 41, -5), DB_CONSTRAINT);
	assert_int_equal(rows(f->db), 1);
}

/* More writes than the pipeline holds (128) are all kept. */
static void test_a_long_run_of_writes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	for (int i = 1; i <= 1000; i++)
		assert_int_equal(insert_later(f->db, 100 + i, i), DB_DONE);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(rows(f->db), 1000);
}

static int body_insert(struct db *db, void *ctx, struct inop_err *err)
{
	const int64_t *v = ctx;

	if (insert_later(db, 500, 1) != DB_DONE ||
	    insert_later(db, 501, *v) != DB_DONE)
		return store_body_fail(db, err);
	return 0;
}

/* Through the group writer: a change whose later write fails is refused
 * (500) and leaves nothing; the next change is written. */
static void test_group_writer_refuses_a_change_whose_write_failed(void **state)
{
	struct fixture *f = *state;
	struct inop_err e;
	int64_t bad = -1, good = 1;

	assert_int_equal(store_writer_start(f->url, &e), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_write(f->db, body_insert, &bad, &e), -1);
	assert_int_equal(e.status, 500);
	assert_int_equal(rows(f->db), 0);
	assert_int_equal(store_write(f->db, body_insert, &good, &e), 0);
	store_writer_stop();
	assert_int_equal(rows(f->db), 2);
}

static int body_insert_id(struct db *db, void *ctx, struct inop_err *err)
{
	const int64_t *id = ctx;

	if (insert_later(db, *id, 1) != DB_DONE)
		return store_body_fail(db, err);
	return 0;
}

/* The writer starts again after a stop (the tests do): each new writer
 * takes the writes queued after its start.  A writer that still saw the
 * earlier stop ended at once, and the write waited for ever (the alarm
 * ends the test then).  That race was seen under ThreadSanitizer; plain
 * runs here did not hit it in 3 x 300 restarts, so this test guards the
 * restart itself more than the race. */
static void test_group_writer_restarts(void **state)
{
	struct fixture *f = *state;
	struct inop_err e;

	alarm(120);
	for (int64_t i = 1; i <= 300; i++) {
		int64_t id = 1000 + i;

		assert_int_equal(store_writer_start(f->url, &e), 0);
		assert_int_equal(store_write(f->db, body_insert_id, &id, &e),
				 0);
		store_writer_stop();
	}
	alarm(0);
	assert_int_equal(rows(f->db), 300);
}

struct pair {
	int64_t id, v; /* rows id (v 1) and id + 1 (v) */
	struct fixture *f;
	int replayable; /* store_write_replayable() */
	int read;	/* then counts the rows (a round trip) */
	int runs;	/* of its body */
	int rc;
	struct inop_err e;
};

static int body_pair(struct db *db, void *ctx, struct inop_err *err)
{
	struct pair *p = ctx;
	struct db_stmt *st;
	int64_t n;

	p->runs++;
	if (insert_later(db, p->id, 1) != DB_DONE ||
	    insert_later(db, p->id + 1, p->v) != DB_DONE)
		return store_body_fail(db, err);
	if (!p->read)
		return 0;
	st = db_prepare(db, "SELECT COUNT(*) FROM pipe_t");
	if (!st || db_get_int(st, &n) != 1)
		return store_body_fail(db, err);
	return 0;
}

static int write_with(struct pair *p, store_body_fn body)
{
	return p->replayable ? store_write_replayable(p->f->db, body, p, &p->e)
			     : store_write(p->f->db, body, p, &p->e);
}

static void *write_pair(void *arg)
{
	struct pair *p = arg;

	p->rc = write_with(p, body_pair);
	return NULL;
}

/* The gate holds the writer inside change A while B and C queue up. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_entered, gate_open;

static int body_gate(struct db *db, void *ctx, struct inop_err *err)
{
	pthread_mutex_lock(&gate_lock);
	gate_entered = 1;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	return body_pair(db, ctx, err);
}

static void *write_gate(void *arg)
{
	struct pair *p = arg;

	p->rc = write_with(p, body_gate);
	return NULL;
}

static int row_exists(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM pipe_t WHERE "
					    "id = ?");

	assert_non_null(st);
	db_bind_int(st, 1, id);
	return db_get_one(st, NULL, NULL);
}

/* A runs alone while B and C queue up; then B and C run in one batch, B
 * first. */
static void run_three(struct fixture *f, struct pair *a, struct pair *b,
		      struct pair *c)
{
	pthread_t ta, tb, tc;
	struct inop_err e;
	struct timespec step = {0, 1000000};
	time_t deadline = time(NULL) + 120;

	gate_entered = gate_open = 0;
	assert_int_equal(store_writer_start(f->url, &e), 0);
	assert_int_equal(pthread_create(&ta, NULL, write_gate, a), 0);
	pthread_mutex_lock(&gate_lock);
	while (!gate_entered)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	/* B queued before C, then both wait together: the writer's next
	 * batch takes both, in that order. */
	assert_int_equal(pthread_create(&tb, NULL, write_pair, b), 0);
	while (store_writer_waiting() < 1 && time(NULL) < deadline)
		nanosleep(&step, NULL);
	assert_int_equal(store_writer_waiting(), 1);
	assert_int_equal(pthread_create(&tc, NULL, write_pair, c), 0);
	while (store_writer_waiting() < 2 && time(NULL) < deadline)
		nanosleep(&step, NULL);
	assert_int_equal(store_writer_waiting(), 2);
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_join(tc, NULL);
	store_writer_stop();
}

/* Two changes in one batch (each in its savepoint): the one whose later
 * write fails is refused alone, the other is kept. */
static void test_a_failed_write_fails_only_its_change_in_a_batch(void **state)
{
	struct fixture *f = *state;
	struct pair a = {.id = 600, .v = 1, .f = f};
	struct pair b = {.id = 700, .v = -1, .f = f};
	struct pair c = {.id = 800, .v = 1, .f = f};

	run_three(f, &a, &b, &c);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, -1);
	assert_int_equal(b.e.status, 500);
	assert_int_equal(c.rc, 0);
	assert_int_equal(row_exists(f->db, 700), 0);
	assert_int_equal(row_exists(f->db, 801), 1);
	assert_int_equal(rows(f->db), 4); /* A's two and C's two */
	assert_int_equal(b.runs + c.runs, 2);
}

/*
 * Replayable changes: their batch runs once without savepoints when
 * nothing fails.  When B's write fails -- on PostgreSQL reported to C,
 * whose read follows it in the pipeline -- the batch runs again, each
 * change in its savepoint: B is refused alone and C kept, as without
 * replay.
 */
static void
test_an_optimistic_batch_runs_again_when_a_change_fails(void **state)
{
	struct fixture *f = *state;
	struct pair a = {.id = 600, .v = 1, .f = f, .replayable = 1};
	struct pair b = {.id = 700, .v = -1, .f = f, .replayable = 1};
	struct pair c = {
		.id = 800, .v = 1, .f = f, .replayable = 1, .read = 1};

	run_three(f, &a, &b, &c);
	assert_int_equal(a.rc, 0);
	assert_int_equal(a.runs, 1);
	assert_int_equal(b.rc, -1);
	assert_int_equal(b.e.status, 500);
	assert_int_equal(c.rc, 0);
	assert_string_equal(c.e.code, "");
	assert_int_equal(row_exists(f->db, 700), 0);
	assert_int_equal(row_exists(f->db, 801), 1);
	assert_int_equal(rows(f->db), 4);
	assert_int_equal(b.runs, 2);
	assert_int_equal(c.runs, f->pg ? 2 : 1); /* SQLite: B failed first */
}

/* After an optimistic batch failed, the next batches run with savepoints
 * at once: a second failing change runs once. */
static void
test_after_a_failed_optimistic_batch_savepoints_at_once(void **state)
{
	struct fixture *f = *state;
	struct pair a = {.id = 900, .v = -1, .f = f, .replayable = 1};
	struct pair b = {.id = 910, .v = -1, .f = f, .replayable = 1};
	struct inop_err e;

	assert_int_equal(store_writer_start(f->url, &e), 0);
	write_pair(&a);
	write_pair(&b);
	store_writer_stop();
	assert_int_equal(a.rc, -1);
	assert_int_equal(b.rc, -1);
	assert_int_equal(a.e.status, 500);
	assert_int_equal(b.e.status, 500);
	assert_int_equal(a.runs, 2);
	assert_int_equal(b.runs, 1);
	assert_int_equal(rows(f->db), 0);
}

static void test_an_optimistic_batch_that_holds_runs_once(void **state)
{
	struct fixture *f = *state;
	struct pair a = {.id = 600, .v = 1, .f = f, .replayable = 1};
	struct pair b = {.id = 700, .v = 1, .f = f, .replayable = 1};
	struct pair c = {
		.id = 800, .v = 1, .f = f, .replayable = 1, .read = 1};

	run_three(f, &a, &b, &c);
	assert_int_equal(a.rc + b.rc + c.rc, 0);
	assert_int_equal(a.runs + b.runs + c.runs, 3);
	assert_int_equal(rows(f->db), 6);
}

/* One change that is not replayable runs its whole batch as store_write()
 * runs it: B fails, C runs once. */
static void test_a_batch_with_a_plain_change_is_not_optimistic(void **state)
{
	struct fixture *f = *state;
	struct pair a = {.id = 600, .v = 1, .f = f};
	struct pair b = {.id = 700, .v = -1, .f = f, .replayable = 1};
	struct pair c = {.id = 800, .v = 1, .f = f, .read = 1};

	run_three(f, &a, &b, &c);
	assert_int_equal(b.rc, -1);
	assert_int_equal(c.rc, 0);
	assert_int_equal(b.runs + c.runs, 2);
	assert_int_equal(rows(f->db), 4);
}

/* Node B's registration: the year's counter and the head, then its
 * audit record, in a batch of its own connection. */
struct node_b {
	const char *url;
	int64_t number, record;
	int rc;
};

static void *register_on_b(void *arg)
{
	struct node_b *b = arg;
	struct audit_rec rec = {
		.at = 1, .actor = "b", .action = "CREATE", .entity = "event"};
	struct inop_err e;
	struct db *db;

	b->rc = -1;
	if (db_open(b->url, &db, &e) < 0)
		return NULL;
	if (store_batch_begin(db) == 0 &&
	    store_counter_next_and_head(db, "test-year", &b->number) == 0 &&
	    audit_append(db, &rec) == 0 &&
	    store_batch_head(&b->record, (char[65]){0}) == 1 &&
	    store_batch_flush(db) == 0 && store_batch_commit(db) == 0)
		b->rc = 0;
	else
		db_rollback(db);
	store_batch_end();
	db_close(db);
	return NULL;
}

/* Backends of the test's database waiting for a lock. */
static int64_t lock_waiters(struct db *db)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
		    "current_database() AND wait_event_type = 'Lock'");
	int64_t n = -1;

	assert_non_null(st);
	assert_int_equal(db_get_int(st, &n), 1);
	return n;
}

/*
 * Two nodes' write transactions on PostgreSQL.  A appends to the audit log
 * (a closure, say), then registers: head, then the year's counter.  B
 * registers meanwhile: counter, then head -- were it not that every write
 * transaction locks the head at its BEGIN.  Then B waits for A without
 * holding the counter, and both commit, B after A; else PostgreSQL finds
 * the deadlock after its deadlock_timeout (1 s) and aborts one.
 */
/* Node A holds the head; B's registration waits for it, then commits
 * after A, its number and audit record after A's.  B_SERIALIZABLE: B's
 * connection defaults to serializable transactions (PGOPTIONS, as a
 * DBA's default_transaction_isolation would), under which B's read of
 * the head A changed would fail -- unless Inop's transactions say their
 * own isolation level. */
static void two_nodes_register(struct fixture *f, int b_serializable)
{
	struct audit_rec rec = {
		.at = 1, .actor = "a", .action = "UPDATE", .entity = "event"};
	struct node_b b = {.url = f->url};
	char hash[65];
	int64_t number, record;
	pthread_t tb;

	alarm(60); /* B never waiting: the wait below would not end */
	if (b_serializable)
		assert_int_equal(
			setenv("PGOPTIONS",
			       "-c default_transaction_isolation=serializable",
			       1),
			0);
	assert_int_equal(store_batch_begin(f->db), 0);
	assert_int_equal(audit_append(f->db, &rec), 0); /* holds the head */
	assert_int_equal(pthread_create(&tb, NULL, register_on_b, &b), 0);
	{
		struct db *watch;
		struct inop_err e;

		assert_int_equal(db_open(f->url, &watch, &e), 0);
		while (lock_waiters(watch) < 1)
			nanosleep(&(struct timespec){.tv_nsec = 5000000},
				  NULL);
		db_close(watch);
	}
	assert_int_equal(store_counter_next(f->db, "test-year", &number), 0);
	assert_int_equal(store_batch_head(&record, hash), 1);
	assert_int_equal(store_batch_flush(f->db), 0);
	assert_int_equal(store_batch_commit(f->db), 0);
	store_batch_end();
	assert_int_equal(pthread_join(tb, NULL), 0);
	alarm(0);
	assert_int_equal(unsetenv("PGOPTIONS"), 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.number, number + 1);
	assert_int_equal(b.record, record + 1); /* the chain after A's */
}

static void test_two_nodes_batches_take_their_locks_in_one_order(void **state)
{
	struct fixture *f = *state;

	if (!f->pg)
		skip(); /* one writer at a time: no row locks to order */
	two_nodes_register(f, 0);
}

static void
test_a_node_commits_whatever_the_database_default_isolation(void **state)
{
	struct fixture *f = *state;

	if (!f->pg)
		skip(); /* SQLite's transactions are serializable */
	two_nodes_register(f, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_later_writes_are_read_back_and_committed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failure_is_reported_by_the_next_statement, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_flush_reports_the_first_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_commit_after_a_failed_write_fails, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_outside_a_transaction_it_runs_at_once, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_a_long_run_of_writes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_group_writer_refuses_a_change_whose_write_failed,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_failed_write_fails_only_its_change_in_a_batch,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_an_optimistic_batch_runs_again_when_a_change_fails,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_an_optimistic_batch_that_holds_runs_once, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_after_a_failed_optimistic_batch_savepoints_at_once,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_batch_with_a_plain_change_is_not_optimistic,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_writer_restarts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_two_nodes_batches_take_their_locks_in_one_order,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_node_commits_whatever_the_database_default_isolation,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
