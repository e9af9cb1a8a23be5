/*
 * The mass-failure rules of SPEC section 6 (M1-M3) and the R6 coverage
 * test, as pure functions: no SQL, no HTTP.
 */
#include "domain/mass_failure.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/roles.h"
#include "util/str.h"

#define JUSTIFICATION_MIN_CHARS 10 /* C2, also for a whole failure */

static const char *const alert_codes[] = {"PENDING", "CONFIRMED", "DISCARDED"};

const char *alert_status_code(enum alert_status s)
{
	return alert_codes[s];
}

int alert_status_parse(const char *s, enum alert_status *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, alert_codes[i]) == 0) {
			*out = (enum alert_status)i;
			return 0;
		}
	return -1;
}

/*
 * Known applications, at least one.  Unlike a registration (R4), SICAR
 * alone is a valid outage here: the payment system can fail for the whole
 * company; the events under it still follow R4.
 */
static int check_apps(const struct catalog *cat, const struct codes *apps,
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
	return 0;
}

int alert_check(const struct catalog *cat, const struct mf_ctx *ctx,
		const struct mf_alert *a, struct inop_err *err)
{
	if (!(ctx->roles & ROLE_JEFE) || !ctx->jefe_of_point)
		return err_set(err, 403, "FORBIDDEN", "point",
			       "Solo un jefe asignado al punto '%s' puede "
			       "alertar una falla masiva desde él",
			       a->point.code);
	if (!ctx->point_active)
		return err_validation(err, "point",
				      "El punto '%s' no está activo",
				      a->point.code);
	if (check_apps(cat, &a->applications, err) < 0)
		return -1;
	if (a->observed_at > ctx->now + CLOCK_SKEW_S)
		return err_validation(err, "observed_at",
				      "La hora observada no puede estar en el "
				      "futuro");
	if (a->observed_at < ctx->now - MANUAL_MAX_AGE_S)
		return err_validation(err, "observed_at",
				      "La hora observada no puede tener más "
				      "de 30 días de antigüedad");
	return 0;
}

int alert_pending_check(const struct mf_alert *a, struct inop_err *err)
{
	if (a->status == ALERT_PENDING)
		return 0;
	return err_set(err, 409, "ALERT_NOT_PENDING", NULL,
		       "La alerta %lld ya fue %s", (long long)a->id,
		       a->status == ALERT_CONFIRMED ? "confirmada"
						    : "descartada");
}

int alert_discard(struct mf_alert *a, const char *reason,
		  const struct actor *who, int64_t now, struct inop_err *err)
{
	if (alert_pending_check(a, err) < 0)
		return -1;
	if (!reason || !*reason)
		return err_validation(err, "reason",
				      "Indique por qué se descarta la alerta");
	a->status = ALERT_DISCARDED;
	a->decided_at = now;
	/* the callers pass fields of the same sizes: no cut */
	(void)str_copy(a->decided_by, sizeof(a->decided_by), who->username);
	(void)str_copy(a->decided_by_name, sizeof(a->decided_by_name),
		       who->name);
	(void)str_copy(a->discard_reason, sizeof(a->discard_reason), reason);
	return 0;
}

int mass_failure_check(const struct catalog *cat,
		       const struct mass_failure *mf, int64_t now,
		       struct inop_err *err)
{
	if (check_apps(cat, &mf->applications, err) < 0)
		return -1;
	if (!mf->started_at)
		return err_validation(err, "started_at",
				      "Indique el inicio de la falla masiva");
	if (mf->started_at > now + CLOCK_SKEW_S)
		return err_validation(err, "started_at",
				      "El inicio de la falla masiva no puede "
				      "estar en el futuro");
	if (mf->started_at < now - MANUAL_MAX_AGE_S)
		return err_validation(err, "started_at",
				      "El inicio de la falla masiva no puede "
				      "tener más de 30 días de antigüedad");
	if (!mf->cause[0])
		return err_validation(err, "cause",
				      "Indique el motivo de ocurrencia de la "
				      "falla masiva");
	if (!catalog_cause_usable(cat, "FALLA_MASIVA", mf->cause))
		return err_validation(err, "cause",
				      "El motivo '%s' no corresponde a una "
				      "falla masiva",
				      mf->cause);
	return 0;
}

int alert_confirm_into(struct mf_alert *a, struct mass_failure *mf,
		       const struct actor *who, int64_t now,
		       struct inop_err *err)
{
	size_t before = mf->applications.n;

	if (alert_pending_check(a, err) < 0)
		return -1;
	if (!mf->open)
		return err_set(err, 409, "MASS_FAILURE_CLOSED",
			       "mass_failure_id",
			       "La falla masiva %lld ya está cerrada: "
			       "confirme la alerta en una falla nueva",
			       (long long)mf->id);
	for (size_t i = 0; i < a->applications.n; i++)
		if (codes_add(&mf->applications, a->applications.v[i]) < 0)
			return err_validation(err, "applications",
					      "Demasiados aplicativos");
	alert_mark_confirmed(a, mf->id, who, now);
	return mf->applications.n > before;
}

void alert_mark_confirmed(struct mf_alert *a, int64_t mf_id,
			  const struct actor *who, int64_t now)
{
	a->status = ALERT_CONFIRMED;
	a->mass_failure_id = mf_id;
	a->decided_at = now;
	(void)str_copy(a->decided_by, sizeof(a->decided_by), who->username);
	(void)str_copy(a->decided_by_name, sizeof(a->decided_by_name),
		       who->name);
}

static int close_times(const struct mass_failure *mf, int64_t ended_at,
		       int64_t now, struct inop_err *err)
{
	if (!ended_at)
		return err_validation(err, "ended_at",
				      "Indique cuándo se restableció el "
				      "servicio");
	if (ended_at < mf->started_at)
		return err_validation(err, "ended_at",
				      "El fin no puede ser anterior al inicio "
				      "de la falla masiva");
	if (ended_at > now + CLOCK_SKEW_S)
		return err_validation(err, "ended_at",
				      "El fin no puede estar en el futuro");
	return 0;
}

int mass_failure_close(const struct catalog *cat, struct mass_failure *mf,
		       const char *reason, const char *justification,
		       int64_t ended_at, const struct actor *who, int64_t now,
		       struct inop_err *err)
{
	if (!mf->open)
		return err_set(err, 409, "ALREADY_CLOSED", NULL,
			       "La falla masiva %lld ya está cerrada",
			       (long long)mf->id);
	if (!catalog_reason_usable(cat, "FALLA_MASIVA", reason))
		return err_set(err, 422, "REASON_NOT_ALLOWED",
			       "closure_reason",
			       "El motivo de cierre '%s' no corresponde a una "
			       "falla masiva",
			       reason);
	if (strcmp(reason, "ERROR_USUARIO") == 0 &&
	    (!justification ||
	     utf8_chars(justification) < JUSTIFICATION_MIN_CHARS))
		return err_validation(
			err, "justification",
			"El cierre como error de usuario requiere "
			"un sustento de al menos 10 caracteres");
	if (close_times(mf, ended_at, now, err) < 0)
		return -1;
	mf->open = 0;
	mf->ended_at = ended_at;
	mf->closed_at = now;
	/* the callers pass fields of the same sizes: no cut */
	(void)str_copy(mf->closure_reason, sizeof(mf->closure_reason), reason);
	(void)str_copy(mf->justification, sizeof(mf->justification),
		       justification ? justification : "");
	(void)str_copy(mf->closed_by, sizeof(mf->closed_by), who->username);
	(void)str_copy(mf->closed_by_name, sizeof(mf->closed_by_name),
		       who->name);
	return 0;
}

int mass_failure_covers(const struct mass_failure *mf,
			const struct codes *apps)
{
	if (!mf->open)
		return 0;
	for (size_t i = 0; i < apps->n; i++)
		if (codes_contains(&mf->applications, apps->v[i]))
			return 1;
	return 0;
}
