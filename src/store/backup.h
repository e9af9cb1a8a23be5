#ifndef INOP_STORE_BACKUP_H
#define INOP_STORE_BACKUP_H
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/*
 * Backups of a SQLite register that restore: a copy is only kept when
 * SQLite's integrity check passes and its audit chain verifies, and it is
 * known by the hash at the head of that chain.
 */
struct backup_info {
	int64_t records; /* audit records in the copy */
	char head[65];	 /* hash at the head of the audit chain */
	int64_t bytes;	 /* size of the copy */
	double seconds;	 /* time to copy and check */
	char path[1100]; /* where the copy is */
};

/*
 * Checks a database: PRAGMA integrity_check (SQLite) and the whole audit
 * chain.  Problems are printed to `out`, one line each.  Fills `info`
 * (records, head).  0 when sound, -1 otherwise.
 */
int backup_check(struct db *db, FILE *out, struct backup_info *info);

/*
 * Copies `src` (open SQLite connection) into `dest_path` through a
 * temporary file beside it, checks the copy with backup_check() and only
 * then renames it into place.  `dest_path` ending in '/' or naming a
 * directory gets "inop-YYYYMMDDTHHMMSSZ-<first 16 of head>.db" inside.
 * 0 or -1 (printed to `out`); `info` says what was written.
 */
int backup_write(struct db *src, const char *dest_path, FILE *out,
		 struct backup_info *info);

/*
 * Keeps the newest `keep` files named inop-*-*.db in `dir` and removes
 * the older ones (their names sort by time).  Returns how many were
 * removed, or -1.
 */
int backup_prune(const char *dir, int keep, FILE *out);

/*
 * When the file name carries a head hash (…-<16 hex>.db), 1 if it matches
 * `head`, 0 if not; 1 for names without one.
 */
int backup_name_matches(const char *path, const char *head);

#endif
