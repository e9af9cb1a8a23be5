/*
 * The audit-checkpoint job: every hour a signed checkpoint of the audit
 * chain's head (store/checkpoint.h) is written to audit_checkpoint_dir,
 * and the first one of each Lima day is mailed to mailbox_control, so
 * copies of it live outside the database and outside this machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/str.h"
#include "calendar/cal.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "store/checkpoint.h"
#include "util/log.h"

static struct checkpoint_key key;
static int have_key;
static char out_dir[1024];

int checkpoint_setup(const struct config *cfg, char *msg, size_t n)
{
	sodium_memzero(&key, sizeof(key));
	have_key = 0;
	(void)str_printf(out_dir, sizeof(out_dir), "%s",
			 cfg->audit_checkpoint_dir);
	if (!cfg->audit_signing_key_file[0])
		return 0;
	if (checkpoint_key_load(cfg->audit_signing_key_file,
				cfg->audit_public_key, &key, msg, n) < 0)
		return -1;
	have_key = 1;
	return 0;
}

int checkpoint_write_file(const char *dir, const struct audit_checkpoint *cp,
			  const char *text, char *path, size_t n)
{
	char tmp[1200], at[17];
	time_t t = (time_t)cp->signed_at;
	struct tm tm;
	size_t len = strlen(text);
	int fd, ok;

	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(path, n, "%s/audit-checkpoint-%lld-%s.txt", dir,
			     (long long)cp->head_id, at) >= n ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int mail_daily(struct db *db, const struct audit_checkpoint *cp,
		      const char *text, int64_t now)
{
	char ref[48], dedupe[48], day[11];
	struct notify_args a;

	cal_format_date(cal_lima_date(now), day);
	(void)str_printf(ref, sizeof(ref), "registro %lld",
			 (long long)cp->head_id);
	(void)str_printf(dedupe, sizeof(dedupe), "audit.checkpoint:%s", day);
	a = (struct notify_args){
		.ref = ref, .link = "/", .detail = text, .dedupe_key = dedupe};
	if (db_begin(db) < 0)
		return -1;
	if (notify(db, NOTIFY_AUDIT_CHECKPOINT, &a, now) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int job_audit_checkpoint(struct db *db, int64_t now)
{
	struct audit_checkpoint cp;
	char text[CHECKPOINT_TEXT_MAX], msg[256], path[1200];
	FILE *devnull;
	int rc;

	if (!have_key)
		return 0;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return -1;
	rc = checkpoint_take(db, &key, now, &cp, devnull, msg, sizeof(msg));
	fclose(devnull);
	if (rc != 0) {
		if (rc > 0)
			log_error("audit-checkpoint: %s", msg);
		return rc < 0 ? -1 : 0;
	}
	if (checkpoint_format(&cp, text) < 0)
		return -1;
	if (out_dir[0] &&
	    checkpoint_write_file(out_dir, &cp, text, path, sizeof(path)) < 0)
		log_error("audit-checkpoint: cannot write in '%s': %s",
			  out_dir, strerror(errno));
	if (mail_daily(db, &cp, text, now) < 0) {
		log_error("audit-checkpoint: cannot queue the mail: %s",
			  db_errmsg(db));
		return -1;
	}
	return 0;
}
