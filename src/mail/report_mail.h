#ifndef INOP_MAIL_REPORT_MAIL_H
#define INOP_MAIL_REPORT_MAIL_H
#include <stdint.h>

#include "db/db.h"
#include "store/reports.h"

/*
 * The mails of the official report (SPEC N2), through notify().
 */

/*
 * A report moved (the `after` hook of struct report_change, run inside
 * its transaction): to whoever acts next.  EN_REVISION -> GERENTE users,
 * APROBADO_GERENTE -> DIRECTOR users (awaiting approval);
 * APROBADO_DIRECTOR -> REGULATORIO users (to be sent); back to BORRADOR
 * -> CONTROL users, with the comment.  0 or -1.
 */
int report_mail_transition(struct db *db, const struct report_info *r,
			   enum report_status from,
			   const struct report_change *c, int64_t now);

/*
 * The job "report-due" (once a minute in serve): every closed, reportable
 * event not in a sent report whose deadline is today or the next business
 * day (ADMIN's extra days counted) is mailed to mailbox_control, once per
 * event whatever the runs or nodes (the outbox's dedupe key).  `now` is
 * the clock to judge by.  0 or -1.
 */
int report_mail_due(struct db *db, int64_t now);

#endif
