/*
 * Control and contingency as pure functions: E1, E2, the V1 checks, the
 * V3 ruling and its escalation decision, T1 and K2.  No database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/catalog.h"
#include "domain/critical.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "domain/manual_form.h"
#include "domain/processes.h"
#include "domain/roles.h"
#include "util/embed.h"

#define NOW 1795000000 /* 2026-11-18T08:26:40Z */
#define H   3600

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

/* An event at a store, open since start; end 0 keeps it open. */
static void event_at(struct event *ev, const char *scenario, int64_t start,
		     int64_t end, const char *reason)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->number, sizeof(ev->number), "INOP-2026-000001");
	snprintf(ev->point.code, sizeof(ev->point.code), "CAC-1");
	snprintf(ev->point.channel, sizeof(ev->point.channel), "PRESENCIAL");
	snprintf(ev->scenario, sizeof(ev->scenario), "%s", scenario);
	snprintf(ev->origin, sizeof(ev->origin), "SISTEMA");
	snprintf(ev->registered_by, sizeof(ev->registered_by), "jefe");
	ev->started_at = start;
	ev->registered_at = start;
	ev->ended_at = end;
	ev->open = end == 0;
	if (reason)
		snprintf(ev->closure_reason, sizeof(ev->closure_reason), "%s",
			 reason);
}

/* ---------- E1 ---------- */

/* A failure of `app` over [start, end]. */
static void failure_at(struct e1_failure *f, int64_t id, const char *app,
		       int64_t start, int64_t end)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	codes_add(&f->applications, app);
	f->span = (struct time_span){start, end};
}

static void test_e1_unforeseen_event_inside_a_failure_is_dentro(void **state)
{
	struct event ev;
	struct e1_failure f[2];

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - H,
		 "SIN_FLUIDO_ELECTRICO");
	codes_add(&ev.applications, "SIAC_UNICO");
	failure_at(&f[0], 1, "SGA", NOW - 10 * H, 0);
	failure_at(&f[1], 2, "SIAC_UNICO", NOW - 3 * H, 0);
	assert_false(e1_failure_counts(&ev, &f[0], NOW));
	assert_true(e1_failure_counts(&ev, &f[1], NOW));
	assert_ptr_equal(e1_window(&ev, f, 2, NOW), &f[1].span);
	assert_int_equal(evaluation_e1(&ev, e1_window(&ev, f, 2, NOW), NOW),
			 E1_DENTRO);
}

static void
test_e1_unforeseen_event_outside_every_failure_is_fuera(void **state)
{
	struct event ev;
	struct e1_failure f[2];

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 4 * H, NOW - H,
		 "SIN_FLUIDO_ELECTRICO");
	codes_add(&ev.applications, "SIAC_UNICO");
	/* overlaps but started after the event: listed, yet FUERA */
	failure_at(&f[0], 1, "SIAC_UNICO", NOW - 3 * H, NOW - 2 * H);
	/* ended before the event started: not even listed */
	failure_at(&f[1], 2, "SIAC_UNICO", NOW - 9 * H, NOW - 5 * H);
	assert_true(e1_failure_counts(&ev, &f[0], NOW));
	assert_false(e1_failure_counts(&ev, &f[1], NOW));
	assert_null(e1_window(&ev, f, 2, NOW));
	assert_int_equal(evaluation_e1(&ev, NULL, NOW), E1_FUERA);
	/* a mass-failure event weighs its own failure only */
	event_at(&ev, "FALLA_MASIVA", NOW - 2 * H, NOW - H, "INTERMITENCIA");
	codes_add(&ev.applications, "SIAC_UNICO");
	ev.mass_failure_id = 2;
	failure_at(&f[0], 1, "SIAC_UNICO", NOW - 3 * H, 0);
	assert_null(e1_window(&ev, f, 1, NOW));
}

static void test_e1_inside_a_closed_failure_is_dentro(void **state)
{
	struct event ev;
	struct time_span mf = {NOW - 5 * H, NOW - H};

	(void)state;
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, NOW - 2 * H,
		 "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, &mf, NOW), E1_DENTRO);
	/* the same instants at both ends are still inside */
	event_at(&ev, "FALLA_MASIVA", NOW - 5 * H, NOW - H, "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, &mf, NOW), E1_DENTRO);
	assert_string_equal(e1_code(E1_DENTRO), "DENTRO");
}

static void test_e1_starting_before_or_ending_after_is_fuera(void **state)
{
	struct event ev;
	struct time_span mf = {NOW - 5 * H, NOW - H};

	(void)state;
	event_at(&ev, "FALLA_MASIVA", NOW - 5 * H - 60, NOW - 2 * H,
		 "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, &mf, NOW), E1_FUERA);
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, NOW - H + 60,
		 "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, &mf, NOW), E1_FUERA);
	assert_string_equal(e1_code(E1_FUERA), "FUERA");
}

static void test_e1_an_open_failure_runs_to_now(void **state)
{
	struct event ev;
	struct time_span open_mf = {NOW - 5 * H, 0};
	struct time_span closed_mf = {NOW - 5 * H, NOW - H};

	(void)state;
	/* open event, open failure: both end now */
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, 0, NULL);
	assert_int_equal(evaluation_e1(&ev, &open_mf, NOW), E1_DENTRO);
	/* closed event in an open failure */
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, NOW - 60, "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, &open_mf, NOW), E1_DENTRO);
	/* an event still open after its failure closed runs past it */
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, 0, NULL);
	assert_int_equal(evaluation_e1(&ev, &closed_mf, NOW), E1_FUERA);
}

static void
test_e1_mass_failure_event_without_known_failure_is_fuera(void **state)
{
	struct event ev;

	(void)state;
	event_at(&ev, "FALLA_MASIVA", NOW - 4 * H, NOW - H, "INTERMITENCIA");
	assert_int_equal(evaluation_e1(&ev, NULL, NOW), E1_FUERA);
}

/* ---------- E2 ---------- */

static void test_e2_minutes_over_1h_and_reason(void **state)
{
	struct event ev;
	struct e2_result e2;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - 2 * H + 3599,
		 "SIN_FLUIDO_ELECTRICO");
	evaluation_e2(&ev, NOW, &e2);
	assert_int_equal(e2.minutes, 59); /* whole minutes */
	assert_false(e2.over_1h);
	assert_false(e2.ongoing);
	assert_string_equal(e2.closure_reason, "SIN_FLUIDO_ELECTRICO");
	ev.ended_at = ev.started_at + 3600;
	evaluation_e2(&ev, NOW, &e2);
	assert_false(e2.over_1h); /* exactly one hour is not over */
	ev.ended_at = ev.started_at + 3601;
	evaluation_e2(&ev, NOW, &e2);
	assert_true(e2.over_1h);
	assert_int_equal(e2.minutes, 60);
}

static void test_e2_open_event_counts_to_now(void **state)
{
	struct event ev;
	struct e2_result e2;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 90 * 60 - 30, 0, NULL);
	evaluation_e2(&ev, NOW, &e2);
	assert_int_equal(e2.minutes, 90);
	assert_true(e2.over_1h);
	assert_true(e2.ongoing);
	assert_null(e2.closure_reason);
	/* a start a little ahead of the clock (skew) gives 0, not < 0 */
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW + 120, 0, NULL);
	evaluation_e2(&ev, NOW, &e2);
	assert_int_equal(e2.minutes, 0);
}

/* ---------- V1 ---------- */

static struct check_facts good_facts(void)
{
	return (struct check_facts){.registrant_jefe_of_point = 1};
}

static enum check_status status_of(const struct event *ev,
				   const struct check_facts *f,
				   enum check_code code)
{
	struct check out[CHECK_COUNT];

	evaluation_checks(&cat, ev, f, NOW, out);
	for (int i = 0; i < CHECK_COUNT; i++) {
		assert_int_equal(out[i].code, i);
		assert_true(strlen(out[i].detail) > 5);
	}
	return out[code].status;
}

static void test_v1_registered_by_jefe(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_REGISTERED_BY_JEFE),
			 CHECK_OK);
	f.registrant_jefe_of_point = 0;
	assert_int_equal(status_of(&ev, &f, CHECK_REGISTERED_BY_JEFE),
			 CHECK_FAIL);
	event_at(&ev, "PRUEBA", NOW - H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_REGISTERED_BY_JEFE),
			 CHECK_NA);
}

/* E3/E4 in V1: pending until the event's day has imported interactions;
 * never a failure; not needed for what is not reported. */
static void test_v1_impact_data_pending_until_imported(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();
	struct e34 e;

	(void)state;
	memset(&e, 0, sizeof(e));
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(status_of(&ev, &f, CHECK_IMPACT_DATA), CHECK_PENDING);
	f.impact = &e;
	assert_int_equal(status_of(&ev, &f, CHECK_IMPACT_DATA), CHECK_PENDING);
	e.e3.has[E_DAYS - 1] = 1;
	e.e3.c[E_DAYS - 1] = 12;
	assert_int_equal(status_of(&ev, &f, CHECK_IMPACT_DATA), CHECK_OK);
	event_at(&ev, "PRUEBA", NOW - H, NOW, "ERROR_USUARIO");
	assert_int_equal(status_of(&ev, &f, CHECK_IMPACT_DATA), CHECK_NA);
}

static void test_v1_closure_reason_fits_the_scenario(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_CLOSURE_REASON_FITS),
			 CHECK_PENDING);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(status_of(&ev, &f, CHECK_CLOSURE_REASON_FITS),
			 CHECK_OK);
	/* e.g. typed in from an old system: a mass-failure reason */
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW, "INTERMITENCIA");
	assert_int_equal(status_of(&ev, &f, CHECK_CLOSURE_REASON_FITS),
			 CHECK_FAIL);
	event_at(&ev, "FALLA_MASIVA", NOW - H, NOW, "INTERMITENCIA");
	assert_int_equal(status_of(&ev, &f, CHECK_CLOSURE_REASON_FITS),
			 CHECK_OK);
}

static void test_v1_not_error_or_test(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(status_of(&ev, &f, CHECK_NOT_ERROR_OR_TEST),
			 CHECK_OK);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW, "ERROR_USUARIO");
	assert_int_equal(status_of(&ev, &f, CHECK_NOT_ERROR_OR_TEST),
			 CHECK_FAIL);
	event_at(&ev, "PRUEBA", NOW - H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_NOT_ERROR_OR_TEST),
			 CHECK_FAIL);
}

static void test_v1_critical_transactions_regularised(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_CRITICAL_REGULARISED),
			 CHECK_NA);
	f.critical_total = 2;
	f.critical_missing = 1;
	assert_int_equal(status_of(&ev, &f, CHECK_CRITICAL_REGULARISED),
			 CHECK_PENDING);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(status_of(&ev, &f, CHECK_CRITICAL_REGULARISED),
			 CHECK_FAIL);
	f.critical_missing = 0;
	assert_int_equal(status_of(&ev, &f, CHECK_CRITICAL_REGULARISED),
			 CHECK_OK);
}

static void test_v1_procesos_ruling_where_required(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();
	struct processes_request r = {.requested_at = NOW - H,
				      .due_at =
					      NOW - H + PROCESSES_DEADLINE_S};

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, 0, NULL);
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING),
			 CHECK_PENDING);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - H,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING),
			 CHECK_FAIL);
	f.processes = &r;
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING),
			 CHECK_PENDING);
	r.due_at = NOW; /* 24 hours are up */
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING),
			 CHECK_FAIL);
	snprintf(r.ruling, sizeof(r.ruling), "NO_PROCEDE");
	snprintf(r.reason, sizeof(r.reason), "Fuera de horario");
	ev.ruled_out = 1;
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_OK);
}

static void test_v1_procesos_ruling_not_required(void **state)
{
	struct event ev;
	struct check_facts f = good_facts();

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - H,
		 "SIN_FLUIDO_ELECTRICO");
	snprintf(ev.point.channel, sizeof(ev.point.channel), "TELEFONICO");
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_NA);
	event_at(&ev, "FALLA_MASIVA", NOW - 2 * H, NOW - H, "INTERMITENCIA");
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_NA);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - H,
		 "ERROR_USUARIO");
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_NA);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 2 * H, NOW - H,
		 "SIN_FLUIDO_ELECTRICO");
	ev.ruled_out = 1; /* ruled out by Control */
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_NA);
	event_at(&ev, "PRUEBA", NOW - 2 * H, NOW - H, "ERROR_USUARIO");
	assert_int_equal(status_of(&ev, &f, CHECK_PROCESOS_RULING), CHECK_NA);
}

static void test_v1_passed_means_ok_or_not_applicable(void **state)
{
	struct check c = {0};

	(void)state;
	c.status = CHECK_OK;
	assert_true(check_passed(&c));
	c.status = CHECK_NA;
	assert_true(check_passed(&c));
	c.status = CHECK_PENDING;
	assert_false(check_passed(&c));
	c.status = CHECK_FAIL;
	assert_false(check_passed(&c));
	assert_string_equal(check_status_name(CHECK_FAIL), "FALLA");
	assert_string_equal(check_code_name(CHECK_PROCESOS_RULING),
			    "PROCESOS_RULING");
}

/* ---------- V3 ---------- */

static void waiting_request(struct processes_request *r)
{
	memset(r, 0, sizeof(*r));
	r->id = 1;
	r->requested_at = NOW;
	r->due_at = NOW + PROCESSES_DEADLINE_S;
	snprintf(r->event_number, sizeof(r->event_number), "INOP-2026-000001");
}

static void test_v3_escalation_after_24_hours_unanswered(void **state)
{
	struct processes_request r;

	(void)state;
	waiting_request(&r);
	assert_int_equal(processes_escalation(&r, 1, NOW), ESCALATION_NONE);
	assert_int_equal(processes_escalation(&r, 1, r.due_at - 1),
			 ESCALATION_NONE);
	assert_int_equal(processes_escalation(&r, 1, r.due_at),
			 ESCALATION_VENCIDA);
	assert_string_equal(escalation_code(ESCALATION_VENCIDA), "VENCIDA");
	/* recorded: the next run (or another node) does nothing */
	r.escalated_at = r.due_at;
	assert_int_equal(processes_escalation(&r, 1, r.due_at + 60),
			 ESCALATION_NONE);
	assert_int_equal(processes_escalation(&r, 0, r.due_at + 60),
			 ESCALATION_NONE);
}

static void test_v3_escalation_at_once_when_no_primary_is_present(void **state)
{
	struct processes_request r;

	(void)state;
	waiting_request(&r);
	assert_int_equal(processes_escalation(&r, 0, NOW),
			 ESCALATION_AUSENCIA);
	assert_string_equal(escalation_code(ESCALATION_AUSENCIA), "AUSENCIA");
	/* past the deadline it is overdue whoever is present */
	assert_int_equal(processes_escalation(&r, 0, r.due_at),
			 ESCALATION_VENCIDA);
}

static void test_v3_ruled_request_is_never_escalated(void **state)
{
	struct processes_request r;

	(void)state;
	waiting_request(&r);
	snprintf(r.ruling, sizeof(r.ruling), "PROCEDE");
	assert_int_equal(processes_escalation(&r, 0, r.due_at + H),
			 ESCALATION_NONE);
	assert_int_equal(processes_status(&r, r.due_at + H),
			 PROCESSES_RESUELTA);
}

static void test_v3_status_and_overdue(void **state)
{
	struct processes_request r;

	(void)state;
	waiting_request(&r);
	assert_int_equal(processes_status(&r, NOW), PROCESSES_PENDIENTE);
	assert_int_equal(processes_status(&r, r.due_at), PROCESSES_VENCIDA);
	r.escalated_at = NOW + 60; /* escalated for absence: overdue at once */
	assert_int_equal(processes_status(&r, NOW + 120), PROCESSES_VENCIDA);
	assert_string_equal(processes_status_code(PROCESSES_PENDIENTE),
			    "PENDIENTE");
}

static void expect(int rc, const struct inop_err *e, int status,
		   const char *code, const char *field)
{
	assert_int_equal(rc, -1);
	assert_int_equal(e->status, status);
	assert_string_equal(e->code, code);
	if (field)
		assert_string_equal(e->field, field);
}

static void test_v3_request_rules(void **state)
{
	struct event ev;
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(processes_request_check(&ev, 0, &e), 0);
	expect(processes_request_check(&ev, 1, &e), &e, 409,
	       "ALREADY_REQUESTED", NULL);
	snprintf(ev.point.channel, sizeof(ev.point.channel), "TELEFONICO");
	expect(processes_request_check(&ev, 0, &e), &e, 422, "NOT_IN_PERSON",
	       NULL);
	event_at(&ev, "PRUEBA", NOW - H, 0, NULL);
	expect(processes_request_check(&ev, 0, &e), &e, 422, "VALIDATION",
	       NULL);
}

static void test_v3_ruling_rules(void **state)
{
	struct processes_request r;
	struct inop_err e;

	(void)state;
	waiting_request(&r);
	expect(processes_ruling_check(NULL, "PROCEDE", "ok", &e), &e, 409,
	       "NO_PROCESSES_REQUEST", NULL);
	expect(processes_ruling_check(&r, "SI", "ok", &e), &e, 422,
	       "VALIDATION", "ruling");
	expect(processes_ruling_check(&r, "NO_PROCEDE", " \n", &e), &e, 422,
	       "VALIDATION", "reason");
	assert_int_equal(processes_ruling_check(&r, "NO_PROCEDE", "Fuera", &e),
			 0);
	snprintf(r.ruling, sizeof(r.ruling), "PROCEDE");
	expect(processes_ruling_check(&r, "NO_PROCEDE", "Fuera", &e), &e, 409,
	       "ALREADY_RULED", NULL);
}

static void test_c4_ruled_out_event_is_not_reportable(void **state)
{
	struct event ev;
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_true(event_reportable(&ev));
	assert_int_equal(rule_out_check(&ev, "Duplicado", &e), 0);
	expect(rule_out_check(&ev, "", &e), &e, 422, "VALIDATION", "reason");
	ev.ruled_out = 1;
	assert_false(event_reportable(&ev));
	expect(rule_out_check(&ev, "Duplicado", &e), &e, 409,
	       "ALREADY_RULED_OUT", NULL);
}

static void
test_o1_in_person_event_enters_a_report_only_with_procede(void **state)
{
	struct event ev;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_true(event_awaits_ruling(&ev, NULL));
	assert_true(event_awaits_ruling(&ev, ""));
	assert_true(event_awaits_ruling(&ev, "NO_PROCEDE"));
	assert_false(event_awaits_ruling(&ev, "PROCEDE"));
	snprintf(ev.point.channel, sizeof(ev.point.channel), "TELEFONICO");
	assert_false(event_awaits_ruling(&ev, NULL));
}

static void test_o1_ruling_out_an_event_in_a_frozen_report_is_409(void **state)
{
	struct event ev;
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	assert_int_equal(rule_out_report_check(&ev, 0, &e), 0);
	expect(rule_out_report_check(&ev, 7, &e), &e, 409, "IN_REPORT", NULL);
}

/* ---------- T1 ---------- */

static void critical_valid(struct critical_tx *tx, struct rule_ctx *ctx)
{
	memset(tx, 0, sizeof(*tx));
	snprintf(tx->type, sizeof(tx->type), "BLOQUEO_ROBO_PERDIDA");
	snprintf(tx->customer_ref, sizeof(tx->customer_ref), "DNI 40123456");
	snprintf(tx->how, sizeof(tx->how),
		 "Bloqueo en el sistema de respaldo");
	tx->attended_at = NOW - 60;
	*ctx = (struct rule_ctx){.roles = ROLE_JEFE,
				 .jefe_of_point = 1,
				 .point_active = 1,
				 .now = NOW};
}

static void test_t1_recording_rules(void **state)
{
	struct event ev;
	struct critical_tx tx;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, 0, NULL);
	critical_valid(&tx, &ctx);
	assert_int_equal(critical_record_check(&cat, &ctx, &ev, &tx, &e), 0);
	snprintf(tx.type, sizeof(tx.type), "PAGO");
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 422,
	       "VALIDATION", "type");
	critical_valid(&tx, &ctx);
	tx.customer_ref[0] = '\0';
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 422,
	       "VALIDATION", "customer_ref");
	critical_valid(&tx, &ctx);
	snprintf(tx.how, sizeof(tx.how), "  ");
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 422,
	       "VALIDATION", "how");
	critical_valid(&tx, &ctx);
	tx.attended_at = ev.started_at - 1;
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 422,
	       "VALIDATION", "attended_at");
	tx.attended_at = NOW + CLOCK_SKEW_S + 1;
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 422,
	       "VALIDATION", "attended_at");
}

static void test_t1_only_the_points_jefe_while_open(void **state)
{
	struct event ev;
	struct critical_tx tx;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, 0, NULL);
	critical_valid(&tx, &ctx);
	ctx.jefe_of_point = 0;
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 403,
	       "FORBIDDEN", NULL);
	ctx.roles = ROLE_ADMIN;
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 403,
	       "FORBIDDEN", NULL);
	event_at(&ev, "PRUEBA", NOW - H, 0, NULL);
	assert_int_equal(critical_record_check(&cat, &ctx, &ev, &tx, &e), 0);
	critical_valid(&tx, &ctx);
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	expect(critical_record_check(&cat, &ctx, &ev, &tx, &e), &e, 409,
	       "ALREADY_CLOSED", NULL);
}

static void test_t1_reference_added_later_once(void **state)
{
	struct event ev;
	struct critical_tx tx;
	struct rule_ctx ctx;
	struct inop_err e;

	(void)state;
	/* closed: the reference may still be added */
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - H, NOW,
		 "SIN_FLUIDO_ELECTRICO");
	critical_valid(&tx, &ctx);
	assert_int_equal(critical_reference_check(&ctx, &ev, &tx, "REC-1", &e),
			 0);
	expect(critical_reference_check(&ctx, &ev, &tx, " ", &e), &e, 422,
	       "VALIDATION", "system_ref");
	snprintf(tx.system_ref, sizeof(tx.system_ref), "REC-1");
	expect(critical_reference_check(&ctx, &ev, &tx, "REC-2", &e), &e, 409,
	       "ALREADY_REGULARISED", NULL);
	ctx.jefe_of_point = 0;
	expect(critical_reference_check(&ctx, &ev, &tx, "REC-2", &e), &e, 403,
	       "FORBIDDEN", NULL);
}

/* ---------- K1-K2 ---------- */

static void test_k1_serial_format(void **state)
{
	char s[MANUAL_FORM_SERIAL_LEN];
	char code[48];

	(void)state;
	assert_int_equal(manual_form_serial(s, "CAC-LIMA-01", 7), 0);
	assert_string_equal(s, "FM-CAC-LIMA-01-000007");
	assert_int_equal(manual_form_serial(s, "CAC-LIMA-01", 0), -1);
	assert_int_equal(manual_form_serial(s, "CAC-LIMA-01", 1000000), -1);
	/* the longest point code still fits */
	memset(code, 'X', sizeof(code) - 1);
	code[sizeof(code) - 1] = '\0';
	assert_int_equal(manual_form_serial(s, code, 999999), 0);
}

static void test_k2_serial_must_exist_match_point_and_be_unused(void **state)
{
	struct event ev;
	struct manual_form f = {0};
	struct inop_err e;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 3 * 86400, 0, NULL);
	ev.point.id = 4;
	snprintf(ev.manual_form_ref, sizeof(ev.manual_form_ref),
		 "FM-CAC-1-000001");
	expect(manual_form_use_check(NULL, &ev, &e), &e, 422,
	       "MANUAL_FORM_UNKNOWN", "manual_form_ref");
	f.point.id = 5;
	snprintf(f.point.code, sizeof(f.point.code), "CAC-2");
	snprintf(f.serial, sizeof(f.serial), "FM-CAC-2-000001");
	expect(manual_form_use_check(&f, &ev, &e), &e, 422,
	       "MANUAL_FORM_OTHER_POINT", "manual_form_ref");
	f.point.id = 4;
	assert_int_equal(manual_form_use_check(&f, &ev, &e), 0);
	f.event_id = 9;
	expect(manual_form_use_check(&f, &ev, &e), &e, 422, "MANUAL_FORM_USED",
	       "manual_form_ref");
}

static void test_k2_delay_is_registered_minus_started(void **state)
{
	struct event ev;

	(void)state;
	event_at(&ev, "EVENTO_NO_PREVISTO", NOW - 3 * 86400, 0, NULL);
	ev.registered_at = NOW;
	assert_int_equal(regularisation_delay_s(&ev), -1); /* SISTEMA */
	snprintf(ev.origin, sizeof(ev.origin), "MANUAL");
	assert_int_equal(regularisation_delay_s(&ev), 3 * 86400);
	ev.registered_at = ev.started_at - 10;
	assert_int_equal(regularisation_delay_s(&ev), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_e1_unforeseen_event_inside_a_failure_is_dentro),
		T(test_e1_unforeseen_event_outside_every_failure_is_fuera),
		T(test_e1_inside_a_closed_failure_is_dentro),
		T(test_e1_starting_before_or_ending_after_is_fuera),
		T(test_e1_an_open_failure_runs_to_now),
		T(test_e1_mass_failure_event_without_known_failure_is_fuera),
		T(test_e2_minutes_over_1h_and_reason),
		T(test_e2_open_event_counts_to_now),
		T(test_v1_registered_by_jefe),
		T(test_v1_closure_reason_fits_the_scenario),
		T(test_v1_impact_data_pending_until_imported),
		T(test_v1_not_error_or_test),
		T(test_v1_critical_transactions_regularised),
		T(test_v1_procesos_ruling_where_required),
		T(test_v1_procesos_ruling_not_required),
		T(test_v1_passed_means_ok_or_not_applicable),
		T(test_v3_escalation_after_24_hours_unanswered),
		T(test_v3_escalation_at_once_when_no_primary_is_present),
		T(test_v3_ruled_request_is_never_escalated),
		T(test_v3_status_and_overdue),
		T(test_v3_request_rules),
		T(test_v3_ruling_rules),
		T(test_c4_ruled_out_event_is_not_reportable),
		T(test_o1_in_person_event_enters_a_report_only_with_procede),
		T(test_o1_ruling_out_an_event_in_a_frozen_report_is_409),
		T(test_t1_recording_rules),
		T(test_t1_only_the_points_jefe_while_open),
		T(test_t1_reference_added_later_once),
		T(test_k1_serial_format),
		T(test_k2_serial_must_exist_match_point_and_be_unused),
		T(test_k2_delay_is_registered_minus_started),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
