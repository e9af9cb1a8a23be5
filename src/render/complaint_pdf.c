/* Q4: the complaint form as PDF, drawn with cairo and pango. */
#include "render/complaint_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"
#include "util/buf.h"
#include "util/str.h"

#define PAGE_W	  595.28 /* A4 in points */
#define PAGE_H	  841.89
#define MARGIN	  42.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define LABEL_W	  150.0
#define PDF_MAX	  (8u << 20)

#define FONT	     "DejaVu Sans 10"
#define FONT_B	     "DejaVu Sans Bold 10"
#define FONT_SMALL   "DejaVu Sans 8"
#define FONT_TITLE   "DejaVu Sans Bold 16"
#define FONT_CODE    "DejaVu Sans Mono Bold 14"
#define FONT_SECTION "DejaVu Sans Bold 11"

struct pen {
	cairo_t *cr;
	double y;
	int page;
	const struct complaint *c;
};

static PangoLayout *layout(cairo_t *cr, double w, const char *font,
			   const char *s)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, s, -1);
	pango_font_description_free(fd);
	return l;
}

static double text_at(cairo_t *cr, double x, double y, double w,
		      const char *font, const char *s)
{
	PangoLayout *l = layout(cr, w, font, s);
	int pw, ph;

	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	pango_layout_get_size(l, &pw, &ph);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

static void footer(struct pen *p)
{
	char line[160];

	(void)str_printf(line, sizeof(line), "Reclamo %s · Página %d",
			 p->c->code, p->page);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	text_at(p->cr, MARGIN, PAGE_H - MARGIN + 12, CONTENT_W, FONT_SMALL,
		line);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void new_page(struct pen *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

static void section(struct pen *p, const char *title)
{
	if (p->y > PAGE_H - MARGIN - 80)
		new_page(p);
	p->y += 6;
	cairo_set_source_rgb(p->cr, 0.88, 0.88, 0.88);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, 17);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	text_at(p->cr, MARGIN + 4, p->y + 2, CONTENT_W - 8, FONT_SECTION,
		title);
	p->y += 22;
}

/* "Label: value" in two columns; a value longer than the page goes on,
 * line by line, on the next pages. */
static void row(struct pen *p, const char *label, const char *value)
{
	PangoLayout *l =
		layout(p->cr, CONTENT_W - LABEL_W, FONT, value ? value : "");
	int n = pango_layout_get_line_count(l);
	double top, label_h;

	if (p->y > PAGE_H - MARGIN - 30)
		new_page(p);
	top = p->y;
	label_h = text_at(p->cr, MARGIN, p->y, LABEL_W - 6, FONT_B, label);
	for (int i = 0; i < n; i++) {
		PangoLayoutLine *line = pango_layout_get_line_readonly(l, i);
		PangoRectangle ink, log;

		pango_layout_line_get_extents(line, &ink, &log);
		if (p->y + (double)log.height / PANGO_SCALE >
		    PAGE_H - MARGIN) {
			new_page(p);
		}
		cairo_move_to(p->cr, MARGIN + LABEL_W,
			      p->y - (double)log.y / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr, line);
		p->y += (double)log.height / PANGO_SCALE;
	}
	if (n == 0)
		p->y += 12;
	/* A label on two lines is taller than a one-line value. */
	if (p->y < top + label_h)
		p->y = top + label_h;
	p->y += 5;
	g_object_unref(l);
}

/* "01/12/2026 10:00" (Lima) */
static void lima_when(int64_t t, char out[20])
{
	char s[26];

	cal_format_lima(t, s);
	(void)str_printf(out, 20, "%.2s/%.2s/%.4s %.5s", s + 8, s + 5, s,
			 s + 11);
}

static void header(struct pen *p)
{
	const struct complaint *c = p->c;
	char when[20], due[11], line[256];

	lima_when(c->received_at, when);
	(void)str_printf(due, sizeof(due), "%.2s/%.2s/%.4s", c->due_date + 8,
			 c->due_date + 5, c->due_date);
	p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT_TITLE,
			"Hoja de reclamo") +
		4;
	p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT_CODE, c->code) +
		6;
	(void)str_printf(
		line, sizeof(line),
		"Recibido el %s (hora de Lima) · Fecha máxima de respuesta: "
		"%s",
		when, due);
	p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT, line) + 4;
}

static void body(struct pen *p)
{
	const struct complaint *c = p->c;
	char when[20], due[64], docs[COMPLAINT_DOCS_MAX * 140 + 16] = "";

	lima_when(c->received_at, when);
	section(p, "Reclamo");
	row(p, "Código", c->code);
	row(p, "Recibido (Lima)", when);
	row(p, "Canal",
	    strcmp(c->source, "PLATAFORMA") == 0 ? "Plataforma del regulador"
						 : "Formulario web");
	if (c->external_ref[0])
		row(p, "Referencia", c->external_ref);
	row(p, "Estado", complaint_status_name(c->status));
	section(p, "Cliente");
	row(p, "Nombre", c->customer_name);
	row(p, "Documento", c->document_type);
	row(p, "Número", c->document);
	row(p, "Correo electrónico", c->email);
	row(p, "Teléfono", c->phone[0] ? c->phone : "—");
	section(p, "Materia y plazo");
	row(p, "Servicio o línea", c->service);
	row(p, "Materia", c->matter_name);
	(void)str_printf(due, sizeof(due), "%.2s/%.2s/%.4s (%d días hábiles)",
			 c->due_date + 8, c->due_date + 5, c->due_date,
			 c->business_days);
	row(p, "Fecha máxima de respuesta", due);
	section(p, "Descripción");
	row(p, "Detalle", c->description);
	section(p, "Documentos adjuntos");
	for (int i = 0; i < c->n_docs; i++) {
		size_t n = strlen(docs);

		(void)str_printf(docs + n, sizeof(docs) - n, "%s%s (%zu KB)",
				 i ? "\n" : "", c->docs[i].filename,
				 (c->docs[i].len + 1023) / 1024);
	}
	row(p, "Documentos", c->n_docs ? docs : "Ninguno");
	p->y += 8;
	if (p->y > PAGE_H - MARGIN - 60)
		new_page(p);
	p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT_B,
			"La presentación de un reclamo no suspende la "
			"obligación de pagar los montos no reclamados.") +
		4;
	text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT_SMALL,
		"Su reclamo fue trasladado a la empresa operadora, que le "
		"responderá a más tardar en la fecha máxima indicada.");
	footer(p);
	cairo_show_page(p->cr);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data,
				unsigned int length)
{
	return buf_append(closure, data, length) == 0
		       ? CAIRO_STATUS_SUCCESS
		       : CAIRO_STATUS_WRITE_ERROR;
}

int render_complaint_pdf(const struct complaint *c, char **out, size_t *len)
{
	struct buf b;
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;
	struct pen p = {.y = MARGIN, .page = 1, .c = c};

	buf_init(&b, PDF_MAX);
	s = cairo_pdf_surface_create_for_stream(write_buf, &b, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       "Hoja de reclamo");
	cr = cairo_create(s);
	p.cr = cr;
	header(&p);
	body(&p);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS || b.len == 0) {
		buf_release(&b);
		return -1;
	}
	*out = buf_detach(&b, len);
	return 0;
}
