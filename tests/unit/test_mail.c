/*
 * N1/N2: the message a mail becomes (MIME, RFC 2047) and the outbox
 * claims that keep several nodes from sending one mail twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "db/db.h"
#include "mail/mime.h"
#include "store/outbox.h"
#include "store/store.h"

static char path[64];
static struct db *db;

static int setup(void **state)
{
	struct inop_err e;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/inop-mail-XXXXXX");
	fd = mkstemp(path);
	close(fd);
	assert_int_equal(db_open(path, &db, &e), 0);
	assert_int_equal(store_migrate(db, &e), 0);
	return 0;
}

static int teardown(void **state)
{
	char p[80];

	(void)state;
	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	return 0;
}

static const struct mime_mail sample = {
	.id = 42,
	.created_at = 1795000000,
	.date = 1795000100,
	.from = "inop@claro.example",
	.recipients = "control@x.pe,soporte@x.pe",
	.subject = "[Inop] Alerta de posible falla masiva: alerta N.º 7 "
		   "(CAC Lima Centro — Atención al público)",
	.body_text = "Línea uno\nVer en Inop: https://inop.x.pe/#/fallas\n",
	.body_html = "<p>Línea uno</p>",
};

static void test_n2_mail_is_multipart_alternative_utf8(void **s)
{
	struct buf out;

	(void)s;
	buf_init(&out, 1 << 20);
	assert_int_equal(mime_compose(&sample, &out), 0);
	assert_non_null(strstr(out.s, "From: Inop <inop@claro.example>\r\n"));
	assert_non_null(
		strstr(out.s, "To: control@x.pe,\r\n soporte@x.pe\r\n"));
	assert_non_null(strstr(out.s, "Date: Wed, 18 Nov 2026 11:08:20 "
				      "+0000\r\n"));
	assert_non_null(strstr(out.s, "Message-ID: <inop.42.1795000000@claro."
				      "example>\r\n"));
	assert_non_null(strstr(out.s, "Content-Type: multipart/alternative; "
				      "boundary=\"=_inop_42_1795000000\""));
	assert_non_null(strstr(out.s, "Content-Type: text/plain; "
				      "charset=UTF-8\r\n"));
	assert_non_null(strstr(out.s, "Content-Type: text/html; "
				      "charset=UTF-8\r\n"));
	assert_non_null(strstr(out.s, "--=_inop_42_1795000000--\r\n"));
	/* Every line ends in CRLF and fits 998 characters. */
	for (const char *p = out.s; *p;) {
		const char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(nl > p ? nl[-1] == '\r' : 0);
		assert_true(nl - p < 998);
		p = nl + 1;
	}
	buf_release(&out);
}

/* Decodes the words of an RFC 2047 header value back to UTF-8. */
static void decode_words(const char *v, char *out, size_t n)
{
	size_t len = 0;

	while ((v = strstr(v, "=?UTF-8?B?")) != NULL) {
		const char *end = strstr(v + 10, "?=");
		size_t got = 0;

		assert_non_null(end);
		assert_true(end + 2 - v <= 75);
		assert_int_equal(sodium_base642bin(
					 (unsigned char *)out + len,
					 n - len - 1, v + 10,
					 (size_t)(end - v - 10), NULL, &got,
					 NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		len += got;
		v = end + 2;
	}
	out[len] = '\0';
}

static void test_n2_spanish_subject_is_rfc2047_encoded(void **s)
{
	struct buf out;
	char subject[512], decoded[512];
	const char *p, *end;

	(void)s;
	buf_init(&out, 1 << 20);
	assert_int_equal(mime_compose(&sample, &out), 0);
	p = strstr(out.s, "\r\nSubject: ");
	assert_non_null(p);
	p += 11;
	end = strstr(p, "\r\nMessage-ID");
	assert_non_null(end);
	snprintf(subject, sizeof(subject), "%.*s", (int)(end - p), p);
	/* Folded into several words, no raw 8-bit byte in the header. */
	assert_non_null(strstr(subject, "?=\r\n =?UTF-8?B?"));
	for (const char *c = subject; *c; c++)
		assert_true((unsigned char)*c < 0x80);
	decode_words(subject, decoded, sizeof(decoded));
	assert_string_equal(decoded, sample.subject);
	buf_release(&out);
}

static void test_n2_many_recipients_are_not_listed_in_to(void **s)
{
	struct mime_mail m = sample;
	struct buf out;
	char many[1024] = "";

	(void)s;
	for (int i = 0; i < MIME_TO_MAX + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "%sjefe%d@x.pe", i ? "," : "", i);
	m.recipients = many;
	buf_init(&out, 1 << 20);
	assert_int_equal(mime_compose(&m, &out), 0);
	assert_non_null(strstr(out.s, "To: undisclosed-recipients:;\r\n"));
	assert_null(strstr(out.s, "jefe0@x.pe"));
	buf_release(&out);
}

static int64_t queue(const char *to, int64_t now)
{
	struct outbox_mail m = {.trigger = "t",
				.recipients = to,
				.subject = "s",
				.body_text = "b",
				.body_html = "<p>b</p>",
				.link = "/"};
	struct db_stmt *st;
	int64_t id;

	assert_int_equal(store_outbox_insert(db, &m, now), 0);
	st = db_prepare(db, "SELECT MAX(id) FROM outbox");
	assert_int_equal(db_step(st), DB_ROW);
	id = db_col_int(st, 0);
	db_reset(st);
	return id;
}

static const char *status_of(int64_t id, int64_t *next, int64_t *tries)
{
	static char status[16];
	struct db_stmt *st = db_prepare(
		db, "SELECT status, next_attempt_at, attempts FROM outbox "
		    "WHERE id = ?");

	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(status, sizeof(status), "%s", db_col_text(st, 0));
	*next = db_col_int(st, 1);
	*tries = db_col_int(st, 2);
	db_reset(st);
	return status;
}

static void test_n1_two_nodes_never_claim_the_same_mail(void **s)
{
	struct outbox_row *a = NULL, *b = NULL;
	size_t na, nb;
	int64_t id = queue("x@x.pe", 1000), next, tries;
	int lost;

	(void)s;
	assert_int_equal(
		store_outbox_claim(db, "node-a", 1000, 60, 10, &a, &na), 0);
	assert_int_equal(
		store_outbox_claim(db, "node-b", 1001, 60, 10, &b, &nb), 0);
	assert_int_equal(na, 1);
	assert_int_equal(a[0].id, id);
	assert_int_equal(nb, 0);
	outbox_rows_free(b, nb);
	/* node-a's lease expires; node-b takes the mail over and sends it. */
	assert_int_equal(
		store_outbox_claim(db, "node-b", 1061, 60, 10, &b, &nb), 0);
	assert_int_equal(nb, 1);
	assert_int_equal(store_outbox_result(db, id, "node-b", 1, "sent", 1062,
					     0, &lost),
			 0);
	assert_false(lost);
	/* node-a finishing late changes nothing: the mail stays SENT. */
	assert_int_equal(store_outbox_result(db, id, "node-a", 0, "timeout",
					     1063, 2000, &lost),
			 0);
	assert_true(lost);
	assert_string_equal(status_of(id, &next, &tries), "SENT");
	assert_int_equal(tries, 1);
	outbox_rows_free(a, na);
	outbox_rows_free(b, nb);
}

static void test_n1_failed_attempt_backs_off_and_is_recorded(void **s)
{
	struct outbox_row *a = NULL;
	size_t n;
	int64_t id = queue("y@x.pe", 5000), next, tries;
	struct db_stmt *st;
	int lost;

	(void)s;
	assert_int_equal(store_outbox_claim(db, "n", 5000, 60, 10, &a, &n), 0);
	assert_int_equal(n, 1);
	outbox_rows_free(a, n);
	assert_int_equal(store_outbox_result(db, id, "n", 0, "refused", 5000,
					     5030, &lost),
			 0);
	assert_string_equal(status_of(id, &next, &tries), "PENDING");
	assert_int_equal(next, 5030);
	assert_int_equal(tries, 1);
	/* Not due before its retry time. */
	assert_int_equal(store_outbox_claim(db, "n", 5029, 60, 10, &a, &n), 0);
	assert_int_equal(n, 0);
	outbox_rows_free(a, n);
	assert_int_equal(store_outbox_claim(db, "n", 5030, 60, 10, &a, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].attempts, 1);
	outbox_rows_free(a, n);
	st = db_prepare(db, "SELECT COUNT(*) FROM outbox_attempts WHERE "
			    "outbox_id = ? AND ok = 0 AND detail = 'refused'");
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
	/* Given up: FAILED, never claimed again. */
	assert_int_equal(
		store_outbox_result(db, id, "n", 0, "refused", 5031, 0, &lost),
		0);
	assert_string_equal(status_of(id, &next, &tries), "FAILED");
	assert_int_equal(store_outbox_claim(db, "n", 99999, 60, 10, &a, &n),
			 0);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(a[i].id, id);
	outbox_rows_free(a, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_n2_mail_is_multipart_alternative_utf8),
		cmocka_unit_test(test_n2_spanish_subject_is_rfc2047_encoded),
		cmocka_unit_test(test_n2_many_recipients_are_not_listed_in_to),
		cmocka_unit_test(test_n1_two_nodes_never_claim_the_same_mail),
		cmocka_unit_test(
			test_n1_failed_attempt_backs_off_and_is_recorded),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
