#ifndef INOP_MAIL_COMPLAINT_MAIL_H
#define INOP_MAIL_COMPLAINT_MAIL_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/complaint.h"
#include "util/err.h"

/*
 * Q4, Q5: the customer's mails about a complaint, through notify() in
 * the complaint's own transaction (hooks of store/complaints.h).
 *
 * Received: the code, the received time, matter, due date, that it was
 * passed to the operator, that it does not suspend payment; attached the
 * complaint form (PDF, rendered by the sender when it sends) and the
 * customer's documents.  When the documents would make the mail larger
 * than COMPLAINT_MAIL_BYTES_MAX, only the form is attached and the text
 * names the documents (no link: the customer has no login).
 */
int complaint_mail_received(struct db *db, const struct complaint *c,
			    void *ctx, struct inop_err *err);
/* Resolved (Q5): the code, the resolution time and the note. */
int complaint_mail_resolved(struct db *db, const struct complaint *c,
			    void *ctx, struct inop_err *err);

/*
 * Attachment sources for the sender (outbox.h): the form PDF of
 * complaint `id`; the bytes of document `id`.  0 with *data malloc'd, or
 * -1.
 */
int complaint_mail_form(struct db *db, int64_t id, unsigned char **data,
			size_t *len);
int complaint_mail_document(struct db *db, int64_t id, unsigned char **data,
			    size_t *len);

#endif
