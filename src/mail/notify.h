#ifndef INOP_MAIL_NOTIFY_H
#define INOP_MAIL_NOTIFY_H
#include <stdint.h>

#include "db/db.h"
#include "store/outbox.h"
#include "util/config.h"

/*
 * N2: every notification Inop sends is a row of the trigger table in
 * notify.c (who receives it, subject, opening line).  A cause calls
 * notify() inside its own transaction; the mail is queued in the outbox
 * and delivered later by the sender, so nothing is lost while the mail
 * server is down.  A later issue adds a trigger by adding a row (and its
 * enum value), not a code path.
 */
enum notify_trigger {
	NOTIFY_EVENT_REGISTERED,       /* -> mailbox_control, SOPORTE users */
	NOTIFY_EVENT_CLOSED,	       /* -> mailbox_control */
	NOTIFY_ALERT_RAISED,	       /* -> mailbox_fallas */
	NOTIFY_MASS_FAILURE_CONFIRMED, /* -> JEFEs of the active points */
	NOTIFY_OPERATIONAL_ERROR,      /* -> JEFEs of the point */
	NOTIFY_PROCESOS_REQUEST,       /* -> PROCESOS users */
	NOTIFY_PROCESOS_ESCALATION, /* -> args.to (the configured backups) */
	NOTIFY_PROCESOS_RULING,	    /* -> mailbox_control */
	NOTIFY_REPORT_AWAITING,	    /* -> users of args.role */
	NOTIFY_REPORT_DUE,	    /* -> mailbox_control */
	NOTIFY_REPORT_APPROVED,	    /* -> users of args.role (REGULATORIO) */
	NOTIFY_REPORT_RETURNED,	    /* -> users of args.role (CONTROL) */
	NOTIFY_COMPLAINT_RECEIVED,  /* -> args.to (the customer) */
	NOTIFY_AUDIT_CHECKPOINT,    /* -> mailbox_control, daily */
	NOTIFY_COMPLAINT_RESOLVED,  /* -> args.to (the customer) */
};

struct notify_args {
	const char *ref; /* what it is about: "INOP-2026-000012" */
	const char
		*link; /* path under base_url: "/#/eventos/INOP-2026-000012" */
	const char *detail;	/* Spanish text of this case (may be NULL) */
	int64_t point_id;	/* for the JEFEs of one point */
	const char *role;	/* for NOTIFY_REPORT_AWAITING: "GERENTE"... */
	const char *to;		/* explicit addresses, comma-separated */
	const char *dedupe_key; /* enqueue at most once (timers) */
	/* Attachments the sender builds (outbox.h); with several mails
	 * (more than 50 recipients) each carries them. */
	const struct outbox_attachment *att;
	size_t n_att;
};

/* Takes the mailboxes and base_url from `cfg` (kept, not copied). */
void notify_setup(const struct config *cfg);
/* The configuration given to notify_setup(), or NULL before it. */
const struct config *notify_config(void);

/*
 * Queues the mail of trigger `t`.  Run inside the transaction of the
 * cause.  No recipient (e.g. a mailbox not configured): nothing queued,
 * 0.  -1 on a database failure (the caller rolls back).
 */
int notify(struct db *db, enum notify_trigger t, const struct notify_args *a,
	   int64_t now);

#endif
