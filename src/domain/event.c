/*
 * The registration and closure rules of SPEC sections 5 and 7, as pure
 * functions: no SQL, no HTTP.  The caller gathers the facts that need the
 * database (is the actor JEFE of the point, is there a mass failure) into
 * struct rule_ctx.
 */
#include "domain/event.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/roles.h"
#include "util/str.h"

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* K2: the window, and whether the event started before it. */
static int64_t max_age(const struct rule_ctx *ctx)
{
	return ctx->manual_max_age_s ? ctx->manual_max_age_s
				     : MANUAL_MAX_AGE_S;
}

static int too_old(const struct rule_ctx *ctx, const struct event *ev)
{
	return ev->started_at < ctx->now - max_age(ctx);
}

static int check_r1(const struct rule_ctx *ctx, const struct event *ev,
		    struct inop_err *err)
{
	if (is(ev->scenario, "PRUEBA")) {
		if (!(ctx->roles & ROLE_ADMIN))
			return err_set(err, 403, "FORBIDDEN", "scenario",
				       "Solo las áreas autorizadas (ADMIN) "
				       "pueden registrar una prueba");
		return 0;
	}
	/* K2: CONTROL regularises a paper form older than the window. */
	if ((ctx->roles & ROLE_CONTROL) && is(ev->origin, "MANUAL") &&
	    too_old(ctx, ev))
		return 0;
	if (!(ctx->roles & ROLE_JEFE) || !ctx->jefe_of_point)
		return err_set(err, 403, "FORBIDDEN", "point",
			       "Solo un jefe asignado al punto '%s' puede "
			       "registrar inoperatividad en él",
			       ev->point.code);
	return 0;
}

/* R2: every request regulated and of the event's procedure type. */
static int check_requests(const struct catalog *cat, const char *procedure,
			  const struct codes *requests, struct inop_err *err)
{
	if (requests->n == 0)
		return err_validation(err, "requests",
				      "Indique al menos una solicitud "
				      "regulada del cliente");
	for (size_t i = 0; i < requests->n; i++) {
		const char *r = requests->v[i];
		const struct cat_item *it =
			catalog_find(cat, "request", NULL, r);

		if (!it)
			return err_set(err, 422, "NOT_REGULATED", "requests",
				       "'%s' no es una solicitud regulada: no "
				       "corresponde registrar inoperatividad",
				       r);
		if (!is(it->parent, procedure))
			return err_validation(err, "requests",
					      "La solicitud '%s' es del tipo "
					      "de trámite %s, no de %s",
					      r, it->parent, procedure);
	}
	return 0;
}

int applications_check(const struct catalog *cat, const struct codes *apps,
		       struct inop_err *err)
{
	if (apps->n == 0)
		return err_validation(err, "applications",
				      "Indique al menos un aplicativo caído");
	for (size_t i = 0; i < apps->n; i++)
		if (!catalog_find(cat, "application", NULL, apps->v[i]))
			return err_validation(err, "applications",
					      "Aplicativo desconocido: '%s'",
					      apps->v[i]);
	if (codes_contains(apps, "SICAR") && !codes_contains(apps, "SISACT") &&
	    !codes_contains(apps, "SISACT_PREPAGO"))
		return err_validation(
			err, "applications",
			"SICAR solo se registra junto con SISACT "
			"o SISACT Prepago (cuando se requiere el "
			"pago para finalizar la venta)");
	return 0;
}

static int check_scenario(const struct catalog *cat,
			  const struct rule_ctx *ctx, const struct event *ev,
			  struct inop_err *err)
{
	if (!catalog_find(cat, "scenario", NULL, ev->scenario))
		return err_validation(err, "scenario",
				      "Escenario desconocido: '%s'",
				      ev->scenario);
	if (ev->cause[0] &&
	    !catalog_find(cat, "cause", ev->scenario, ev->cause))
		return err_validation(err, "cause",
				      "El motivo '%s' no corresponde al "
				      "escenario %s",
				      ev->cause, ev->scenario);
	if (ev->cause[0] &&
	    !catalog_cause_usable(cat, ev->scenario, ev->cause))
		return err_validation(err, "cause",
				      "El motivo '%s' fue retirado del "
				      "catálogo",
				      ev->cause);
	if (is(ev->scenario, "EVENTO_NO_PREVISTO") && !ev->cause[0])
		return err_validation(
			err, "cause",
			"Un evento no previsto requiere el motivo "
			"de ocurrencia (corte de luz, inundación "
			"o infraestructura)");
	if (is(ev->scenario, "FALLA_MASIVA") && !ctx->mass_failure_ok)
		return err_set(err, 422, "NO_MASS_FAILURE", "mass_failure_id",
			       "No hay una falla masiva confirmada y abierta "
			       "que cubra los aplicativos indicados: alerte "
			       "al buzón de Fallas");
	return 0;
}

static int check_times(const struct rule_ctx *ctx, const struct event *ev,
		       struct inop_err *err)
{
	if (ev->started_at > ctx->now + CLOCK_SKEW_S)
		return err_validation(err, "started_at",
				      "La hora de inicio no puede estar en el "
				      "futuro");
	if (too_old(ctx, ev) && !is(ev->origin, "MANUAL"))
		return err_validation(err, "started_at",
				      "La hora de inicio no puede tener más "
				      "de %lld días de antigüedad",
				      (long long)(max_age(ctx) / 86400));
	if (too_old(ctx, ev) && !(ctx->roles & ROLE_CONTROL))
		return err_set(err, 422, "MANUAL_TOO_OLD", "started_at",
			       "El formato manual tiene más de %lld días: "
			       "lo regulariza Control con un sustento",
			       (long long)(max_age(ctx) / 86400));
	if (too_old(ctx, ev) && utf8_chars(ev->late_justification) < 10)
		return err_validation(err, "late_justification",
				      "Explique por qué el formato se "
				      "regulariza tan tarde (al menos 10 "
				      "caracteres)");
	if (is(ev->origin, "MANUAL") && !ev->manual_form_ref[0])
		return err_validation(err, "manual_form_ref",
				      "Indique la referencia del formato "
				      "manual que se regulariza");
	if (!is(ev->origin, "SISTEMA") && !is(ev->origin, "MANUAL"))
		return err_validation(err, "origin",
				      "El origen debe ser SISTEMA o MANUAL");
	return 0;
}

int registration_check(const struct catalog *cat, const struct rule_ctx *ctx,
		       const struct event *ev, struct inop_err *err)
{
	if (check_r1(ctx, ev, err) < 0)
		return -1;
	if (!ctx->point_active)
		return err_validation(err, "point",
				      "El punto '%s' no está activo",
				      ev->point.code);
	if (!catalog_find(cat, "procedure", NULL, ev->procedure))
		return err_validation(err, "procedure",
				      "Tipo de trámite desconocido: '%s'",
				      ev->procedure);
	if (check_requests(cat, ev->procedure, &ev->requests, err) < 0 ||
	    applications_check(cat, &ev->applications, err) < 0)
		return -1;
	if (!ev->attest_total)
		return err_set(err, 422, "NOT_INOPERABILITY", "attest_total",
			       "Solo es inoperatividad si el aplicativo no "
			       "funciona en ninguna PC del punto; la lentitud "
			       "o la intermitencia no lo son");
	if (check_scenario(cat, ctx, ev, err) < 0)
		return -1;
	return check_times(ctx, ev, err);
}

int requests_merge(const struct catalog *cat, const struct rule_ctx *ctx,
		   struct event *ev, const struct codes *requests,
		   struct inop_err *err)
{
	int allowed = (ctx->roles & ROLE_JEFE) && ctx->jefe_of_point;

	if (is(ev->scenario, "PRUEBA"))
		allowed = allowed || (ctx->roles & ROLE_ADMIN);
	if (!allowed)
		return err_set(err, 403, "FORBIDDEN", NULL,
			       "Solo un jefe del punto '%s' puede agregar "
			       "solicitudes a este evento",
			       ev->point.code);
	if (!ev->open)
		return err_set(err, 409, "ALREADY_CLOSED", NULL,
			       "El evento %s ya está cerrado", ev->number);
	if (check_requests(cat, ev->procedure, requests, err) < 0)
		return -1;
	for (size_t i = 0; i < requests->n; i++)
		if (codes_add(&ev->requests, requests->v[i]) < 0)
			return err_validation(err, "requests",
					      "Demasiadas solicitudes");
	return 0;
}

/*
 * C1: who may close what.  The point's JEFE closes unforeseen events and
 * anything as ERROR_USUARIO; SOPORTE, in its daily review, closes any
 * open event with a reason of its scenario (so mass-failure events, and
 * any event found to be a mistake or a test as ERROR_USUARIO); ADMIN, who
 * alone registers tests, may close them.
 */
static int may_close(const struct rule_ctx *ctx, const struct event *ev,
		     const char *reason)
{
	int jefe = (ctx->roles & ROLE_JEFE) && ctx->jefe_of_point;
	int error_usuario = !reason || is(reason, "ERROR_USUARIO");

	if (jefe && (is(ev->scenario, "EVENTO_NO_PREVISTO") || error_usuario))
		return 1;
	if (ctx->roles & ROLE_SOPORTE)
		return 1;
	return (ctx->roles & ROLE_ADMIN) && is(ev->scenario, "PRUEBA") &&
	       error_usuario;
}

/* Section 4: retired as a whole, not only from one scenario. */
static int reason_retired_everywhere(const struct catalog *cat,
				     const char *reason)
{
	const struct cat_item *it =
		catalog_find(cat, "closure_reason", "", reason);

	return !it || !it->active;
}

int closure_check(const struct catalog *cat, const struct rule_ctx *ctx,
		  const struct event *ev, const char *reason,
		  const char *justification, int64_t ended_at,
		  struct inop_err *err)
{
	if (!may_close(ctx, ev, NULL) && !may_close(ctx, ev, reason))
		return err_set(err, 403, "FORBIDDEN", NULL,
			       "No tiene permiso para cerrar el evento %s",
			       ev->number);
	if (!ev->open)
		return err_set(err, 409, "ALREADY_CLOSED", NULL,
			       "El evento %s ya está cerrado", ev->number);
	if (!catalog_find(cat, "scenario_reason", ev->scenario, reason))
		return err_set(err, 422, "REASON_NOT_ALLOWED",
			       "closure_reason",
			       "El motivo de cierre '%s' no corresponde al "
			       "escenario %s",
			       reason, ev->scenario);
	if (!catalog_reason_usable(cat, ev->scenario, reason))
		return err_set(
			err, 422, "REASON_NOT_ALLOWED", "closure_reason",
			"El motivo de cierre '%s' fue retirado %s", reason,
			reason_retired_everywhere(cat, reason)
				? "del catálogo"
				: "de este escenario");
	if (!may_close(ctx, ev, reason))
		return err_set(err, 403, "FORBIDDEN", "closure_reason",
			       "Los eventos por falla masiva los cierra "
			       "Soporte; el jefe del punto solo puede "
			       "cerrarlos como ERROR_USUARIO");
	if (is(reason, "ERROR_USUARIO") &&
	    (!justification || utf8_chars(justification) < 10))
		return err_validation(
			err, "justification",
			"El cierre como error de usuario requiere "
			"un sustento de al menos 10 caracteres");
	if (ended_at < ev->started_at)
		return err_validation(err, "ended_at",
				      "La hora de fin no puede ser anterior "
				      "al inicio");
	if (ended_at > ctx->now + CLOCK_SKEW_S)
		return err_validation(err, "ended_at",
				      "La hora de fin no puede estar en el "
				      "futuro");
	return 0;
}

int event_reportable(const struct event *ev)
{
	if (is(ev->scenario, "PRUEBA") || ev->ruled_out)
		return 0;
	return !is(ev->closure_reason, "ERROR_USUARIO") &&
	       !is(ev->closure_reason, "INTERMITENCIA");
}

int event_number_format(char out[24], int year, int64_t seq)
{
	if (seq < 1 || seq > 999999 || year < 1970 || year > 9999)
		return -1;
	(void)str_printf(out, 24, "INOP-%04d-%06lld", year, (long long)seq);
	return 0;
}
