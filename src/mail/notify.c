#include "mail/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/outbox.h"
#include "util/buf.h"
#include "util/html.h"
#include "util/log.h"
#include "util/str.h"

#define MAIL_BODY_MAX (64 * 1024)
#define RCPT_PER_MAIL 50

enum to {
	TO_MAILBOX_CONTROL = 1u << 0,
	TO_MAILBOX_FALLAS = 1u << 1,
	TO_ROLE_SOPORTE = 1u << 2,
	TO_ROLE_PROCESOS = 1u << 3,
	TO_JEFES_OF_POINT = 1u << 4,
	TO_JEFES_ACTIVE = 1u << 5,
	TO_ARGS_ROLE = 1u << 6,
	TO_ARGS_TO = 1u << 7,
	/* To a customer: no link into Inop (they have no login there) and
	 * the operator's signature. */
	TO_CUSTOMER = 1u << 8,
};

/* The trigger table: one row per notification of SPEC N2.  Its fields in
 * the order a row reads; 8 bytes of padding a row do not matter here. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
static const struct trigger {
	enum notify_trigger t;
	const char *code;
	unsigned to;
	const char *subject; /* followed by a space and the reference */
	const char *opening;
} triggers[] = {
	{NOTIFY_EVENT_REGISTERED, "event.registered",
	 TO_MAILBOX_CONTROL | TO_ROLE_SOPORTE,
	 "[Inop] Inoperatividad registrada:",
	 "Se registró un evento de inoperatividad."},
	{NOTIFY_EVENT_CLOSED, "event.closed", TO_MAILBOX_CONTROL,
	 "[Inop] Inoperatividad cerrada:",
	 "Se cerró un evento de inoperatividad."},
	{NOTIFY_ALERT_RAISED, "alert.raised", TO_MAILBOX_FALLAS,
	 "[Inop] Alerta de posible falla masiva:",
	 "Un punto de atención alerta una posible falla masiva. Confírmela "
	 "o descártela en Inop."},
	{NOTIFY_MASS_FAILURE_CONFIRMED, "mass_failure.confirmed",
	 TO_JEFES_ACTIVE, "[Inop] Falla masiva confirmada:",
	 "Fallas de Sistemas y Plataforma confirmó una falla masiva. Registre "
	 "la inoperatividad solo si un cliente solicita un trámite "
	 "regulado."},
	{NOTIFY_OPERATIONAL_ERROR, "event.operational_error",
	 TO_JEFES_OF_POINT, "[Inop] Alerta por error operativo:",
	 "Control e Información observó un error operativo en el registro "
	 "de inoperatividad."},
	{NOTIFY_PROCESOS_REQUEST, "processes.request", TO_ROLE_PROCESOS,
	 "[Inop] Solicitud de dictamen de Procesos:",
	 "Control e Información solicita su dictamen (procede / no procede) "
	 "en un plazo de 24 horas."},
	{NOTIFY_PROCESOS_ESCALATION, "processes.escalation", TO_ARGS_TO,
	 "[Inop] Dictamen de Procesos pendiente:",
	 "La solicitud de dictamen no fue atendida por el responsable y se "
	 "le deriva."},
	{NOTIFY_PROCESOS_RULING, "processes.ruling", TO_MAILBOX_CONTROL,
	 "[Inop] Dictamen de Procesos:",
	 "Mejora de Procesos respondió si procede reportar el evento a "
	 "OSIPTEL."},
	{NOTIFY_REPORT_AWAITING, "report.awaiting", TO_ARGS_ROLE,
	 "[Inop] Reporte de inoperatividad por aprobar:",
	 "Un reporte de inoperatividad espera su aprobación."},
	{NOTIFY_REPORT_DUE, "report.due", TO_MAILBOX_CONTROL,
	 "[Inop] Plazo de entrega a Regulatorio vence en 1 día hábil:",
	 "Un evento reportable aún no fue entregado a Regulatorio (aprobación "
	 "de Dirección) y su plazo vence el próximo día hábil."},
	{NOTIFY_REPORT_APPROVED, "report.approved", TO_ARGS_ROLE,
	 "[Inop] Reporte aprobado, por enviar a OSIPTEL:",
	 "Un reporte de inoperatividad fue aprobado por Dirección: envíelo a "
	 "OSIPTEL y registre en Inop la fecha y la referencia del envío."},
	{NOTIFY_REPORT_RETURNED, "report.returned", TO_ARGS_ROLE,
	 "[Inop] Reporte devuelto a borrador:",
	 "Un reporte de inoperatividad fue devuelto a borrador con "
	 "observaciones."},
	{NOTIFY_COMPLAINT_RECEIVED, "complaint.received",
	 TO_ARGS_TO | TO_CUSTOMER, "Reclamo registrado:",
	 "Recibimos su reclamo y lo trasladamos a la empresa operadora."},
	{NOTIFY_AUDIT_CHECKPOINT, "audit.checkpoint", TO_MAILBOX_CONTROL,
	 "[Inop] Punto de control firmado de la auditoría:",
	 "Conserve este correo: el punto de control firmado prueba qué "
	 "registros de auditoría existían hoy. Con él, 'inop audit verify "
	 "--checkpoint' detecta si alguien reescribe o recorta la auditoría "
	 "después (el texto entre las líneas, guardado como archivo)."},
	{NOTIFY_COMPLAINT_RESOLVED, "complaint.resolved",
	 TO_ARGS_TO | TO_CUSTOMER,
	 "Reclamo resuelto:", "La empresa operadora resolvió su reclamo."},
};

static const struct config *notify_cfg;

void notify_setup(const struct config *cfg)
{
	notify_cfg = cfg;
}

const struct config *notify_config(void)
{
	return notify_cfg;
}

static int add_list(struct buf *to, const char *list)
{
	if (!list || !*list)
		return 0;
	if (to->len && buf_appends(to, ",") < 0)
		return -1;
	return buf_appends(to, list);
}

static int recipients(struct db *db, const struct trigger *tr,
		      const struct notify_args *a, struct buf *to)
{
	const struct config *c = notify_cfg;
	int rc = 0;

	if (tr->to & TO_MAILBOX_CONTROL)
		rc |= add_list(to, c ? c->mailbox_control : NULL);
	if (tr->to & TO_MAILBOX_FALLAS)
		rc |= add_list(to, c ? c->mailbox_fallas : NULL);
	if (tr->to & TO_ARGS_TO)
		rc |= add_list(to, a->to);
	if (tr->to & TO_ROLE_SOPORTE)
		rc |= store_role_emails(db, "SOPORTE", 0, to);
	if (tr->to & TO_ROLE_PROCESOS)
		rc |= store_role_emails(db, "PROCESOS", 0, to);
	if ((tr->to & TO_ARGS_ROLE) && a->role)
		rc |= store_role_emails(db, a->role, 0, to);
	if ((tr->to & TO_JEFES_OF_POINT) && a->point_id > 0)
		rc |= store_role_emails(db, "JEFE", a->point_id, to);
	if (tr->to & TO_JEFES_ACTIVE)
		rc |= store_role_emails(db, "JEFE", -1, to);
	return rc ? -1 : 0;
}

/* The detail's lines as paragraphs (blank lines separate them). */
static int html_lines(struct buf *html, const char *detail)
{
	int rc = 0;

	while (*detail) {
		size_t n = strcspn(detail, "\n");
		char *line = n ? strndup(detail, n) : NULL;

		if (n && !line)
			return -1;
		if (line) {
			rc |= buf_appends(html, "<p>");
			rc |= html_txt(html, line);
			rc |= buf_appends(html, "</p>");
			free(line);
		}
		detail += n + (detail[n] == '\n');
	}
	return rc ? -1 : 0;
}

static int compose(const struct trigger *tr, const struct notify_args *a,
		   const char *url, struct buf *text, struct buf *html)
{
	int customer = (tr->to & TO_CUSTOMER) != 0;
	const char *sign = customer ? "Atención de reclamos"
				    : "Inop - Registro de Inoperatividad";
	int rc = 0;

	rc |= buf_appendf(text, "%s\n\n", tr->opening);
	if (a->detail)
		rc |= buf_appendf(text, "%s\n\n", a->detail);
	if (!customer)
		rc |= buf_appendf(text, "Ver en Inop: %s\n\n", url);
	rc |= buf_appendf(text, "-- \n%s\n", sign);
	rc |= buf_appends(html, "<!DOCTYPE html><html lang=\"es\"><body>"
				"<p>");
	rc |= html_txt(html, tr->opening);
	rc |= buf_appends(html, "</p>");
	if (a->detail)
		rc |= html_lines(html, a->detail);
	if (!customer) {
		rc |= buf_appends(html, "<p><a href=\"");
		rc |= html_attr(html, url);
		rc |= buf_appends(html, "\">Ver ");
		rc |= html_txt(html, a->ref ? a->ref : "en Inop");
		rc |= buf_appends(html, " en Inop</a></p>");
	}
	rc |= buf_appends(html, "<p>-- <br>");
	rc |= html_txt(html, sign);
	rc |= buf_appends(html, "</p></body></html>");
	return rc ? -1 : 0;
}

/*
 * One outbox row per RCPT_PER_MAIL recipients: SMTP servers need accept
 * only 100 recipients a transaction (RFC 5321), and the JEFEs of every
 * point are hundreds.  Each row is sent (and retried) on its own, so a
 * retry never repeats a part already delivered.
 */
static int queue_chunks(struct db *db, struct outbox_mail *m, const char *to,
			int64_t now)
{
	const char *key = m->dedupe_key;
	char part_key[300];
	struct buf part;
	int rc = 0;

	buf_init(&part, MAIL_BODY_MAX);
	for (int k = 0; rc == 0 && *to; k++) {
		buf_reset(&part);
		for (int i = 0; rc == 0 && *to && i < RCPT_PER_MAIL; i++) {
			size_t n = strcspn(to, ",");

			rc |= buf_append(&part, ",", part.len ? 1 : 0);
			rc |= buf_append(&part, to, n);
			to += n + (to[n] == ',');
		}
		if (key && k > 0) {
			/* the callers' keys are < 64 bytes: no cut */
			(void)str_printf(part_key, sizeof(part_key), "%s#%d",
					 key, k);
			m->dedupe_key = part_key;
		}
		m->recipients = part.s;
		rc = rc ? -1 : store_outbox_insert(db, m, now);
	}
	m->dedupe_key = key;
	buf_release(&part);
	return rc;
}

int notify(struct db *db, enum notify_trigger t, const struct notify_args *a,
	   int64_t now)
{
	const struct trigger *tr = NULL;
	struct buf to, text, html;
	char subject[512], url[1024];
	struct outbox_mail m;
	int rc = -1;

	for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++)
		if (triggers[i].t == t)
			tr = &triggers[i];
	if (!tr)
		return -1;
	buf_init(&to, MAIL_BODY_MAX);
	buf_init(&text, MAIL_BODY_MAX);
	buf_init(&html, MAIL_BODY_MAX);
	if (recipients(db, tr, a, &to) < 0)
		goto out;
	rc = 0;
	if (!to.len) {
		log_info("mail %s for %s: no recipient configured", tr->code,
			 a->ref ? a->ref : "-");
		goto out;
	}
	/* subject: display text, a cut is fine; url: base_url (< 256) and a
	 * short link, no cut */
	(void)str_printf(subject, sizeof(subject), "%s %s", tr->subject,
			 a->ref ? a->ref : "");
	(void)str_printf(url, sizeof(url), "%s%s",
			 notify_cfg ? notify_cfg->base_url : "",
			 a->link ? a->link : "/");
	rc = compose(tr, a, url, &text, &html);
	if (rc == 0) {
		m = (struct outbox_mail){.trigger = tr->code,
					 .dedupe_key = a->dedupe_key,
					 .subject = subject,
					 .body_text = text.s,
					 .body_html = html.s,
					 .link = url,
					 .att = a->att,
					 .n_att = a->n_att};
		rc = queue_chunks(db, &m, to.s, now);
	}
out:
	buf_release(&to);
	buf_release(&text);
	buf_release(&html);
	return rc;
}
