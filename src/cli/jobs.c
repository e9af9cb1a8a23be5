#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "mail/sender.h"
#include "util/clock.h"
#include "util/str.h"

int cmd_jobs(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop jobs run --db PATH [--now RFC3339] [--config "
		"FILE]"
		"\nRuns every background job once (mail sender, timers), as "
		"'serve'\ndoes every minute; --now sets the clock the jobs "
		"see "
		"(tests,\nrecovery).  The periods are ignored and the run is "
		"not recorded.\n";
	static const char *const extra[] = {"now", NULL};
	struct config cfg;
	struct opts o;
	struct db *db;
	char node[32], msg[1200];
	int64_t now = clock_wall_s();
	int ran;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc < 1 || strcmp(argv[0], "run") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_parse(argc - 1, argv + 1, extra, &cfg, &o) < 0)
		return 2;
	if (opt_get(&o, "now") &&
	    cal_parse_rfc3339(opt_get(&o, "now"), &now) < 0) {
		fprintf(stderr, "inop: --now must be RFC 3339, e.g. "
				"2026-11-03T09:15:00-05:00\n");
		return 2;
	}
	db = cli_open_db(&cfg);
	if (!db)
		return 1;
	notify_setup(&cfg);
	if (checkpoint_setup(&cfg, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s\n", msg);
		db_close(db);
		return 1;
	}
	if (sender_setup(&cfg) < 0) {
		db_close(db);
		return 1;
	}
	(void)str_printf(node, sizeof(node), "cli-%d", (int)getpid());
	ran = jobs_run_due(db, inop_jobs, inop_n_jobs, node, now, 1);
	db_close(db);
	if (ran < 0) {
		fprintf(stderr, "inop: the jobs could not run\n");
		return 1;
	}
	printf("%d job(s) run\n", ran);
	return 0;
}
