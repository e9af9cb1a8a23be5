#include "store/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/audit.h"
#include "util/clock.h"
#include "util/str.h"

#define NAME_PREFIX "inop-"
#define NAME_SUFFIX ".db"

static int integrity_ok(struct db *db, FILE *out)
{
	struct db_stmt *st;
	int rc, ok = 1;

	if (strcmp(db_engine(db), "sqlite") != 0)
		return 1;
	st = db_prepare(db, "PRAGMA integrity_check");
	if (!st)
		return 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *line = db_col_text(st, 0);

		if (!line || strcmp(line, "ok") != 0) {
			fprintf(out, "integrity check: %s\n",
				line ? line : "?");
			ok = 0;
		}
	}
	db_reset(st);
	return ok && rc == DB_DONE;
}

int backup_check(struct db *db, FILE *out, struct backup_info *info)
{
	int64_t head_id;
	int problems;

	if (!integrity_ok(db, out))
		return -1;
	problems = audit_verify(db, out, &info->records);
	if (problems != 0) {
		if (problems < 0)
			fprintf(out, "cannot read the audit log\n");
		return -1;
	}
	return audit_head_hash(db, &head_id, info->head);
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int is_dir(const char *path)
{
	struct stat sb;
	size_t n = strlen(path);

	return (n && path[n - 1] == '/') ||
	       (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

/* The rename is durable only once the directory entry is on disk. */
static void sync_dir_of(const char *path)
{
	char dir[1100];
	char *slash;
	int fd;

	if (str_copy(dir, sizeof(dir), path) < 0)
		return; /* a cut path would name another directory */
	slash = strrchr(dir, '/');
	if (!slash)
		(void)str_copy(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int final_name(const char *dest, const struct backup_info *info,
		      char *out, size_t n)
{
	char stamp[32];
	time_t now = (time_t)clock_wall_s();
	struct tm tm;
	size_t len = strlen(dest);

	if (!is_dir(dest))
		return str_copy(out, n, dest);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	return str_printf(out, n, "%s%s" NAME_PREFIX "%s-%.16s" NAME_SUFFIX,
			  dest, len && dest[len - 1] == '/' ? "" : "/", stamp,
			  info->head);
}

static void remove_sqlite_files(const char *path)
{
	char side[1200];

	unlink(path);
	/* a cut name would be another file: those are left alone */
	if (str_printf(side, sizeof(side), "%s-wal", path) == 0)
		unlink(side);
	if (str_printf(side, sizeof(side), "%s-shm", path) == 0)
		unlink(side);
	if (str_printf(side, sizeof(side), "%s-journal", path) == 0)
		unlink(side);
}

static int check_file(const char *path, FILE *out, struct backup_info *info)
{
	struct db *copy = NULL;
	struct inop_err err;
	int rc;

	if (db_open(path, &copy, &err) < 0) {
		fprintf(out, "cannot open the copy '%s': %s\n", path,
			err.message);
		return -1;
	}
	rc = backup_check(copy, out, info);
	db_close(copy);
	return rc;
}

int backup_write(struct db *src, const char *dest_path, FILE *out,
		 struct backup_info *info)
{
	char tmp[1200];
	struct inop_err err;
	struct timespec t0;
	struct stat sb;
	int cut;

	memset(info, 0, sizeof(*info));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (is_dir(dest_path))
		cut = str_printf(tmp, sizeof(tmp),
				 "%s/.inop-backup-%ld.partial", dest_path,
				 (long)getpid());
	else
		cut = str_printf(tmp, sizeof(tmp), "%s.partial", dest_path);
	if (cut < 0) {
		fprintf(out, "destination path too long: %s\n", dest_path);
		return -1;
	}
	remove_sqlite_files(tmp);
	if (db_backup_to(src, tmp, &err) < 0) {
		fprintf(out, "copy failed: %s\n", err.message);
		goto fail;
	}
	if (check_file(tmp, out, info) < 0) {
		fprintf(out, "the copy does not verify; nothing kept\n");
		goto fail;
	}
	if (final_name(dest_path, info, info->path, sizeof(info->path)) < 0 ||
	    rename(tmp, info->path) < 0) {
		fprintf(out, "cannot move the copy into place: %s\n",
			strerror(errno));
		goto fail;
	}
	sync_dir_of(info->path);
	if (stat(info->path, &sb) == 0)
		info->bytes = (int64_t)sb.st_size;
	info->seconds = since(&t0);
	return 0;
fail:
	remove_sqlite_files(tmp);
	return -1;
}

static int is_backup_name(const char *name)
{
	size_t n = strlen(name), p = strlen(NAME_PREFIX),
	       s = strlen(NAME_SUFFIX);

	return n > p + s && strncmp(name, NAME_PREFIX, p) == 0 &&
	       strcmp(name + n - s, NAME_SUFFIX) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int backup_prune(const char *dir, int keep, FILE *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[1400];
	size_t n = 0, cap = 0;
	int removed = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!is_backup_name(e->d_name))
			continue;
		if (n == cap) {
			char **more = realloc(names, (cap ? cap * 2 : 16) *
							     sizeof(*names));

			if (!more)
				break;
			names = more;
			cap = cap ? cap * 2 : 16;
		}
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		if (keep >= 0 && i + (size_t)keep < n) {
			if (str_printf(path, sizeof(path), "%s/%s", dir,
				       names[i]) == 0 &&
			    unlink(path) == 0) {
				fprintf(out, "removed old backup '%s'\n",
					path);
				removed++;
			}
		}
		free(names[i]);
	}
	free(names);
	return removed;
}

int backup_name_matches(const char *path, const char *head)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (!is_backup_name(base) || n < 16 + strlen(NAME_SUFFIX) + 1)
		return 1;
	base += n - strlen(NAME_SUFFIX) - 16;
	if (base[-1] != '-' || strspn(base, "0123456789abcdef") < 16)
		return 1;
	return strncmp(base, head, 16) == 0;
}
