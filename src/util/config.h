#ifndef INOP_UTIL_CONFIG_H
#define INOP_UTIL_CONFIG_H
#include <stddef.h>
#include <stdio.h>

/*
 * Configuration: defaults, then a `key = value` file (--config FILE), then
 * `--key VALUE` on the command line, which wins.  Every key is in the
 * table of config.c with its check.
 */
struct config {
	char db[1024];
	char listen[128];
	char base_url[256];
	char smtp_url[256];
	char smtp_from[256];
	char smtp_user[128];
	char smtp_password_file[1024];
	char smtp_tls[16]; /* "", none, starttls, tls */
	char alertmanager_token[129];
	char alertmanager_token_file[1024];
	char metrics_token[129];   /* "": /metrics from loopback only */
	char trusted_proxies[512]; /* their X-Forwarded-For is believed */
	/* Signed audit checkpoints (store/checkpoint.h). */
	char audit_signing_key_file[1024]; /* Ed25519 seed, 0600 */
	char audit_public_key[65];	   /* its public key, hex */
	char audit_checkpoint_dir[1024];   /* where serve writes them */
	char complaints_token_file[1024];  /* the regulator's platform */
	char mailbox_fallas[256];
	char mailbox_control[256];
	char mailbox_contingency_cc[512];
	char procesos_backups[512]; /* V3: who gets escalated requests */
	char user[64];	     /* serve started as root drops to this user */
	char access_log[4];  /* "on": a log line per request; "off" */
	int threads;	     /* serving connections: one per CPU */
	int work_threads;    /* running changes and long reads */
	int max_connections; /* in all */
	int max_connections_per_address; /* from one client address */
	int request_timeout_seconds;	 /* headers + body of a request */
	int idle_timeout_seconds;	 /* a connection with nothing to do */
	int login_hash_concurrency;	 /* Argon2id hashes at once */
	int login_queue;		 /* logins waiting for one */
	int login_failures_per_address;	 /* in 15 minutes, then 429 */
	int session_idle_minutes;
	int smtp_retry_seconds;	   /* first back-off of the mail sender */
	int complaints_per_minute; /* public intake, per client address */
	int complaints_burst;
	int manual_max_age_days; /* K2: how far back a form is regularised */
	/* T1: the operator's "Atención de Transacciones Críticas" document */
	char critical_transactions_doc_url[512];
	long long import_max_bytes; /* cap of one imported file (I1-I3) */
};

void config_defaults(struct config *c);
/*
 * The CPUs this process may use (1 to 256): those of its affinity mask,
 * or fewer when its cgroup's CPU quota allows fewer (rounded up).  The
 * default of `threads`; main() sizes malloc's arenas with it.  Counted
 * at the first call, when the process starts.
 */
int config_cpus(void);
/*
 * The tightest CPU quota, in CPUs rounded up, of the cgroups listed in
 * `proc_cgroup` (the text of /proc/self/cgroup) and of their parents,
 * the hierarchies mounted under `sysfs` ("/sys/fs/cgroup": v2 at it, v1's
 * cpu controller at sysfs/CONTROLLERS); 0 when none has a quota.
 */
int config_cpu_quota(const char *proc_cgroup, const char *sysfs);
/* 1 when `key` is a configuration key. */
int config_is_key(const char *key);
/*
 * Sets one key.  `where` ("file:line" or "--key") prefixes the message
 * written to `msg` on failure.  0 or -1.
 */
int config_set(struct config *c, const char *key, const char *value,
	       const char *where, char *msg, size_t n);
/* Reads a file of `key = value` lines ('#' comments).  0 or -1 + msg. */
int config_load_file(struct config *c, const char *path, char *msg, size_t n);
/* The same from an open stream; `name` stands for the file in messages. */
int config_load_stream(struct config *c, FILE *f, const char *name, char *msg,
		       size_t n);
/* Checks the whole configuration is usable.  0 or -1 + msg. */
int config_validate(const struct config *c, char *msg, size_t n);
/*
 * For check-config: the files the configuration names hold what they
 * must (complaints_token_file: a token of at least 16 characters).  Not
 * part of config_validate: a reload (SIGHUP) runs after privileges are
 * dropped, when a 0600 secret of root's is no longer readable.  0 or -1
 * + msg.
 */
int config_check_files(const struct config *c, char *msg, size_t n);

#endif
