/* inop: the outage register.  One binary; the subcommand table below. */
#include <sodium.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

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
	/* glibc gives each thread that allocates its own arena (up to 8 per
	 * core), most of it touched once and kept: with 16 HTTP threads that
	 * was 2.4 MB of the idle server's memory.  Two arenas serve the
	 * threads here (they hold no lock across a request). */
	mallopt(M_ARENA_MAX, 2);
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
