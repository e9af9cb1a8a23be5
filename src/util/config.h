#ifndef INOP_UTIL_CONFIG_H
#define INOP_UTIL_CONFIG_H
#include <stddef.h>

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
	char mailbox_fallas[256];
	char mailbox_control[256];
	char mailbox_contingency_cc[512];
	char procesos_backups[512]; /* V3: who gets escalated requests */
	char user[64]; /* serve started as root drops to this user */
	int threads;
	int session_idle_minutes;
	int smtp_retry_seconds; /* first back-off of the mail sender */
};

void config_defaults(struct config *c);
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
/* Checks the whole configuration is usable.  0 or -1 + msg. */
int config_validate(const struct config *c, char *msg, size_t n);

#endif
