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
/* Removes the sessions idle for longer than session_idle_minutes by the
 * wall clock (a request that meets one only refuses it: store/users.h). */
int job_sessions_expire(struct db *db, int64_t now);

struct config;
struct audit_checkpoint;
/*
 * The audit-checkpoint job (jobs/checkpoint.c): signs the audit head with
 * the key of audit_signing_key_file (loaded by checkpoint_setup: 0, or
 * -1 + msg when the key is unusable; without the key the job does
 * nothing), writes it into audit_checkpoint_dir and mails the first of
 * each Lima day to mailbox_control.
 */
int checkpoint_setup(const struct config *cfg, char *msg, size_t n);
int job_audit_checkpoint(struct db *db, int64_t now);
/*
 * Writes `text` as DIR/audit-checkpoint-<head_id>-<UTC time>.txt (whole or
 * not at all: a temporary file renamed); `path` gets the name.  0 or -1.
 */
int checkpoint_write_file(const char *dir, const struct audit_checkpoint *cp,
			  const char *text, char *path, size_t n);

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
