#include "mail/mime.h"
#include "util/str.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define B64_LINE     76 /* RFC 2045: at most 76 characters a line */
#define WORD_RAW_MAX 45 /* 45 bytes -> 60 base64 chars: word <= 75 */

/* Base64 of n bytes, wrapped at B64_LINE, each line ending in CRLF. */
static int append_b64(struct buf *out, const unsigned char *s, size_t n,
		      int wrap)
{
	size_t len =
		sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(len);
	int rc = 0;

	if (!b64)
		return -1;
	sodium_bin2base64(b64, len, s, n, sodium_base64_VARIANT_ORIGINAL);
	len = strlen(b64);
	for (size_t i = 0; rc == 0 && i < len; i += B64_LINE) {
		size_t k = len - i < B64_LINE ? len - i : B64_LINE;

		rc = buf_append(out, b64 + i, wrap ? k : len - i);
		if (!wrap)
			break;
		rc |= buf_appends(out, "\r\n");
	}
	free(b64);
	return rc ? -1 : 0;
}

/* Bytes of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

int mime_encode_header(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	int rc = 0;

	while (rc == 0 && i < n) {
		size_t k = 0;

		/* Never split a character between two words (RFC 2047). */
		while (i + k < n) {
			size_t c = utf8_len((unsigned char)s[i + k]);

			if (k + c > WORD_RAW_MAX)
				break;
			k += c;
		}
		if (k == 0 || i + k > n)
			k = n - i;
		if (i > 0)
			rc |= buf_appends(out, "\r\n ");
		rc |= buf_appends(out, "=?UTF-8?B?");
		rc |= append_b64(out, (const unsigned char *)s + i, k, 0);
		rc |= buf_appends(out, "?=");
		i += k;
	}
	return rc ? -1 : 0;
}

/* RFC 5322 date in UTC, with the C locale's names spelled out. */
static int append_date(struct buf *out, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
					   "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
					     "May", "Jun", "Jul", "Aug",
					     "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return -1;
	return buf_appendf(out,
			   "Date: %s, %02d %s %04d %02d:%02d:%02d "
			   "+0000\r\n",
			   days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
			   tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			   tm.tm_sec);
}

/* Header values never carry CR or LF (no header injection). */
static int append_clean(struct buf *out, const char *s)
{
	for (; *s; s++)
		if (buf_append(out, (*s == '\r' || *s == '\n') ? " " : s, 1) <
		    0)
			return -1;
	return 0;
}

static int append_to(struct buf *out, const char *recipients)
{
	size_t count = 1;
	int rc = 0;

	for (const char *p = recipients; *p; p++)
		count += *p == ',';
	if (count > MIME_TO_MAX)
		return buf_appends(out, "To: undisclosed-recipients:;\r\n");
	rc |= buf_appends(out, "To: ");
	for (const char *p = recipients; *p; p++)
		rc |= *p == ',' ? buf_appends(out, ",\r\n ")
				: append_clean(out, (char[2]){*p, 0});
	rc |= buf_appends(out, "\r\n");
	return rc ? -1 : 0;
}

static int append_headers(const struct mime_mail *m, const char *boundary,
			  const char *type, struct buf *out)
{
	const char *domain = strchr(m->from, '@');
	int rc = 0;

	rc |= append_date(out, m->date);
	rc |= buf_appends(out, "From: Inop <");
	rc |= append_clean(out, m->from);
	rc |= buf_appends(out, ">\r\n");
	rc |= append_to(out, m->recipients);
	rc |= buf_appends(out, "Subject: ");
	rc |= mime_encode_header(out, m->subject);
	/* Stable per outbox row: a mail sent twice is recognisable. */
	rc |= buf_appendf(out, "\r\nMessage-ID: <inop.%lld.%lld@",
			  (long long)m->id, (long long)m->created_at);
	rc |= append_clean(out, domain ? domain + 1 : "localhost");
	rc |= buf_appends(out, ">\r\nMIME-Version: 1.0\r\n"
			       "Auto-Submitted: auto-generated\r\n"
			       "Content-Type: ");
	rc |= buf_appends(out, type);
	rc |= buf_appends(out, "; boundary=\"");
	rc |= buf_appends(out, boundary);
	rc |= buf_appends(out, "\"\r\n\r\n");
	return rc ? -1 : 0;
}

/* Plain text in its canonical form: CRLF line ends. */
static char *crlf(const char *s, size_t *n)
{
	size_t len = strlen(s), lf = 0, j = 0;
	char *out;

	for (size_t i = 0; i < len; i++)
		lf += s[i] == '\n';
	out = malloc(len + lf + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			out[j++] = '\r';
		out[j++] = s[i];
	}
	out[j] = '\0';
	*n = j;
	return out;
}

static int append_part(struct buf *out, const char *boundary, const char *type,
		       const char *body)
{
	size_t n;
	char *text = crlf(body, &n);
	int rc = 0;

	if (!text)
		return -1;
	rc |= buf_appendf(out,
			  "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
			  "Content-Transfer-Encoding: base64\r\n\r\n",
			  boundary, type);
	rc |= append_b64(out, (const unsigned char *)text, n, 1);
	free(text);
	return rc ? -1 : 0;
}

static int append_alternative(const struct mime_mail *m, const char *b,
			      struct buf *out)
{
	int rc = 0;

	rc |= append_part(out, b, "text/plain", m->body_text);
	rc |= append_part(out, b, "text/html", m->body_html);
	rc |= buf_appendf(out, "--%s--\r\n", b);
	return rc ? -1 : 0;
}

/* The file name is made of safe characters by whoever queued the mail;
 * quotes and line ends are dropped here all the same. */
static int append_attachment(struct buf *out, const char *b,
			     const struct mime_attachment *a)
{
	int rc = 0;

	rc |= buf_appendf(out, "--%s\r\nContent-Type: ", b);
	rc |= append_clean(out, a->content_type);
	rc |= buf_appends(out, "\r\nContent-Transfer-Encoding: base64\r\n"
			       "Content-Disposition: attachment; "
			       "filename=\"");
	for (const char *p = a->filename; *p; p++)
		if (*p != '"' && *p != '\\' && *p != '\r' && *p != '\n')
			rc |= buf_append(out, p, 1);
	rc |= buf_appends(out, "\"\r\n\r\n");
	rc |= append_b64(out, a->data, a->len, 1);
	return rc ? -1 : 0;
}

int mime_compose(const struct mime_mail *m, struct buf *out)
{
	char boundary[80], mixed[80];
	int rc = 0;

	/* "=_" never occurs in base64, so the bodies cannot contain it. */
	(void)str_printf(boundary, sizeof(boundary), "=_inop_%lld_%lld",
			 (long long)m->id, (long long)m->created_at);
	if (!m->n_att) {
		rc |= append_headers(m, boundary, "multipart/alternative",
				     out);
		rc |= buf_appends(out, "This is a MIME message.\r\n\r\n");
		rc |= append_alternative(m, boundary, out);
		return rc ? -1 : 0;
	}
	(void)str_printf(mixed, sizeof(mixed), "=_inop_mixed_%lld_%lld",
			 (long long)m->id, (long long)m->created_at);
	rc |= append_headers(m, mixed, "multipart/mixed", out);
	rc |= buf_appends(out, "This is a MIME message.\r\n\r\n");
	rc |= buf_appendf(out,
			  "--%s\r\nContent-Type: multipart/alternative; "
			  "boundary=\"%s\"\r\n\r\n",
			  mixed, boundary);
	rc |= append_alternative(m, boundary, out);
	for (size_t i = 0; i < m->n_att; i++)
		rc |= append_attachment(out, mixed, &m->att[i]);
	rc |= buf_appendf(out, "--%s--\r\n", mixed);
	return rc ? -1 : 0;
}
