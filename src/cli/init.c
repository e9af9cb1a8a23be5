#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/account.h"
#include "store/store.h"
#include "store/users.h"
#include "util/clock.h"
#include "util/password.h"
#include "util/str.h"

static int ensure_admin(struct db *db, const char *password)
{
	struct user u = {0};
	struct inop_err err;
	int rc = store_user_by_username(db, "admin", &u);

	user_release(&u);
	if (rc != 0)
		return rc < 0 ? -1 : 0; /* present: left as it is */
	if (!password) {
		fprintf(stderr, "inop: there is no user 'admin' yet: give "
				"--admin-password-file\n");
		return -1;
	}
	if (strlen(password) < PASSWORD_MIN_CHARS) {
		fprintf(stderr,
			"inop: the admin password must have at least "
			"%d characters\n",
			PASSWORD_MIN_CHARS);
		return -1;
	}
	memset(&u, 0, sizeof(u));
	(void)str_copy(u.username, sizeof(u.username), "admin");
	(void)str_copy(u.name, sizeof(u.name), "Administrador");
	(void)str_copy(u.email, sizeof(u.email), "admin@localhost");
	u.roles = ROLE_ADMIN;
	if (password_hash(password, u.password_hash) < 0 ||
	    store_user_insert(db, &u, NULL, 0, "inop-init", clock_wall_s(),
			      &err) < 0) {
		fprintf(stderr, "inop: cannot create the admin user\n");
		return -1;
	}
	printf("created user 'admin'\n");
	return 0;
}

int cmd_init(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop init --db PATH [--admin-password-file FILE]\n"
		"Creates or migrates the database, seeds the catalogues and "
		"the\nuser 'admin' (role ADMIN) with the password in FILE.  "
		"Run again\non an existing database it migrates and changes "
		"nothing else\n(then the password file is not needed).\n";
	static const char *const extra[] = {"admin-password-file", NULL};
	struct config cfg;
	struct opts o;
	char password[1024];
	const char *file;
	struct db *db;
	int rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, extra, &cfg, &o) < 0)
		return 2;
	file = opt_get(&o, "admin-password-file");
	if (file && read_secret_file(file, password, sizeof(password)) < 0)
		return 1;
	db = cli_open_db(&cfg);
	if (!db)
		return 1;
	rc = ensure_admin(db, file ? password : NULL);
	memset(password, 0, sizeof(password));
	db_close(db);
	if (rc < 0)
		return 1;
	printf("database '%s' is ready\n", cfg.db);
	return 0;
}
