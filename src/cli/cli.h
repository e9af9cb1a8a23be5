#ifndef INOP_CLI_CLI_H
#define INOP_CLI_CLI_H

#include <stdint.h>

#include "db/db.h"
#include "util/config.h"

/*
 * The subcommands.  Each gets its arguments after the command name(s) and
 * returns the process exit status.  Options are `--name value`; every
 * configuration key is accepted as an option by the commands that use
 * the configuration.
 */
struct opts {
	const char *name[32];
	const char *value[32];
	int n;
};

/*
 * Parses `--name value` pairs: configuration keys go into `cfg` (after
 * --config FILE is loaded), names listed in `extra` (NULL-terminated)
 * into `o`.  Prints the problem and returns -1 on anything else.
 */
int cli_parse(int argc, char **argv, const char *const *extra,
	      struct config *cfg, struct opts *o);
const char *opt_get(const struct opts *o, const char *name);
/* Reads a secret file (first line, no newline).  0 or -1 (printed). */
int read_secret_file(const char *path, char *out, size_t size);
/* Opens cfg->db, migrates and seeds the catalogue.  NULL on failure. */
struct db *cli_open_db(const struct config *cfg);
/* Prints `inop CMD --help` text when asked: 1 if printed. */
int cli_wants_help(int argc, char **argv, const char *usage);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_point(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_form(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Shared by serve and demo. */
int serve_run(const struct config *cfg);

#endif
