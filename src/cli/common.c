#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "domain/catalog.h"
#include "store/store.h"
#include "util/embed.h"
#include "util/str.h"

const char *opt_get(const struct opts *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0)
			return o->value[i];
	return NULL;
}

static int in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

int cli_parse(int argc, char **argv, const char *const *extra,
	      struct config *cfg, struct opts *o)
{
	char msg[1400], where[80];

	o->n = 0;
	config_defaults(cfg);
	/* --config first, so that options on the command line win. */
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0 &&
		    config_load_file(cfg, argv[i + 1], msg, sizeof(msg)) < 0) {
			fprintf(stderr, "inop: %s\n", msg);
			return -1;
		}
	for (int i = 0; i < argc; i += 2) {
		const char *name = argv[i] + 2;

		if (strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc) {
			fprintf(stderr,
				"inop: expected '--option value', "
				"got '%s'\n",
				argv[i]);
			return -1;
		}
		if (strcmp(name, "config") == 0)
			continue;
		if (in_list(extra, name)) {
			if (o->n == 32)
				return -1;
			o->name[o->n] = name;
			o->value[o->n++] = argv[i + 1];
			continue;
		}
		/* where: for messages only, a cut is acceptable */
		(void)str_printf(where, sizeof(where), "--%s", name);
		if (config_set(cfg, name, argv[i + 1], where, msg,
			       sizeof(msg)) < 0) {
			fprintf(stderr, "inop: %s\n", msg);
			return -1;
		}
	}
	return 0;
}

int read_secret_file(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	struct stat sb;
	size_t n;

	if (f && fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		fprintf(stderr,
			"inop: warning: '%s' is readable by others; "
			"secrets belong in 0600 files\n",
			path);
	if (!f) {
		fprintf(stderr, "inop: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (!fgets(out, (int)size, f)) {
		fclose(f);
		fprintf(stderr, "inop: '%s' is empty\n", path);
		return -1;
	}
	fclose(f);
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return 0;
}

struct db *cli_open_db(const struct config *cfg)
{
	const struct inop_embedded *json = embed_find("data/catalog.json");
	struct catalog cat = {0};
	struct inop_err err;
	struct db *db = NULL;

	if (db_open(cfg->db, &db, &err) < 0) {
		fprintf(stderr, "inop: %s\n", err.message);
		return NULL;
	}
	if (store_migrate(db, &err) < 0 || !json ||
	    catalog_from_json(&cat, (const char *)json->data) < 0 ||
	    store_seed_catalog(db, &cat, &err) < 0) {
		fprintf(stderr, "inop: cannot prepare database '%s'\n",
			cfg->db);
		catalog_release(&cat);
		db_close(db);
		return NULL;
	}
	catalog_release(&cat);
	return db;
}

int cli_wants_help(int argc, char **argv, const char *usage)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("inop %s\n", INOP_VERSION);
	return 0;
}

int cmd_check_config(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop check-config --config FILE\n"
		"Checks a configuration file of 'key = value' lines and "
		"names\n"
		"FILE:LINE of the first problem.  Exit 0 when valid.\n";
	struct config cfg;
	struct opts o;
	char msg[1400];

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc != 2 || strcmp(argv[0], "--config") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_parse(argc, argv, NULL, &cfg, &o) < 0)
		return 1;
	if (config_validate(&cfg, msg, sizeof(msg)) < 0 ||
	    config_check_files(&cfg, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s: %s\n", argv[1], msg);
		return 1;
	}
	printf("%s: ok\n", argv[1]);
	return 0;
}

int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("inop - the register of outages of the sales and after-sales\n"
	      "applications (OSIPTEL), its workflow, API and web UI.\n\n"
	      "usage: inop COMMAND [--option value ...]\n\n"
	      "commands:\n"
	      "  init --db PATH [--admin-password-file FILE]\n"
	      "        create or migrate the database, seed the catalogues\n"
	      "        and the user 'admin'\n"
	      "  serve --db PATH --listen HOST:PORT\n"
	      "        serve the API and the web UI until SIGTERM/SIGINT;\n"
	      "        SIGHUP re-reads the configuration\n"
	      "  demo [--db PATH] [--listen HOST:PORT]\n"
	      "        fill a database with demo points, users and events,\n"
	      "        then serve it\n"
	      "  user add --db PATH --username U --name N --email E\n"
	      "        --roles R1,R2 [--points P1,P2] --password-file FILE\n"
	      "  point add --db PATH --code C --name N --type CAC|ACD|"
	      "CALL_CENTER\n"
	      "        --region R [--lines 123,135]\n"
	      "  audit verify --db PATH [--checkpoint FILE]\n"
	      "        check the hash chain of the audit log (and that it\n"
	      "        still holds a signed checkpoint)\n"
	      "  audit checkpoint --db PATH [--out FILE]\n"
	      "        sign the head of the audit chain\n"
	      "  audit keygen --key-file FILE\n"
	      "        create the checkpoint signing key\n"
	      "  form manual --db PATH --point CODE -o FILE.pdf\n"
	      "        the paper form of a point, with a new form serial\n"
	      "  copy --from DB --to DB\n"
	      "        copy a whole register into a new database (SQLite or\n"
	      "        PostgreSQL), ids, numbers and audit chain unchanged\n"
	      "  backup --db PATH --to FILE|DIR [--keep N]\n"
	      "        a checked copy of a SQLite register while it serves,\n"
	      "        named by its audit head hash in a directory\n"
	      "  restore --from FILE --db PATH\n"
	      "        put a backup back into a new file, only if it "
	      "verifies\n"
	      "  import interactions|social|ldr --db PATH [--actor NAME] "
	      "FILE\n"
	      "        import a CSV (or .gz) all or nothing, with a progress\n"
	      "        bar on a terminal\n"
	      "  jobs run --db PATH [--now RFC3339]\n"
	      "        run the background jobs once (mail, timers)\n"
	      "  check-config --config FILE\n"
	      "  version\n"
	      "  help\n\n"
	      "configuration keys (a file of 'key = value' lines given with\n"
	      "--config FILE, or --key VALUE, which wins):\n"
	      "  db listen base_url threads work_threads user\n"
	      "  session_idle_minutes smtp_url smtp_from smtp_user\n"
	      "  smtp_password_file smtp_tls\n"
	      "  smtp_retry_seconds mailbox_fallas mailbox_control\n"
	      "  mailbox_contingency_cc procesos_backups alertmanager_token\n"
	      "  alertmanager_token_file metrics_token trusted_proxies\n"
	      "  audit_signing_key_file audit_public_key "
	      "audit_checkpoint_dir\n"
	      "  max_connections max_connections_per_address\n"
	      "  request_timeout_seconds idle_timeout_seconds access_log\n"
	      "  login_failures_per_address login_hash_concurrency "
	      "login_queue\n"
	      "  complaints_token_file complaints_per_minute "
	      "complaints_burst\n"
	      "  manual_max_age_days critical_transactions_doc_url\n"
	      "  import_max_bytes\n\n"
	      "'inop COMMAND --help' explains each command; 'man inop' "
	      "explains\nevery command and key.\n",
	      stdout);
	return 0;
}
