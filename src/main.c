/* inop: the outage register.  One binary; the subcommand table below. */
#include <sodium.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/config.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{"init", cmd_init},
	{"serve", cmd_serve},
	{"demo", cmd_demo},
	{"user", cmd_user},
	{"point", cmd_point},
	{"audit", cmd_audit},
	{"form", cmd_form},
	{"jobs", cmd_jobs},
	{"copy", cmd_copy},
	{"import", cmd_import},
	{"backup", cmd_backup},
	{"restore", cmd_restore},
	{"check-config", cmd_check_config},
	{"version", cmd_version},
	{"--version", cmd_version},
	{"help", cmd_help},
	{"--help", cmd_help},
	{"-h", cmd_help},
};

int main(int argc, char **argv)
{
	/* glibc's malloc, tuned for a server whose threads outnumber the
	 * CPUs (serving threads, the work lane, the writer).  Measured with
	 * SQLite registrations on 2 CPUs, three interleaved rounds of CPU
	 * per request (bench/README, stop 17):
	 * - Arenas: glibc gives each thread that allocates its own arena (up
	 *   to 8 per CPU), most of it touched once and kept -- 2.4 MB of the
	 *   idle server with 16 HTTP threads.  Two in all made the threads
	 *   wait on each other's arena lock (9-14 % of their samples); two
	 *   per CPU cost 11 % less CPU per registration than two; idle RSS
	 *   17.4 MB against 17.1.
	 * - Trimming: freeing the top of a heap beyond 128 kB gives it back
	 *   to the kernel, which flushes every CPU's TLB.  SQLite frees its
	 *   savepoint's memory at each registration, so the writer shrank
	 *   and regrew the heap every time (14 % of its samples).  4 MB of
	 *   slack per arena cost 25-30 % less CPU per registration.  (Setting
	 *   it also fixes the mmap threshold at its 128 kB default.) */
	mallopt(M_ARENA_MAX, 2 * config_cpus());
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
	if (sodium_init() < 0) {
		fprintf(stderr, "inop: cannot initialise libsodium\n");
		return 1;
	}
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "inop: unknown command '%s' (see 'inop help')\n",
		argv[1]);
	return 2;
}
