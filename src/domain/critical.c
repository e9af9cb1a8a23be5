/* T1 as pure functions: who records critical transactions, and when. */
#include "domain/critical.h"

#include <string.h>

#include "domain/roles.h"

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* The point's JEFE; ADMIN, who alone registers tests, for a test. */
static int may_record(const struct rule_ctx *ctx, const struct event *ev)
{
	if ((ctx->roles & ROLE_JEFE) && ctx->jefe_of_point)
		return 1;
	return (ctx->roles & ROLE_ADMIN) &&
	       strcmp(ev->scenario, "PRUEBA") == 0;
}

int critical_record_check(const struct catalog *cat,
			  const struct rule_ctx *ctx, const struct event *ev,
			  const struct critical_tx *tx, struct inop_err *err)
{
	if (!may_record(ctx, ev))
		return err_set(err, 403, "FORBIDDEN", NULL,
			       "Solo un jefe del punto '%s' registra las "
			       "transacciones críticas de sus eventos",
			       ev->point.code);
	if (!ev->open)
		return err_set(err, 409, "ALREADY_CLOSED", NULL,
			       "El evento %s ya está cerrado: las "
			       "transacciones críticas se registran mientras "
			       "está abierto",
			       ev->number);
	if (!catalog_find(cat, "critical_transaction", NULL, tx->type))
		return err_validation(
			err, "type",
			"Tipo de transacción crítica desconocido: "
			"'%s'",
			tx->type);
	if (blank(tx->customer_ref))
		return err_validation(err, "customer_ref",
				      "Indique la referencia del cliente "
				      "(documento, línea o nombre)");
	if (blank(tx->how))
		return err_validation(
			err, "how", "Indique cómo se atendió la transacción");
	if (tx->attended_at < ev->started_at)
		return err_validation(err, "attended_at",
				      "La atención no puede ser anterior al "
				      "inicio del evento");
	if (tx->attended_at > ctx->now + CLOCK_SKEW_S)
		return err_validation(
			err, "attended_at",
			"La hora de atención no puede estar en el "
			"futuro");
	return 0;
}

int critical_reference_check(const struct rule_ctx *ctx,
			     const struct event *ev,
			     const struct critical_tx *tx,
			     const char *system_ref, struct inop_err *err)
{
	if (!may_record(ctx, ev))
		return err_set(err, 403, "FORBIDDEN", NULL,
			       "Solo un jefe del punto '%s' regulariza las "
			       "transacciones críticas de sus eventos",
			       ev->point.code);
	if (tx->system_ref[0])
		return err_set(err, 409, "ALREADY_REGULARISED", NULL,
			       "La transacción crítica ya tiene la referencia "
			       "del sistema '%s'",
			       tx->system_ref);
	if (!system_ref || blank(system_ref))
		return err_validation(err, "system_ref",
				      "Indique la referencia del sistema (por "
				      "ejemplo, el código del reclamo)");
	return 0;
}
