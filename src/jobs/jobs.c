#include "jobs/jobs.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/notify.h"
#include "mail/report_mail.h"
#include "mail/sender.h"
#include "store/jobs.h"
#include "store/users.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"

#define LEASE_S 300 /* a crashed node's lease expires after this */

/* The job table.  The sentinel keeps it valid while it has no row. */
const struct job inop_jobs[] = {
	{"processes-escalation", 60, job_processes_escalation},
	{"report-due", 60, report_mail_due}, /* O3/N2: due in 1 business day */
	/* N1: every few seconds, so a mail leaves soon after its cause. */
	{"mail-sender", 2, sender_run},
	/* A1: a signed checkpoint of the audit head, hourly. */
	{"audit-checkpoint", 3600, job_audit_checkpoint},
	{"sessions-expire", 3600, job_sessions_expire},
	{NULL, 0, NULL},
};
const size_t inop_n_jobs = sizeof(inop_jobs) / sizeof(inop_jobs[0]) - 1;

/*
 * By the wall clock, not `now`: `inop jobs run --now` moves the register's
 * timers (escalations, deadlines) to test them, and the sessions of the
 * users who go on working must not expire by that clock.  A request
 * refuses an expired session by its own time (store_session_lookup).
 */
int job_sessions_expire(struct db *db, int64_t now)
{
	const struct config *cfg = notify_config();
	int64_t idle_s = (int64_t)(cfg ? cfg->session_idle_minutes : 480) * 60;
	int64_t before = clock_wall_s() - idle_s;

	(void)now;
	return store_sessions_expire(db, before) < 0 ? -1 : 0;
}

int jobs_run_due(struct db *db, const struct job *jobs, size_t n,
		 const char *node, int64_t now, int force)
{
	int ran = 0;

	for (size_t i = 0; i < n; i++) {
		int rc =
			store_job_lease_take(db, jobs[i].name, node, now,
					     LEASE_S, jobs[i].period_s, force);

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (jobs[i].run(db, now) < 0)
			log_error("job %s failed", jobs[i].name);
		if (store_job_lease_release(db, jobs[i].name, node, now,
					    !force) < 0)
			return -1;
		ran++;
	}
	return ran;
}

static pthread_t jobs_thread;
static volatile int jobs_stopping;
static int jobs_running;
static char jobs_node[64];
static char jobs_db_url[1024];
static int jobs_tick_s;

static void *jobs_main(void *arg)
{
	struct db *db = NULL;
	struct inop_err err;

	(void)arg;
	if (db_open(jobs_db_url, &db, &err) < 0) {
		log_error("jobs: cannot open database: %s", err.message);
		return NULL;
	}
	while (!jobs_stopping) {
		jobs_run_due(db, inop_jobs, inop_n_jobs, jobs_node,
			     clock_wall_s(), 0);
		for (int i = 0; i < jobs_tick_s * 10 && !jobs_stopping; i++)
			usleep(100 * 1000);
	}
	db_close(db);
	return NULL;
}

int jobs_start(const char *db_url, int tick_s)
{
	char host[32] = "node";
	unsigned char rnd[4];

	if (inop_n_jobs == 0)
		return 0;
	gethostname(host, sizeof(host) - 1);
	randombytes_buf(rnd, sizeof(rnd));
	/* 31 + '-' + pid + '-' + 8 < 64: no cut */
	(void)str_printf(jobs_node, sizeof(jobs_node),
			 "%s-%d-%02x%02x%02x%02x", host, (int)getpid(), rnd[0],
			 rnd[1], rnd[2], rnd[3]);
	if (str_copy(jobs_db_url, sizeof(jobs_db_url), db_url) < 0) {
		log_error("database URL longer than %zu bytes",
			  sizeof(jobs_db_url) - 1);
		return -1;
	}
	jobs_tick_s = tick_s > 0 ? tick_s : 1;
	jobs_stopping = 0;
	if (pthread_create(&jobs_thread, NULL, jobs_main, NULL) != 0)
		return -1;
	jobs_running = 1;
	return 0;
}

void jobs_stop(void)
{
	if (!jobs_running)
		return;
	jobs_stopping = 1;
	pthread_join(jobs_thread, NULL);
	jobs_running = 0;
}
