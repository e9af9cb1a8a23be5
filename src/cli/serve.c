#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "render/manual_form_pdf.h"
#include "mail/sender.h"
#include "store/store.h"
#include "store/users.h"
#include "store/writer.h"
#include "util/log.h"

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* The store's session lookup on this thread's connection: http's hook. */
static int session_lookup(const char *token_hash, int64_t now, int64_t idle_s,
			  struct actor *out)
{
	struct db *db = store_conn();

	return db ? store_session_lookup(db, token_hash, now, idle_s, out)
		  : -1;
}

int serve_run(const struct config *cfg)
{
	struct app app = {.cfg = cfg, .session_lookup = session_lookup};
	struct inop_err err;
	struct sigaction sa;
	struct db *db;
	int rc;

	app.secure_cookie = strncmp(cfg->base_url, "https://", 8) == 0;
	snprintf(app.alertmanager_token, sizeof(app.alertmanager_token), "%s",
		 cfg->alertmanager_token);
	if (cfg->alertmanager_token_file[0] &&
	    read_secret_file(cfg->alertmanager_token_file,
			     app.alertmanager_token,
			     sizeof(app.alertmanager_token)) < 0)
		return 1;
	app.session_idle_s = (int64_t)cfg->session_idle_minutes * 60;
	db = cli_open_db(cfg);
	if (!db)
		return 1;
	if (store_load_catalog(db, &app.catalog, &err) < 0) {
		db_close(db);
		fprintf(stderr, "inop: cannot load the catalogue\n");
		return 1;
	}
	db_close(db);
	if (store_setup(cfg->db, &err) < 0 ||
	    store_writer_start(cfg->db, &err) < 0) {
		fprintf(stderr, "inop: %s\n", err.message);
		return 1;
	}
	notify_setup(cfg);
	if (sender_setup(cfg) < 0) {
		fprintf(stderr, "inop: cannot set up the mail sender\n");
		return 1;
	}
	if (jobs_start(cfg->db, 1) < 0) {
		fprintf(stderr, "inop: cannot start the background jobs\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = http_serve(&app, cfg->listen, cfg->threads, api_routes,
			api_n_routes, &stop_flag);
	jobs_stop();
	store_writer_stop();
	store_conn_release();
	catalog_release(&app.catalog);
	render_release();
	if (rc == 0)
		log_info("stopped");
	return rc == 0 ? 0 : 1;
}

int cmd_serve(int argc, char **argv)
{
	static const char usage[] =
		"usage: inop serve --db PATH --listen HOST:PORT [--config "
		"FILE]\n                  [--key value ...]\n"
		"Serves the JSON API (/api/v1) and the web UI until SIGTERM "
		"or\nSIGINT, then finishes the requests in flight and exits "
		"0.\n";
	struct config cfg;
	struct opts o;
	char msg[1400];

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (cli_parse(argc, argv, NULL, &cfg, &o) < 0)
		return 2;
	if (config_validate(&cfg, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s\n", msg);
		return 2;
	}
	return serve_run(&cfg);
}
