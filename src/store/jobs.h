#ifndef INOP_STORE_JOBS_H
#define INOP_STORE_JOBS_H
#include <stdint.h>

#include "db/db.h"

/*
 * The lease rows of the background jobs (jobs/jobs.c): one row per job
 * name, held by one node at a time, so several nodes run each job at most
 * once per period.
 */

/*
 * Takes the lease of job `name` for `node` until now + lease_s, when it is
 * free (expired, or already this node's) and the job last ran at least
 * period_s ago (force: whenever).  1 taken, 0 not, -1 error.
 */
int store_job_lease_take(struct db *db, const char *name, const char *node,
			 int64_t now, int64_t lease_s, int64_t period_s,
			 int force);
/* Gives the lease back; record: the run counts as the last run at now. */
int store_job_lease_release(struct db *db, const char *name, const char *node,
			    int64_t now, int record);

#endif
