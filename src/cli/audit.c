#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/audit.h"

int cmd_audit(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop audit verify --db PATH\n"
		"Recomputes the hash chain of the audit log.  Exit 0 when "
		"intact;\n1 and one line per problem when a record was "
		"edited, removed or\ninserted.\n";
	struct config cfg;
	struct opts o;
	struct db *db;
	int64_t records = 0;
	int problems;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc < 1 || strcmp(argv[0], "verify") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_parse(argc - 1, argv + 1, NULL, &cfg, &o) < 0)
		return 2;
	if (strncmp(cfg.db, "postgres", 8) != 0 && access(cfg.db, R_OK) != 0) {
		fprintf(stderr, "inop: no database at '%s'\n", cfg.db);
		return 1;
	}
	if (db_open(cfg.db, &db, NULL) < 0) {
		fprintf(stderr, "inop: cannot open '%s'\n", cfg.db);
		return 1;
	}
	problems = audit_verify(db, stdout, &records);
	db_close(db);
	if (problems < 0) {
		fprintf(stderr, "inop: cannot read the audit log of '%s'\n",
			cfg.db);
		return 1;
	}
	if (problems) {
		printf("audit log BROKEN: %d problem(s) in %lld records\n",
		       problems, (long long)records);
		return 1;
	}
	printf("audit log intact: %lld records\n", (long long)records);
	return 0;
}
