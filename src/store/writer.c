#include "store/writer.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "store/batch.h"
#include "util/log.h"

#define BATCH_MAX 512

struct job {
	store_body_fn body;
	void *ctx;
	struct inop_err *err;
	int rc;
	int replayable; /* store_write_replayable() */
	/* Posted when this job is done, without q_lock: only its own waiter
	 * wakes, and it does not then queue for the lock the writer holds
	 * (one condition for all woke every waiting thread at each batch's
	 * end; those whose jobs were still queued went back to sleep). */
	sem_t done;
	struct job *next;
};

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_work = PTHREAD_COND_INITIALIZER;
static struct job *q_head, *q_tail;
static int q_stopping, q_running;
static pthread_t q_thread;
static struct db *q_db;
/* Set while this thread runs a body: a store_write() from inside it
 * joins that body's transaction. */
static __thread int in_body;
/* Set on the writer thread while it runs an optimistic batch. */
static __thread int optimistic;
/* Batches still to run with savepoints after an optimistic one failed:
 * a client sending a duplicate again and again (R3) would otherwise have
 * every batch run twice. */
#define CAUTIOUS_BATCHES 8
static int cautious; /* the writer thread's */

static int run_body(store_body_fn body, struct db *db, void *ctx,
		    struct inop_err *err)
{
	int rc;

	in_body++;
	rc = body(db, ctx, err);
	in_body--;
	return rc;
}

int store_body_fail(struct db *db, struct inop_err *err)
{
	/* An optimistic batch's failure is answered by its rerun: an R3
	 * refusal there is a unique violation, and no error to log. */
	if (!optimistic)
		log_error("database: %s", db_errmsg(db));
	return err_internal(err);
}

int store_write_optimistic(void)
{
	return optimistic;
}

/* One change in its own transaction (no group writer). */
static int write_alone(struct db *db, store_body_fn body, void *ctx,
		       struct inop_err *err)
{
	int rc;

	if (store_batch_begin(db) < 0)
		return store_body_fail(db, err);
	rc = run_body(body, db, ctx, err);
	if (rc == 0 &&
	    (store_batch_flush(db) < 0 || store_batch_commit(db) < 0))
		rc = store_body_fail(db, err);
	if (rc < 0)
		db_rollback(db);
	store_batch_end();
	return rc;
}

/*
 * A change of several ended well: its savepoint is released and the next
 * one's opened, sent with its pending writes (db_run_later) in one round
 * trip whose answer says whether they all held -- while a failure is
 * still this change's own.
 */
static int job_release(int another)
{
	if (db_exec_later(q_db, "RELEASE job") != 0 ||
	    (another && db_exec_later(q_db, "SAVEPOINT job") != 0))
		return -1;
	return db_flush(q_db) == 0 ? 0 : -1;
}

/* A change of several failed: back to its savepoint, and on. */
static int job_undo(int another)
{
	store_batch_undo();
	return db_exec(q_db, another ? "ROLLBACK TO job; RELEASE job; "
				       "SAVEPOINT job"
				     : "ROLLBACK TO job; RELEASE job") == 0
		       ? 0
		       : -1;
}

/*
 * The changes of a batch in one transaction.  With more than one, each
 * runs in its savepoint.  A lone change needs none: its failure rolls
 * back the transaction.
 */
static void run_batch(struct job *batch)
{
	struct job *j;
	int many = batch->next != NULL, failed = 0;
	int ok = store_batch_begin(q_db) == 0 &&
		 (!many || db_exec_later(q_db, "SAVEPOINT job") == 0);

	for (j = batch; ok && j; j = j->next) {
		store_batch_mark();
		j->rc = run_body(j->body, q_db, j->ctx, j->err);
		if (j->rc == 0 && many && job_release(j->next != NULL) < 0)
			j->rc = store_body_fail(q_db, j->err);
		failed = j->rc < 0;
		if (failed && many && job_undo(j->next != NULL) < 0)
			ok = 0;
	}
	if (ok && failed && !many) {
		/* The lone change was refused: nothing to keep. */
		store_batch_undo();
		db_rollback(q_db);
		store_batch_end();
		return;
	}
	if (ok &&
	    (store_batch_flush(q_db) < 0 || store_batch_commit(q_db) < 0))
		ok = 0;
	/* Failed: answered (and logged) before the rollback, which would
	 * clear the database's message. */
	for (j = batch; !ok && j; j = j->next)
		if (j->rc == 0 || !j->err->code[0])
			j->rc = store_body_fail(q_db, j->err);
	if (!ok)
		db_rollback(q_db);
	store_batch_end();
}

/*
 * The batch in one transaction without savepoints, its writes queued
 * (store_write_replayable()): 0 when it committed, -1 when it was rolled
 * back, to run again with run_batch().
 */
static int run_optimistic(struct job *batch)
{
	struct job *j;
	int ok = store_batch_begin(q_db) == 0;

	optimistic = 1;
	for (j = batch; ok && j; j = j->next)
		ok = (j->rc = run_body(j->body, q_db, j->ctx, j->err)) == 0;
	if (ok &&
	    (store_batch_flush(q_db) < 0 || store_batch_commit(q_db) < 0))
		ok = 0;
	if (!ok)
		db_rollback(q_db);
	store_batch_end();
	optimistic = 0;
	return ok ? 0 : -1;
}

static void run_jobs(struct job *batch)
{
	struct job *j;

	for (j = batch; j && j->replayable; j = j->next)
		;
	if (cautious > 0)
		cautious--;
	else if (!j) {
		if (run_optimistic(batch) == 0)
			return;
		cautious = CAUTIOUS_BATCHES;
	}
	/* Again, each body in its savepoint: what the optimistic run
	 * answered is forgotten. */
	for (j = batch; j; j = j->next)
		j->err->code[0] = '\0';
	run_batch(batch);
}

static void *writer_main(void *arg)
{
	struct job *batch, *j, *next;
	int n;

	(void)arg;
	/* Its name in top -H, perf and /proc (Linux). */
	prctl(PR_SET_NAME, "inop-writer", 0, 0, 0);
	store_batch_keep(1);
	pthread_mutex_lock(&q_lock);
	for (;;) {
		while (!q_head && !q_stopping)
			pthread_cond_wait(&q_work, &q_lock);
		if (!q_head)
			break;
		/* Take what is waiting now, up to BATCH_MAX. */
		batch = q_head;
		for (j = batch, n = 1; j->next && n < BATCH_MAX; n++)
			j = j->next;
		q_head = j->next;
		if (!q_head)
			q_tail = NULL;
		j->next = NULL;
		pthread_mutex_unlock(&q_lock);
		run_jobs(batch);
		for (j = batch; j; j = next) {
			/* j lives on its waiter's stack: gone once posted. */
			next = j->next;
			sem_post(&j->done);
		}
		pthread_mutex_lock(&q_lock);
	}
	pthread_mutex_unlock(&q_lock);
	store_batch_keep(0);
	return NULL;
}

static int write_job(struct db *db, store_body_fn body, void *ctx,
		     struct inop_err *err, int replayable)
{
	struct job j = {.body = body,
			.ctx = ctx,
			.err = err,
			.replayable = replayable};

	err->code[0] = '\0';
	if (in_body) /* nested: part of the change already running */
		return run_body(body, db, ctx, err);
	pthread_mutex_lock(&q_lock);
	if (!q_running || q_stopping) {
		pthread_mutex_unlock(&q_lock);
		return write_alone(db, body, ctx, err);
	}
	if (sem_init(&j.done, 0, 0) < 0) {
		pthread_mutex_unlock(&q_lock);
		return err_internal(err);
	}
	if (q_tail)
		q_tail->next = &j;
	else
		q_head = &j;
	q_tail = &j;
	pthread_mutex_unlock(&q_lock);
	/* After the unlock: the writer, woken, does not wait for q_lock. */
	pthread_cond_signal(&q_work);
	/* sem_post() orders the writer's j.rc before this return. */
	while (sem_wait(&j.done) < 0 && errno == EINTR)
		;
	sem_destroy(&j.done);
	/* The writer took j off the queue before it posted. */
	return j.rc; /* NOLINT(clang-analyzer-core.StackAddressEscape) */
}

int store_write(struct db *db, store_body_fn body, void *ctx,
		struct inop_err *err)
{
	return write_job(db, body, ctx, err, 0);
}

int store_write_replayable(struct db *db, store_body_fn body, void *ctx,
			   struct inop_err *err)
{
	return write_job(db, body, ctx, err, 1);
}

size_t store_writer_waiting(void)
{
	size_t n = 0;

	pthread_mutex_lock(&q_lock);
	for (const struct job *j = q_head; j; j = j->next)
		n++;
	pthread_mutex_unlock(&q_lock);
	return n;
}

int store_writer_start(const char *url, struct inop_err *err)
{
	if (db_open(url, &q_db, err) < 0)
		return -1;
	/* Before the thread: after an earlier stop, q_stopping is still
	 * set, and a writer that saw it with an empty queue would end at
	 * once, leaving every later store_write() waiting. */
	pthread_mutex_lock(&q_lock);
	q_stopping = 0;
	cautious = 0;
	pthread_mutex_unlock(&q_lock);
	if (pthread_create(&q_thread, NULL, writer_main, NULL) != 0) {
		db_close(q_db);
		q_db = NULL;
		return err_internal(err);
	}
	pthread_mutex_lock(&q_lock);
	q_running = 1;
	pthread_mutex_unlock(&q_lock);
	return 0;
}

void store_writer_stop(void)
{
	pthread_mutex_lock(&q_lock);
	if (!q_running) {
		pthread_mutex_unlock(&q_lock);
		return;
	}
	/* Jobs already queued still run: the loop drains the queue. */
	q_stopping = 1;
	pthread_cond_signal(&q_work);
	pthread_mutex_unlock(&q_lock);
	pthread_join(q_thread, NULL);
	pthread_mutex_lock(&q_lock);
	q_running = 0;
	pthread_mutex_unlock(&q_lock);
	db_close(q_db);
	q_db = NULL;
}
