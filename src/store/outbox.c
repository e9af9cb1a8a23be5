#include "store/outbox.h"

#include <stdlib.h>
#include <string.h>

#include "domain/roles.h"
#include "store/batch.h"

static int attachments_insert(struct db *db, int64_t outbox_id,
			      const struct outbox_mail *m)
{
	for (size_t i = 0; i < m->n_att; i++) {
		const struct outbox_attachment *a = &m->att[i];
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO outbox_attachments (outbox_id, "
			    "position, filename, content_type, source, "
			    "source_id) VALUES (?, ?, ?, ?, ?, ?)");

		if (!st)
			return -1;
		db_bind_int(st, 1, outbox_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, a->filename);
		db_bind_text(st, 4, a->content_type);
		db_bind_text(st, 5, a->source);
		db_bind_int(st, 6, a->source_id);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

static void id_from_row(struct db_stmt *st, void *elem)
{
	*(int64_t *)elem = db_col_int(st, 0);
}

#define OUTBOX_INSERT                                                         \
	"INSERT INTO outbox (trigger, dedupe_key, recipients, subject, "      \
	"body_text, body_html, link, created_at, next_attempt_at) VALUES "    \
	"(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING"

int store_outbox_insert(struct db *db, const struct outbox_mail *m,
			int64_t now)
{
	/* Attachments need the new row's id; a plain mail is written
	 * with what follows (db_run_later). */
	struct db_stmt *st = db_prepare(
		db, m->n_att ? OUTBOX_INSERT " RETURNING id" : OUTBOX_INSERT);
	int64_t id = 0;
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
	if (!m->n_att)
		return db_run_later(st) == DB_DONE ? 0 : -1;
	/* No row: the dedupe key was queued before; nothing to attach. */
	rc = db_get_one(st, id_from_row, &id);
	if (rc == 1 && m->n_att)
		return attachments_insert(db, id, m);
	return rc < 0 ? -1 : 0;
}

static void attachment_from_row(struct db_stmt *st, void *elem)
{
	struct outbox_attachment_row *a = elem;

	a->filename = strdup(db_col_text(st, 0));
	a->content_type = strdup(db_col_text(st, 1));
	a->source = strdup(db_col_text(st, 2));
	a->source_id = db_col_int(st, 3);
}

static void attachment_release(void *elem)
{
	struct outbox_attachment_row *a = elem;

	free(a->filename);
	free(a->content_type);
	free(a->source);
}

void outbox_attachment_rows_free(struct outbox_attachment_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		attachment_release(&rows[i]);
	free(rows);
}

int store_outbox_attachments(struct db *db, int64_t outbox_id,
			     struct outbox_attachment_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT filename, content_type, source, source_id FROM "
		"outbox_attachments WHERE outbox_id = ? ORDER BY position");

	if (!st)
		return -1;
	db_bind_int(st, 1, outbox_id);
	if (db_list_owned(st, sizeof(**rows), attachment_from_row,
			  attachment_release, (void **)rows, n) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (!(*rows)[i].filename || !(*rows)[i].content_type ||
		    !(*rows)[i].source) {
			outbox_attachment_rows_free(*rows, *n);
			*rows = NULL;
			*n = 0;
			return -1;
		}
	return 0;
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

/* Appends the comma-separated `list` to `out`, each address once. */
static int append_addresses(struct buf *out, const char *list)
{
	char addr[256];

	while (*list) {
		size_t n = strcspn(list, ",");

		if (n && n < sizeof(addr)) {
			memcpy(addr, list, n);
			addr[n] = '\0';
			if (!has_address(out, addr) &&
			    ((out->len && buf_appends(out, ",") < 0) ||
			     buf_appends(out, addr) < 0))
				return -1;
		}
		list += n + (list[n] == ',');
	}
	return 0;
}

int store_role_emails(struct db *db, const char *role_code, int64_t point_id,
		      struct buf *out)
{
	unsigned role = role_from_code(role_code);
	const char *known = store_batch_recipients(role_code, point_id);
	struct db_stmt *st;
	struct buf found;
	int rc;

	if (!role)
		return -1;
	/* Looked up already in this write batch: the same answer. */
	if (known)
		return append_addresses(out, known);
	if (point_id > 0)
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (u.role_mask & ?) <> 0 "
				    "AND u.id IN (SELECT user_id FROM "
				    "user_points WHERE point_id = ?) "
				    "ORDER BY u.email");
	else if (point_id < 0)
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (u.role_mask & ?) <> 0 "
				    "AND u.id IN (SELECT up.user_id FROM "
				    "user_points up JOIN points p ON p.id = "
				    "up.point_id WHERE p.active = 1) "
				    "ORDER BY u.email");
	else
		st = db_prepare(db, "SELECT u.email FROM users u WHERE "
				    "u.active = 1 AND (u.role_mask & ?) <> 0 "
				    "ORDER BY u.email");
	if (!st)
		return -1;
	db_bind_int(st, 1, role);
	if (point_id > 0)
		db_bind_int(st, 2, point_id);
	buf_init(&found, 1 << 20);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *addr = db_col_text(st, 0);

		if (!addr || !*addr || strchr(addr, ','))
			continue;
		if ((found.len && buf_appends(&found, ",") < 0) ||
		    buf_appends(&found, addr) < 0) {
			rc = DB_FAIL;
			break;
		}
	}
	db_reset(st);
	if (rc == DB_DONE) {
		store_batch_remember_recipients(role_code, point_id,
						found.s ? found.s : "");
		rc = append_addresses(out, found.s ? found.s : "") < 0
			     ? DB_FAIL
			     : DB_DONE;
	}
	buf_release(&found);
	return rc == DB_DONE ? 0 : -1;
}

void outbox_rows_free(struct outbox_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].recipients);
		free(rows[i].subject);
		free(rows[i].body_text);
		free(rows[i].body_html);
	}
	free(rows);
}

/*
 * The claim.  SQLite has one writer at a time (BEGIN IMMEDIATE), so the
 * UPDATE ... RETURNING alone is atomic.  PostgreSQL runs writers side by
 * side: its inner SELECT locks the rows it picks and skips rows another
 * node is claiming (FOR UPDATE SKIP LOCKED), so two nodes never take the
 * same mail and neither waits for the other.
 */
#define CLAIM_HEAD                                                            \
	"UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN "     \
	"(SELECT id FROM outbox WHERE status = 'PENDING' AND "                \
	"next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) "  \
	"ORDER BY next_attempt_at, id LIMIT ?"
#define CLAIM_TAIL                                                            \
	") RETURNING id, created_at, attempts, recipients, subject, "         \
	"body_text, body_html"

static const char claim_sqlite[] = CLAIM_HEAD CLAIM_TAIL;
static const char claim_pg[] = CLAIM_HEAD " FOR UPDATE SKIP LOCKED" CLAIM_TAIL;

static char *dup_col(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return strdup(s ? s : "");
}

static int claim_rows(struct db_stmt *st, size_t limit,
		      struct outbox_row *rows, size_t *n)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct outbox_row *r = &rows[(*n)++];

		r->id = db_col_int(st, 0);
		r->created_at = db_col_int(st, 1);
		r->attempts = db_col_int(st, 2);
		r->recipients = dup_col(st, 3);
		r->subject = dup_col(st, 4);
		r->body_text = dup_col(st, 5);
		r->body_html = dup_col(st, 6);
		if (!r->recipients || !r->subject || !r->body_text ||
		    !r->body_html) {
			rc = DB_FAIL;
			break;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_outbox_claim(struct db *db, const char *node, int64_t now,
		       int64_t lease_s, size_t limit, struct outbox_row **rows,
		       size_t *n)
{
	int pg = strcmp(db_engine(db), "postgresql") == 0;
	struct db_stmt *st;

	*n = 0;
	*rows = calloc(limit ? limit : 1, sizeof(**rows));
	if (!*rows || db_begin(db) < 0)
		return -1;
	st = db_prepare(db, pg ? claim_pg : claim_sqlite);
	if (!st)
		goto fail;
	db_bind_text(st, 1, node);
	db_bind_int(st, 2, now + lease_s);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, (int64_t)limit);
	if (claim_rows(st, limit, *rows, n) < 0 || db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	outbox_rows_free(*rows, *n);
	*rows = NULL;
	*n = 0;
	return -1;
}

static int attempt_insert(struct db *db, int64_t id, const char *node, int ok,
			  const char *detail, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO outbox_attempts (outbox_id, at, node, ok, "
		    "detail) VALUES (?, ?, ?, ?, ?)");

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	db_bind_text(st, 3, node);
	db_bind_int(st, 4, ok);
	db_bind_text(st, 5, detail);
	return db_run(st) == DB_DONE ? 0 : -1;
}

/* 1 changed, 0 not held by node (any more), -1 error. */
static int outcome_update(struct db *db, int64_t id, const char *node, int ok,
			  const char *detail, int64_t now, int64_t retry_at)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE outbox SET status = ?, attempts = attempts + 1, "
		    "sent_at = ?, next_attempt_at = ?, last_error = ?, "
		    "lease_owner = NULL, lease_until = NULL WHERE id = ? AND "
		    "lease_owner = ? AND status = 'PENDING' RETURNING id");

	if (!st)
		return -1;
	db_bind_text(st, 1, ok ? "SENT" : retry_at ? "PENDING" : "FAILED");
	if (ok)
		db_bind_int(st, 2, now);
	db_bind_int(st, 3, ok || !retry_at ? now : retry_at);
	db_bind_text(st, 4, ok ? NULL : detail);
	db_bind_int(st, 5, id);
	db_bind_text(st, 6, node);
	return db_get_one(st, NULL, NULL);
}

int store_outbox_result(struct db *db, int64_t id, const char *node, int ok,
			const char *detail, int64_t now, int64_t retry_at,
			int *lost)
{
	int rc;

	*lost = 0;
	if (db_begin(db) < 0)
		return -1;
	rc = attempt_insert(db, id, node, ok, detail, now);
	if (rc == 0)
		rc = outcome_update(db, id, node, ok, detail, now, retry_at);
	if (rc < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	*lost = rc == 0;
	return 0;
}

int store_outbox_release(struct db *db, int64_t id, const char *node)
{
	struct db_stmt *st;

	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, "UPDATE outbox SET lease_owner = NULL, "
			    "lease_until = NULL WHERE id = ? AND "
			    "lease_owner = ? AND status = 'PENDING'");
	if (!st) {
		db_rollback(db);
		return -1;
	}
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, node);
	if (db_run(st) != DB_DONE || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}
