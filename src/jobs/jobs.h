#ifndef INOP_JOBS_JOBS_H
#define INOP_JOBS_JOBS_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/*
 * Background work of `serve` (DESIGN "What runs in the background"): the
 * mail sender and the timers (Procesos escalation, deadline reminders).
 * Safe with several nodes: a node runs a job only while it holds the
 * job's lease row, and every job must be idempotent anyway (keyed by
 * rows, e.g. an outbox dedupe_key), so a run repeated by a crash or a
 * clock skew changes nothing.
 *
 * `now` is passed in, never read inside a job: tests inject the clock.
 */
struct job {
	const char *name;
	int period_s; /* cluster-wide: at most once per period */
	/* One run.  0, or -1 (logged; retried next period). */
	int (*run)(struct db *db, int64_t now);
};

/* The jobs of Inop (jobs.c): later issues add rows. */
extern const struct job inop_jobs[];
extern const size_t inop_n_jobs;

/* V3: escalates unanswered Procesos requests (jobs/escalation.c). */
int job_processes_escalation(struct db *db, int64_t now);

/*
 * One pass: runs each job of `jobs` whose period has passed and whose
 * lease `node` takes.  force: ignore the periods and do not record the
 * run (the CLI's run-once with an injected clock).  Returns the number of
 * jobs run, or -1 on a database failure.
 */
int jobs_run_due(struct db *db, const struct job *jobs, size_t n,
		 const char *node, int64_t now, int force);

/* A thread calling jobs_run_due(inop_jobs) every tick_s seconds. */
int jobs_start(const char *db_url, int tick_s);
void jobs_stop(void);

#endif
