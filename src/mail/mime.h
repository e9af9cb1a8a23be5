#ifndef INOP_MAIL_MIME_H
#define INOP_MAIL_MIME_H
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * N2: the Internet message of one outbox mail (RFC 5322 + MIME): headers
 * with the Spanish subject as RFC 2047 encoded-words, and a
 * multipart/alternative body with a text/plain and a text/html part,
 * both UTF-8 in base64.  Lines end in CRLF.  Pure: no I/O.
 */
/* A file carried by the mail (bytes borrowed). */
struct mime_attachment {
	const char *filename; /* ASCII letters, digits, . - _ */
	const char *content_type;
	const unsigned char *data;
	size_t len;
};

/*
 * With attachments the body is multipart/mixed: the alternative text and
 * HTML first, then each file in base64 as Content-Disposition:
 * attachment.
 */
struct mime_mail {
	int64_t id;		/* the outbox id: part of the Message-ID */
	int64_t created_at;	/* UTC seconds: also in the Message-ID */
	int64_t date;		/* UTC seconds: the Date header */
	const char *from;	/* bare address: inop@example.pe */
	const char *recipients; /* comma-separated addresses */
	const char *subject;	/* UTF-8 */
	const char *body_text;	/* UTF-8, lines end in \n */
	const char *body_html;	/* UTF-8 */
	const struct mime_attachment *att;
	size_t n_att;
};

/* More recipients than this: "To: undisclosed-recipients:;" (the JEFEs
 * of every point do not see each other's addresses). */
#define MIME_TO_MAX 10

/* Appends the whole message to `out`.  0, or -1 when `out` is full. */
int mime_compose(const struct mime_mail *m, struct buf *out);

/* Appends `s` as RFC 2047 "=?UTF-8?B?...?=" words, folded.  0 or -1. */
int mime_encode_header(struct buf *out, const char *s);

#endif
