/*
 * inop backup / inop restore: SQLite copies that are checked before they
 * are kept and before they are put back.  PostgreSQL is backed up with its
 * own tools (docs/operations.md).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/backup.h"
#include "util/strnum.h"

static int is_postgres(const char *url)
{
	return strncmp(url, "postgres", 8) == 0;
}

static struct db *open_existing(const char *path)
{
	struct inop_err err;
	struct db *db;

	if (is_postgres(path)) {
		fprintf(stderr,
			"inop: PostgreSQL is backed up with pg_dump or "
			"pg_basebackup (docs/operations.md)\n");
		return NULL;
	}
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "inop: no database at '%s'\n", path);
		return NULL;
	}
	if (db_open(path, &db, &err) < 0) {
		fprintf(stderr, "inop: %s\n", err.message);
		return NULL;
	}
	return db;
}

int cmd_backup(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop backup --db PATH --to FILE|DIR [--keep N]\n"
		"Copies a SQLite register while it is being served (SQLite's "
		"online\nbackup: one consistent snapshot), checks the copy "
		"(integrity_check\nand the audit chain) and only then keeps "
		"it.  Into a directory the\ncopy is named "
		"inop-YYYYMMDDTHHMMSSZ-<head hash>.db and --keep N\nremoves "
		"all but the newest N such copies.\n";
	static const char *const extra[] = {"to", "keep", NULL};
	struct backup_info info;
	struct config cfg;
	struct opts o;
	struct db *db;
	const char *to, *keep_s;
	int64_t keep = -1;
	int rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	to = opt_get(&o, "to");
	keep_s = opt_get(&o, "keep");
	if (!to || (keep_s && strnum_i64(keep_s, 1, 100000, &keep) < 0)) {
		fputs(usage, stderr);
		return 2;
	}
	db = open_existing(cfg.db);
	if (!db)
		return 1;
	rc = backup_write(db, to, stderr, &info);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "inop: backup of '%s' failed\n", cfg.db);
		return 1;
	}
	printf("backup '%s': %lld audit records, head %s, %lld bytes, "
	       "%.2f s\n",
	       info.path, (long long)info.records, info.head,
	       (long long)info.bytes, info.seconds);
	if (keep > 0 && backup_prune(to, (int)keep, stdout) < 0)
		fprintf(stderr,
			"inop: --keep needs --to DIR: nothing pruned\n");
	return 0;
}

static int check_backup(const char *from, struct db *src)
{
	struct backup_info info;

	if (backup_check(src, stderr, &info) < 0) {
		fprintf(stderr,
			"inop: '%s' does not verify; refusing to restore "
			"it\n",
			from);
		return -1;
	}
	if (!backup_name_matches(from, info.head)) {
		fprintf(stderr,
			"inop: the head hash of '%s' (%.16s) is not the one "
			"in its name: records were cut off; refusing to "
			"restore it\n",
			from, info.head);
		return -1;
	}
	printf("backup '%s' verifies: %lld audit records, head %s\n", from,
	       (long long)info.records, info.head);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop restore --from FILE --db PATH\n"
		"Checks a backup (integrity_check, the audit chain, the head "
		"hash in\nits name) and refuses it if anything fails; then "
		"writes it to PATH,\nwhich must not exist (stop inop and move "
		"the old file aside first).\n";
	static const char *const extra[] = {"from", NULL};
	struct backup_info info;
	struct config cfg;
	struct opts o;
	struct stat sb;
	struct db *src;
	const char *from;
	int rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	from = opt_get(&o, "from");
	if (!from) {
		fputs(usage, stderr);
		return 2;
	}
	if (is_postgres(cfg.db) || stat(cfg.db, &sb) == 0) {
		fprintf(stderr,
			"inop: '%s' exists (or is not a SQLite file); "
			"restore only writes a new file\n",
			cfg.db);
		return 1;
	}
	src = open_existing(from);
	if (!src)
		return 1;
	rc = check_backup(from, src);
	if (rc == 0)
		rc = backup_write(src, cfg.db, stderr, &info);
	db_close(src);
	if (rc < 0)
		return 1;
	printf("restored into '%s': %lld audit records, head %s\n", info.path,
	       (long long)info.records, info.head);
	return 0;
}
