#ifndef INOP_STORE_OUTBOX_H
#define INOP_STORE_OUTBOX_H
#include <stdint.h>

#include "db/db.h"
#include "util/buf.h"

/* The durable mail outbox (N1) and the addresses mail goes to. */

struct outbox_mail {
	const char *trigger;    /* the notify trigger code */
	const char *dedupe_key; /* NULL: none; else enqueued at most once */
	const char *recipients; /* comma-separated addresses */
	const char *subject;
	const char *body_text;
	const char *body_html;
	const char *link; /* absolute URL of the item */
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

#endif
