/*
 * The registration and closure rules of SPEC sections 5 and 7, tested on
 * the pure domain functions: no server, no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/catalog.h"
#include "domain/event.h"
#include "domain/event_json.h"
#include "domain/roles.h"
#include "util/embed.h"
#include "util/jsontext.h"

#define NOW 1795000000 /* 2026-11-18T08:26:40Z */

static struct catalog cat;

static int setup(void **state)
{
	const struct inop_embedded *f = embed_find("data/catalog.json");

	(void)state;
	assert_non_null(f);
	return catalog_from_json(&cat, (const char *)f->data);
}

static int teardown(void **state)
{
	(void)state;
	catalog_release(&cat);
	return 0;
}

/* A valid unforeseen-event registration by the point's JEFE. */
static void valid_event(struct event *ev, struct rule_ctx *ctx)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->point.code, sizeof(ev->point.code), "CAC-1");
	snprintf(ev->procedure, sizeof(ev->procedure), "CONSULTAS");
	codes_add(&ev->requests, "MIGRACION_PLAN");
	codes_add(&ev->applications, "SIAC_UNICO");
	snprintf(ev->scenario, sizeof(ev->scenario), "EVENTO_NO_PREVISTO");
	snprintf(ev->cause, sizeof(ev->cause), "CORTE_LUZ");
	snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
	ev->started_at = NOW - 600;
	ev->attest_total = 1;
	ev->open = 1;
	*ctx = (struct rule_ctx){.roles = ROLE_JEFE,
				 .jefe_of_point = 1,
				 .point_active = 1,
				 .now = NOW};
}

static void expect_refusal(const struct event *ev, const struct rule_ctx *ctx,
			   int status, const char *code, const char *field)
{
	struct inop_err e = {0};

	assert_int_equal(registration_check(&cat, ctx, ev, &e), -1);
	assert_int_equal(e.status, status);
	assert_string_equal(e.code, code);
	if (field)
		assert_string_equal(e.field, field);
	assert_true(strlen(e.message) > 10);
}

static void test_valid_registration_passes(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
}

static void test_r1_jefe_of_another_point_is_403(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ctx.jefe_of_point = 0;
	expect_refusal(&ev, &ctx, 403, "FORBIDDEN", "point");
}

static void test_r1_other_roles_are_403(void **state)
{
	static const unsigned roles[] = {ROLE_CONTROL, ROLE_SOPORTE,
					 ROLE_FALLAS, ROLE_ADMIN};
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		valid_event(&ev, &ctx);
		ctx.roles = roles[i];
		/* Assigned to the point, but not a JEFE: still refused. */
		expect_refusal(&ev, &ctx, 403, "FORBIDDEN", NULL);
	}
}

static void test_r1_jefe_may_not_register_prueba(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.scenario, sizeof(ev.scenario), "PRUEBA");
	ev.cause[0] = '\0';
	expect_refusal(&ev, &ctx, 403, "FORBIDDEN", "scenario");
}

static void test_r1_admin_registers_prueba_only(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	ctx.roles = ROLE_ADMIN;
	ctx.jefe_of_point = 0;
	snprintf(ev.scenario, sizeof(ev.scenario), "PRUEBA");
	ev.cause[0] = '\0';
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
}

static void test_r2_not_regulated_request_is_422(void **state)
{
	static const char *const bad[] = {"PAGO", "FALLA_EQUIPO_TERMINAL",
					  "FINANCIAMIENTO_DEUDA", "INVENTADO"};
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		valid_event(&ev, &ctx);
		codes_add(&ev.requests, bad[i]);
		expect_refusal(&ev, &ctx, 422, "NOT_REGULATED", "requests");
	}
}

static void test_r2_request_of_another_type_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	codes_add(&ev.requests, "RECLAMO");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "requests");
}

static void test_r2_no_request_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ev.requests.n = 0;
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "requests");
}

static void test_r3_merge_adds_requests_without_duplicates(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct codes more = {0};
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	codes_add(&more, "BLOQUEO_DESBLOQUEO_LINEA_EQUIPO");
	codes_add(&more, "MIGRACION_PLAN");
	assert_int_equal(requests_merge(&cat, &ctx, &ev, &more, &e), 0);
	assert_int_equal(ev.requests.n, 2);
	assert_string_equal(ev.requests.v[0], "MIGRACION_PLAN");
	assert_string_equal(ev.requests.v[1],
			    "BLOQUEO_DESBLOQUEO_LINEA_EQUIPO");
}

static void test_r3_merge_on_closed_event_is_409(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct codes more = {0};
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	ev.open = 0;
	codes_add(&more, "CAMBIO_NOMBRE");
	assert_int_equal(requests_merge(&cat, &ctx, &ev, &more, &e), -1);
	assert_int_equal(e.status, 409);
	assert_string_equal(e.code, "ALREADY_CLOSED");
	assert_int_equal(ev.requests.n, 1);
}

static void test_r3_merge_checks_r2(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct codes more = {0};
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	codes_add(&more, "PAGO");
	assert_int_equal(requests_merge(&cat, &ctx, &ev, &more, &e), -1);
	assert_string_equal(e.code, "NOT_REGULATED");
	assert_int_equal(ev.requests.n, 1);
}

static void test_r4_sicar_needs_sisact(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	ev.applications.n = 0;
	codes_add(&ev.applications, "SICAR");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "applications");
	codes_add(&ev.applications, "SIAC_UNICO");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "applications");
	codes_add(&ev.applications, "SISACT_PREPAGO");
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
}

static void test_r4_no_or_unknown_application_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ev.applications.n = 0;
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "applications");
	codes_add(&ev.applications, "EXCEL");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "applications");
}

static void test_r5_without_attestation_is_not_inoperability(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ev.attest_total = 0;
	expect_refusal(&ev, &ctx, 422, "NOT_INOPERABILITY", "attest_total");
}

static void test_r6_falla_masiva_needs_confirmed_failure(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.scenario, sizeof(ev.scenario), "FALLA_MASIVA");
	ev.cause[0] = '\0';
	expect_refusal(&ev, &ctx, 422, "NO_MASS_FAILURE", "mass_failure_id");
	ctx.mass_failure_ok = 1;
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
}

static void test_r6_unforeseen_event_needs_its_cause(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ev.cause[0] = '\0';
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "cause");
	/* A cause of another scenario is not accepted either. */
	snprintf(ev.cause, sizeof(ev.cause), "MANTENIMIENTO_APLICATIVOS");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "cause");
}

static void test_r7_start_in_the_future_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	ev.started_at = NOW + 4 * 60; /* within the 5 minutes of skew */
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
	ev.started_at = NOW + 6 * 60;
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "started_at");
}

static void test_r7_manual_origin_needs_form_reference(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.origin, sizeof(ev.origin), "MANUAL");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "manual_form_ref");
	snprintf(ev.manual_form_ref, sizeof(ev.manual_form_ref), "FM-1");
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
	snprintf(ev.origin, sizeof(ev.origin), "PAPEL");
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "origin");
}

static void test_r8_number_format(void **state)
{
	char n[24];

	(void)state;
	assert_int_equal(event_number_format(n, 2026, 12), 0);
	assert_string_equal(n, "INOP-2026-000012");
	assert_int_equal(event_number_format(n, 2027, 999999), 0);
	assert_string_equal(n, "INOP-2027-999999");
	assert_int_equal(event_number_format(n, 2027, 1000000), -1);
	assert_int_equal(event_number_format(n, 2027, 0), -1);
}

static void expect_close(const struct event *ev, unsigned roles, int jefe,
			 const char *reason, const char *just, int64_t end,
			 int status, const char *code)
{
	struct rule_ctx ctx = {.roles = roles,
			       .jefe_of_point = jefe,
			       .point_active = 1,
			       .now = NOW};
	struct inop_err e = {0};
	int rc = closure_check(&cat, &ctx, ev, reason, just, end, &e);

	if (!status) {
		assert_int_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, -1);
	assert_int_equal(e.status, status);
	assert_string_equal(e.code, code);
}

static void test_c1_unforeseen_event_closed_by_point_jefe(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	expect_close(&ev, ROLE_JEFE, 1, "SIN_FLUIDO_ELECTRICO", "", NOW, 0,
		     NULL);
	expect_close(&ev, ROLE_JEFE, 0, "SIN_FLUIDO_ELECTRICO", "", NOW, 403,
		     "FORBIDDEN");
	expect_close(&ev, ROLE_CONTROL, 0, "ERROR_USUARIO",
		     "registrado por error", NOW, 403, "FORBIDDEN");
}

/* C1: SOPORTE's daily review closes any open event, and any as a mistake. */
static void test_c1_soporte_daily_review_closes_any_open_event(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	expect_close(&ev, ROLE_SOPORTE, 0, "SIN_FLUIDO_ELECTRICO", "", NOW, 0,
		     NULL);
	expect_close(&ev, ROLE_SOPORTE, 0, "ERROR_USUARIO",
		     "Registro de prueba del punto", NOW, 0, NULL);
	/* still a reason of the event's scenario */
	expect_close(&ev, ROLE_SOPORTE, 0, "FALLA_MASIVA_APLICATIVO", "", NOW,
		     422, "REASON_NOT_ALLOWED");
}

static void test_c1_mass_failure_event_closed_by_soporte(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.scenario, sizeof(ev.scenario), "FALLA_MASIVA");
	expect_close(&ev, ROLE_SOPORTE, 0, "FALLA_MASIVA_APLICATIVO", "", NOW,
		     0, NULL);
	/* The point's JEFE only as a mistake. */
	expect_close(&ev, ROLE_JEFE, 1, "FALLA_MASIVA_APLICATIVO", "", NOW,
		     403, "FORBIDDEN");
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO",
		     "Registrado por error en el punto", NOW, 0, NULL);
	expect_close(&ev, ROLE_SOPORTE, 0, "ERROR_USUARIO",
		     "Era una prueba de la mesa", NOW, 0, NULL);
}

static void test_c1_prueba_closed_as_error_usuario(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	const char *j = "Prueba del área autorizada";

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.scenario, sizeof(ev.scenario), "PRUEBA");
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO", j, NOW, 0, NULL);
	expect_close(&ev, ROLE_ADMIN, 0, "ERROR_USUARIO", j, NOW, 0, NULL);
	expect_close(&ev, ROLE_SOPORTE, 0, "ERROR_USUARIO", j, NOW, 0, NULL);
	expect_close(&ev, ROLE_CONTROL, 0, "ERROR_USUARIO", j, NOW, 403,
		     "FORBIDDEN");
}

static void test_c2_reason_not_allowed_for_scenario_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	expect_close(&ev, ROLE_JEFE, 1, "INTERMITENCIA", "", NOW, 422,
		     "REASON_NOT_ALLOWED");
	expect_close(&ev, ROLE_JEFE, 1, "FALLA_MASIVA_APLICATIVO", "", NOW,
		     422, "REASON_NOT_ALLOWED");
	expect_close(&ev, ROLE_JEFE, 1, "NO_EXISTE", "", NOW, 422,
		     "REASON_NOT_ALLOWED");
	snprintf(ev.scenario, sizeof(ev.scenario), "PRUEBA");
	expect_close(&ev, ROLE_ADMIN, 0, "INFRAESTRUCTURA_PUNTO", "", NOW, 422,
		     "REASON_NOT_ALLOWED");
}

static void test_c2_error_usuario_needs_10_char_justification(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO", "", NOW, 422,
		     "VALIDATION");
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO", "123456789", NOW, 422,
		     "VALIDATION");
	/* Characters, not bytes: nine accented letters are still 9. */
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO", "ááááááááá", NOW, 422,
		     "VALIDATION");
	expect_close(&ev, ROLE_JEFE, 1, "ERROR_USUARIO", "1234567890", NOW, 0,
		     NULL);
}

static void test_c3_end_before_start_or_future_is_422(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	expect_close(&ev, ROLE_JEFE, 1, "SIN_FLUIDO_ELECTRICO", "",
		     ev.started_at - 1, 422, "VALIDATION");
	expect_close(&ev, ROLE_JEFE, 1, "SIN_FLUIDO_ELECTRICO", "",
		     NOW + 6 * 60, 422, "VALIDATION");
	expect_close(&ev, ROLE_JEFE, 1, "SIN_FLUIDO_ELECTRICO", "",
		     ev.started_at, 0, NULL);
}

static void test_c3_closed_event_is_never_closed_again(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	ev.open = 0;
	expect_close(&ev, ROLE_JEFE, 1, "SIN_FLUIDO_ELECTRICO", "", NOW, 409,
		     "ALREADY_CLOSED");
}

static void test_c4_reportable(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "SIN_FLUIDO_ELECTRICO");
	assert_true(event_reportable(&ev));
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "ERROR_USUARIO");
	assert_false(event_reportable(&ev));
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "INTERMITENCIA");
	assert_false(event_reportable(&ev));
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "FALLA_MASIVA_APLICATIVO");
	assert_true(event_reportable(&ev));
	ev.ruled_out = 1;
	assert_false(event_reportable(&ev));
	ev.ruled_out = 0;
	snprintf(ev.scenario, sizeof(ev.scenario), "PRUEBA");
	assert_false(event_reportable(&ev));
}

static void test_o3_report_due_is_end_day_plus_3_business_days(void **s)
{
	struct event ev;
	struct rule_ctx ctx;
	struct cal_date due;
	char d[11];
	int64_t end;

	(void)s;
	valid_event(&ev, &ctx);
	assert_int_equal(event_report_due(&ev, NULL, &due), 0); /* open */
	/* Ends Thu 2026-12-24 23:30 Lima = 04:30Z on the 25th. */
	assert_int_equal(cal_parse_rfc3339("2026-12-24T23:30:00-05:00", &end),
			 0);
	ev.open = 0;
	ev.ended_at = end;
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(event_report_due(&ev, NULL, &due), 1);
	cal_format_date(due, d);
	assert_string_equal(d, "2026-12-30"); /* 28, 29, 30 */
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "ERROR_USUARIO");
	assert_int_equal(event_report_due(&ev, NULL, &due), 0);
}

/* jansson's audit text of ev: event_to_json without report_due, dumped
 * compact with sorted keys, as the audit records of events were. */
static char *jansson_audit_text(const struct event *ev)
{
	json_t *o = event_to_json(ev, NULL);
	char *s;

	json_object_del(o, "report_due");
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* The test's texts that may not be UTF-8: the point's name and the
 * description. */
static int utf8_ok(const struct event *ev)
{
	return json_text_valid(ev->point.name) &&
	       json_text_valid(ev->description);
}

static void assert_same_audit_text(const struct event *ev)
{
	char *want = jansson_audit_text(ev), *got = event_audit_text(ev);
	json_t *o = event_to_json(ev, NULL);

	assert_non_null(want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(want);
	free(got);
	/* The API's object, report_due included, as the reply writes it;
	 * NULL for text that is not UTF-8 (replied through jansson). */
	want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	got = event_json_text(ev, NULL);
	assert_non_null(want);
	if (utf8_ok(ev)) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
	free(want);
	free(got);
}

/* A1: an event's audit record is written without jansson values, byte
 * for byte what jansson wrote: open and closed, every optional field
 * empty and set, escapes, non-ASCII text, MANUAL with its delay, and
 * text that is not UTF-8. */
static void test_a1_event_audit_text_is_janssons(void **state)
{
	struct event ev;
	struct rule_ctx ctx;

	(void)state;
	valid_event(&ev, &ctx);
	assert_same_audit_text(&ev);
	ev.id = 9007199254740993LL;
	snprintf(ev.number, sizeof(ev.number), "INOP-2026-000123");
	snprintf(ev.point.name, sizeof(ev.point.name),
		 "Tienda \"Señor\" de Luren \\ Ica\t/\x01\x1f ñandú €😀");
	snprintf(ev.description, sizeof(ev.description),
		 "línea 1\nlínea 2\r\b\f \"comillas\" \\ </script>");
	snprintf(ev.cause, sizeof(ev.cause), "CORTE_ENERGIA");
	ev.mass_failure_id = 42;
	ev.requests.n = 0;
	assert_same_audit_text(&ev);
	ev.open = 0;
	ev.ended_at = ev.started_at + 3600;
	ev.ruled_out = 1;
	snprintf(ev.closure_reason, sizeof(ev.closure_reason),
		 "ERROR_USUARIO");
	snprintf(ev.justification, sizeof(ev.justification),
		 "El usuario digitó mal la clave");
	snprintf(ev.closed_by, sizeof(ev.closed_by), "soporte1");
	snprintf(ev.closed_by_name, sizeof(ev.closed_by_name),
		 "Soporte Ñuñoa");
	snprintf(ev.origin, sizeof(ev.origin), "MANUAL");
	snprintf(ev.manual_form_ref, sizeof(ev.manual_form_ref), "F-0001");
	snprintf(ev.late_justification, sizeof(ev.late_justification),
		 "Se cayó el sistema");
	ev.registered_at = ev.started_at + 7260;
	assert_same_audit_text(&ev);
	ev.registered_at = ev.started_at - 5; /* delay 0 */
	ev.registered_by[0] = ev.registered_by_name[0] = '\0';
	assert_same_audit_text(&ev);
	/* Text json_string() refuses (a point named through the CLI in
	 * Latin-1, say): left out, as jansson's values leave it out. */
	snprintf(ev.description, sizeof(ev.description), "mal \xc3\x28");
	assert_same_audit_text(&ev);
	snprintf(ev.point.name, sizeof(ev.point.name), "\xed\xa0\x80");
	assert_same_audit_text(&ev);
}

/* K2: a form older than the window is regularised by CONTROL. */
static void test_k2_older_form_is_regularised_by_control(void **state)
{
	struct event ev;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	valid_event(&ev, &ctx);
	snprintf(ev.origin, sizeof(ev.origin), "MANUAL");
	snprintf(ev.manual_form_ref, sizeof(ev.manual_form_ref), "FM-1");
	ev.started_at = NOW - 10 * 86400;
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
	ctx.manual_max_age_s = 7 * 86400; /* the window is configurable */
	expect_refusal(&ev, &ctx, 422, "MANUAL_TOO_OLD", "started_at");
	ctx.roles = ROLE_CONTROL;
	ctx.jefe_of_point = 0;
	expect_refusal(&ev, &ctx, 422, "VALIDATION", "late_justification");
	snprintf(ev.late_justification, sizeof(ev.late_justification),
		 "Llegó por valija");
	assert_int_equal(registration_check(&cat, &ctx, &ev, &e), 0);
	/* within the window, or live, it is the JEFE's */
	ev.started_at = NOW - 86400;
	expect_refusal(&ev, &ctx, 403, "FORBIDDEN", "point");
}

/* Section 4: a retired entry stays on old records, refused on new ones. */
static void test_catalog_retired_entry_is_refused_on_new_records(void **state)
{
	struct cat_item *cause = (struct cat_item *)catalog_find(
		&cat, "cause", "EVENTO_NO_PREVISTO", "CORTE_LUZ");
	struct cat_item *reason = (struct cat_item *)catalog_find(
		&cat, "closure_reason", "", "SIN_FLUIDO_ELECTRICO");

	(void)state;
	assert_non_null(cause);
	assert_non_null(reason);
	assert_true(
		catalog_cause_usable(&cat, "EVENTO_NO_PREVISTO", "CORTE_LUZ"));
	assert_false(catalog_cause_usable(&cat, "FALLA_MASIVA", "CORTE_LUZ"));
	assert_true(catalog_reason_usable(&cat, "EVENTO_NO_PREVISTO",
					  "SIN_FLUIDO_ELECTRICO"));
	assert_false(catalog_reason_usable(&cat, "FALLA_MASIVA",
					   "SIN_FLUIDO_ELECTRICO"));
	cause->active = 0;
	reason->active = 0;
	assert_false(
		catalog_cause_usable(&cat, "EVENTO_NO_PREVISTO", "CORTE_LUZ"));
	assert_false(catalog_reason_usable(&cat, "EVENTO_NO_PREVISTO",
					   "SIN_FLUIDO_ELECTRICO"));
	/* still found by name for the old records */
	assert_non_null(catalog_find(&cat, "cause", NULL, "CORTE_LUZ"));
	cause->active = 1;
	reason->active = 1;
}

/*
 * Section 4 as the seed's catalogue has it: a closure reason may be
 * allowed in several scenarios (ERROR_USUARIO in all three); taken out of
 * one, it is refused there on new closures and still allowed elsewhere.
 */
static void test_catalog_reason_in_several_scenarios(void **state)
{
	struct cat_item *link = (struct cat_item *)catalog_find(
		&cat, "scenario_reason", "FALLA_MASIVA", "ERROR_USUARIO");
	struct codes sc, bad = {0};
	struct inop_err e;

	(void)state;
	catalog_reason_scenarios(&cat, "ERROR_USUARIO", &sc);
	assert_int_equal(sc.n, 3);
	assert_true(codes_contains(&sc, "FALLA_MASIVA"));
	assert_true(codes_contains(&sc, "EVENTO_NO_PREVISTO"));
	assert_true(codes_contains(&sc, "PRUEBA"));
	assert_non_null(link);
	link->active = 0;
	assert_false(
		catalog_reason_usable(&cat, "FALLA_MASIVA", "ERROR_USUARIO"));
	assert_true(catalog_reason_usable(&cat, "EVENTO_NO_PREVISTO",
					  "ERROR_USUARIO"));
	catalog_reason_scenarios(&cat, "ERROR_USUARIO", &sc);
	assert_int_equal(sc.n, 2);
	assert_false(codes_contains(&sc, "FALLA_MASIVA"));
	link->active = 1;
	assert_int_equal(catalog_scenarios_check(&cat, &sc, &e), 0);
	assert_int_equal(catalog_scenarios_check(&cat, &bad, &e), -1);
	assert_string_equal(e.field, "scenarios");
	assert_int_equal(codes_add(&bad, "NO_EXISTE"), 0);
	assert_int_equal(catalog_scenarios_check(&cat, &bad, &e), -1);
	assert_int_equal(e.status, 422);
}

static void test_catalog_entry_codes_are_new_and_well_formed(void **state)
{
	struct inop_err e;

	(void)state;
	assert_int_equal(catalog_entry_check(&cat, "cause", "CAIDA_ENLACE",
					     "Caída del enlace",
					     "EVENTO_NO_PREVISTO", &e),
			 0);
	assert_int_equal(catalog_entry_check(&cat, "cause", "CORTE_LUZ",
					     "Otro nombre",
					     "EVENTO_NO_PREVISTO", &e),
			 -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(catalog_entry_check(&cat, "cause", "minúsculas",
					     "Nombre", "EVENTO_NO_PREVISTO",
					     &e),
			 -1);
	assert_string_equal(e.field, "code");
	assert_int_equal(catalog_entry_check(&cat, "closure_reason", "NUEVO",
					     "N", "EVENTO_NO_PREVISTO", &e),
			 -1);
	assert_string_equal(e.field, "name");
	assert_int_equal(catalog_entry_check(&cat, "closure_reason", "NUEVO",
					     "Nuevo", "NO_EXISTE", &e),
			 -1);
	assert_string_equal(e.field, "scenario");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_registration_passes),
		cmocka_unit_test(test_r1_jefe_of_another_point_is_403),
		cmocka_unit_test(test_r1_other_roles_are_403),
		cmocka_unit_test(test_r1_jefe_may_not_register_prueba),
		cmocka_unit_test(test_r1_admin_registers_prueba_only),
		cmocka_unit_test(test_r2_not_regulated_request_is_422),
		cmocka_unit_test(test_r2_request_of_another_type_is_422),
		cmocka_unit_test(test_r2_no_request_is_422),
		cmocka_unit_test(
			test_r3_merge_adds_requests_without_duplicates),
		cmocka_unit_test(test_r3_merge_on_closed_event_is_409),
		cmocka_unit_test(test_r3_merge_checks_r2),
		cmocka_unit_test(test_r4_sicar_needs_sisact),
		cmocka_unit_test(test_r4_no_or_unknown_application_is_422),
		cmocka_unit_test(
			test_r5_without_attestation_is_not_inoperability),
		cmocka_unit_test(test_r6_falla_masiva_needs_confirmed_failure),
		cmocka_unit_test(test_r6_unforeseen_event_needs_its_cause),
		cmocka_unit_test(test_r7_start_in_the_future_is_422),
		cmocka_unit_test(test_r7_manual_origin_needs_form_reference),
		cmocka_unit_test(test_r8_number_format),
		cmocka_unit_test(
			test_c1_unforeseen_event_closed_by_point_jefe),
		cmocka_unit_test(test_c1_mass_failure_event_closed_by_soporte),
		cmocka_unit_test(
			test_c1_soporte_daily_review_closes_any_open_event),
		cmocka_unit_test(test_c1_prueba_closed_as_error_usuario),
		cmocka_unit_test(
			test_c2_reason_not_allowed_for_scenario_is_422),
		cmocka_unit_test(
			test_c2_error_usuario_needs_10_char_justification),
		cmocka_unit_test(test_c3_end_before_start_or_future_is_422),
		cmocka_unit_test(test_c3_closed_event_is_never_closed_again),
		cmocka_unit_test(test_c4_reportable),
		cmocka_unit_test(
			test_o3_report_due_is_end_day_plus_3_business_days),
		cmocka_unit_test(test_k2_older_form_is_regularised_by_control),
		cmocka_unit_test(test_a1_event_audit_text_is_janssons),
		cmocka_unit_test(
			test_catalog_retired_entry_is_refused_on_new_records),
		cmocka_unit_test(
			test_catalog_entry_codes_are_new_and_well_formed),
		cmocka_unit_test(test_catalog_reason_in_several_scenarios),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
