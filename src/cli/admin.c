/* inop user add, inop point add: the same rules as the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/account.h"
#include "domain/point.h"
#include "store/points.h"
#include "store/store.h"
#include "store/users.h"
#include "util/clock.h"
#include "util/jsontext.h"
#include "util/password.h"
#include "util/str.h"

static int fail(struct db *db, const struct inop_err *e)
{
	fprintf(stderr, "inop: %s%s%s\n", e->message, e->field[0] ? ": " : "",
		e->field);
	db_close(db);
	return 1;
}

static int user_add(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop user add --db PATH --username U --name N --email "
		"E\n         --roles R1,R2 [--points P1,P2] --password-file "
		"FILE\nRoles: JEFE FALLAS SOPORTE CONTROL PROCESOS ONLINE "
		"GERENTE\n       DIRECTOR REGULATORIO RECLAMOS ADMIN\n";
	static const char *const extra[] = {
		"username", "name",	     "email", "roles",
		"points",   "password-file", NULL};
	static const char *points[5000];
	struct config cfg;
	struct opts o;
	struct user u = {0};
	struct inop_err e;
	char password[1024], *list = NULL;
	size_t n = 0;
	struct db *db;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	if (!opt_get(&o, "username") || !opt_get(&o, "name") ||
	    !opt_get(&o, "email") || !opt_get(&o, "roles") ||
	    !opt_get(&o, "password-file")) {
		fputs(usage, stderr);
		return 2;
	}
	if (str_copy(u.username, sizeof(u.username), opt_get(&o, "username")) <
		    0 ||
	    str_copy(u.name, sizeof(u.name), opt_get(&o, "name")) < 0 ||
	    str_copy(u.email, sizeof(u.email), opt_get(&o, "email")) < 0) {
		fputs("inop: --username, --name or --email is too long\n",
		      stderr);
		return 2;
	}
	if (!json_text_valid(u.name)) {
		fputs("inop: --name is not UTF-8 text\n", stderr);
		return 2;
	}
	u.roles = roles_from_csv(opt_get(&o, "roles"));
	if (!u.roles) {
		fprintf(stderr, "inop: no known role in '%s'\n",
			opt_get(&o, "roles"));
		return 2;
	}
	if (read_secret_file(opt_get(&o, "password-file"), password,
			     sizeof(password)) < 0)
		return 1;
	if (account_check(u.username, u.email, u.roles, password, &e) < 0) {
		fprintf(stderr, "inop: %s: %s\n", e.field, e.message);
		return 1;
	}
	if (opt_get(&o, "points")) {
		list = strdup(opt_get(&o, "points"));
		for (char *p = list; p && *p && n < 5000;) {
			char *comma = strchr(p, ',');

			if (comma)
				*comma = '\0';
			points[n++] = p;
			p = comma ? comma + 1 : NULL;
		}
	}
	db = cli_open_db(&cfg);
	if (!db || password_hash(password, u.password_hash) < 0) {
		free(list);
		db_close(db);
		return 1;
	}
	memset(password, 0, sizeof(password));
	if (store_user_insert(db, &u, points, n, "inop-cli", clock_wall_s(),
			      &e) < 0) {
		free(list);
		return fail(db, &e);
	}
	free(list);
	db_close(db);
	printf("created user '%s'\n", u.username);
	return 0;
}

static int point_add(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop point add --db PATH --code C --name N --type "
		"CAC|ACD|CALL_CENTER\n         --region R [--lines 123,135]\n";
	static const char *const extra[] = {"code",   "name",  "type",
					    "region", "lines", NULL};
	struct config cfg;
	struct opts o;
	struct point p = {0};
	struct catalog cat = {0};
	struct inop_err e;
	const char *type;
	struct db *db;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	type = opt_get(&o, "type");
	if (!opt_get(&o, "code") || !opt_get(&o, "name") || !type ||
	    !opt_get(&o, "region")) {
		fputs(usage, stderr);
		return 2;
	}
	if (str_copy(p.ref.code, sizeof(p.ref.code), opt_get(&o, "code")) <
		    0 ||
	    str_copy(p.ref.name, sizeof(p.ref.name), opt_get(&o, "name")) <
		    0 ||
	    str_copy(p.ref.type, sizeof(p.ref.type), type) < 0 ||
	    str_copy(p.ref.region, sizeof(p.ref.region),
		     opt_get(&o, "region")) < 0) {
		fputs("inop: --code, --name, --type or --region is too long\n",
		      stderr);
		return 2;
	}
	if (opt_get(&o, "lines") &&
	    codes_from_csv(&p.lines, opt_get(&o, "lines")) < 0)
		return 2;
	db = cli_open_db(&cfg);
	if (!db)
		return 1;
	if (store_load_catalog(db, &cat, &e) < 0 ||
	    point_check(&cat, &p.ref, &p.lines, &e) < 0 ||
	    store_point_insert(db, &p, "inop-cli", clock_wall_s(), &e) < 0) {
		catalog_release(&cat);
		return fail(db, &e);
	}
	catalog_release(&cat);
	db_close(db);
	printf("created point '%s'\n", p.ref.code);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "--help") == 0)
		return user_add(argc, argv);
	fputs("usage: inop user add ... (see 'inop user add --help')\n",
	      stderr);
	return 2;
}

int cmd_point(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return point_add(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "--help") == 0)
		return point_add(argc, argv);
	fputs("usage: inop point add ... (see 'inop point add --help')\n",
	      stderr);
	return 2;
}
