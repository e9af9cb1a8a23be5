#include "store/outbox.h"

#include <stdio.h>
#include <string.h>

int store_outbox_insert(struct db *db, const struct outbox_mail *m,
			int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO outbox (trigger, dedupe_key, recipients, "
		    "subject, body_text, body_html, link, created_at, "
		    "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
		    "ON CONFLICT (dedupe_key) DO NOTHING");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, m->trigger);
	db_bind_text(st, 2, m->dedupe_key);
	db_bind_text(st, 3, m->recipients);
	db_bind_text(st, 4, m->subject);
	db_bind_text(st, 5, m->body_text);
	db_bind_text(st, 6, m->body_html);
	db_bind_text(st, 7, m->link);
	db_bind_int(st, 8, now);
	db_bind_int(st, 9, now);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int has_address(const struct buf *out, const char *addr)
{
	size_t n = strlen(addr);
	const char *p = out->s;

	while ((p = strstr(p, addr)) != NULL) {
		if ((p == out->s || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int store_role_emails(struct db *db, const char *role_code, int64_t point_id,
		      struct buf *out)
{
	struct db_stmt *st;
	char pattern[48];
	int rc;

	if (point_id > 0)
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (',' || u.roles || ',') "
				    "LIKE ? AND u.id IN (SELECT user_id FROM "
				    "user_points WHERE point_id = ?) "
				    "ORDER BY u.email");
	else if (point_id < 0)
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (',' || u.roles || ',') "
				    "LIKE ? AND u.id IN (SELECT up.user_id FROM "
				    "user_points up JOIN points p ON p.id = "
				    "up.point_id WHERE p.active = 1) "
				    "ORDER BY u.email");
	else
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (',' || u.roles || ',') "
				    "LIKE ? ORDER BY u.email");
	if (!st)
		return -1;
	snprintf(pattern, sizeof(pattern), "%%,%s,%%", role_code);
	db_bind_text(st, 1, pattern);
	if (point_id > 0)
		db_bind_int(st, 2, point_id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *addr = db_col_text(st, 0);

		if (!addr || !*addr || has_address(out, addr))
			continue;
		if ((out->len && buf_appends(out, ",") < 0) ||
		    buf_appends(out, addr) < 0) {
			rc = DB_FAIL;
			break;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}
