/*
 * inop audit verify | checkpoint | keygen: the hash chain of the audit log
 * and its signed checkpoints (store/checkpoint.h).
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "jobs/jobs.h"
#include "store/audit.h"
#include "store/checkpoint.h"
#include "util/clock.h"

static const char usage[] =
	"usage: inop audit verify --db PATH [--checkpoint FILE]\n"
	"       inop audit checkpoint --db PATH [--out FILE]\n"
	"       inop audit keygen --key-file FILE\n"
	"(plus --config FILE or --audit_signing_key_file FILE\n"
	" --audit_public_key HEX --audit_checkpoint_dir DIR)\n\n"
	"verify: recomputes the hash chain of the audit log.  Exit 0 when "
	"intact;\n1 and one line per problem when a record was edited, "
	"removed or\ninserted.  With --checkpoint, also proves the chain "
	"still holds the\nhead that checkpoint signed (its signature is "
	"checked against\naudit_public_key): a chain rewritten or cut after "
	"it fails.\n"
	"checkpoint: signs the current head (after verifying the chain) "
	"with\nthe key of audit_signing_key_file; writes it to --out, into\n"
	"audit_checkpoint_dir, or to standard output.\n"
	"keygen: creates a new signing key file (0600) and prints the line\n"
	"'audit_public_key = ...' for the configuration.\n";

static struct db *open_existing(const struct config *cfg)
{
	struct db *db;

	if (strncmp(cfg->db, "postgres", 8) != 0 &&
	    access(cfg->db, R_OK) != 0) {
		fprintf(stderr, "inop: no database at '%s'\n", cfg->db);
		return NULL;
	}
	if (db_open(cfg->db, &db, NULL) < 0) {
		fprintf(stderr, "inop: cannot open '%s'\n", cfg->db);
		return NULL;
	}
	return db;
}

static int read_text_file(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "inop: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	if (!feof(f) || ferror(f)) {
		fclose(f);
		fprintf(stderr, "inop: '%s' is not an audit checkpoint\n",
			path);
		return -1;
	}
	fclose(f);
	return 0;
}

/* The checkpoint of `path`, its signature checked.  0, or -1 (printed). */
static int load_checkpoint(const struct config *cfg, const char *path,
			   struct audit_checkpoint *cp)
{
	char text[CHECKPOINT_TEXT_MAX + 1], msg[256];

	if (!cfg->audit_public_key[0]) {
		fprintf(stderr, "inop: --checkpoint needs audit_public_key "
				"(configuration or --audit_public_key)\n");
		return -1;
	}
	if (read_text_file(path, text, sizeof(text)) < 0)
		return -1;
	if (checkpoint_parse(text, cfg->audit_public_key, cp, msg,
			     sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s: %s\n", path, msg);
		return -1;
	}
	return 0;
}

static int verify(int argc, char **argv)
{
	static const char *const extra[] = {"checkpoint", NULL};
	struct audit_checkpoint cp = {0}; /* read only with --checkpoint */
	struct config cfg;
	struct opts o;
	struct db *db;
	int64_t records = 0;
	int problems, missing = 0;

	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (opt_get(&o, "checkpoint") &&
	    load_checkpoint(&cfg, opt_get(&o, "checkpoint"), &cp) < 0)
		return 1;
	db = open_existing(&cfg);
	if (!db)
		return 1;
	problems = audit_verify(db, stdout, &records);
	if (problems >= 0 && opt_get(&o, "checkpoint"))
		missing = checkpoint_prove(db, &cp, stdout);
	db_close(db);
	if (problems < 0 || missing < 0) {
		fprintf(stderr, "inop: cannot read the audit log of '%s'\n",
			cfg.db);
		return 1;
	}
	if (problems || missing) {
		printf("audit log BROKEN: %d problem(s) in %lld records\n",
		       problems + missing, (long long)records);
		return 1;
	}
	if (opt_get(&o, "checkpoint"))
		printf("checkpoint of record %lld: still in the chain\n",
		       (long long)cp.head_id);
	printf("audit log intact: %lld records\n", (long long)records);
	return 0;
}

static int checkpoint(int argc, char **argv)
{
	static const char *const extra[] = {"out", NULL};
	char text[CHECKPOINT_TEXT_MAX], msg[1200], path[1200];
	struct checkpoint_key key;
	struct audit_checkpoint cp = {0}; /* read only with --checkpoint */
	struct config cfg;
	struct opts o;
	struct db *db;
	FILE *f;
	int rc;

	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (!cfg.audit_signing_key_file[0] || !cfg.audit_public_key[0]) {
		fprintf(stderr,
			"inop: a checkpoint needs audit_signing_key_file "
			"and audit_public_key\n");
		return 2;
	}
	if (checkpoint_key_load(cfg.audit_signing_key_file,
				cfg.audit_public_key, &key, msg,
				sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s\n", msg);
		return 1;
	}
	db = open_existing(&cfg);
	rc = db ? checkpoint_take(db, &key, clock_wall_s(), &cp, stderr, msg,
				  sizeof(msg))
		: -1;
	sodium_memzero(&key, sizeof(key));
	db_close(db);
	if (rc != 0) {
		if (rc > 0)
			fprintf(stderr, "inop: %s\n", msg);
		return 1;
	}
	if (checkpoint_format(&cp, text) < 0)
		return 1;
	if (opt_get(&o, "out")) {
		f = fopen(opt_get(&o, "out"), "w");
		if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
			fprintf(stderr, "inop: cannot write '%s'\n",
				opt_get(&o, "out"));
			return 1;
		}
		fprintf(stderr, "checkpoint of record %lld written to %s\n",
			(long long)cp.head_id, opt_get(&o, "out"));
	} else if (cfg.audit_checkpoint_dir[0]) {
		if (checkpoint_write_file(cfg.audit_checkpoint_dir, &cp, text,
					  path, sizeof(path)) < 0) {
			fprintf(stderr, "inop: cannot write in '%s': %s\n",
				cfg.audit_checkpoint_dir, strerror(errno));
			return 1;
		}
		fprintf(stderr, "checkpoint of record %lld written to %s\n",
			(long long)cp.head_id, path);
	} else {
		fputs(text, stdout);
	}
	return 0;
}

static int keygen(int argc, char **argv)
{
	static const char *const extra[] = {"key-file", NULL};
	char pk[65], msg[1200];
	struct config cfg;
	struct opts o;

	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (!opt_get(&o, "key-file")) {
		fputs(usage, stderr);
		return 2;
	}
	if (checkpoint_key_generate(opt_get(&o, "key-file"), pk, msg,
				    sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s\n", msg);
		return 1;
	}
	printf("audit_signing_key_file = %s\naudit_public_key = %s\n",
	       opt_get(&o, "key-file"), pk);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return verify(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "checkpoint") == 0)
		return checkpoint(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "keygen") == 0)
		return keygen(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}
