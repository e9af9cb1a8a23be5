#include "mail/event_mail.h"

#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"
#include "mail/notify.h"
#include "util/buf.h"
#include "util/str.h"

#define DETAIL_MAX 4096

/* "/#/eventos/INOP-2026-000012": the event's page. */
static void event_link(const struct event *ev, char out[64])
{
	(void)str_printf(out, 64, "/#/eventos/%s", ev->number); /* 11 + 23 */
}

static int queue(struct db *db, enum notify_trigger t, const struct event *ev,
		 const char *detail, int64_t now)
{
	char link[64];
	struct notify_args a = {.ref = ev->number,
				.link = link,
				.detail = detail,
				.point_id = ev->point.id};

	event_link(ev, link);
	return notify(db, t, &a, now);
}

int mail_event_registered(struct db *db, const struct event *ev)
{
	char who[PERSON_NAME_BYTES + 80];
	struct buf d;
	int rc;

	buf_init(&d, DETAIL_MAX);
	buf_appendf(&d, "Punto: %s (%s). Trámite: %s. Escenario: %s",
		    ev->point.name, ev->point.code, ev->procedure,
		    ev->scenario);
	if (ev->mass_failure_id)
		buf_appendf(&d, " (falla masiva N.º %lld)",
			    (long long)ev->mass_failure_id);
	person_label(ev->registered_by_name, ev->registered_by, who,
		     sizeof(who));
	buf_appendf(&d, ". Registrado por: %s.", who);
	rc = queue(db, NOTIFY_EVENT_REGISTERED, ev, d.s, ev->registered_at);
	buf_release(&d);
	return rc;
}

int mail_event_closed(struct db *db, const struct event *ev, int64_t now)
{
	char who[PERSON_NAME_BYTES + 80];
	struct buf d;
	int rc;

	person_label(ev->closed_by_name, ev->closed_by, who, sizeof(who));
	buf_init(&d, DETAIL_MAX);
	buf_appendf(&d,
		    "Punto: %s (%s). Trámite: %s. Motivo de cierre: %s. "
		    "Cerrado por: %s.",
		    ev->point.name, ev->point.code, ev->procedure,
		    ev->closure_reason, who);
	rc = queue(db, NOTIFY_EVENT_CLOSED, ev, d.s, now);
	buf_release(&d);
	return rc;
}

int mail_operational_error(struct db *db, const struct event *ev,
			   const char *text, int64_t now)
{
	return queue(db, NOTIFY_OPERATIONAL_ERROR, ev, text, now);
}

int mail_processes_request(struct db *db, const struct event *ev,
			   const struct processes_request *q, int64_t now)
{
	char link[64], due[26];
	struct notify_args a = {.ref = ev->number, .link = link};
	struct buf d;
	int rc;

	event_link(ev, link);
	cal_format_lima(q->due_at, due);
	buf_init(&d, DETAIL_MAX);
	buf_appendf(&d,
		    "Punto: %s (%s). Responda a más tardar el %.10s a las "
		    "%.5s (hora de Lima).%s%s",
		    ev->point.name, ev->point.code, due, due + 11,
		    q->note[0] ? " Nota de Control: " : "", q->note);
	a.detail = d.s;
	rc = notify(db, NOTIFY_PROCESOS_REQUEST, &a, now);
	buf_release(&d);
	return rc;
}

int mail_processes_ruling(struct db *db, const struct event *ev,
			  const struct processes_request *q, int64_t now)
{
	char link[64];
	struct notify_args a = {.ref = ev->number, .link = link};
	struct buf d;
	int rc;

	event_link(ev, link);
	buf_init(&d, DETAIL_MAX);
	buf_appendf(&d, "Punto: %s (%s). Dictamen: %s. Motivo: %s.%s",
		    ev->point.name, ev->point.code,
		    strcmp(q->ruling, "PROCEDE") == 0 ? "Procede reportar"
						      : "No procede reportar",
		    q->reason,
		    strcmp(q->ruling, "PROCEDE") == 0
			    ? ""
			    : " El evento queda descartado del reporte.");
	a.detail = d.s;
	rc = notify(db, NOTIFY_PROCESOS_RULING, &a, now);
	buf_release(&d);
	return rc;
}

/* "03/11/2026 09:15" in Lima. */
static void human_time(int64_t t, char out[20])
{
	char s[26];

	cal_format_lima(t, s);
	(void)str_printf(out, 20, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s,
			 s + 11);
}

static void app_names(const struct catalog *cat, const struct codes *apps,
		      struct buf *out)
{
	for (size_t i = 0; i < apps->n; i++) {
		const struct cat_item *it =
			catalog_find(cat, "application", NULL, apps->v[i]);

		buf_appendf(out, "%s%s", i ? ", " : "",
			    it ? it->name : apps->v[i]);
	}
}

int mail_alert_raised(struct db *db, const struct catalog *cat,
		      const struct mf_alert *a)
{
	char when[20], who[PERSON_NAME_BYTES + 80];
	struct buf d, ref;
	struct notify_args args = {.link = "/#/fallas"};
	int rc;

	person_label(a->raised_by_name, a->raised_by, who, sizeof(who));
	buf_init(&d, DETAIL_MAX);
	buf_init(&ref, DETAIL_MAX);
	buf_appendf(&ref, "alerta N.º %lld (%s)", (long long)a->id,
		    a->point.id ? a->point.name : "monitoreo");
	human_time(a->observed_at, when);
	if (a->point.id)
		buf_appendf(&d, "Punto: %s (%s). Alertado por: %s. ",
			    a->point.name, a->point.code, who);
	else
		buf_appends(&d, "Origen: monitoreo (Alertmanager). ");
	buf_appends(&d, "Aplicativos: ");
	app_names(cat, &a->applications, &d);
	buf_appendf(&d, ". Observada: %s (hora de Lima).", when);
	if (a->description[0])
		buf_appendf(&d, " Descripción: %s", a->description);
	args.ref = ref.s;
	args.detail = d.s;
	rc = notify(db, NOTIFY_ALERT_RAISED, &args, a->raised_at);
	buf_release(&d);
	buf_release(&ref);
	return rc;
}

int mail_mass_failure_confirmed(struct db *db, const struct catalog *cat,
				const struct mass_failure *mf, int64_t now)
{
	char link[48], when[20];
	const struct cat_item *cause =
		catalog_find(cat, "cause", "FALLA_MASIVA", mf->cause);
	struct buf d, ref;
	struct notify_args args = {.link = link};
	int rc;

	buf_init(&d, DETAIL_MAX);
	buf_init(&ref, DETAIL_MAX);
	buf_appendf(&ref, "N.º %lld (", (long long)mf->id);
	app_names(cat, &mf->applications, &ref);
	buf_appends(&ref, ")");
	args.ref = ref.s;
	(void)str_printf(link, sizeof(link), "/#/fallas/%lld", /* a number */
			 (long long)mf->id);
	human_time(mf->started_at, when);
	buf_appends(&d, "Aplicativos: ");
	app_names(cat, &mf->applications, &d);
	buf_appendf(&d, ". Inicio: %s (hora de Lima). Motivo: %s.", when,
		    cause ? cause->name : mf->cause);
	if (mf->description[0])
		buf_appendf(&d, " Descripción: %s", mf->description);
	args.detail = d.s;
	rc = notify(db, NOTIFY_MASS_FAILURE_CONFIRMED, &args, now);
	buf_release(&d);
	buf_release(&ref);
	return rc;
}
