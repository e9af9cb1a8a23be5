/* V3 and the ruling-out of C4, as pure functions. */
#include "domain/processes.h"

#include <string.h>

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

enum processes_status processes_status(const struct processes_request *r,
				       int64_t now)
{
	if (r->ruling[0])
		return PROCESSES_RESUELTA;
	if (r->escalated_at || now >= r->due_at)
		return PROCESSES_VENCIDA;
	return PROCESSES_PENDIENTE;
}

const char *processes_status_code(enum processes_status s)
{
	switch (s) {
	case PROCESSES_VENCIDA:
		return "VENCIDA";
	case PROCESSES_RESUELTA:
		return "RESUELTA";
	default:
		return "PENDIENTE";
	}
}

int processes_request_check(const struct event *ev, int already,
			    struct inop_err *err)
{
	if (strcmp(ev->point.channel, "PRESENCIAL") != 0)
		return err_set(err, 422, "NOT_IN_PERSON", NULL,
			       "El dictamen de Procesos se solicita solo para "
			       "eventos de puntos de atención presencial; %s "
			       "es del canal telefónico",
			       ev->point.code);
	if (strcmp(ev->scenario, "PRUEBA") == 0)
		return err_validation(err, NULL,
				      "El evento %s es una prueba: no se "
				      "reporta y no requiere dictamen",
				      ev->number);
	if (already)
		return err_set(err, 409, "ALREADY_REQUESTED", NULL,
			       "Ya se solicitó el dictamen de Procesos para "
			       "el evento %s",
			       ev->number);
	return 0;
}

int processes_ruling_check(const struct processes_request *r,
			   const char *ruling, const char *reason,
			   struct inop_err *err)
{
	if (!r)
		return err_set(err, 409, "NO_PROCESSES_REQUEST", NULL,
			       "Control todavía no solicitó el dictamen de "
			       "Procesos para este evento");
	if (r->ruling[0])
		return err_set(err, 409, "ALREADY_RULED", NULL,
			       "El evento %s ya tiene dictamen de Procesos: "
			       "%s",
			       r->event_number, r->ruling);
	if (!ruling || (strcmp(ruling, "PROCEDE") != 0 &&
			strcmp(ruling, "NO_PROCEDE") != 0))
		return err_validation(err, "ruling",
				      "El dictamen debe ser PROCEDE o "
				      "NO_PROCEDE");
	if (blank(reason))
		return err_validation(err, "reason",
				      "Indique el motivo del dictamen");
	return 0;
}

int rule_out_check(const struct event *ev, const char *reason,
		   struct inop_err *err)
{
	if (ev->ruled_out)
		return err_set(err, 409, "ALREADY_RULED_OUT", NULL,
			       "El evento %s ya fue descartado del reporte",
			       ev->number);
	if (blank(reason))
		return err_validation(err, "reason",
				      "Indique por qué el evento no se "
				      "reporta");
	return 0;
}

int event_awaits_ruling(const struct event *ev, const char *ruling)
{
	return strcmp(ev->point.channel, "PRESENCIAL") == 0 &&
	       (!ruling || strcmp(ruling, "PROCEDE") != 0);
}

int rule_out_report_check(const struct event *ev, int64_t report_id,
			  struct inop_err *err)
{
	if (!report_id)
		return 0;
	return err_set(err, 409, "IN_REPORT", NULL,
		       "El evento %s ya está en el reporte N.º %lld, en "
		       "revisión o aprobado: ya no puede descartarse",
		       ev->number, (long long)report_id);
}

enum escalation processes_escalation(const struct processes_request *r,
				     int primaries_present, int64_t now)
{
	if (r->ruling[0] || r->escalated_at)
		return ESCALATION_NONE;
	if (now >= r->due_at)
		return ESCALATION_VENCIDA;
	if (!primaries_present)
		return ESCALATION_AUSENCIA;
	return ESCALATION_NONE;
}

const char *escalation_code(enum escalation e)
{
	switch (e) {
	case ESCALATION_VENCIDA:
		return "VENCIDA";
	case ESCALATION_AUSENCIA:
		return "AUSENCIA";
	default:
		return "";
	}
}
