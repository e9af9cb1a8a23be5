/* sched_getaffinity, CPU_COUNT: GNU extensions. */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#define _GNU_SOURCE
#include "util/config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/strnum.h"
#include "util/str.h"

enum kind {
	K_TEXT,
	K_INT,
	K_URL_HTTP,
	K_URL_SMTP,
	K_EMAIL,
	K_EMAILS,
	K_LISTEN,
	K_TLS,
	K_TOKEN,
	K_HEX32,
	K_ONOFF,
	K_BYTES /* a long long: bytes, or with a K, M or G suffix */
};

static const struct {
	const char *key;
	enum kind kind;
	size_t off;
	size_t size;
} keys[] = {
#define TEXT(k, kd)                                                           \
	{                                                                     \
#k, kd, offsetof(struct config, k),                           \
			sizeof(((struct config *)0)->k)                       \
	}
#define INT(k)                                                                \
	{                                                                     \
#k, K_INT, offsetof(struct config, k), sizeof(int)            \
	}
	TEXT(db, K_TEXT),
	TEXT(listen, K_LISTEN),
	TEXT(base_url, K_URL_HTTP),
	TEXT(smtp_url, K_URL_SMTP),
	TEXT(smtp_from, K_EMAIL),
	TEXT(smtp_user, K_TEXT),
	TEXT(smtp_password_file, K_TEXT),
	TEXT(smtp_tls, K_TLS),
	TEXT(alertmanager_token, K_TOKEN),
	TEXT(alertmanager_token_file, K_TEXT),
	TEXT(metrics_token, K_TOKEN),
	TEXT(trusted_proxies, K_TEXT),
	TEXT(audit_signing_key_file, K_TEXT),
	TEXT(audit_public_key, K_HEX32),
	TEXT(audit_checkpoint_dir, K_TEXT),
	TEXT(complaints_token_file, K_TEXT),
	TEXT(mailbox_fallas, K_EMAILS),
	TEXT(mailbox_control, K_EMAILS),
	TEXT(mailbox_contingency_cc, K_EMAILS),
	TEXT(procesos_backups, K_EMAILS),
	TEXT(user, K_TEXT),
	TEXT(access_log, K_ONOFF),
	INT(threads),
	INT(work_threads),
	INT(max_connections),
	INT(max_connections_per_address),
	INT(request_timeout_seconds),
	INT(idle_timeout_seconds),
	INT(login_hash_concurrency),
	INT(login_queue),
	INT(login_failures_per_address),
	INT(session_idle_minutes),
	INT(smtp_retry_seconds),
	INT(complaints_per_minute),
	INT(complaints_burst),
	INT(manual_max_age_days),
	TEXT(critical_transactions_doc_url, K_URL_HTTP),
#define BYTES(k)                                                              \
	{                                                                     \
#k, K_BYTES, offsetof(struct config, k), sizeof(long long)    \
	}
	BYTES(import_max_bytes),
#undef TEXT
#undef INT
#undef BYTES
};

/* The CPUs a quota of `quota` µs per `period` µs allows, rounded up; 0
 * for none ("max", -1, or text that is not a quota). */
static int quota_cpus(long long quota, long long period)
{
	if (quota <= 0 || period <= 0)
		return 0;
	quota = (quota + period - 1) / period;
	return quota > 256 ? 256 : (int)quota;
}

/* A whole small file, NUL-terminated, without its last newline; -1 when
 * it cannot be read. */
static int read_small(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

/* The quota in the files of one cgroup directory `dir` (cgroup v2's
 * cpu.max "QUOTA PERIOD" or "max PERIOD", or v1's cpu.cfs_quota_us, -1
 * for none, and cpu.cfs_period_us), in CPUs; 0 for none. */
static int dir_quota(const char *dir, int v2)
{
	char path[1100], quota[64], period[64], *space;
	int64_t q, p;

	if (v2) {
		if (str_printf(path, sizeof(path), "%s/cpu.max", dir) < 0 ||
		    read_small(path, quota, sizeof(quota)) < 0 ||
		    !(space = strchr(quota, ' ')))
			return 0;
		*space = '\0';
		(void)str_copy(period, sizeof(period), space + 1);
	} else if (str_printf(path, sizeof(path), "%s/cpu.cfs_quota_us", dir) <
			   0 ||
		   read_small(path, quota, sizeof(quota)) < 0 ||
		   str_printf(path, sizeof(path), "%s/cpu.cfs_period_us",
			      dir) < 0 ||
		   read_small(path, period, sizeof(period)) < 0) {
		return 0;
	}
	if (strnum_i64(quota, -1, INT64_MAX, &q) < 0 ||
	    strnum_i64(period, 1, INT64_MAX, &p) < 0)
		return 0; /* also "max" */
	return quota_cpus(q, p);
}

/* The tightest quota on the cgroup `dir` and its parents up to `root`,
 * where the hierarchy is mounted, in CPUs; 0 for none. */
static int cgroup_quota(const char *root, const char *dir, int v2)
{
	char path[1024];
	size_t len, top = strlen(root);
	int best = 0, n;

	if (str_printf(path, sizeof(path), "%s%s", root, dir) < 0)
		return 0;
	len = strlen(path);
	for (;;) {
		while (len > top && path[len - 1] == '/')
			len--;
		path[len] = '\0';
		n = dir_quota(path, v2);
		if (n > 0 && (best == 0 || n < best))
			best = n;
		if (len <= top)
			return best;
		while (len > top && path[len - 1] != '/')
			len--; /* to the parent */
	}
}

int config_cpu_quota(const char *proc_cgroup, const char *sysfs)
{
	char line[1024], root[512];
	const char *next, *ctrl, *dir;
	int best = 0, n;

	/* Lines "ID:CONTROLLERS:PATH": v2's is "0::PATH", mounted at
	 * SYSFS; v1's cpu controller is mounted at SYSFS/CONTROLLERS. */
	for (const char *l = proc_cgroup; l && *l; l = next) {
		size_t len;

		next = strchr(l, '\n');
		len = next ? (size_t)(next - l) : strlen(l);
		if (next)
			next++;
		if (len >= sizeof(line))
			continue;
		memcpy(line, l, len);
		line[len] = '\0';
		ctrl = strchr(line, ':');
		if (!ctrl)
			continue;
		ctrl++;
		dir = strchr(ctrl, ':');
		if (!dir || dir[1] != '/')
			continue;
		line[dir - line] = '\0';
		dir++;
		n = 0;
		if (*ctrl == '\0') {
			n = cgroup_quota(sysfs, dir, 1);
		} else {
			char list[256], *tok, *save = NULL;
			int cpu = 0;

			(void)str_copy(list, sizeof(list), ctrl);
			for (tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				cpu |= strcmp(tok, "cpu") == 0;
			if (cpu && str_printf(root, sizeof(root), "%s/%s",
					      sysfs, ctrl) == 0)
				n = cgroup_quota(root, dir, 0);
		}
		if (n > 0 && (best == 0 || n < best))
			best = n;
	}
	return best;
}

static int cpus;

static void count_cpus(void)
{
	cpu_set_t set;
	char cgroups[4096];
	long n;
	int quota = 0;

	/* The CPUs this process may run on (taskset, a cpuset, systemd's
	 * CPUAffinity=), else those online; fewer when a CPU quota
	 * (systemd's CPUQuota=, a container's --cpus) allows fewer. */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (read_small("/proc/self/cgroup", cgroups, sizeof(cgroups)) == 0)
		quota = config_cpu_quota(cgroups, "/sys/fs/cgroup");
	if (quota > 0 && quota < n)
		n = quota;
	cpus = n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

int config_cpus(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	/* Counted once: main() and every config_defaults() ask (the
	 * config fuzzer, once per input), and the count reads files. */
	(void)pthread_once(&once, count_cpus);
	return cpus;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	(void)str_copy(c->db, sizeof(c->db), "inop.db");
	(void)str_copy(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	(void)str_copy(c->base_url, sizeof(c->base_url),
		       "http://127.0.0.1:8080");
	(void)str_copy(c->smtp_from, sizeof(c->smtp_from), "inop@localhost");
	(void)str_copy(c->access_log, sizeof(c->access_log), "on");
	c->threads = config_cpus();
	c->work_threads = 16;
	c->max_connections = 2000;
	c->max_connections_per_address = 64;
	c->request_timeout_seconds = 30;
	c->idle_timeout_seconds = 60;
	c->login_hash_concurrency = 1;
	c->login_queue = 64;
	c->login_failures_per_address = 20;
	c->session_idle_minutes = 480;
	c->smtp_retry_seconds = 30;
	c->complaints_per_minute = 6;
	c->complaints_burst = 10;
	c->manual_max_age_days = 30;
	c->import_max_bytes = 4LL << 30; /* 4 GiB */
}

static int find_key(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

int config_is_key(const char *key)
{
	return find_key(key) >= 0;
}

static int email_ok(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	return at && at > s && at < s + len - 1 &&
	       !memchr(at + 1, '@', (size_t)(s + len - at - 1)) &&
	       !memchr(s, ' ', len) && !memchr(s, '<', len) &&
	       !memchr(s, '\r', len) && !memchr(s, '\n', len);
}

static int check_value(enum kind kind, const char *v)
{
	size_t n;

	switch (kind) {
	case K_URL_HTTP:
		return strncmp(v, "http://", 7) == 0 ||
		       strncmp(v, "https://", 8) == 0;
	case K_URL_SMTP:
		return !*v || strncmp(v, "smtp://", 7) == 0 ||
		       strncmp(v, "smtps://", 8) == 0;
	case K_EMAIL:
		return email_ok(v, strlen(v));
	case K_EMAILS:
		/* Comma-separated addresses, or empty. */
		while (*v) {
			n = strcspn(v, ",");
			while (n && *v == ' ') {
				v++;
				n--;
			}
			if (!email_ok(v, n))
				return 0;
			v += n;
			if (*v == ',')
				v++;
		}
		return 1;
	case K_LISTEN:
		return strchr(v, ':') != NULL;
	case K_ONOFF:
		return strcmp(v, "on") == 0 || strcmp(v, "off") == 0;
	case K_TLS:
		return strcmp(v, "none") == 0 || strcmp(v, "starttls") == 0 ||
		       strcmp(v, "tls") == 0;
	case K_TOKEN:
		/* Sent as "Authorization: Bearer": no spaces, not short. */
		return strlen(v) >= 16 && strcspn(v, " \t\r\n") == strlen(v);
	case K_HEX32:
		/* 32 bytes in hex, as `inop audit keygen` prints them. */
		return strlen(v) == 64 &&
		       strspn(v, "0123456789abcdefABCDEF") == 64;
	default:
		return 1;
	}
}

/* "1048576", "512K", "100M", "4G": 1 KiB to 1 TiB. */
static int set_bytes(long long *out, const char *key, const char *value,
		     const char *where, char *msg, size_t n)
{
	char num[32];
	size_t len = strlen(value);
	int64_t v, mult = 1;

	if (len > 0 && len < sizeof(num)) {
		memcpy(num, value, len + 1);
		switch (num[len - 1]) {
		case 'K':
		case 'k':
			mult = 1LL << 10;
			break;
		case 'M':
		case 'm':
			mult = 1LL << 20;
			break;
		case 'G':
		case 'g':
			mult = 1LL << 30;
			break;
		default:
			break;
		}
		if (mult > 1)
			num[len - 1] = '\0';
		/* the bound divided by the unit: v * mult cannot overflow */
		if (strnum_i64(num, 1, (1LL << 40) / mult, &v) == 0 &&
		    v * mult >= 1024) {
			*out = v * mult;
			return 0;
		}
	}
	(void)snprintf(msg, n,
		       "%s: '%s' must be a size between 1K and 1024G "
		       "(bytes, or with a K, M or G suffix)",
		       where, key);
	return -1;
}

int config_set(struct config *c, const char *key, const char *value,
	       const char *where, char *msg, size_t n)
{
	int i = find_key(key);
	int64_t num;
	char *field;

	/* msg: text for the operator, a cut is acceptable (here and below) */
	if (i < 0) {
		(void)str_printf(msg, n, "%s: unknown key '%s'", where, key);
		return -1;
	}
	field = (char *)c + keys[i].off;
	if (keys[i].kind == K_BYTES)
		return set_bytes((long long *)(void *)field, key, value, where,
				 msg, n);
	if (keys[i].kind == K_INT) {
		if (strnum_i64(value, 1, 100000, &num) < 0) {
			(void)str_printf(msg, n,
					 "%s: '%s' must be a whole number "
					 "between 1 and 100000",
					 where, key);
			return -1;
		}
		*(int *)(void *)field = (int)num;
		return 0;
	}
	if (strlen(value) >= keys[i].size ||
	    !check_value(keys[i].kind, value)) {
		(void)str_printf(msg, n, "%s: invalid value for '%s': '%s'",
				 where, key, value);
		return -1;
	}
	(void)str_copy(field, keys[i].size, value); /* length checked above */
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int config_load_stream(struct config *c, FILE *f, const char *name, char *msg,
		       size_t n)
{
	char line[2048], where[1100];
	int lineno = 0, rc = 0;

	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;

		lineno++;
		/* where: for messages only, a cut is acceptable */
		(void)str_printf(where, sizeof(where), "%s:%d", name, lineno);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			(void)str_printf(msg, n, "%s: expected 'key = value'",
					 where);
			rc = -1;
			break;
		}
		*eq = '\0';
		rc = config_set(c, trim(s), trim(eq + 1), where, msg, n);
	}
	return rc;
}

int config_load_file(struct config *c, const char *path, char *msg, size_t n)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		(void)str_printf(msg, n, "%s: cannot open: %s", path,
				 strerror(errno));
		return -1;
	}
	rc = config_load_stream(c, f, path, msg, n);
	fclose(f);
	return rc;
}

/* The platform's token file: readable, its first line a usable bearer
 * token (the same rule as alertmanager_token).  0 or -1 + msg. */
static int token_file_ok(const char *key, const char *path, char *msg,
			 size_t n)
{
	FILE *f = fopen(path, "r");
	char line[256] = "";

	if (!f) {
		(void)str_printf(msg, n, "'%s': cannot open '%s': %s", key,
				 path, strerror(errno));
		return -1;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (!check_value(K_TOKEN, line)) {
		(void)str_printf(
			msg, n,
			"'%s': the first line of '%s' must be a token of at "
			"least 16 characters without spaces",
			key, path);
		return -1;
	}
	return 0;
}

int config_check_files(const struct config *c, char *msg, size_t n)
{
	if (c->complaints_token_file[0] &&
	    token_file_ok("complaints_token_file", c->complaints_token_file,
			  msg, n) < 0)
		return -1;
	return 0;
}

int config_validate(const struct config *c, char *msg, size_t n)
{
	if (!c->db[0]) {
		(void)str_copy(msg, n, "'db' is required");
		return -1;
	}
	if (c->smtp_url[0] && !c->smtp_from[0]) {
		(void)str_copy(msg, n,
			       "'smtp_from' is required with 'smtp_url'");
		return -1;
	}
	if (strncmp(c->smtp_url, "smtps://", 8) == 0 &&
	    (strcmp(c->smtp_tls, "none") == 0 ||
	     strcmp(c->smtp_tls, "starttls") == 0)) {
		(void)str_copy(msg, n,
			       "'smtp_tls' must be 'tls' with an smtps:// "
			       "'smtp_url'");
		return -1;
	}
	if (c->audit_signing_key_file[0] && !c->audit_public_key[0]) {
		(void)str_printf(msg, n,
				 "'audit_public_key' is required with "
				 "'audit_signing_key_file'");
		return -1;
	}
	if (c->audit_checkpoint_dir[0] && !c->audit_signing_key_file[0]) {
		(void)str_printf(msg, n,
				 "'audit_checkpoint_dir' needs "
				 "'audit_signing_key_file'");
		return -1;
	}
	if (c->alertmanager_token[0] && c->alertmanager_token_file[0]) {
		(void)str_copy(msg, n,
			       "give 'alertmanager_token' or "
			       "'alertmanager_token_file', not both");
		return -1;
	}
	return 0;
}
