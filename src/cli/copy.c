#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/audit.h"
#include "store/copy.h"
#include "store/store.h"

static struct db *open_migrated(const char *url)
{
	struct inop_err err;
	struct db *db;

	if (db_open(url, &db, &err) < 0) {
		fprintf(stderr, "inop: %s\n", err.message);
		return NULL;
	}
	if (store_migrate(db, &err) < 0) {
		fprintf(stderr, "inop: cannot migrate '%s'\n", url);
		db_close(db);
		return NULL;
	}
	return db;
}

int cmd_copy(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop copy --from DB --to DB\n"
		"Copies a whole register (SQLite file or postgresql:// URL) "
		"into a\nnew, empty database of either kind: every row with "
		"its "
		"ids and\nnumbers, in one transaction; then checks the row "
		"counts and the\naudit chain of the target.\n";
	static const char *const extra[] = {"from", "to", NULL};
	struct config cfg;
	struct opts o;
	struct db *from = NULL, *to = NULL;
	struct inop_err err = {0};
	int64_t records;
	int rc = 1;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (!opt_get(&o, "from") || !opt_get(&o, "to")) {
		fputs(usage, stderr);
		return 2;
	}
	from = open_migrated(opt_get(&o, "from"));
	to = from ? open_migrated(opt_get(&o, "to")) : NULL;
	if (!to)
		goto out;
	if (store_copy(from, to, stdout, &err) < 0) {
		fprintf(stderr, "inop: copy failed: %s\n", err.message);
		goto out;
	}
	if (audit_verify(to, stderr, &records) != 0) {
		fprintf(stderr,
			"inop: the audit chain of the copy is broken\n");
		goto out;
	}
	printf("copied; audit log intact: %lld records\n", (long long)records);
	rc = 0;
out:
	db_close(from);
	db_close(to);
	return rc;
}
