/* Q4, Q5: the customer's mails about a complaint. */
#include "mail/complaint_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "mail/notify.h"
#include "render/complaint_pdf.h"
#include "store/complaints.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/str.h"

#define FORM_BYTES_GUESS (200u * 1024) /* the form PDF, generously */

static void dmy(const char *iso, char out[11])
{
	(void)str_printf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void lima_when(int64_t t, char out[32])
{
	char s[26], d[11];

	cal_format_lima(t, s);
	dmy(s, d);
	(void)str_printf(out, 32, "%s %.5s", d, s + 11);
}

static int docs_line(struct buf *b, const struct complaint *c, int attached)
{
	int rc = 0;

	if (!c->n_docs)
		return 0;
	rc |= buf_appends(b, attached ? "Adjuntamos la hoja de su reclamo en "
					"PDF y los documentos que nos "
					"envió: "
				      : "Adjuntamos la hoja de su reclamo en "
					"PDF. Los documentos que nos envió "
					"quedaron registrados con su reclamo, "
					"pero por su tamaño no se adjuntan a "
					"este correo: ");
	for (int i = 0; i < c->n_docs; i++)
		rc |= buf_appendf(b, "%s%s (%zu KB)", i ? ", " : "",
				  c->docs[i].filename,
				  (c->docs[i].len + 1023) / 1024);
	rc |= buf_appends(b, ".\n\n");
	return rc ? -1 : 0;
}

static int received_text(struct buf *b, const struct complaint *c,
			 int attached)
{
	char when[32], due[11];
	int rc = 0;

	lima_when(c->received_at, when);
	dmy(c->due_date, due);
	rc |= buf_appendf(b,
			  "Código de reclamo: %s\nRecibido: %s (hora de "
			  "Lima)\nMateria: %s\nServicio o línea: %s\nFecha "
			  "máxima de respuesta: %s (%d días hábiles)\n\n",
			  c->code, when, c->matter_name, c->service, due,
			  c->business_days);
	rc |= buf_appends(b, "Su reclamo fue trasladado a la empresa "
			     "operadora, que le responderá por este medio a "
			     "más tardar en la fecha máxima indicada.\n\n");
	if (c->n_docs)
		rc |= docs_line(b, c, attached);
	else
		rc |= buf_appends(b, "Adjuntamos la hoja de su reclamo en "
				     "PDF.\n\n");
	rc |= buf_appends(b, "La presentación de un reclamo no suspende la "
			     "obligación de pagar los montos no "
			     "reclamados.");
	return rc ? -1 : 0;
}

int complaint_mail_received(struct db *db, const struct complaint *c,
			    void *ctx, struct inop_err *err)
{
	struct outbox_attachment att[1 + COMPLAINT_DOCS_MAX];
	char form_name[48];
	struct buf detail;
	size_t n = 0;
	int attached, rc;

	(void)ctx;
	attached = complaint_mail_estimate(c, FORM_BYTES_GUESS) <=
		   COMPLAINT_MAIL_BYTES_MAX;
	(void)str_printf(form_name, sizeof(form_name), "reclamo-%s.pdf",
			 c->code);
	att[n++] =
		(struct outbox_attachment){.filename = form_name,
					   .content_type = "application/pdf",
					   .source = "complaint_form",
					   .source_id = c->id};
	for (int i = 0; attached && i < c->n_docs; i++)
		att[n++] = (struct outbox_attachment){
			.filename = c->docs[i].filename,
			.content_type = c->docs[i].content_type,
			.source = "complaint_document",
			.source_id = c->docs[i].id};
	buf_init(&detail, 64 * 1024);
	rc = received_text(&detail, c, attached);
	if (rc == 0)
		rc = notify(db, NOTIFY_COMPLAINT_RECEIVED,
			    &(struct notify_args){.ref = c->code,
						  .detail = detail.s,
						  .to = c->email,
						  .att = att,
						  .n_att = n},
			    c->received_at);
	buf_release(&detail);
	return rc < 0 ? err_internal(err) : 0;
}

int complaint_mail_resolved(struct db *db, const struct complaint *c,
			    void *ctx, struct inop_err *err)
{
	char when[32], detail[sizeof(c->note) + sizeof(c->matter_name) + 256];

	(void)ctx;
	if (c->status != COMPLAINT_RESUELTO)
		return 0;
	lima_when(c->resolved_at, when);
	(void)str_printf(
		detail, sizeof(detail),
		"Código de reclamo: %s\nMateria: %s\nResuelto: %s (hora de "
		"Lima)%s%s",
		c->code, c->matter_name, when,
		c->note[0] ? "\n\nRespuesta: " : "", c->note);
	if (notify(db, NOTIFY_COMPLAINT_RESOLVED,
		   &(struct notify_args){
			   .ref = c->code, .detail = detail, .to = c->email},
		   c->resolved_at) < 0)
		return err_internal(err);
	return 0;
}

int complaint_mail_form(struct db *db, int64_t id, unsigned char **data,
			size_t *len)
{
	struct complaint *c = malloc(sizeof(*c));
	char key[24], *pdf = NULL;
	int rc = -1;

	*data = NULL;
	if (!c)
		return -1;
	(void)str_printf(key, sizeof(key), "%lld", (long long)id);
	if (store_complaint_get(db, key, c) == 1 &&
	    render_complaint_pdf(c, &pdf, len) == 0) {
		*data = (unsigned char *)pdf;
		rc = 0;
	}
	free(c);
	return rc;
}

int complaint_mail_document(struct db *db, int64_t id, unsigned char **data,
			    size_t *len)
{
	struct complaint_doc d;

	if (store_complaint_document(db, 0, id, &d, data) != 1)
		return -1;
	*len = d.len;
	return 0;
}
