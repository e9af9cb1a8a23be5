/*
 * inop processes escalate: one run of the V3 escalation step, the same
 * the once-a-minute timer of `serve` runs.  Safe to run at any time and
 * from several places at once: each request is escalated (and mailed)
 * once.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar/cal.h"
#include "cli/cli.h"
#include "store/processes.h"
#include "util/log.h"

static const char usage[] =
	"usage: inop processes escalate --db PATH [--now TIME]\n"
	"         [--procesos_backups A,B]\n"
	"Escalates the Procesos requests unanswered after 24 hours, or all\n"
	"waiting ones when every primary PROCESOS user is absent, to the\n"
	"backups (configuration key procesos_backups); each request once.\n"
	"--now TIME (RFC 3339) evaluates at that instant instead of the\n"
	"clock (replays and tests).  Prints how many were escalated.\n";

/*
 * The mail of an escalation.  The outbox (src/mail/notify.h, issue 5) is
 * not on this branch yet: when it lands this becomes a notify() of the
 * trigger "processes.escalation" to r->escalated_to, written in the same
 * transaction as the escalation, so it is sent exactly once.
 */
static int escalation_mail(struct db *db, const struct processes_request *r,
			   void *ctx)
{
	(void)db;
	(void)ctx;
	log_info("processes request of %s escalated (%s) to %s",
		 r->event_number, r->escalation_reason,
		 r->escalated_to[0] ? r->escalated_to : "(no backups set)");
	return 0;
}

int processes_escalation_step(struct db *db, const struct config *cfg,
			      int64_t now, int *escalated)
{
	struct inop_err e;

	if (store_processes_escalate(db, cfg->procesos_backups, now,
				     escalation_mail, NULL, escalated,
				     &e) < 0) {
		log_error("processes escalation: %s", e.message);
		return -1;
	}
	return 0;
}

static int escalate(int argc, char **argv)
{
	static const char *const extra[] = {"now", NULL};
	struct config cfg;
	struct opts o;
	struct db *db;
	int64_t now = (int64_t)time(NULL);
	int n = 0, rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (opt_get(&o, "now") &&
	    cal_parse_rfc3339(opt_get(&o, "now"), &now) < 0) {
		fprintf(stderr, "inop: --now must be an RFC 3339 time\n");
		return 2;
	}
	db = cli_open_db(&cfg);
	if (!db)
		return 1;
	rc = processes_escalation_step(db, &cfg, now, &n);
	db_close(db);
	if (rc < 0)
		return 1;
	printf("escalated %d request(s)\n", n);
	return 0;
}

int cmd_processes(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "escalate") == 0)
		return escalate(argc - 1, argv + 1);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
			  strcmp(argv[0], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}
