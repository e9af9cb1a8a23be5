#ifndef INOP_DOMAIN_COMPLAINT_H
#define INOP_DOMAIN_COMPLAINT_H
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "util/err.h"

/*
 * Complaints (SPEC Q1-Q5) as plain rules over plain structs: the shapes
 * of identity documents (the RUC's check digit), e-mail addresses, the
 * sizes the intake accepts, attachments recognised by their first bytes,
 * the code REC-YYYY-NNNNNNN, the due date in business days and the
 * tray's state machine.  No I/O.
 */

/* Characters (not bytes) each human field may hold. */
#define COMPLAINT_NAME_CHARS	    120
#define COMPLAINT_SERVICE_CHARS	    120
#define COMPLAINT_DESCRIPTION_CHARS 4000
#define COMPLAINT_NOTE_CHARS	    1000
#define COMPLAINT_EMAIL_MAX	    254 /* RFC 5321 path limit */
#define COMPLAINT_PHONE_MAX	    20
#define COMPLAINT_REF_MAX	    64 /* the platform's external_ref */
#define COMPLAINT_DOCS_MAX	    3
#define COMPLAINT_DOC_BYTES_MAX	    (5u << 20) /* 5 MiB each */
/* A mail larger than this carries the form only and names the
 * documents instead of attaching them. */
#define COMPLAINT_MAIL_BYTES_MAX (10u << 20)
#define COMPLAINT_FILENAME_MAX	 100

enum complaint_status {
	COMPLAINT_RECIBIDO,
	COMPLAINT_EN_PROCESO,
	COMPLAINT_RESUELTO,
};

/* One attached document.  `data` is borrowed (the request's body or a
 * database row), never owned by the struct. */
struct complaint_doc {
	int64_t id;
	char filename[COMPLAINT_FILENAME_MAX + 1]; /* cleaned, ASCII */
	char content_type[24];
	const unsigned char *data;
	size_t len;
};

struct complaint {
	int64_t id;
	char code[24];	 /* REC-2026-0000001 */
	char source[16]; /* WEB | PLATAFORMA */
	char external_ref[COMPLAINT_REF_MAX + 1];
	char customer_name[4 * COMPLAINT_NAME_CHARS + 1];
	char document_type[16]; /* DNI | CE | RUC | PASAPORTE */
	char document[16];
	char email[COMPLAINT_EMAIL_MAX + 1];
	char phone[COMPLAINT_PHONE_MAX + 1];
	char service[4 * COMPLAINT_SERVICE_CHARS + 1];
	char matter[48];
	char matter_name[4 * COMPLAINT_NAME_CHARS + 1];
	int business_days;
	char description[4 * COMPLAINT_DESCRIPTION_CHARS + 1];
	enum complaint_status status;
	int64_t received_at;
	char due_date[11]; /* YYYY-MM-DD, Lima */
	int64_t in_process_at, resolved_at;
	char note[4 * COMPLAINT_NOTE_CHARS + 1]; /* of the last transition */
	int n_docs;
	struct complaint_doc docs[COMPLAINT_DOCS_MAX];
};

/* A complainable matter of the catalogue the operator edits (Q3). */
struct complaint_matter {
	char code[48];
	char name[4 * COMPLAINT_NAME_CHARS + 1];
	int business_days;
	int company_setting; /* a default of the company, not of the law */
};
#define COMPLAINT_MATTER_DAYS_MAX 60

/* "RECIBIDO"... and back; -1 for an unknown code. */
const char *complaint_status_code(enum complaint_status s);
const char *complaint_status_name(enum complaint_status s); /* Spanish */
int complaint_status_parse(const char *code, enum complaint_status *out);

/*
 * Q1: the identity document.  DNI 8 digits; RUC 11 digits starting with
 * 10, 15, 16, 17 or 20 whose last digit is SUNAT's modulo-11 check
 * digit; CE (carné de extranjería) 8-12 letters or digits; PASAPORTE
 * 6-12 letters or digits.  0, or -1 with a 422 naming `document_type`
 * or `document`.
 */
int complaint_check_document(const char *type, const char *document,
			     struct inop_err *err);
/* 1 when the 11 digits of `ruc` end in their check digit. */
int complaint_ruc_check_digit_ok(const char *ruc);

/* 1 when `s` is a well-formed address local@domain.tld (no spaces,
 * no quotes or brackets, labels of letters, digits and hyphens). */
int complaint_email_ok(const char *s);

/*
 * Q1: every field of a complaint about to be received: required ones
 * present, lengths within the caps, the e-mail and the document well
 * formed.  The matter's existence is the store's to check.  0, or -1
 * with a 422 naming the field.
 */
int complaint_validate(const struct complaint *c, struct inop_err *err);

/*
 * The media type of an attachment from its first bytes (not its name):
 * "application/pdf", "image/jpeg", "image/png", or NULL for anything
 * else.
 */
const char *complaint_sniff(const unsigned char *p, size_t n);

/* Checks an attachment (type by content, size) and cleans its name into
 * d->filename.  0, or -1 with a 422 naming `documents`. */
int complaint_doc_accept(struct complaint_doc *d, const char *name,
			 struct inop_err *err);

/* Q2: "REC-YYYY-NNNNNNN".  0, or -1 when seq does not fit 7 digits. */
int complaint_code_format(char out[24], int year, int64_t seq);

/* Q3: the due day, `days` business days after the Lima day of
 * received_at (not counted).  {0,0,0} when out of range. */
struct cal_date complaint_due(int64_t received_at, int days,
			      const struct cal_calendar *cal);

/* Q5: 1 when not resolved and its due date is before the Lima day of
 * `now`. */
int complaint_overdue(const struct complaint *c, int64_t now);

/*
 * Q5: the tray moves RECIBIDO -> EN_PROCESO -> RESUELTO, one step at a
 * time.  0, or -1 with 409 INVALID_TRANSITION (422 for an unknown `to`).
 */
int complaint_transition_check(enum complaint_status from, const char *to,
			       enum complaint_status *out,
			       struct inop_err *err);

/* Bytes a mail of the form (about form_bytes) and these documents will
 * have once base64-encoded, with room for the text parts. */
size_t complaint_mail_estimate(const struct complaint *c, size_t form_bytes);

#endif
