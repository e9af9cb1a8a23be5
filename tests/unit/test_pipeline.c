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

#include "db/db.h"
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
