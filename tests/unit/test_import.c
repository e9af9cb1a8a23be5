/*
 * SPEC I1-I3 and E3/E4 below the API: the streaming CSV reader (any chunk
 * boundary gives the same records), the minute-count chunks, the row
 * checks of an import, and the E3/E4 arithmetic of domain/evaluation.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "calendar/cal.h"
#include "domain/evaluation.h"
#include "import/csv.h"
#include "import/import.h"
#include "import/series.h"

/* ---------- the CSV reader ---------- */

struct seen {
	char text[8192]; /* records as "line:f1|f2|...\n" */
	size_t len;
	int cp1252, bad;
};

static int collect(void *ctx, const struct csv_record *rec)
{
	struct seen *s = ctx;

	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "%lld:", (long long)rec->line);
	for (int i = 0; i < rec->nf; i++)
		s->len += (size_t)snprintf(
			s->text + s->len, sizeof(s->text) - s->len, "%s%.*s",
			i ? "|" : "", (int)rec->f[i].len, rec->f[i].s);
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "\n");
	s->cp1252 += rec->cp1252;
	s->bad += rec->bad_encoding;
	return 0;
}

/* Reads `in` in pieces of `step` bytes. */
static void read_csv(const char *in, size_t n, size_t step, struct seen *s)
{
	struct csv c;

	memset(s, 0, sizeof(*s));
	csv_init(&c, collect, s);
	for (size_t i = 0; i < n; i += step)
		assert_int_equal(
			csv_feed(&c, in + i, i + step > n ? n - i : step), 0);
	assert_int_equal(csv_finish(&c), 0);
	csv_release(&c);
}

static const char sample[] = "\xEF\xBB\xBF"
			     "a;b;c\r\n"
			     "1;\"x;y\";3\r\n"
			     "\n"
			     "\"say \"\"hi\"\"\nnext line\";;end\n"
			     "last;row;no newline";

static const char sample_want[] = "1:a|b|c\n"
				  "2:1|x;y|3\n"
				  "4:say \"hi\"\nnext line||end\n"
				  "6:last|row|no newline\n";

static void test_i1_csv_same_records_whatever_the_chunk_size(void **state)
{
	struct seen s;

	(void)state;
	for (size_t step = 1; step <= sizeof(sample); step++) {
		read_csv(sample, sizeof(sample) - 1, step, &s);
		assert_string_equal(s.text, sample_want);
	}
}

static void test_i1_csv_separator_found_from_the_header(void **state)
{
	static const char in[] = "x,y;z\n1,2;3\n";
	struct seen s;

	(void)state;
	read_csv(in, sizeof(in) - 1, 4, &s);
	assert_string_equal(s.text, "1:x|y;z\n2:1|2;3\n");
}

static void test_i1_csv_windows_1252_and_invalid_bytes(void **state)
{
	static const char cp[] = "a,b\n\xf1"
				 "and\xfa"
				 ",1\n";
	static const char bad[] = "a,b\nx\x81,1\n";
	static const char utf8[] = "a,b\n\xc3\xb1"
				   "and\xc3\xba"
				   ",1\n";
	struct seen s;

	(void)state;
	read_csv(cp, sizeof(cp) - 1, 3, &s);
	assert_int_equal(s.cp1252, 1);
	assert_int_equal(s.bad, 0);
	read_csv(bad, sizeof(bad) - 1, 3, &s);
	assert_int_equal(s.bad, 1);
	read_csv(utf8, sizeof(utf8) - 1, 3, &s);
	assert_int_equal(s.cp1252 + s.bad, 0);
}

/* ---------- minute chunks ---------- */

static void test_i1_series_encode_decode_round_trip(void **state)
{
	static uint32_t in[SERIES_DAY_MINUTES], out[SERIES_DAY_MINUTES];
	unsigned char buf[SERIES_DAY_MINUTES * 11];
	size_t n;

	(void)state;
	srand(7);
	for (int round = 0; round < 50; round++) {
		for (int m = 0; m < SERIES_DAY_MINUTES; m++)
			in[m] = rand() % 4 == 0 ? (uint32_t)(rand() % 300) : 0;
		in[0] = (uint32_t)round;
		in[SERIES_DAY_MINUTES - 1] = 1;
		n = series_encode(in, buf, sizeof(buf));
		memset(out, 0, sizeof(out));
		assert_int_equal(series_decode(buf, n, out), 0);
		assert_memory_equal(in, out, sizeof(in));
		for (int lo = 0; lo < SERIES_DAY_MINUTES; lo += 97) {
			int64_t want = 0;

			for (int m = lo; m < lo + 200 && m < 1440; m++)
				want += in[m];
			assert_int_equal(
				series_sum(buf, n, lo,
					   lo + 200 > 1440 ? 1440 : lo + 200),
				want);
		}
	}
}

static void
test_i1_series_sparse_day_costs_about_a_byte_per_minute(void **state)
{
	static uint32_t in[SERIES_DAY_MINUTES];
	unsigned char buf[SERIES_DAY_MINUTES * 11];

	(void)state;
	for (int m = 0; m < SERIES_DAY_MINUTES; m += 3)
		in[m] = 1;
	assert_int_equal(series_encode(in, buf, sizeof(buf)), 480);
	assert_int_equal(series_decode((const unsigned char *)"\x80", 1, in),
			 -1);
}

static void test_i1_agg_unsorted_rows_give_day_chunks(void **state)
{
	struct agg a;
	struct agg_out o;
	uint32_t counts[SERIES_DAY_MINUTES] = {0};

	(void)state;
	agg_init(&a);
	/* series 3: two days, out of order; series 0: one row */
	assert_int_equal(agg_add(&a, 3, 1440 * 20 + 5), 0);
	assert_int_equal(agg_add(&a, 3, 1440 * 19 + 1439), 0);
	assert_int_equal(agg_add(&a, 3, 1440 * 20 + 5), 0);
	assert_int_equal(agg_add(&a, 0, 7), 0);
	assert_int_equal(agg_finish(&a, &o), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.chunks[0].series, 0);
	assert_int_equal(o.chunks[1].day, 19);
	assert_int_equal(o.chunks[2].day, 20);
	assert_int_equal(o.chunks[2].total, 2);
	series_decode(o.bytes + o.chunks[2].off, o.chunks[2].len, counts);
	assert_int_equal(counts[5], 2);
	agg_out_release(&o);
	agg_release(&a);
}

/* ---------- an import ---------- */

static const struct import_point pts[] = {{11, "CAC1"}, {12, "CAC2"}};

static int run_import(const char *in, size_t n, size_t step, struct import *im)
{
	assert_int_equal(import_init(im, IMPORT_INTERACTIONS, pts, 2), 0);
	for (size_t i = 0; i < n; i += step)
		assert_int_equal(
			import_feed(im, in + i, i + step > n ? n - i : step),
			0);
	return import_finish(im);
}

static void test_i1_time_forms_lima(void **state)
{
	uint32_t a, b;
	struct cal_date d = {2026, 11, 3};

	(void)state;
	assert_int_equal(import_parse_time("2026-11-03 09:15", 16, &a), 0);
	assert_int_equal(import_parse_time("03/11/2026 09:15:59", 19, &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(a, (uint32_t)cal_day_number(d) * 1440 + 555);
	assert_int_equal(import_parse_time("2026-02-29 09:15", 16, &a), -1);
	assert_int_equal(import_parse_time("2026-11-03 24:00", 16, &a), -1);
	assert_int_equal(import_parse_time("2026-11-03 9:15", 15, &a), -1);
	assert_int_equal(import_parse_time("2026/11/03 09:15", 16, &a), -1);
}

static void test_i3_bad_rows_reject_with_lines(void **state)
{
	static const char in[] = "punto,tipo_tramite,fecha_hora\n"
				 "CAC1,ALTAS,2026-11-03 09:15\n"
				 "CAC9,ALTAS,2026-11-03 09:15\n"
				 "CAC1,PAGO,2026-11-03 09:15\n"
				 "CAC2,BAJAS,2026-13-03 09:15\n";
	struct import im;

	(void)state;
	assert_int_equal(run_import(in, sizeof(in) - 1, 5, &im), 1);
	assert_int_equal(im.bad_rows, 3);
	assert_int_equal(im.errors[0].line, 3);
	assert_non_null(strstr(im.errors[0].reason, "CAC9"));
	assert_int_equal(im.errors[1].line, 4);
	assert_int_equal(im.errors[2].line, 5);
	import_release(&im);
}

static void test_i3_missing_column_and_empty_file(void **state)
{
	static const char in[] = "punto,fecha_hora\nCAC1,2026-11-03 09:15\n";
	struct import im;

	(void)state;
	assert_int_equal(run_import(in, sizeof(in) - 1, 64, &im), 1);
	assert_int_equal(im.errors[0].line, 1);
	assert_non_null(strstr(im.errors[0].reason, "tipo_tramite"));
	import_release(&im);
	assert_int_equal(run_import("", 0, 1, &im), 1);
	assert_non_null(strstr(im.errors[0].reason, "vacío"));
	import_release(&im);
}

static void test_i1_gzip_same_as_plain_and_truncated_rejected(void **state)
{
	static const char in[] = "fecha_hora,punto,tipo_tramite\n"
				 "2026-11-03 09:15,CAC1,ALTAS\n"
				 "2026-11-04 09:15,CAC2,reclamos\n";
	unsigned char gz[512];
	z_stream z;
	struct import im;
	char sha[65];

	(void)state;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = sizeof(in) - 1;
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	assert_int_equal(run_import(in, sizeof(in) - 1, 7, &im), 0);
	memcpy(sha, im.sha256, sizeof(sha));
	assert_int_equal(im.rows, 2);
	import_release(&im);
	assert_int_equal(run_import((const char *)gz, z.total_out, 3, &im), 0);
	assert_string_equal(im.sha256, sha);
	assert_int_equal(im.out.n, 2);
	import_release(&im);
	assert_int_equal(
		run_import((const char *)gz, z.total_out - 10, 3, &im), 1);
	assert_non_null(strstr(im.errors[im.n_errors - 1].reason, "gzip"));
	import_release(&im);
}

/* ---------- E3, E4 arithmetic ---------- */

static void test_e3_mean_and_change_use_only_days_with_data(void **state)
{
	struct e_series s = {.c = {4, 0, 0, 8, 0, 0, 0, 9},
			     .has = {1, 1, 0, 1, 0, 0, 0, 1}};

	(void)state;
	evaluation_compare(&s);
	assert_true(s.has_mean);
	assert_true(s.mean == 4.0);
	assert_true(s.has_change);
	assert_true(s.change_pct == 125.0);
}

static void test_e3_no_data_gives_no_mean_and_no_change(void **state)
{
	struct e_series none = {.c = {0}, .has = {0, 0, 0, 0, 0, 0, 0, 1}};
	struct e_series zero = {.c = {0}, .has = {1, 0, 0, 0, 0, 0, 0, 1}};
	struct e_series today = {.c = {3, 6}, .has = {1, 1}};

	(void)state;
	evaluation_compare(&none);
	assert_false(none.has_mean);
	assert_false(none.has_change);
	evaluation_compare(&zero); /* mean 0: a change in % is undefined */
	assert_true(zero.has_mean);
	assert_false(zero.has_change);
	evaluation_compare(&today); /* no data on the event's day */
	assert_true(today.mean == 4.5);
	assert_false(today.has_change);
}

static void test_e3_windows_same_clock_window_previous_days(void **state)
{
	struct event ev;
	int64_t lo[E_DAYS], hi[E_DAYS];
	struct cal_date d = {2026, 11, 3};
	int64_t day0 = cal_lima_day_start(d);

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.started_at = day0 + 23 * 3600 + 50 * 60 + 30; /* 23:50:30 */
	ev.ended_at = day0 + 86400 + 10 * 60 + 1;	 /* 00:10:01 next */
	evaluation_e3_windows(&ev, 0, lo, hi);
	assert_int_equal(lo[7], (int64_t)cal_day_number(d) * 1440 + 1430);
	assert_int_equal(hi[7], lo[7] + 21); /* 23:50 .. 00:11 */
	for (int k = 0; k < 7; k++) {
		assert_int_equal(lo[k], lo[7] - (7 - k) * 1440);
		assert_int_equal(hi[k] - lo[k], 21);
	}
	assert_int_equal(evaluation_e4_day(&ev), cal_day_number(d));
	ev.open = 1; /* an open event runs to now */
	evaluation_e3_windows(&ev, ev.started_at + 60, lo, hi);
	assert_int_equal(hi[7] - lo[7], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_i1_csv_same_records_whatever_the_chunk_size),
		cmocka_unit_test(test_i1_csv_separator_found_from_the_header),
		cmocka_unit_test(test_i1_csv_windows_1252_and_invalid_bytes),
		cmocka_unit_test(test_i1_series_encode_decode_round_trip),
		cmocka_unit_test(
			test_i1_series_sparse_day_costs_about_a_byte_per_minute),
		cmocka_unit_test(test_i1_agg_unsorted_rows_give_day_chunks),
		cmocka_unit_test(test_i1_time_forms_lima),
		cmocka_unit_test(test_i3_bad_rows_reject_with_lines),
		cmocka_unit_test(test_i3_missing_column_and_empty_file),
		cmocka_unit_test(
			test_i1_gzip_same_as_plain_and_truncated_rejected),
		cmocka_unit_test(
			test_e3_mean_and_change_use_only_days_with_data),
		cmocka_unit_test(test_e3_no_data_gives_no_mean_and_no_change),
		cmocka_unit_test(
			test_e3_windows_same_clock_window_previous_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
