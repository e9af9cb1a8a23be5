#ifndef INOP_STORE_OUTBOX_H
#define INOP_STORE_OUTBOX_H
#include <stdint.h>

#include "db/db.h"
#include "util/buf.h"

/* The durable mail outbox (N1) and the addresses mail goes to. */

/*
 * An attachment by reference: the sender builds its bytes when it sends
 * (mail/sender.c's table of sources: "complaint_form" renders the form
 * PDF of complaint source_id, "complaint_document" reads that document).
 */
struct outbox_attachment {
	const char *filename; /* ASCII: it goes into the MIME headers */
	const char *content_type;
	const char *source;
	int64_t source_id;
};

struct outbox_mail {
	const char *trigger;	/* the notify trigger code */
	const char *dedupe_key; /* NULL: none; else enqueued at most once */
	const char *recipients; /* comma-separated addresses */
	const char *subject;
	const char *body_text;
	const char *body_html;
	const char *link; /* absolute URL of the item */
	const struct outbox_attachment *att;
	size_t n_att;
};

/*
 * Queues a mail; run it inside the transaction of its cause.  A mail whose
 * dedupe_key is already queued is skipped (0).  0 or -1.
 */
int store_outbox_insert(struct db *db, const struct outbox_mail *m,
			int64_t now);

/*
 * Appends to `out` (comma-separated, no duplicates within one call) the
 * e-mail addresses of the active users holding `role_code`; with
 * point_id > 0 only those assigned to that point; with point_id < 0 only
 * those assigned to at least one active point.  0 or -1.
 */
int store_role_emails(struct db *db, const char *role_code, int64_t point_id,
		      struct buf *out);

/* A mail claimed for sending (all strings malloc'd). */
struct outbox_row {
	int64_t id;
	int64_t created_at;
	int64_t attempts; /* before this one */
	char *recipients;
	char *subject;
	char *body_text;
	char *body_html;
};
void outbox_rows_free(struct outbox_row *rows, size_t n);

/*
 * N1: claims up to `limit` PENDING mails due at `now` whose lease is free
 * or expired, leasing them to `node` until now + lease_s, in one
 * transaction; several nodes never claim the same row.  *rows malloc'd.
 * 0 or -1.
 */
int store_outbox_claim(struct db *db, const char *node, int64_t now,
		       int64_t lease_s, size_t limit, struct outbox_row **rows,
		       size_t *n);

/*
 * Records one delivery attempt of a claimed mail, in one transaction:
 * the attempt row always; then SENT when ok, else PENDING again at
 * retry_at (or FAILED when retry_at is 0), the lease released.  The row
 * changes only while `node` still holds it PENDING: *lost = 1 when it
 * did not (its lease expired and another node took it).  0 or -1.
 */
int store_outbox_result(struct db *db, int64_t id, const char *node, int ok,
			const char *detail, int64_t now, int64_t retry_at,
			int *lost);

/* An attachment of a claimed mail (strings malloc'd). */
struct outbox_attachment_row {
	char *filename, *content_type, *source;
	int64_t source_id;
};
/* The attachments of mail `outbox_id`, in order.  *rows malloc'd (free
 * with outbox_attachment_rows_free).  0 or -1. */
int store_outbox_attachments(struct db *db, int64_t outbox_id,
			     struct outbox_attachment_row **rows, size_t *n);
void outbox_attachment_rows_free(struct outbox_attachment_row *rows, size_t n);

/* Gives back a claimed mail not attempted (no attempt recorded). */
int store_outbox_release(struct db *db, int64_t id, const char *node);

#endif
