/*
 * The mass-failure rules of SPEC M1-M3 and the coverage test of R6, on the
 * pure domain functions: no server, no database.
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
#include "domain/mass_failure.h"
#include "domain/mass_failure_json.h"
#include "domain/roles.h"
#include "util/embed.h"

#define NOW 1795000000 /* 2026-11-18T08:26:40Z */

static const struct actor FALLAS = {.id = 2,
				    .username = "fallas",
				    .name = "Mesa de Fallas",
				    .roles = ROLE_FALLAS};
static const struct actor SOPORTE = {.id = 3,
				     .username = "soporte",
				     .name = "Arles Melgarejo",
				     .roles = ROLE_SOPORTE};
static struct catalog cat;
static struct mf_alert *alert;
static struct mass_failure *mf;

static int setup(void **state)
{
	const struct inop_embedded *f = embed_find("data/catalog.json");

	(void)state;
	assert_non_null(f);
	alert = malloc(sizeof(*alert));
	mf = malloc(sizeof(*mf));
	assert_non_null(alert);
	assert_non_null(mf);
	return catalog_from_json(&cat, (const char *)f->data);
}

static int teardown(void **state)
{
	(void)state;
	catalog_release(&cat);
	free(alert);
	free(mf);
	return 0;
}

/* A valid alert by the point's JEFE, and a valid open failure. */
static struct mf_ctx fresh(void)
{
	memset(alert, 0, sizeof(*alert));
	snprintf(alert->source, sizeof(alert->source), "JEFE");
	snprintf(alert->point.code, sizeof(alert->point.code), "CAC-1");
	alert->point.id = 1;
	alert->id = 7;
	codes_add(&alert->applications, "SIAC_UNICO");
	alert->observed_at = NOW - 300;
	memset(mf, 0, sizeof(*mf));
	mf->id = 3;
	codes_add(&mf->applications, "SISACT");
	mf->started_at = NOW - 3600;
	snprintf(mf->cause, sizeof(mf->cause), "FALLA_MASIVA_APLICATIVO");
	mf->open = 1;
	return (struct mf_ctx){.roles = ROLE_JEFE,
			       .jefe_of_point = 1,
			       .point_active = 1,
			       .now = NOW};
}

static void expect_err(int rc, const struct inop_err *e, int status,
		       const char *code, const char *field)
{
	assert_int_equal(rc, -1);
	assert_int_equal(e->status, status);
	assert_string_equal(e->code, code);
	if (field)
		assert_string_equal(e->field, field);
}

static void test_m1_jefe_of_the_point_raises_an_alert(void **state)
{
	struct mf_ctx ctx = fresh();
	struct inop_err e;

	(void)state;
	assert_int_equal(alert_check(&cat, &ctx, alert, &e), 0);
	ctx.jefe_of_point = 0;
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 403, "FORBIDDEN",
		   "point");
	ctx = fresh();
	ctx.roles = ROLE_FALLAS;
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 403, "FORBIDDEN",
		   "point");
}

static void test_m1_alert_needs_known_applications_and_past_time(void **s)
{
	struct mf_ctx ctx = fresh();
	struct inop_err e;

	(void)s;
	alert->applications.n = 0;
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 422, "VALIDATION",
		   "applications");
	ctx = fresh();
	codes_add(&alert->applications, "SAP");
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 422, "VALIDATION",
		   "applications");
	ctx = fresh();
	alert->observed_at = NOW + 3600;
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 422, "VALIDATION",
		   "observed_at");
	ctx = fresh();
	ctx.point_active = 0;
	expect_err(alert_check(&cat, &ctx, alert, &e), &e, 422, "VALIDATION",
		   "point");
}

static void test_m2_confirm_into_existing_merges_applications(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	assert_int_equal(alert_confirm_into(alert, mf, &FALLAS, NOW, &e), 1);
	assert_int_equal(alert->status, ALERT_CONFIRMED);
	assert_int_equal(alert->mass_failure_id, 3);
	assert_string_equal(alert->decided_by, "fallas");
	assert_string_equal(alert->decided_by_name, "Mesa de Fallas");
	assert_true(codes_contains(&mf->applications, "SISACT"));
	assert_true(codes_contains(&mf->applications, "SIAC_UNICO"));
	/* Already covered: the failure does not grow. */
	fresh();
	codes_add(&mf->applications, "SIAC_UNICO");
	assert_int_equal(alert_confirm_into(alert, mf, &FALLAS, NOW, &e), 0);
}

static void test_m2_decided_alert_is_409(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	assert_int_equal(
		alert_discard(alert, "falso positivo", &FALLAS, NOW, &e), 0);
	assert_int_equal(alert->status, ALERT_DISCARDED);
	assert_string_equal(alert->discard_reason, "falso positivo");
	expect_err(alert_confirm_into(alert, mf, &FALLAS, NOW, &e), &e, 409,
		   "ALERT_NOT_PENDING", NULL);
	expect_err(alert_discard(alert, "otra vez", &FALLAS, NOW, &e), &e, 409,
		   "ALERT_NOT_PENDING", NULL);
}

static void test_m2_discard_needs_a_reason(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	expect_err(alert_discard(alert, "", &FALLAS, NOW, &e), &e, 422,
		   "VALIDATION", "reason");
	assert_int_equal(alert->status, ALERT_PENDING);
}

static void test_m2_confirm_into_closed_failure_is_409(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	mf->open = 0;
	expect_err(alert_confirm_into(alert, mf, &FALLAS, NOW, &e), &e, 409,
		   "MASS_FAILURE_CLOSED", "mass_failure_id");
	assert_int_equal(alert->status, ALERT_PENDING);
}

static void test_m2_new_failure_needs_a_mass_failure_cause(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	assert_int_equal(mass_failure_check(&cat, mf, NOW, &e), 0);
	mf->cause[0] = '\0';
	expect_err(mass_failure_check(&cat, mf, NOW, &e), &e, 422,
		   "VALIDATION", "cause");
	snprintf(mf->cause, sizeof(mf->cause), "CORTE_LUZ");
	expect_err(mass_failure_check(&cat, mf, NOW, &e), &e, 422,
		   "VALIDATION", "cause");
	fresh();
	mf->started_at = NOW + 3600;
	expect_err(mass_failure_check(&cat, mf, NOW, &e), &e, 422,
		   "VALIDATION", "started_at");
	fresh();
	mf->started_at = 0;
	expect_err(mass_failure_check(&cat, mf, NOW, &e), &e, 422,
		   "VALIDATION", "started_at");
	fresh();
	mf->applications.n = 0;
	expect_err(mass_failure_check(&cat, mf, NOW, &e), &e, 422,
		   "VALIDATION", "applications");
}

static void test_m3_close_sets_time_reason_and_who(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	assert_int_equal(mass_failure_close(&cat, mf,
					    "INCONVENIENTE_"
					    "CONECTIVIDAD",
					    NULL, NOW - 60, &SOPORTE, NOW, &e),
			 0);
	assert_false(mf->open);
	assert_int_equal(mf->ended_at, NOW - 60);
	assert_string_equal(mf->closure_reason, "INCONVENIENTE_CONECTIVIDAD");
	assert_string_equal(mf->closed_by, "soporte");
	assert_string_equal(mf->closed_by_name, "Arles Melgarejo");
	expect_err(mass_failure_close(&cat, mf, "INTERMITENCIA", NULL,
				      NOW - 60, &SOPORTE, NOW, &e),
		   &e, 409, "ALREADY_CLOSED", NULL);
}

static void test_m3_close_reason_and_times_are_checked(void **s)
{
	struct inop_err e;

	(void)s;
	fresh();
	expect_err(mass_failure_close(&cat, mf, "SIN_FLUIDO_ELECTRICO", NULL,
				      NOW - 60, &SOPORTE, NOW, &e),
		   &e, 422, "REASON_NOT_ALLOWED", "closure_reason");
	expect_err(mass_failure_close(&cat, mf, "ERROR_USUARIO", "corto",
				      NOW - 60, &SOPORTE, NOW, &e),
		   &e, 422, "VALIDATION", "justification");
	expect_err(mass_failure_close(&cat, mf, "INTERMITENCIA", NULL,
				      NOW - 7200, &SOPORTE, NOW, &e),
		   &e, 422, "VALIDATION", "ended_at");
	expect_err(mass_failure_close(&cat, mf, "INTERMITENCIA", NULL,
				      NOW + 3600, &SOPORTE, NOW, &e),
		   &e, 422, "VALIDATION", "ended_at");
	assert_true(mf->open);
	assert_int_equal(mass_failure_close(&cat, mf, "ERROR_USUARIO",
					    "Confirmada por error de Fallas",
					    NOW, &SOPORTE, NOW, &e),
			 0);
}

static void test_r6_open_failure_covers_one_of_the_applications(void **s)
{
	struct codes apps = {0};

	(void)s;
	fresh();
	codes_add(&apps, "SIAC_UNICO");
	assert_false(mass_failure_covers(mf, &apps));
	codes_add(&apps, "SISACT");
	assert_true(mass_failure_covers(mf, &apps));
	mf->open = 0;
	assert_false(mass_failure_covers(mf, &apps));
}

static void test_m2_json_shows_status_and_lima_times(void **s)
{
	json_t *o;

	(void)s;
	fresh();
	o = mass_failure_to_json(mf, 1);
	assert_string_equal(json_string_value(json_object_get(o, "status")),
			    "CONFIRMED");
	assert_string_equal(
		json_string_value(json_object_get(o, "started_at")),
		"2026-11-18T05:06:40-05:00");
	assert_non_null(json_object_get(o, "open_events"));
	json_decref(o);
	o = alert_to_json(alert);
	assert_string_equal(json_string_value(json_object_get(o, "status")),
			    "PENDING");
	assert_true(json_is_null(json_object_get(o, "mass_failure_id")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_m1_jefe_of_the_point_raises_an_alert),
		cmocka_unit_test(
			test_m1_alert_needs_known_applications_and_past_time),
		cmocka_unit_test(
			test_m2_confirm_into_existing_merges_applications),
		cmocka_unit_test(test_m2_decided_alert_is_409),
		cmocka_unit_test(test_m2_discard_needs_a_reason),
		cmocka_unit_test(test_m2_confirm_into_closed_failure_is_409),
		cmocka_unit_test(
			test_m2_new_failure_needs_a_mass_failure_cause),
		cmocka_unit_test(test_m3_close_sets_time_reason_and_who),
		cmocka_unit_test(test_m3_close_reason_and_times_are_checked),
		cmocka_unit_test(
			test_r6_open_failure_covers_one_of_the_applications),
		cmocka_unit_test(test_m2_json_shows_status_and_lima_times),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
