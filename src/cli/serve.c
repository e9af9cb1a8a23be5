#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "render/manual_form_pdf.h"
#include "mail/sender.h"
#include "store/versions.h"
#include "store/catalog.h"
#include "store/points.h"
#include "store/store.h"
#include "store/users.h"
#include "store/writer.h"
#include "util/log.h"
#include "util/ratelimit.h"
#include "util/sdnotify.h"
#include "util/str.h"

#define RELOADS_MAX 64

static volatile int stop_flag;
/* The command line of `serve`, parsed again on SIGHUP (NULL for demo). */
static int s_argc;
static char **s_argv;
/* Every configuration a reload installed: handlers may still hold an
 * older one, so none is freed before exit. */
static struct config *s_versions[RELOADS_MAX];
static int s_n_versions;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_ready(void)
{
	sdnotify("READY=1\nSTATUS=serving");
}

/* Keys read once at start (sockets, threads, connections, the mail
 * sender's login): a reload keeps their running values. */
static const struct {
	const char *key;
	size_t off, size;
} restart_keys[] = {
#define K(k)                                                                  \
	{                                                                     \
#k, offsetof(struct config, k),                               \
			sizeof(((struct config *)0)->k)                       \
	}
	K(db),
	K(listen),
	K(base_url),
	K(threads),
	K(work_threads),
	K(user),
	K(session_idle_minutes),
	K(smtp_url),
	K(smtp_from),
	K(smtp_user),
	K(smtp_password_file),
	K(smtp_tls),
	K(smtp_retry_seconds),
	K(alertmanager_token),
	K(alertmanager_token_file),
	K(complaints_token_file),
	K(complaints_per_minute),
	K(complaints_burst),
#undef K
};

static void keep_restart_keys(struct config *next, const struct config *cur)
{
	for (size_t i = 0; i < sizeof(restart_keys) / sizeof(restart_keys[0]);
	     i++) {
		char *to = (char *)next + restart_keys[i].off;
		const char *from = (const char *)cur + restart_keys[i].off;

		if (memcmp(to, from, restart_keys[i].size) == 0)
			continue;
		log_warn("reload: '%s' changed; it takes effect at restart",
			 restart_keys[i].key);
		memcpy(to, from, restart_keys[i].size);
	}
}

/*
 * SIGHUP (systemctl reload): parse the command line and its --config file
 * again; if valid, the mailboxes and procesos_backups apply to the next
 * request and job.  A refused file leaves the running configuration.
 */
static void reload(struct app *app)
{
	struct config *next = NULL;
	struct opts o;
	char msg[1400];

	sdnotify("RELOADING=1");
	if (!s_argv || s_n_versions == RELOADS_MAX) {
		log_warn("reload: nothing to re-read (restart instead)");
		goto out;
	}
	next = malloc(sizeof(*next));
	if (!next || cli_parse(s_argc, s_argv, NULL, next, &o) < 0 ||
	    config_validate(next, msg, sizeof(msg)) < 0) {
		log_error("reload: configuration refused; keeping the "
			  "running one");
		free(next);
		goto out;
	}
	keep_restart_keys(next, app->cfg);
	s_versions[s_n_versions++] = next;
	app->cfg = next;
	notify_setup(next);
	log_info("reload: configuration re-read (mailboxes, "
		 "procesos_backups applied)");
out:
	sdnotify("READY=1\nSTATUS=serving");
}

static void *reloader(void *arg)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	while (!stop_flag)
		if (sigwait(&set, &sig) == 0 && !stop_flag)
			reload(arg);
	return NULL;
}

/*
 * OpenBSD httpd's order: bind the port as root, then become `user` before
 * opening the database or starting any thread, so the files it creates
 * belong to that user.
 */
static int drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (!*user) {
		log_warn("running as root: set 'user' to drop privileges "
			 "after binding");
		return 0;
	}
	pw = getpwnam(user);
	if (!pw) {
		log_error("unknown user '%s'", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0 ||
	    setuid(0) == 0) {
		log_error("cannot drop privileges to '%s'", user);
		return -1;
	}
	log_info("dropped privileges to user %s (uid %d)", user,
		 (int)pw->pw_uid);
	return 0;
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
	struct app app = {.cfg = cfg,
			  .session_lookup = session_lookup,
			  .request_begin = store_request_begin,
			  .on_ready = on_ready};
	struct inop_err err;
	char msg[1200];
	struct sigaction sa;
	pthread_t reload_thread;
	sigset_t hup;
	struct db *db;
	int rc;

	app.listen_fd = http_bind(cfg->listen);
	if (app.listen_fd < 0)
		return 1;
	app.secure_cookie = strncmp(cfg->base_url, "https://", 8) == 0;
	/* both fields are 129 bytes: no cut */
	(void)str_copy(app.alertmanager_token, sizeof(app.alertmanager_token),
		       cfg->alertmanager_token);
	if (cfg->alertmanager_token_file[0] &&
	    read_secret_file(cfg->alertmanager_token_file,
			     app.alertmanager_token,
			     sizeof(app.alertmanager_token)) < 0)
		return 1;
	if (cfg->complaints_token_file[0] &&
	    (read_secret_file(cfg->complaints_token_file, app.complaints_token,
			      sizeof(app.complaints_token)) < 0 ||
	     strlen(app.complaints_token) < 16)) {
		fprintf(stderr,
			"inop: '%s': the complaints platform token "
			"must be at least 16 characters\n",
			cfg->complaints_token_file);
		return 1;
	}
	app.complaints_limit = ratelimit_new(4096, cfg->complaints_per_minute,
					     cfg->complaints_burst);
	if (!app.complaints_limit)
		return 1;
	if (drop_privileges(cfg->user) < 0)
		return 1;
	/* Blocked in every thread started from here; the reloader takes
	 * it with sigwait(). */
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &hup, NULL);
	app.session_idle_s = (int64_t)cfg->session_idle_minutes * 60;
	app.stream_max = (int64_t)cfg->import_max_bytes;
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
	    store_writer_start(cfg->db, &err) < 0 ||
	    store_versions_listen(cfg->db, &err) < 0) {
		fprintf(stderr, "inop: %s\n", err.message);
		return 1;
	}
	/* One database for the life of the process: its points are kept. */
	store_points_keep(1);
	notify_setup(cfg);
	if (sender_setup(cfg) < 0) {
		fprintf(stderr, "inop: cannot set up the mail sender\n");
		return 1;
	}
	if (checkpoint_setup(cfg, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "inop: %s\n", msg);
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
	if (pthread_create(&reload_thread, NULL, reloader, &app) != 0) {
		fprintf(stderr, "inop: cannot start the reload thread\n");
		return 1;
	}
	rc = http_serve(&app, cfg->listen, cfg->threads, api_routes,
			api_n_routes, &stop_flag);
	sdnotify("STOPPING=1");
	stop_flag = 1;
	pthread_kill(reload_thread, SIGHUP);
	pthread_join(reload_thread, NULL);
	jobs_stop();
	store_versions_stop();
	store_writer_stop();
	store_conn_release();
	store_points_keep(0);
	store_catalog_release_all();
	catalog_release(&app.catalog);
	ratelimit_free(app.complaints_limit);
	render_release();
	if (app.listen_fd >= 0) /* http_serve closes it when it stops */
		close(app.listen_fd);
	notify_setup(cfg);
	while (s_n_versions > 0)
		free(s_versions[--s_n_versions]);
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
		"0.\nSIGHUP re-reads the configuration (mailboxes, "
		"procesos_backups);\nstarted as root it drops to 'user' "
		"after binding.\n";
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
	s_argc = argc;
	s_argv = argv;
	return serve_run(&cfg);
}
