/*
 * The official report (O1-O4) and ADMIN's extra non-working days (D1):
 * the domain rules alone, then the store on a real SQLite file.
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

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/event_json.h"
#include "domain/report.h"
#include "mail/notify.h"
#include "mail/report_mail.h"
#include "render/render.h"
#include "store/calendar.h"
#include "store/events.h"
#include "store/points.h"
#include "store/reports.h"
#include "store/store.h"
#include "store/users.h"
#include "util/embed.h"

#define ALL_ROLES 0x7ffu

static struct cal_date D(int y, int m, int d) {
	struct cal_date x = {y, m, d};

	return x;
}

static int64_t
lima(int y, int mo, int d, int h, int mi)
{
	return cal_lima_day_start(D(y, mo, d)) + h * 3600 + mi * 60;
}

/* ---------- O2: who moves a report, and in which order ---------- */

static int move(enum report_status from, enum report_status to, unsigned roles,
		const char *comment, const char *reference, struct inop_err *e)
{
	struct report_move m = {.from = from,
				.to = to,
				.roles = roles,
				.comment = comment,
				.reference = reference,
				.today = D(2026, 11, 30)};

	return report_transition_check(&m, e);
}

static void test_o2_the_chain_in_order_with_the_right_roles(void **state)
{
	struct inop_err e;

	(void)state;
	assert_int_equal(move(REPORT_BORRADOR, REPORT_EN_REVISION,
			      ROLE_CONTROL, "", "", &e),
			 0);
	assert_int_equal(move(REPORT_EN_REVISION, REPORT_APROBADO_GERENTE,
			      ROLE_GERENTE, "", "", &e),
			 0);
	assert_int_equal(move(REPORT_APROBADO_GERENTE,
			      REPORT_APROBADO_DIRECTOR, ROLE_DIRECTOR, "", "",
			      &e),
			 0);
	assert_int_equal(move(REPORT_APROBADO_DIRECTOR, REPORT_ENVIADO,
			      ROLE_REGULATORIO, "", "Carta 12", &e),
			 0);
}

/* Every target with every role that does not move reports there: 403. */
static void test_o2_wrong_role_is_403(void **state)
{
	static const unsigned who[REPORT_STATUS_COUNT] = {
		[REPORT_BORRADOR] = ROLE_GERENTE | ROLE_DIRECTOR,
		[REPORT_EN_REVISION] = ROLE_CONTROL,
		[REPORT_APROBADO_GERENTE] = ROLE_GERENTE,
		[REPORT_APROBADO_DIRECTOR] = ROLE_DIRECTOR,
		[REPORT_ENVIADO] = ROLE_REGULATORIO,
	};
	struct inop_err e;

	(void)state;
	for (int to = 0; to < REPORT_STATUS_COUNT; to++)
		for (int r = 0; r < ROLE_COUNT; r++) {
			if (who[to] & 1u << r)
				continue;
			for (int from = 0; from < REPORT_STATUS_COUNT;
			     from++) {
				assert_int_equal(move((enum report_status)from,
						      (enum report_status)to,
						      1u << r, "x", "x", &e),
						 -1);
				assert_int_equal(e.status, 403);
			}
		}
}

/* The right role, but not from that state: 409. */
static void test_o2_out_of_order_is_409(void **state)
{
	struct inop_err e;
	int allowed = 0;

	(void)state;
	for (int from = 0; from < REPORT_STATUS_COUNT; from++)
		for (int to = 0; to < REPORT_STATUS_COUNT; to++) {
			if (move((enum report_status)from,
				 (enum report_status)to, ALL_ROLES, "motivo",
				 "ref", &e) == 0) {
				allowed++;
				continue;
			}
			assert_int_equal(e.status, 409);
			assert_string_equal(e.code, "INVALID_TRANSITION");
		}
	/* 4 steps forward and 3 ways back to BORRADOR. */
	assert_int_equal(allowed, 7);
	assert_int_equal(move(REPORT_ENVIADO, REPORT_BORRADOR, ROLE_GERENTE,
			      "tarde", "", &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(move(REPORT_BORRADOR, REPORT_APROBADO_GERENTE,
			      ROLE_GERENTE, "", "", &e),
			 -1);
	assert_int_equal(e.status, 409);
}

static void test_o2_send_back_needs_a_comment(void **state)
{
	struct inop_err e;

	(void)state;
	for (int from = REPORT_EN_REVISION; from <= REPORT_APROBADO_DIRECTOR;
	     from++) {
		assert_int_equal(move((enum report_status)from,
				      REPORT_BORRADOR, ROLE_DIRECTOR, "", "",
				      &e),
				 -1);
		assert_int_equal(e.status, 422);
		assert_string_equal(e.field, "comment");
		assert_int_equal(move((enum report_status)from,
				      REPORT_BORRADOR, ROLE_GERENTE,
				      "Falta un evento", "", &e),
				 0);
	}
}

static void test_o2_sending_needs_reference_and_a_past_date(void **state)
{
	struct report_move m = {.from = REPORT_APROBADO_DIRECTOR,
				.to = REPORT_ENVIADO,
				.roles = ROLE_REGULATORIO,
				.reference = "",
				.today = D(2026, 11, 30)};
	struct inop_err e;

	(void)state;
	assert_int_equal(report_transition_check(&m, &e), -1);
	assert_string_equal(e.field, "reference");
	m.reference = "Carta C-123-2026";
	assert_int_equal(report_transition_check(&m, &e), 0);
	m.sent_on = "2026-11-30";
	assert_int_equal(report_transition_check(&m, &e), 0);
	m.sent_on = "2026-12-01";
	assert_int_equal(report_transition_check(&m, &e), -1);
	assert_string_equal(e.field, "date");
	m.sent_on = "30/11/2026";
	assert_int_equal(report_transition_check(&m, &e), -1);
	assert_string_equal(e.field, "date");
}

static void test_o2_next_statuses_and_trail_roles(void **state)
{
	struct report_move m = {.from = REPORT_EN_REVISION,
				.to = REPORT_BORRADOR,
				.roles = ROLE_GERENTE | ROLE_DIRECTOR};

	(void)state;
	assert_int_equal(report_next_statuses(REPORT_BORRADOR, ROLE_CONTROL),
			 1u << REPORT_EN_REVISION);
	assert_int_equal(
		report_next_statuses(REPORT_EN_REVISION, ROLE_GERENTE),
		1u << REPORT_APROBADO_GERENTE | 1u << REPORT_BORRADOR);
	assert_int_equal(
		report_next_statuses(REPORT_EN_REVISION, ROLE_DIRECTOR),
		1u << REPORT_BORRADOR);
	assert_int_equal(report_next_statuses(REPORT_ENVIADO, ALL_ROLES), 0);
	assert_int_equal(report_next_statuses(REPORT_BORRADOR, ROLE_JEFE), 0);
	/* Sent back in the role whose approval was awaited. */
	assert_string_equal(report_transition_role(&m), "GERENTE");
	m.from = REPORT_APROBADO_GERENTE;
	assert_string_equal(report_transition_role(&m), "DIRECTOR");
	m.to = REPORT_APROBADO_DIRECTOR;
	assert_string_equal(report_transition_role(&m), "DIRECTOR");
	assert_true(report_is_frozen(REPORT_EN_REVISION));
	assert_false(report_is_frozen(REPORT_BORRADOR));
}

static void test_o1_period_is_ordered_and_at_most_a_year(void **state)
{
	struct inop_err e;

	(void)state;
	assert_int_equal(
		report_period_check(D(2026, 11, 1), D(2026, 11, 30), &e), 0);
	assert_int_equal(
		report_period_check(D(2026, 11, 1), D(2026, 11, 1), &e), 0);
	assert_int_equal(
		report_period_check(D(2026, 11, 2), D(2026, 11, 1), &e), -1);
	assert_string_equal(e.field, "to");
	assert_int_equal(
		report_period_check(D(2026, 1, 1), D(2026, 12, 31), &e), 0);
	assert_int_equal(report_period_check(D(2026, 1, 1), D(2027, 1, 2), &e),
			 -1);
}

/* ---------- O4: the rows ---------- */

static struct catalog *catalog_get(void)
{
	static struct catalog cat;
	const struct inop_embedded *json = embed_find("data/catalog.json");

	if (!cat.n)
		assert_int_equal(
			catalog_from_json(&cat, (const char *)json->data), 0);
	return &cat;
}

static void event_fill(struct event *ev, int64_t start, int64_t end)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->number, sizeof(ev->number), "INOP-2026-000042");
	snprintf(ev->point.code, sizeof(ev->point.code), "CAC-1");
	snprintf(ev->point.name, sizeof(ev->point.name),
		 "CAC \"Uno\", Centro");
	snprintf(ev->point.channel, sizeof(ev->point.channel), "PRESENCIAL");
	snprintf(ev->point.region, sizeof(ev->point.region), "Lima");
	snprintf(ev->procedure, sizeof(ev->procedure), "CONSULTAS");
	codes_add(&ev->requests, "MIGRACION_PLAN");
	codes_add(&ev->requests, "CAMBIO_NOMBRE");
	codes_add(&ev->applications, "SIAC_UNICO");
	snprintf(ev->scenario, sizeof(ev->scenario), "EVENTO_NO_PREVISTO");
	snprintf(ev->cause, sizeof(ev->cause), "CORTE_LUZ");
	snprintf(ev->closure_reason, sizeof(ev->closure_reason),
		 "SIN_FLUIDO_ELECTRICO");
	snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
	ev->started_at = start;
	ev->ended_at = end;
}

static void test_o4_row_has_the_columns_as_names(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct report_row row;

	(void)state;
	event_fill(ev, lima(2026, 11, 3, 9, 15), lima(2026, 11, 3, 10, 16));
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &row);
	assert_string_equal(row.number, "INOP-2026-000042");
	assert_string_equal(row.channel, "Presencial");
	assert_string_equal(row.procedure, "Consultas");
	assert_string_equal(row.requests,
			    "Migración de plan (incluye a prepago, a postpago "
			    "y con renovación de equipo); Cambio de nombre");
	assert_string_equal(row.applications, "SIAC ÚNICO");
	assert_string_equal(row.scenario, "Evento no previsto");
	assert_string_equal(row.cause, "Corte de luz");
	assert_string_equal(row.closure_reason,
			    "Sin fluido eléctrico en punto de atención");
	assert_string_equal(row.origin, "En línea");
	/* Tue 3 Nov + 3 business days. */
	assert_string_equal(row.report_due, "2026-11-06");
	free(ev);
}

/* E1-E4 never invent numbers: what has no data says so. */
static void test_o4_row_evaluation_e1_e4(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct time_span around = {lima(2026, 11, 3, 8, 0),
				   lima(2026, 11, 3, 12, 0)};
	struct time_span open = {lima(2026, 11, 3, 9, 30), 0};
	struct report_row row;
	int64_t now = lima(2026, 11, 4, 9, 0);

	(void)state;
	event_fill(ev, lima(2026, 11, 3, 9, 0), lima(2026, 11, 3, 10, 0));
	report_row_evaluation(ev, NULL, now, &row);
	/* E1 for every event, by its Spanish name (O4) */
	assert_string_equal(row.e1, "Fuera de horario de falla masiva");
	assert_int_equal(row.minutes, 60);
	assert_false(row.over_1h); /* exactly one hour is not over it */
	assert_string_equal(row.e3, REPORT_NO_DATA);
	assert_string_equal(row.e4, REPORT_NO_DATA);
	ev->ended_at += 1;
	report_row_evaluation(ev, NULL, now, &row);
	assert_true(row.over_1h);
	assert_int_equal(row.minutes, 60);
	/* E1 of a mass-failure event: inside its failure's span or not */
	snprintf(ev->scenario, sizeof(ev->scenario), "FALLA_MASIVA");
	ev->mass_failure_id = 7;
	report_row_evaluation(ev, &around, now, &row);
	assert_string_equal(row.e1, "Dentro de horario de falla masiva");
	report_row_evaluation(ev, &open, now, &row); /* started after it */
	assert_string_equal(row.e1, "Fuera de horario de falla masiva");
	report_row_evaluation(ev, NULL, now, &row);
	assert_string_equal(row.e1, "Fuera de horario de falla masiva");
	free(ev);
}

/* O3 with ADMIN's extra day: Fri 4 Dec + 3 skips Mon 7, 8 and 9 Dec. */
static void test_o3_report_due_counts_extra_days(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	int32_t extra[1] = {cal_day_number(D(2026, 12, 7))};
	struct cal_calendar cal = {extra, 1};
	struct report_row row;
	struct cal_date due;
	json_t *o;

	(void)state;
	event_fill(ev, lima(2026, 12, 4, 9, 0), lima(2026, 12, 4, 23, 30));
	assert_int_equal(event_report_due(ev, NULL, &due), 1);
	assert_int_equal(cal_day_number(due), cal_day_number(D(2026, 12, 11)));
	assert_int_equal(event_report_due(ev, &cal, &due), 1);
	assert_int_equal(cal_day_number(due), cal_day_number(D(2026, 12, 14)));
	o = event_to_json(ev, &cal);
	assert_string_equal(
		json_string_value(json_object_get(o, "report_due")),
		"2026-12-14");
	json_decref(o);
	report_row_from_event(catalog_get(), &cal, ev, NULL, 0, &row);
	assert_string_equal(row.report_due, "2026-12-14");
	free(ev);
}

static void test_o2_snapshot_round_trip_and_hash(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct report_row rows[2], back;
	struct report_rows read;
	char hash[65], again[65], *snap;

	(void)state;
	event_fill(ev, lima(2026, 11, 3, 9, 15), lima(2026, 11, 3, 11, 0));
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &rows[0]);
	snprintf(ev->number, sizeof(ev->number), "INOP-2026-000043");
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &rows[1]);
	/* What JSON escapes, and UTF-8 of two to four bytes. */
	snprintf(rows[1].point_name, sizeof(rows[1].point_name),
		 "CAC \"Ñaña\" \\ «Sur»\t1\n2\r\b\f\x01\x1f\x7f/ "
		 "\u2028 \U0001F600 ü");
	snap = report_snapshot(7, "2026-11-01", "2026-11-30",
			       lima(2026, 12, 1, 8, 0), rows, 2, hash);
	assert_non_null(snap);
	/* Written a row at a time, it is still jansson's compact, sorted
	 * text of itself: nothing between the rows but what a dump puts. */
	{
		json_t *o = json_loads(snap, 0, NULL);
		char *canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

		assert_non_null(canon);
		assert_string_equal(canon, snap);
		assert_int_equal(json_array_size(json_object_get(o, "rows")),
				 2);
		free(canon);
		json_decref(o);
	}
	report_hash(snap, strlen(snap), again);
	assert_string_equal(hash, again);
	assert_int_equal(strlen(hash), 64);
	assert_int_equal(report_snapshot_rows(snap, &read), 0);
	assert_int_equal(read.n, 2);
	assert_memory_equal(report_rows_get(&read, 0, &back), &rows[0],
			    sizeof(rows[0]));
	report_rows_get(&read, 1, &back);
	assert_string_equal(back.number, "INOP-2026-000043");
	assert_string_equal(back.point_name, rows[1].point_name);
	report_rows_release(&read);
	/* Any change of the content changes the hash. */
	snap[strlen(snap) - 3] ^= 1;
	report_hash(snap, strlen(snap), again);
	assert_string_not_equal(hash, again);
	free(snap);
	assert_int_equal(report_snapshot_rows("{\"rows\":[[1]]}", &read), -1);
	report_rows_release(&read);
	/* Text json_string() refuses is refused, not written. */
	snprintf(rows[1].point_name, sizeof(rows[1].point_name), "CAC \xc3(");
	assert_null(report_snapshot(7, "2026-11-01", "2026-11-30",
				    lima(2026, 12, 1, 8, 0), rows, 2, hash));
	snprintf(rows[1].point_name, sizeof(rows[1].point_name),
		 "\xed\xa0\x80");
	assert_null(report_snapshot(7, "2026-11-01", "2026-11-30",
				    lima(2026, 12, 1, 8, 0), rows, 2, hash));
	/* A report of no events is a snapshot too. */
	snap = report_snapshot(8, "2026-11-01", "2026-11-30",
			       lima(2026, 12, 1, 8, 0), NULL, 0, hash);
	assert_non_null(snap);
	assert_int_equal(report_snapshot_rows(snap, &read), 0);
	assert_int_equal(read.n, 0);
	report_rows_release(&read);
	free(snap);
	free(ev);
}

/* The rows are read one at a time, but what is read is JSON, not one
 * layout of its bytes: indented, in another key order, with "rows"
 * inside a string, it reads the same; anything not a snapshot of these
 * columns is refused. */
static void test_o2_snapshot_read_is_json_not_a_layout(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct report_row rows[2], back;
	struct report_rows read;
	char hash[65], *snap, *text;
	json_t *o, *re;

	(void)state;
	event_fill(ev, lima(2026, 11, 3, 9, 15), lima(2026, 11, 3, 11, 0));
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &rows[0]);
	snprintf(ev->number, sizeof(ev->number), "INOP-2026-000043");
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &rows[1]);
	snprintf(rows[1].point_name, sizeof(rows[1].point_name),
		 "CAC \"rows\":[[\"x\"]] ] [");
	snap = report_snapshot(7, "2026-11-01", "2026-11-30",
			       lima(2026, 12, 1, 8, 0), rows, 2, hash);
	assert_non_null(snap);
	o = json_loads(snap, 0, NULL);
	assert_non_null(o);
	/* Indented, and a "title" that looks like rows before "rows",
	 * before "columns". */
	re = json_pack("{s:s, s:O}", "title", "\"rows\": [] {", "rows",
		       json_object_get(o, "rows"));
	assert_non_null(re);
	assert_int_equal(json_object_update_missing(re, o), 0);
	text = json_dumps(re, JSON_INDENT(3) | JSON_PRESERVE_ORDER);
	json_decref(re);
	assert_non_null(strstr(text, "\"rows\": [\n"));
	assert_true(strstr(text, "\"rows\": [\n") < strstr(text, "columns"));
	assert_non_null(text);
	assert_int_equal(report_snapshot_rows(text, &read), 0);
	assert_int_equal(read.n, 2);
	assert_memory_equal(report_rows_get(&read, 0, &back), &rows[0],
			    sizeof(back));
	assert_memory_equal(report_rows_get(&read, 1, &back), &rows[1],
			    sizeof(back));
	report_rows_release(&read);
	free(text);
	/* Not a snapshot: cut short, followed by more, other columns, no
	 * rows, a row that is not an array. */
	snap[strlen(snap) - 1] = '\0';
	assert_int_equal(report_snapshot_rows(snap, &read), -1);
	report_rows_release(&read);
	snap[strlen(snap)] = '}';
	text = malloc(strlen(snap) + 3);
	assert_non_null(text);
	sprintf(text, "%s{}", snap);
	assert_int_equal(report_snapshot_rows(text, &read), -1);
	report_rows_release(&read);
	free(text);
	json_array_remove(json_object_get(o, "columns"), 0);
	text = json_dumps(o, JSON_COMPACT);
	assert_int_equal(report_snapshot_rows(text, &read), -1);
	report_rows_release(&read);
	free(text);
	assert_int_equal(report_snapshot_rows("{\"columns\":[]}", &read), -1);
	report_rows_release(&read);
	assert_int_equal(report_snapshot_rows("{\"rows\":[{}]}", &read), -1);
	report_rows_release(&read);
	json_decref(o);
	free(snap);
	free(ev);
}

/* Every text field of `row` at its longest: `size` - 1 bytes of
 * two-byte UTF-8 (and one ASCII byte when size - 1 is odd). */
static void fill_longest(struct report_row *row, size_t col_seed)
{
	char *const fields[] = {row->number,
				row->channel,
				row->point_code,
				row->point_name,
				row->region,
				row->procedure,
				row->requests,
				row->applications,
				row->scenario,
				row->cause,
				row->closure_reason,
				row->origin,
				row->critical,
				row->e1,
				row->e3,
				row->e4,
				row->report_due};
	const size_t sizes[] = {sizeof(row->number),
				sizeof(row->channel),
				sizeof(row->point_code),
				sizeof(row->point_name),
				sizeof(row->region),
				sizeof(row->procedure),
				sizeof(row->requests),
				sizeof(row->applications),
				sizeof(row->scenario),
				sizeof(row->cause),
				sizeof(row->closure_reason),
				sizeof(row->origin),
				sizeof(row->critical),
				sizeof(row->e1),
				sizeof(row->e3),
				sizeof(row->e4),
				sizeof(row->report_due)};

	for (size_t f = 0; f < sizeof(sizes) / sizeof(sizes[0]); f++) {
		size_t k = 0;

		if ((sizes[f] - 1) % 2)
			fields[f][k++] = (char)('a' + (col_seed + f) % 26);
		while (k + 2 <= sizes[f] - 1) {
			fields[f][k++] = (char)0xc3;
			fields[f][k++] = (char)0xb1; /* ñ */
		}
		fields[f][k] = '\0';
	}
}

/* Packed rows read back byte for byte as they went in, whatever their
 * lengths, and take the bytes of their values, not a struct each. */
static void test_o4_packed_rows_round_trip(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct report_row *in = calloc(300, sizeof(*in)), out;
	struct report_rows rows;

	(void)state;
	assert_non_null(ev);
	assert_non_null(in);
	event_fill(ev, lima(2026, 11, 3, 9, 15), lima(2026, 11, 3, 11, 0));
	report_rows_init(&rows);
	for (size_t i = 0; i < 300; i++) {
		report_row_from_event(catalog_get(), NULL, ev, NULL, 0,
				      &in[i]);
		in[i].started_at = -(int64_t)i * 86400;
		in[i].ended_at = INT64_MAX - (int64_t)i;
		in[i].minutes = (int64_t)i * 7;
		in[i].over_1h = (int)(i % 2);
		if (i % 3 == 1)
			fill_longest(&in[i], i);
		if (i % 3 == 2) /* every text empty */
			memset(&in[i], 0,
			       offsetof(struct report_row, started_at));
		assert_int_equal(report_rows_add(&rows, &in[i]), 0);
	}
	assert_int_equal(rows.n, 300);
	for (size_t i = 0; i < 300; i++)
		assert_memory_equal(report_rows_get(&rows, i, &out), &in[i],
				    sizeof(out));
	/* A third of the rows at their longest: still under half of 300
	 * fixed-size rows. */
	assert_true(rows.data.len < 300 * sizeof(struct report_row) / 2);
	report_rows_release(&rows);
	assert_int_equal(rows.n, 0);
	free(in);
	free(ev);
}

/* ---------- O4: CSV ---------- */

static void test_o4_csv_is_rfc4180(void **state)
{
	struct event *ev = malloc(sizeof(*ev));
	struct report_row row;
	struct report_rows rows;
	struct report_doc doc = {.id = 1, .rows = &rows};
	struct buf b;
	const char *second;

	(void)state;
	event_fill(ev, lima(2026, 11, 3, 9, 15), lima(2026, 11, 3, 9, 45));
	snprintf(ev->point.name, sizeof(ev->point.name),
		 "CAC \"Uno\", Centro\nPiso 2");
	report_row_from_event(catalog_get(), NULL, ev, NULL, 0, &row);
	report_rows_init(&rows);
	assert_int_equal(report_rows_add(&rows, &row), 0);
	buf_init(&b, 1 << 20);
	assert_int_equal(render_csv(&doc, &b), 0);
	report_rows_release(&rows);
	assert_memory_equal(b.s, "N.º de evento,Canal,", 20);
	second = strstr(b.s, "\r\n");
	assert_non_null(second);
	assert_non_null(strstr(second, "\r\nINOP-2026-000042,Presencial,CAC-1,"
				       "\"CAC \"\"Uno\"\", Centro\nPiso 2\","
				       "Lima,Consultas,\"Migración"));
	assert_non_null(strstr(b.s, ",2026-11-03T09:15:00-05:00,"
				    "2026-11-03T09:45:00-05:00,30,"));
	assert_non_null(strstr(b.s, ",Fuera de horario de falla masiva,No,sin "
				    "datos,sin datos\r\n"));
	assert_int_equal(b.s[b.len - 1], '\n');
	buf_release(&b);
	free(ev);
}

/* ---------- the store ---------- */

struct fixture {
	char path[64];
	struct db *db;
	struct actor jefe, control, gerente, director, regulatorio, admin;
	struct point point;
	int64_t n;
};

static void actor_add(struct db *db, struct actor *a, const char *name,
		      unsigned roles)
{
	struct user u = {0};
	struct inop_err e;
	const char *codes[] = {"CAC-1"};

	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.name, sizeof(u.name), "Usuario %s", name);
	snprintf(u.email, sizeof(u.email), "%s@x.pe", name);
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = roles;
	assert_int_equal(store_user_insert(db, &u, codes,
					   roles == ROLE_JEFE ? 1 : 0, "t", 1,
					   &e),
			 0);
	*a = (struct actor){.id = u.id, .roles = roles};
	snprintf(a->username, sizeof(a->username), "%s", name);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct inop_err e;
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/inop-test-XXXXXX");
	fd = mkstemp(f->path);
	close(fd);
	assert_int_equal(db_open(f->path, &f->db, &e), 0);
	assert_int_equal(store_migrate(f->db, &e), 0);
	snprintf(f->point.ref.code, sizeof(f->point.ref.code), "CAC-1");
	snprintf(f->point.ref.name, sizeof(f->point.ref.name), "CAC Uno");
	snprintf(f->point.ref.type, sizeof(f->point.ref.type), "CAC");
	snprintf(f->point.ref.channel, sizeof(f->point.ref.channel),
		 "PRESENCIAL");
	snprintf(f->point.ref.region, sizeof(f->point.ref.region), "Lima");
	assert_int_equal(store_point_insert(f->db, &f->point, "t", 1, &e), 0);
	actor_add(f->db, &f->jefe, "jefe", ROLE_JEFE);
	actor_add(f->db, &f->control, "control", ROLE_CONTROL);
	actor_add(f->db, &f->gerente, "gerente", ROLE_GERENTE);
	actor_add(f->db, &f->director, "director", ROLE_DIRECTOR);
	actor_add(f->db, &f->regulatorio, "regulatorio", ROLE_REGULATORIO);
	actor_add(f->db, &f->admin, "admin", ROLE_ADMIN);
	store_calendar_reset(); /* a new database: its own calendar */
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

static int decide_close(struct db *db, struct event *ev, void *arg,
			struct inop_err *e)
{
	const char *reason = arg;

	(void)db;
	(void)e;
	ev->open = 0;
	ev->ended_at = ev->started_at + 2 * 3600;
	snprintf(ev->closure_reason, sizeof(ev->closure_reason), "%s", reason);
	snprintf(ev->closed_by, sizeof(ev->closed_by), "jefe");
	return 0;
}

/* O1: Procesos' PROCEDE ruling, without which an in-person event waits. */
static void procede(struct fixture *f, int64_t id)
{
	struct db_stmt *st = db_prepare(
		f->db, "INSERT INTO processes_requests (event_id, "
		       "requested_at, requested_by, due_at, ruling, reason, "
		       "ruled_at, ruled_by) VALUES (?, 1, ?, 2, 'PROCEDE', "
		       "'Procede', 3, ?)");

	assert_non_null(st);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, f->control.id);
	db_bind_int(st, 3, f->control.id);
	assert_int_equal(db_run(st), DB_DONE);
}

/* Registers and closes an event started at `start` (with a PROCEDE
 * ruling); returns its id. */
static int64_t event_add(struct fixture *f, const char *procedure,
			 int64_t start, const char *reason)
{
	struct event *ev = calloc(1, sizeof(*ev));
	struct inop_err e;
	int64_t open_id, id;
	char key[24];

	ev->point = f->point.ref;
	snprintf(ev->procedure, sizeof(ev->procedure), "%s", procedure);
	codes_add(&ev->requests, "RECLAMO");
	codes_add(&ev->applications, "SGA");
	snprintf(ev->scenario, sizeof(ev->scenario), "EVENTO_NO_PREVISTO");
	snprintf(ev->cause, sizeof(ev->cause), "CORTE_LUZ");
	snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
	ev->started_at = start;
	assert_int_equal(store_event_register(f->db, ev, &f->jefe, start + 60,
					      &open_id, NULL, NULL, &e),
			 0);
	id = ev->id;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	if (reason)
		assert_int_equal(store_event_change(f->db, key, "event.close",
						    decide_close,
						    (void *)reason, &f->jefe,
						    start + 7200, ev, &e),
				 0);
	if (reason)
		procede(f, id);
	free(ev);
	return id;
}

static struct report_info report_new(struct fixture *f, const char *from,
				     const char *to)
{
	struct report_info r = {0};
	struct inop_err e;

	snprintf(r.from, sizeof(r.from), "%s", from);
	snprintf(r.to, sizeof(r.to), "%s", to);
	assert_int_equal(store_report_create(f->db, &r, &f->control, 100, &e),
			 0);
	return r;
}

static int go(struct fixture *f, int64_t id, enum report_status to,
	      const struct actor *who, const char *comment,
	      const char *reference, struct inop_err *e)
{
	struct report_change c = {.to = to,
				  .comment = comment,
				  .reference = reference,
				  .sent_on = "",
				  .cat = catalog_get(),
				  .today = D(2026, 11, 30)};
	struct report_info after;

	return store_report_transition(f->db, id, &c, who, 200, &after, e);
}

/* The report's rows read back into an array (malloc'd). */
static size_t rows_of(struct fixture *f, int64_t id, struct report_row **rows)
{
	struct report_info r;
	struct report_rows read;
	size_t n;

	assert_int_equal(store_report_get(f->db, id, &r), 1);
	assert_int_equal(
		store_report_rows(f->db, &r, catalog_get(), NULL, 300, &read),
		0);
	n = read.n;
	*rows = malloc((n ? n : 1) * sizeof(**rows));
	assert_non_null(*rows);
	for (size_t i = 0; i < n; i++)
		report_rows_get(&read, i, &(*rows)[i]);
	report_rows_release(&read);
	return n;
}

/* O1: closed, reportable, in the period by Lima start day. */
static void test_o1_report_holds_closed_reportable_events(void **state)
{
	struct fixture *f = *state;
	struct report_info r;
	struct report_row *rows;
	size_t n;

	/* Lima days, not UTC: 1 Nov 00:10 Lima (05:10 UTC) is in. */
	event_add(f, "RECLAMOS", lima(2026, 11, 1, 0, 10),
		  "SIN_FLUIDO_ELECTRICO");
	/* 31 Oct 23:50 Lima is 1 Nov 04:50 UTC: not in the period. */
	event_add(f, "ALTAS", lima(2026, 10, 31, 23, 50),
		  "SIN_FLUIDO_ELECTRICO");
	event_add(f, "BAJAS", lima(2026, 11, 2, 9, 0), "ERROR_USUARIO");
	event_add(f, "CONSULTAS", lima(2026, 11, 3, 9, 0), NULL); /* open */
	event_add(f, "ALTAS", lima(2026, 11, 30, 23, 59),
		  "INFRAESTRUCTURA_PUNTO");
	r = report_new(f, "2026-11-01", "2026-11-30");
	assert_int_equal(r.status, REPORT_BORRADOR);
	assert_int_equal(r.n_events, 2);
	n = rows_of(f, r.id, &rows);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].procedure, "Reclamos");
	assert_string_equal(rows[1].procedure, "Altas");
	free(rows);
}

/* O2: frozen from EN_REVISION; events changed later do not change it. */
static void test_o2_frozen_report_does_not_follow_its_events(void **state)
{
	struct fixture *f = *state;
	struct report_info r, after;
	struct report_row *before, *now;
	struct inop_err e;
	int64_t id, annot;
	struct event *ev = calloc(1, sizeof(*ev));
	size_t n;

	id = event_add(f, "RECLAMOS", lima(2026, 11, 5, 9, 0),
		       "SIN_FLUIDO_ELECTRICO");
	r = report_new(f, "2026-11-01", "2026-11-30");
	assert_int_equal(
		go(f, r.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	assert_int_equal(store_report_get(f->db, r.id, &after), 1);
	assert_int_equal(strlen(after.hash), 64);
	n = rows_of(f, r.id, &before);
	assert_int_equal(n, 1);
	/* Later: another event of the period closes, this one is annotated. */
	event_add(f, "ALTAS", lima(2026, 11, 6, 9, 0), "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(store_event_get(f->db, "1", ev), 1);
	assert_int_equal(store_event_annotate(f->db, ev, "Revisado",
					      &f->control, 300, &annot, &e),
			 0);
	assert_int_equal(rows_of(f, r.id, &now), 1);
	assert_memory_equal(before, now, sizeof(*now));
	free(now);
	/* Sent back, it follows the events again; frozen again, new hash. */
	assert_int_equal(
		go(f, r.id, REPORT_BORRADOR, &f->gerente, "Falta", "", &e), 0);
	assert_int_equal(rows_of(f, r.id, &now), 2);
	free(now);
	assert_int_equal(
		go(f, r.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	assert_int_equal(store_report_get(f->db, r.id, &r), 1);
	assert_string_not_equal(r.hash, after.hash);
	assert_int_equal(r.n_events, 2);
	free(before);
	free(ev);
	(void)id;
}

/* No event goes to the regulator twice. */
static void test_o1_sent_and_frozen_events_are_not_taken_again(void **state)
{
	struct fixture *f = *state;
	struct report_info a, b, c;
	struct inop_err e;

	event_add(f, "RECLAMOS", lima(2026, 11, 5, 9, 0),
		  "SIN_FLUIDO_ELECTRICO");
	a = report_new(f, "2026-11-01", "2026-11-30");
	b = report_new(f, "2026-11-05", "2026-11-05");
	assert_int_equal(b.n_events, 1); /* drafts may overlap */
	assert_int_equal(
		go(f, a.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	/* Under approval in `a`: `b` no longer holds it, nor a new one. */
	assert_int_equal(
		go(f, b.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	assert_int_equal(store_report_get(f->db, b.id, &b), 1);
	assert_int_equal(b.n_events, 0);
	assert_int_equal(
		go(f, a.id, REPORT_APROBADO_GERENTE, &f->gerente, "", "", &e),
		0);
	assert_int_equal(go(f, a.id, REPORT_APROBADO_DIRECTOR, &f->director,
			    "", "", &e),
			 0);
	assert_int_equal(go(f, a.id, REPORT_ENVIADO, &f->regulatorio, "",
			    "Carta 1", &e),
			 0);
	assert_int_equal(store_report_get(f->db, a.id, &a), 1);
	assert_string_equal(a.sent_on, "2026-11-30");
	assert_string_equal(a.sent_reference, "Carta 1");
	c = report_new(f, "2026-11-01", "2026-11-30");
	assert_int_equal(c.n_events, 0);
	/* Sent is final. */
	assert_int_equal(
		go(f, a.id, REPORT_BORRADOR, &f->gerente, "x", "", &e), -1);
	assert_int_equal(e.status, 409);
}

static void test_o2_store_refuses_wrong_role_and_order(void **state)
{
	struct fixture *f = *state;
	struct report_info r = report_new(f, "2026-11-01", "2026-11-30");
	struct report_step *trail;
	struct inop_err e;
	size_t n;

	assert_int_equal(
		go(f, r.id, REPORT_EN_REVISION, &f->gerente, "", "", &e), -1);
	assert_int_equal(e.status, 403);
	assert_int_equal(
		go(f, r.id, REPORT_APROBADO_GERENTE, &f->gerente, "", "", &e),
		-1);
	assert_int_equal(e.status, 409);
	assert_int_equal(
		go(f, 9999, REPORT_EN_REVISION, &f->control, "", "", &e), -1);
	assert_int_equal(e.status, 404);
	assert_int_equal(
		go(f, r.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	assert_int_equal(store_report_trail(f->db, r.id, &trail, &n), 0);
	assert_int_equal(n, 2); /* built, then sent to review */
	assert_string_equal(trail[0].from, "");
	assert_string_equal(trail[1].to, "EN_REVISION");
	assert_string_equal(trail[1].role, "CONTROL");
	assert_string_equal(trail[1].username, "control");
	free(trail);
}

/* D1: the calendar follows the database, also when another node changes it. */
static void test_d1_store_calendar_reloads_when_admin_changes_it(void **state)
{
	struct fixture *f = *state;
	const struct cal_calendar *c1, *c2, *c3;
	struct extra_day d = {0};
	struct inop_err e;
	struct db *other;

	assert_int_equal(db_open(f->path, &other, &e), 0);
	assert_int_equal(store_calendar_acquire(f->db, &c1), 0);
	assert_int_equal(cal_is_business_day(D(2026, 12, 7), c1), 1);
	snprintf(d.date, sizeof(d.date), "2026-12-07");
	snprintf(d.name, sizeof(d.name), "Día no laborable (D.S.)");
	/* Changed through another connection, as another node would. */
	assert_int_equal(store_extra_day_add(other, &d, &f->admin, 10, &e), 0);
	assert_int_equal(store_extra_day_add(other, &d, &f->admin, 10, &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(store_calendar_acquire(f->db, &c2), 0);
	assert_int_equal(cal_is_business_day(D(2026, 12, 7), c2), 0);
	/* The copy taken before stays valid and unchanged. */
	assert_int_equal(cal_is_business_day(D(2026, 12, 7), c1), 1);
	store_calendar_release(c1);
	assert_int_equal(
		store_extra_day_remove(other, "2026-12-07", &f->admin, 11, &e),
		0);
	assert_int_equal(
		store_extra_day_remove(other, "2026-12-07", &f->admin, 11, &e),
		-1);
	assert_int_equal(e.status, 404);
	assert_int_equal(store_calendar_acquire(f->db, &c3), 0);
	assert_int_equal(cal_is_business_day(D(2026, 12, 7), c3), 1);
	assert_int_equal(cal_is_business_day(D(2026, 12, 7), c2), 0);
	store_calendar_release(c2);
	store_calendar_release(c3);
	db_close(other);
}

/* ---------- N2: the mails ---------- */

struct mail {
	char trigger[32];
	char to[256];
	char subject[256];
	char text[2048];
};

/* The outbox, oldest first; returns how many (at most max). */
static size_t outbox(struct db *db, struct mail *out, size_t max)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT trigger, recipients, subject, body_text FROM "
		    "outbox ORDER BY id");
	size_t n = 0;

	assert_non_null(st);
	while (db_step(st) == DB_ROW && n < max) {
		snprintf(out[n].trigger, sizeof(out[n].trigger), "%s",
			 db_col_text(st, 0));
		snprintf(out[n].to, sizeof(out[n].to), "%s",
			 db_col_text(st, 1));
		snprintf(out[n].subject, sizeof(out[n].subject), "%s",
			 db_col_text(st, 2));
		snprintf(out[n].text, sizeof(out[n].text), "%s",
			 db_col_text(st, 3));
		n++;
	}
	db_reset(st);
	return n;
}

static struct config mail_cfg;

static void mail_setup(void)
{
	config_defaults(&mail_cfg);
	snprintf(mail_cfg.mailbox_control, sizeof(mail_cfg.mailbox_control),
		 "control-buzon@x.pe");
	snprintf(mail_cfg.base_url, sizeof(mail_cfg.base_url),
		 "https://inop.x.pe");
	notify_setup(&mail_cfg);
}

static int go_mail(struct fixture *f, int64_t id, enum report_status to,
		   const struct actor *who, const char *comment,
		   const char *reference)
{
	struct report_change c = {.to = to,
				  .comment = comment,
				  .reference = reference,
				  .sent_on = "",
				  .cat = catalog_get(),
				  .today = D(2026, 11, 30),
				  .after = report_mail_transition};
	struct report_info after;
	struct inop_err e;

	return store_report_transition(f->db, id, &c, who, 200, &after, &e);
}

/* Awaiting approval -> the users of the next role; sent back -> CONTROL. */
static void test_n2_report_mails_whoever_acts_next(void **state)
{
	struct fixture *f = *state;
	struct report_info r;
	struct mail m[8];

	mail_setup();
	event_add(f, "RECLAMOS", lima(2026, 11, 5, 9, 0),
		  "SIN_FLUIDO_ELECTRICO");
	r = report_new(f, "2026-11-01", "2026-11-30");
	assert_int_equal(outbox(f->db, m, 8), 0);
	assert_int_equal(
		go_mail(f, r.id, REPORT_EN_REVISION, &f->control, "", ""), 0);
	assert_int_equal(go_mail(f, r.id, REPORT_BORRADOR, &f->gerente,
				 "Falta el sustento", ""),
			 0);
	assert_int_equal(
		go_mail(f, r.id, REPORT_EN_REVISION, &f->control, "", ""), 0);
	assert_int_equal(
		go_mail(f, r.id, REPORT_APROBADO_GERENTE, &f->gerente, "", ""),
		0);
	assert_int_equal(go_mail(f, r.id, REPORT_APROBADO_DIRECTOR,
				 &f->director, "", ""),
			 0);
	assert_int_equal(go_mail(f, r.id, REPORT_ENVIADO, &f->regulatorio, "",
				 "Carta 9"),
			 0);
	assert_int_equal(outbox(f->db, m, 8), 5);
	assert_string_equal(m[0].trigger, "report.awaiting");
	assert_string_equal(m[0].to, "gerente@x.pe");
	assert_non_null(strstr(m[0].subject, "Reporte N.º 1"));
	assert_non_null(strstr(m[0].text, "https://inop.x.pe/#/reportes/1"));
	assert_string_equal(m[1].trigger, "report.returned");
	assert_string_equal(m[1].to, "control@x.pe");
	assert_non_null(strstr(m[1].text, "Falta el sustento"));
	assert_string_equal(m[2].to, "gerente@x.pe");
	assert_string_equal(m[3].trigger, "report.awaiting");
	assert_string_equal(m[3].to, "director@x.pe");
	assert_string_equal(m[4].trigger, "report.approved");
	assert_string_equal(m[4].to, "regulatorio@x.pe");
	notify_setup(NULL);
}

static int64_t run_due(struct fixture *f, struct db *db, int64_t now)
{
	struct mail m[16];

	assert_int_equal(report_mail_due(db ? db : f->db, now), 0);
	return (int64_t)outbox(f->db, m, 16);
}

/* Due today or on the next business day, unsent: once per event. */
static void test_n2_report_due_in_one_business_day_mails_once(void **state)
{
	struct fixture *f = *state;
	int64_t now = lima(2026, 12, 2, 9, 0); /* Wednesday */
	struct report_info r;
	struct inop_err e;
	struct mail m[16];
	struct db *other;

	mail_setup();
	/* started 10:00, ended 12:00 of each day */
	event_add(f, "RECLAMOS", lima(2026, 11, 27, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due Wed 2: today */
	event_add(f, "ALTAS", lima(2026, 11, 30, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due Thu 3: in 1 */
	event_add(f, "BAJAS", lima(2026, 12, 1, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due Fri 4: in 2 */
	event_add(f, "CONSULTAS", lima(2026, 11, 26, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due Tue 1: late */
	event_add(f, "BAJAS", lima(2026, 11, 30, 10, 0),
		  "ERROR_USUARIO"); /* not reportable */
	event_add(f, "CONSULTAS", lima(2026, 11, 28, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due today, sent */
	r = report_new(f, "2026-11-28", "2026-11-28");
	assert_int_equal(r.n_events, 1);
	assert_int_equal(
		go(f, r.id, REPORT_EN_REVISION, &f->control, "", "", &e), 0);
	assert_int_equal(
		go(f, r.id, REPORT_APROBADO_GERENTE, &f->gerente, "", "", &e),
		0);
	assert_int_equal(go(f, r.id, REPORT_APROBADO_DIRECTOR, &f->director,
			    "", "", &e),
			 0);
	assert_int_equal(go(f, r.id, REPORT_ENVIADO, &f->regulatorio, "",
			    "Carta 3", &e),
			 0);
	assert_int_equal(run_due(f, NULL, now), 2);
	/* Again, and from another node: still once per event. */
	assert_int_equal(db_open(f->path, &other, &e), 0);
	assert_int_equal(run_due(f, NULL, now + 60), 2);
	assert_int_equal(run_due(f, other, now + 120), 2);
	db_close(other);
	outbox(f->db, m, 16);
	assert_string_equal(m[0].trigger, "report.due");
	assert_string_equal(m[0].to, "control-buzon@x.pe");
	assert_non_null(strstr(m[0].subject, "INOP-2026-000001"));
	assert_non_null(strstr(m[0].text, "02/12/2026"));
	assert_non_null(strstr(m[1].subject, "INOP-2026-000002"));
	assert_non_null(strstr(m[1].text, "03/12/2026"));
	/* The next day the third one is due in 1 business day. */
	assert_int_equal(run_due(f, NULL, lima(2026, 12, 3, 9, 0)), 3);
	notify_setup(NULL);
}

/* An extra non-working day pushes the deadline: no reminder yet. */
static void test_n2_report_due_counts_extra_days(void **state)
{
	struct fixture *f = *state;
	struct extra_day d = {0};
	struct inop_err e;

	mail_setup();
	event_add(f, "ALTAS", lima(2026, 11, 30, 10, 0),
		  "SIN_FLUIDO_ELECTRICO"); /* due Thu 3, or Fri 4 */
	snprintf(d.date, sizeof(d.date), "2026-12-02");
	snprintf(d.name, sizeof(d.name), "Día no laborable");
	assert_int_equal(store_extra_day_add(f->db, &d, &f->admin, 1, &e), 0);
	assert_int_equal(run_due(f, NULL, lima(2026, 12, 1, 9, 0)), 0);
	assert_int_equal(run_due(f, NULL, lima(2026, 12, 3, 9, 0)), 1);
	notify_setup(NULL);
}

/* O3: the deadline is met by the Director's approval (hand-over). */
static void test_o3_handed_over_at_the_directors_approval(void **state)
{
	struct report_step t[3];

	(void)state;
	memset(t, 0, sizeof(t));
	snprintf(t[0].to, sizeof(t[0].to), "EN_REVISION");
	t[0].at = 10;
	snprintf(t[1].to, sizeof(t[1].to), "APROBADO_GERENTE");
	t[1].at = 20;
	snprintf(t[2].to, sizeof(t[2].to), "APROBADO_DIRECTOR");
	t[2].at = 30;
	assert_int_equal(report_handed_over_at(REPORT_APROBADO_GERENTE, t, 2),
			 0);
	assert_int_equal(report_handed_over_at(REPORT_APROBADO_DIRECTOR, t, 3),
			 30);
	assert_int_equal(report_handed_over_at(REPORT_ENVIADO, t, 3), 30);
	/* sent back to BORRADOR: not handed over any more */
	assert_int_equal(report_handed_over_at(REPORT_BORRADOR, t, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_o2_the_chain_in_order_with_the_right_roles),
		cmocka_unit_test(test_o2_wrong_role_is_403),
		cmocka_unit_test(test_o2_out_of_order_is_409),
		cmocka_unit_test(test_o2_send_back_needs_a_comment),
		cmocka_unit_test(
			test_o2_sending_needs_reference_and_a_past_date),
		cmocka_unit_test(test_o2_next_statuses_and_trail_roles),
		cmocka_unit_test(test_o1_period_is_ordered_and_at_most_a_year),
		cmocka_unit_test(test_o4_row_has_the_columns_as_names),
		cmocka_unit_test(test_o4_row_evaluation_e1_e4),
		cmocka_unit_test(
			test_o3_handed_over_at_the_directors_approval),
		cmocka_unit_test(test_o3_report_due_counts_extra_days),
		cmocka_unit_test(test_o2_snapshot_round_trip_and_hash),
		cmocka_unit_test(test_o4_packed_rows_round_trip),
		cmocka_unit_test(test_o2_snapshot_read_is_json_not_a_layout),
		cmocka_unit_test(test_o4_csv_is_rfc4180),
		cmocka_unit_test_setup_teardown(
			test_o1_report_holds_closed_reportable_events, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_o2_frozen_report_does_not_follow_its_events,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_o1_sent_and_frozen_events_are_not_taken_again,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_o2_store_refuses_wrong_role_and_order, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_d1_store_calendar_reloads_when_admin_changes_it,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_n2_report_mails_whoever_acts_next, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_n2_report_due_in_one_business_day_mails_once,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_n2_report_due_counts_extra_days, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
