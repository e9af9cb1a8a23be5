/*
 * Complaints (SPEC Q1-Q5): the domain rules (document shapes, the RUC's
 * check digit, e-mail, attachments by their bytes, code, due date, state
 * machine), the multipart parser, the rate limiter, and the store on a
 * real SQLite file (blobs, gapless codes, per-day counts for E4).
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

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/complaint.h"
#include "store/complaints.h"
#include "store/store.h"
#include "util/multipart.h"
#include "util/ratelimit.h"
#include "util/str.h"

/* 2026-12-01T10:00:00-05:00, a Tuesday */
#define TUE_1_DEC_2026 1796137200

static void fill(struct complaint *c)
{
	memset(c, 0, sizeof(*c));
	str_copy(c->customer_name, sizeof(c->customer_name), "Ana Pérez");
	str_copy(c->document_type, sizeof(c->document_type), "DNI");
	str_copy(c->document, sizeof(c->document), "45678912");
	str_copy(c->email, sizeof(c->email), "ana@cliente.pe");
	str_copy(c->service, sizeof(c->service), "Línea 987654321");
	str_copy(c->matter, sizeof(c->matter), "CALIDAD");
	str_copy(c->description, sizeof(c->description), "Sin señal");
	str_copy(c->source, sizeof(c->source), "WEB");
}

/* ---------- Q1: the fields ---------- */

static void test_q1_dni_is_8_digits(void **state)
{
	struct inop_err e;

	(void)state;
	assert_int_equal(complaint_check_document("DNI", "12345678", &e), 0);
	assert_int_equal(complaint_check_document("DNI", "1234567", &e), -1);
	assert_string_equal(e.field, "document");
	assert_int_equal(complaint_check_document("DNI", "123456789", &e), -1);
	assert_int_equal(complaint_check_document("DNI", "1234567a", &e), -1);
}

static void test_q1_ruc_check_digit(void **state)
{
	struct inop_err e;

	(void)state;
	/* SUNAT's modulo 11, weights 5 4 3 2 7 6 5 4 3 2. */
	assert_true(complaint_ruc_check_digit_ok("20131312955"));
	assert_true(complaint_ruc_check_digit_ok("20100070970"));
	assert_true(complaint_ruc_check_digit_ok("10467793549"));
	assert_false(complaint_ruc_check_digit_ok("20131312956"));
	assert_false(complaint_ruc_check_digit_ok("2013131295"));
	assert_int_equal(complaint_check_document("RUC", "20131312955", &e),
			 0);
	assert_int_equal(complaint_check_document("RUC", "20131312951", &e),
			 -1);
	assert_string_equal(e.field, "document");
	/* A good check digit behind an impossible prefix. */
	assert_int_equal(complaint_check_document("RUC", "30131312955", &e),
			 -1);
}

static void test_q1_ce_and_passport_shapes(void **state)
{
	struct inop_err e;

	(void)state;
	assert_int_equal(complaint_check_document("CE", "001234567", &e), 0);
	assert_int_equal(complaint_check_document("CE", "1234567", &e), -1);
	assert_int_equal(complaint_check_document("CE", "00123456-7", &e), -1);
	assert_int_equal(complaint_check_document("PASAPORTE", "AB1234", &e),
			 0);
	assert_int_equal(complaint_check_document("PASAPORTE", "AB123", &e),
			 -1);
	assert_int_equal(complaint_check_document("LE", "12345678", &e), -1);
	assert_string_equal(e.field, "document_type");
}

static void test_q1_email_well_formed(void **state)
{
	(void)state;
	assert_true(complaint_email_ok("ana.perez+reclamo@cliente.com.pe"));
	assert_true(complaint_email_ok("a@b.pe"));
	assert_false(complaint_email_ok(""));
	assert_false(complaint_email_ok("ana"));
	assert_false(complaint_email_ok("ana@"));
	assert_false(complaint_email_ok("@cliente.pe"));
	assert_false(complaint_email_ok("ana@cliente"));
	assert_false(complaint_email_ok("ana@cliente.p3"));
	assert_false(complaint_email_ok("ana perez@cliente.pe"));
	assert_false(complaint_email_ok("ana@@cliente.pe"));
	assert_false(complaint_email_ok("ana..p@cliente.pe"));
	assert_false(complaint_email_ok("ana@-cliente.pe"));
	assert_false(complaint_email_ok("<ana@cliente.pe>"));
	assert_false(complaint_email_ok("ana@cliente.pe\r\nBcc: x@y.pe"));
}

static void test_q1_validate_names_the_field(void **state)
{
	struct complaint *c = malloc(sizeof(*c));
	struct inop_err e;

	(void)state;
	fill(c);
	assert_int_equal(complaint_validate(c, &e), 0);
	c->email[0] = '\0';
	assert_int_equal(complaint_validate(c, &e), -1);
	assert_string_equal(e.field, "email");
	fill(c);
	c->service[0] = '\0';
	assert_int_equal(complaint_validate(c, &e), -1);
	assert_string_equal(e.field, "service");
	fill(c);
	memset(c->description, 'x', COMPLAINT_DESCRIPTION_CHARS + 1);
	c->description[COMPLAINT_DESCRIPTION_CHARS + 1] = '\0';
	assert_int_equal(complaint_validate(c, &e), -1);
	assert_string_equal(e.field, "description");
	fill(c);
	str_copy(c->phone, sizeof(c->phone), "987<654>");
	assert_int_equal(complaint_validate(c, &e), -1);
	assert_string_equal(e.field, "phone");
	free(c);
}

static void test_q1_attachments_by_magic_bytes(void **state)
{
	static const unsigned char png[] = {0x89, 'P',	'N',  'G', '\r',
					    '\n', 0x1a, '\n', 0};
	static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0};
	struct complaint_doc d = {0};
	struct inop_err e;

	(void)state;
	assert_string_equal(
		complaint_sniff((const unsigned char *)"%PDF-1.7", 8),
		"application/pdf");
	assert_string_equal(complaint_sniff(png, sizeof(png)), "image/png");
	assert_string_equal(complaint_sniff(jpg, sizeof(jpg)), "image/jpeg");
	assert_null(complaint_sniff((const unsigned char *)"GIF89a", 6));
	assert_null(complaint_sniff((const unsigned char *)"%PD", 3));
	/* The name says PDF, the bytes say PNG: PNG, and the name stays. */
	d.data = png;
	d.len = sizeof(png);
	assert_int_equal(complaint_doc_accept(&d, "../../foto ñ.pdf", &e), 0);
	assert_string_equal(d.content_type, "image/png");
	assert_string_equal(d.filename, "foto___.pdf");
	d.data = (const unsigned char *)"MZ";
	d.len = 2;
	assert_int_equal(complaint_doc_accept(&d, "x.pdf", &e), -1);
	assert_string_equal(e.field, "documents");
	d.data = jpg;
	d.len = COMPLAINT_DOC_BYTES_MAX + 1;
	assert_int_equal(complaint_doc_accept(&d, "x.jpg", &e), -1);
	assert_int_equal(e.status, 413);
	d.len = sizeof(jpg);
	assert_int_equal(complaint_doc_accept(&d, "", &e), 0);
	assert_string_equal(d.filename, "documento.jpg");
}

/* ---------- Q2, Q3, Q5 ---------- */

static void test_q2_code_is_rec_year_and_7_digits(void **state)
{
	char code[24];

	(void)state;
	assert_int_equal(complaint_code_format(code, 2026, 1), 0);
	assert_string_equal(code, "REC-2026-0000001");
	assert_int_equal(complaint_code_format(code, 2026, 9999999), 0);
	assert_string_equal(code, "REC-2026-9999999");
	assert_int_equal(complaint_code_format(code, 2026, 10000000), -1);
	assert_int_equal(complaint_code_format(code, 2026, 0), -1);
}

static void test_q3_due_date_counts_business_days_on_d1(void **state)
{
	int32_t extra[1];
	struct cal_calendar cal = {extra, 1};
	char s[11];

	(void)state;
	/* Tue 1 Dec + 3 -> Fri 4 Dec. */
	cal_format_date(complaint_due(TUE_1_DEC_2026, 3, NULL), s);
	assert_string_equal(s, "2026-12-04");
	/* + 5 skips the weekend and 8-9 Dec (holidays) -> Thu 10 Dec. */
	cal_format_date(complaint_due(TUE_1_DEC_2026, 5, NULL), s);
	assert_string_equal(s, "2026-12-10");
	/* ADMIN's extra day (Wed 2 Dec) counts too. */
	extra[0] = cal_day_number((struct cal_date){2026, 12, 2});
	cal_format_date(complaint_due(TUE_1_DEC_2026, 3, &cal), s);
	assert_string_equal(s, "2026-12-07");
	/* 23:30 Lima is still that Lima day. */
	cal_format_date(
		complaint_due(TUE_1_DEC_2026 + 13 * 3600 + 1800, 1, NULL), s);
	assert_string_equal(s, "2026-12-02");
}

static void test_q5_transitions_one_step_at_a_time(void **state)
{
	enum complaint_status to;
	struct inop_err e;

	(void)state;
	assert_int_equal(complaint_transition_check(COMPLAINT_RECIBIDO,
						    "EN_PROCESO", &to, &e),
			 0);
	assert_int_equal(to, COMPLAINT_EN_PROCESO);
	assert_int_equal(complaint_transition_check(COMPLAINT_EN_PROCESO,
						    "RESUELTO", &to, &e),
			 0);
	assert_int_equal(complaint_transition_check(COMPLAINT_RECIBIDO,
						    "RESUELTO", &to, &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_string_equal(e.code, "INVALID_TRANSITION");
	assert_int_equal(complaint_transition_check(COMPLAINT_RESUELTO,
						    "EN_PROCESO", &to, &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(complaint_transition_check(COMPLAINT_EN_PROCESO,
						    "RECIBIDO", &to, &e),
			 -1);
	assert_int_equal(e.status, 422);
	assert_int_equal(complaint_transition_check(COMPLAINT_RECIBIDO,
						    "CERRADO", &to, &e),
			 -1);
	assert_int_equal(e.status, 422);
}

static void test_q5_overdue_once_the_due_day_has_passed(void **state)
{
	struct complaint *c = calloc(1, sizeof(*c));

	(void)state;
	str_copy(c->due_date, sizeof(c->due_date), "2026-12-04");
	assert_false(complaint_overdue(c, TUE_1_DEC_2026));
	/* Fri 4 Dec 23:59 Lima: still in time. */
	assert_false(complaint_overdue(c, TUE_1_DEC_2026 + 3 * 86400 +
						  14 * 3600 - 1));
	assert_true(
		complaint_overdue(c, TUE_1_DEC_2026 + 3 * 86400 + 14 * 3600));
	c->status = COMPLAINT_RESUELTO;
	assert_false(complaint_overdue(c, TUE_1_DEC_2026 + 30 * 86400));
	free(c);
}

/* ---------- multipart ---------- */

static void test_multipart_fields_and_binary_files(void **state)
{
	static const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n"
		"\r\nana@x.pe\r\n--XyZ\r\nContent-Disposition: form-data; "
		"name=\"documents\"; filename=\"a;b \\\"c\\\".pdf\"\r\n"
		"Content-Type: application/pdf\r\n\r\n%PDF\r\n--Xy\0\r\n"
		"--XyZ--\r\n";
	struct multipart_part p[4];
	size_t n;

	(void)state;
	assert_int_equal(multipart_parse(body, sizeof(body) - 1,
					 "multipart/form-data; boundary=XyZ",
					 p, 4, &n),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "email");
	assert_false(p[0].is_file);
	assert_int_equal(p[0].len, 8);
	assert_memory_equal(p[0].data, "ana@x.pe", 8);
	assert_string_equal(p[1].name, "documents");
	assert_true(p[1].is_file);
	assert_string_equal(p[1].filename, "a;b \"c\".pdf");
	assert_string_equal(p[1].content_type, "application/pdf");
	/* A CRLF and a near-delimiter inside the bytes stay. */
	assert_int_equal(p[1].len, 11);
	assert_memory_equal(p[1].data, "%PDF\r\n--Xy\0", 11);
	/* A quoted boundary, a preamble. */
	assert_int_equal(
		multipart_parse(
			"junk\r\n--b\r\nContent-Disposition: form-data;"
			" name=x\r\n\r\n1\r\n--b--",
			61, "Multipart/Form-Data; boundary=\"b\"", p, 4, &n),
		0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "x");
}

static void test_multipart_refuses_malformed_bodies(void **state)
{
	static const char ok[] = "--b\r\nContent-Disposition: form-data; "
				 "name=\"a\"\r\n\r\n1\r\n--b--\r\n";
	struct multipart_part p[2];
	size_t n;

	(void)state;
	/* No boundary, another type. */
	assert_int_equal(multipart_parse(ok, sizeof(ok) - 1,
					 "multipart/form-data", p, 2, &n),
			 -1);
	assert_int_equal(multipart_parse(ok, sizeof(ok) - 1,
					 "application/json; boundary=b", p, 2,
					 &n),
			 -1);
	assert_int_equal(multipart_parse(ok, sizeof(ok) - 1, NULL, p, 2, &n),
			 -1);
	/* Truncated anywhere: never a crash, always -1. */
	for (size_t cut = 0; cut < sizeof(ok) - 7; cut++)
		assert_int_equal(multipart_parse(ok, cut,
						 "multipart/form-data; "
						 "boundary=b",
						 p, 2, &n),
				 -1);
	/* More parts than room. */
	assert_int_equal(multipart_parse(ok, sizeof(ok) - 1,
					 "multipart/form-data; boundary=b", p,
					 0, &n),
			 -1);
	/* A part without a name. */
	assert_int_equal(
		multipart_parse(
			"--b\r\nContent-Disposition: form-data\r\n\r\n1"
			"\r\n--b--",
			47, "multipart/form-data; boundary=b", p, 2, &n),
		-1);
}

/* ---------- the rate limiter ---------- */

static void test_ratelimit_bucket_per_address(void **state)
{
	struct ratelimit *rl = ratelimit_new(64, 6, 3); /* 1 per 10 s */
	int retry = 0;

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "192.0.2.1", 1000, &retry));
	assert_false(ratelimit_take(rl, "192.0.2.1", 1000, &retry));
	assert_int_equal(retry, 10);
	/* Another address has its own bucket. */
	assert_true(ratelimit_take(rl, "192.0.2.2", 1000, &retry));
	/* 10 s later one token is back, not two. */
	assert_true(ratelimit_take(rl, "192.0.2.1", 11000, &retry));
	assert_false(ratelimit_take(rl, "192.0.2.1", 11000, &retry));
	/* Long idle: full again, never more than the burst. */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "192.0.2.1", 10000000, &retry));
	assert_false(ratelimit_take(rl, "192.0.2.1", 10000000, &retry));
	ratelimit_free(rl);
}

/* ---------- the store (SQLite file) ---------- */

struct fixture {
	char path[64];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct inop_err e;
	int fd;

	str_copy(f->path, sizeof(f->path), "/tmp/inop-complaints-XXXXXX");
	fd = mkstemp(f->path);
	close(fd);
	assert_int_equal(db_open(f->path, &f->db, &e), 0);
	assert_int_equal(store_migrate(f->db, &e), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[80];

	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

static void test_db_blob_round_trip_with_nul_bytes(void **state)
{
	struct fixture *f = *state;
	unsigned char bytes[300];
	struct db_stmt *st;
	const void *p;
	size_t n;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)(i * 7);
	assert_int_equal(db_exec(f->db, "CREATE TABLE b (id INTEGER, v BLOB)"),
			 0);
	st = db_prepare(f->db, "INSERT INTO b VALUES (?, ?)");
	db_bind_int(st, 1, 1);
	db_bind_blob(st, 2, bytes, sizeof(bytes));
	assert_int_equal(db_run(st), 0);
	db_bind_int(st, 1, 2);
	db_bind_blob(st, 2, bytes, 0);
	assert_int_equal(db_run(st), 0);
	db_bind_int(st, 1, 3);
	db_bind_blob(st, 2, NULL, 0);
	assert_int_equal(db_run(st), 0);
	st = db_prepare(f->db, "SELECT v FROM b ORDER BY id");
	assert_int_equal(db_step(st), DB_ROW);
	p = db_col_blob(st, 0, &n);
	assert_int_equal(n, sizeof(bytes));
	assert_memory_equal(p, bytes, n);
	assert_int_equal(db_step(st), DB_ROW);
	p = db_col_blob(st, 0, &n); /* empty, not NULL */
	assert_non_null(p);
	assert_int_equal(n, 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_null(db_col_blob(st, 0, &n));
	assert_int_equal(n, 0);
	db_reset(st);
}

static int receive(struct db *db, struct complaint *c, int64_t now,
		   struct inop_err *e)
{
	struct complaint_receive rx = {.c = c,
				       .actor = "web",
				       .client_addr = "192.0.2.1",
				       .now = now};

	return store_complaint_receive(db, &rx, e);
}

static void test_q2_store_codes_gapless_and_per_lima_year(void **state)
{
	struct fixture *f = *state;
	struct complaint *c = malloc(sizeof(*c));
	struct inop_err e;
	/* 2026-12-31T23:30-05:00 is still 2026 in Lima (2027 in UTC). */
	int64_t nye = 1798777800;

	fill(c);
	assert_int_equal(receive(f->db, c, TUE_1_DEC_2026, &e), 0);
	assert_string_equal(c->code, "REC-2026-0000001");
	assert_string_equal(c->due_date, "2026-12-04");
	str_copy(c->matter, sizeof(c->matter), "NO_EXISTE");
	assert_int_equal(receive(f->db, c, TUE_1_DEC_2026, &e), -1);
	assert_string_equal(e.field, "matter");
	fill(c);
	assert_int_equal(receive(f->db, c, nye, &e), 0);
	assert_string_equal(c->code, "REC-2026-0000002");
	fill(c);
	assert_int_equal(receive(f->db, c, nye + 3600, &e), 0);
	assert_string_equal(c->code, "REC-2027-0000001");
	free(c);
}

static void test_q1_store_documents_and_external_ref(void **state)
{
	struct fixture *f = *state;
	struct complaint *c = malloc(sizeof(*c)), *g = malloc(sizeof(*g));
	struct complaint_receive rx = {.c = c, .actor = "plataforma"};
	unsigned char *data = NULL;
	struct complaint_doc d;
	struct inop_err e;
	int64_t first;

	fill(c);
	str_copy(c->external_ref, sizeof(c->external_ref), "OSI-77");
	c->n_docs = 1;
	c->docs[0].data = (const unsigned char *)"%PDF-\0\1\2";
	c->docs[0].len = 8;
	str_copy(c->docs[0].filename, sizeof(c->docs[0].filename), "a.pdf");
	str_copy(c->docs[0].content_type, sizeof(c->docs[0].content_type),
		 "application/pdf");
	rx.now = TUE_1_DEC_2026;
	assert_int_equal(store_complaint_receive(f->db, &rx, &e), 0);
	assert_false(rx.existing);
	first = c->id;
	assert_int_equal(store_complaint_get(f->db, c->code, g), 1);
	assert_int_equal(g->n_docs, 1);
	assert_int_equal(g->docs[0].len, 8);
	assert_int_equal(store_complaint_document(f->db, g->id, g->docs[0].id,
						  &d, &data),
			 1);
	assert_memory_equal(data, "%PDF-\0\1\2", 8);
	free(data);
	/* Another complaint's document id is not this one's. */
	assert_int_equal(store_complaint_document(f->db, g->id + 1,
						  g->docs[0].id, &d, &data),
			 0);
	fill(c);
	str_copy(c->external_ref, sizeof(c->external_ref), "OSI-77");
	assert_int_equal(store_complaint_receive(f->db, &rx, &e), 0);
	assert_true(rx.existing);
	assert_int_equal(c->id, first);
	free(c);
	free(g);
}

static void test_e4_complaints_per_lima_day(void **state)
{
	struct fixture *f = *state;
	struct complaint *c = malloc(sizeof(*c));
	int64_t day0 = cal_lima_day_start((struct cal_date){2026, 11, 30});
	int64_t counts[4];
	struct inop_err e;
	/* Lima times: 30 Nov 00:00 and 23:59:59, 2 Dec 12:00 twice,
	 * 4 Dec 00:00 (outside the 3 days asked). */
	const int64_t at[] = {day0, day0 + 86399, day0 + 2 * 86400 + 43200,
			      day0 + 2 * 86400 + 43200, day0 + 3 * 86400};

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		fill(c);
		assert_int_equal(receive(f->db, c, at[i], &e), 0);
	}
	counts[3] = -1;
	assert_int_equal(store_complaints_per_day(f->db, day0, 3, counts), 0);
	assert_int_equal(counts[0], 2);
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[2], 2);
	assert_int_equal(counts[3], -1); /* untouched */
	free(c);
}

static void test_q5_store_transition_refuses_out_of_order(void **state)
{
	struct fixture *f = *state;
	struct complaint *c = malloc(sizeof(*c));
	struct complaint_transition *t = NULL;
	struct inop_err e;
	size_t n;

	fill(c);
	assert_int_equal(receive(f->db, c, TUE_1_DEC_2026, &e), 0);
	assert_int_equal(store_complaint_transition(f->db, c->code, "RESUELTO",
						    "", "r1", TUE_1_DEC_2026,
						    NULL, NULL, c, &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(store_complaint_transition(
				 f->db, c->code, "EN_PROCESO", "mirando", "r1",
				 TUE_1_DEC_2026 + 60, NULL, NULL, c, &e),
			 0);
	assert_int_equal(c->status, COMPLAINT_EN_PROCESO);
	assert_int_equal(c->in_process_at, TUE_1_DEC_2026 + 60);
	assert_int_equal(store_complaint_transitions(f->db, c->id, &t, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].from, "RECIBIDO");
	assert_string_equal(t[0].note, "mirando");
	free(t);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q1_dni_is_8_digits),
		cmocka_unit_test(test_q1_ruc_check_digit),
		cmocka_unit_test(test_q1_ce_and_passport_shapes),
		cmocka_unit_test(test_q1_email_well_formed),
		cmocka_unit_test(test_q1_validate_names_the_field),
		cmocka_unit_test(test_q1_attachments_by_magic_bytes),
		cmocka_unit_test(test_q2_code_is_rec_year_and_7_digits),
		cmocka_unit_test(test_q3_due_date_counts_business_days_on_d1),
		cmocka_unit_test(test_q5_transitions_one_step_at_a_time),
		cmocka_unit_test(test_q5_overdue_once_the_due_day_has_passed),
		cmocka_unit_test(test_multipart_fields_and_binary_files),
		cmocka_unit_test(test_multipart_refuses_malformed_bodies),
		cmocka_unit_test(test_ratelimit_bucket_per_address),
		cmocka_unit_test_setup_teardown(
			test_db_blob_round_trip_with_nul_bytes, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_q2_store_codes_gapless_and_per_lima_year, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_q1_store_documents_and_external_ref, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_e4_complaints_per_lima_day, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_q5_store_transition_refuses_out_of_order, setup,
			teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
