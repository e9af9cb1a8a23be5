/*
 * O4: the report as PDF (cairo + pango, DejaVu Sans), A4 landscape.
 *
 * The document is laid out twice by the same code: a first pass only
 * measures, to know the number of pages ("Página N de M"); the second
 * draws.  Sharing the code is what makes both passes paginate alike.
 */
#include "render/render.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"

#define PAGE_W 841.89 /* A4 landscape, points */
#define PAGE_H 595.28
#define MARGIN 28.0
#define PAD 2.0
#define FOOTER_H 16.0
#define FONT "DejaVu Sans"
#define BODY_SIZE "6.5"
#define CELL_MAX 10240

/* The PDF's columns: several O4 columns share a cell to fit the page. */
static const struct pdf_col {
	const char *title;
	double width;
} cols[] = {
	{"N.º de evento", 66},
	{"Canal", 38},
	{"Punto de atención (código, nombre, región)", 98},
	{"Tipo de trámite y solicitudes", 100},
	{"Aplicativos", 56},
	{"Escenario y motivo de ocurrencia", 62},
	{"Inicio (Lima)", 44},
	{"Fin (Lima)", 44},
	{"Minutos", 34},
	{"Motivo de cierre", 66},
	{"Origen", 46},
	{"Transacciones críticas", 56},
	{"Evaluación E1–E4", 75.89},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

static const struct trail_col {
	const char *title;
	double width;
} trail_cols[] = {
	{"Fecha y hora (Lima)", 80},
	{"Usuario", 150},
	{"Rol", 70},
	{"Paso", 180},
	{"Comentario / referencia", 305.89},
};
#define N_TRAIL (sizeof(trail_cols) / sizeof(trail_cols[0]))

struct pdf {
	const struct report_doc *doc;
	cairo_t *cr;
	PangoContext *ctx;
	PangoLayout *text, *bold, *title, *mono;
	int drawing; /* 0: measuring pass */
	int page, pages;
	double y;
	char generated[32];
};

/* ---------- text ---------- */

static PangoLayout *layout_new(PangoContext *ctx, const char *font)
{
	PangoLayout *l = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	return l;
}

/* Height of `s` set in `l` within `width` points (< 0: no wrapping). */
static double text_height(PangoLayout *l, const char *s, double width)
{
	int w, h;

	pango_layout_set_width(l, width < 0 ? -1
					    : (int)(width * PANGO_SCALE));
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Sets `s` at (x, y) within `width`; returns its height. */
static double text_at(struct pdf *p, PangoLayout *l, const char *s,
		      double x, double y, double width)
{
	double h = text_height(l, s, width);

	if (p->drawing) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	return h;
}

/* Right-aligned, one line, ending at x_right. */
static void text_right(struct pdf *p, PangoLayout *l, const char *s,
		       double x_right, double y)
{
	int w, h;

	pango_layout_set_width(l, -1);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	if (p->drawing) {
		cairo_move_to(p->cr, x_right - (double)w / PANGO_SCALE, y);
		pango_cairo_show_layout(p->cr, l);
	}
}

static void fill_rect(struct pdf *p, double x, double y, double w, double h,
		      double gray)
{
	if (!p->drawing)
		return;
	cairo_set_source_rgb(p->cr, gray, gray, gray);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void hline(struct pdf *p, double y)
{
	if (!p->drawing)
		return;
	cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(p->cr, 0.4);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

/* ---------- cells ---------- */

static void dmy_hm(int64_t utc, char *out, size_t n)
{
	char s[26];

	cal_format_lima(utc, s);
	/* "2026-11-03T09:15:00-05:00" -> "03/11/2026\n09:15" */
	snprintf(out, n, "%.2s/%.2s/%.4s\n%.5s", s + 8, s + 5, s, s + 11);
}

static void cell_text(const struct report_row *r, size_t col, char *out,
		      size_t n)
{
	switch (col) {
	case 0: snprintf(out, n, "%s", r->number); break;
	case 1: snprintf(out, n, "%s", r->channel); break;
	case 2:
		snprintf(out, n, "%s\n%s\n%s", r->point_code, r->point_name,
			 r->region);
		break;
	case 3: snprintf(out, n, "%s:\n%s", r->procedure, r->requests); break;
	case 4: snprintf(out, n, "%s", r->applications); break;
	case 5:
		snprintf(out, n, "%s%s%s", r->scenario, r->cause[0] ? "\n" : "",
			 r->cause);
		break;
	case 6: dmy_hm(r->started_at, out, n); break;
	case 7: dmy_hm(r->ended_at, out, n); break;
	case 8: snprintf(out, n, "%lld", (long long)r->minutes); break;
	case 9: snprintf(out, n, "%s", r->closure_reason); break;
	case 10: snprintf(out, n, "%s", r->origin); break;
	case 11: snprintf(out, n, "%s", r->critical); break;
	default:
		snprintf(out, n, "E1: %s\nE2: %s\nE3: %s\nE4: %s", r->e1,
			 r->over_1h ? "más de 1 hora" : "hasta 1 hora", r->e3,
			 r->e4);
	}
}

/* Column 0 never wraps: an event number must stay on one line. */
static double cell_width(size_t col)
{
	return col == 0 ? -1 : cols[col].width - 2 * PAD;
}

static double row_height(struct pdf *p, const struct report_row *r)
{
	char s[CELL_MAX];
	double h = 0, ch;

	for (size_t c = 0; c < N_COLS; c++) {
		cell_text(r, c, s, sizeof(s));
		ch = text_height(p->text, s, cell_width(c));
		if (ch > h)
			h = ch;
	}
	return h + 2 * PAD;
}

static void row_draw(struct pdf *p, const struct report_row *r, double h)
{
	char s[CELL_MAX];
	double x = MARGIN;

	for (size_t c = 0; c < N_COLS; c++) {
		cell_text(r, c, s, sizeof(s));
		text_at(p, p->text, s, x + PAD, p->y + PAD, cell_width(c));
		x += cols[c].width;
	}
	p->y += h;
	hline(p, p->y);
}

/* ---------- pages ---------- */

static double bottom(void)
{
	return PAGE_H - MARGIN - FOOTER_H;
}

static void page_footer(struct pdf *p)
{
	char left[160], right[48];

	snprintf(left, sizeof(left),
		 "Inop · Reporte N.º %lld · %s · generado el %s (hora de "
		 "Lima)",
		 (long long)p->doc->id, report_status_name(p->doc->status),
		 p->generated);
	snprintf(right, sizeof(right), "Página %d de %d", p->page,
		 p->pages);
	text_at(p, p->text, left, MARGIN, PAGE_H - MARGIN - 8, -1);
	text_right(p, p->text, right, PAGE_W - MARGIN, PAGE_H - MARGIN - 8);
}

static void page_header(struct pdf *p)
{
	const struct report_doc *d = p->doc;
	char line[256];

	p->y = MARGIN;
	p->y += text_at(p, p->title, REPORT_TITLE, MARGIN, p->y, -1) + 2;
	snprintf(line, sizeof(line),
		 "Reporte N.º %lld · Periodo del %.2s/%.2s/%.4s al "
		 "%.2s/%.2s/%.4s (días de Lima) · Estado: %s · %zu eventos",
		 (long long)d->id, d->from + 8, d->from + 5, d->from,
		 d->to + 8, d->to + 5, d->to, report_status_name(d->status),
		 d->n_rows);
	p->y += text_at(p, p->text, line, MARGIN, p->y, -1) + 1;
	if (d->hash[0])
		snprintf(line, sizeof(line),
			 "Huella SHA-256 del contenido congelado: %s", d->hash);
	else
		snprintf(line, sizeof(line),
			 "BORRADOR: el contenido se congela al pasar a "
			 "revisión; no enviar a OSIPTEL");
	p->y += text_at(p, p->mono, line, MARGIN, p->y, -1) + 6;
}

static void new_page(struct pdf *p)
{
	if (p->page > 0) {
		page_footer(p);
		if (p->drawing)
			cairo_show_page(p->cr);
	}
	p->page++;
	page_header(p);
}

static void table_header(struct pdf *p)
{
	double x = MARGIN, h = 0, ch;

	for (size_t c = 0; c < N_COLS; c++) {
		ch = text_height(p->bold, cols[c].title, cols[c].width - 2 * PAD);
		if (ch > h)
			h = ch;
	}
	h += 2 * PAD;
	fill_rect(p, MARGIN, p->y, PAGE_W - 2 * MARGIN, h, 0.86);
	for (size_t c = 0; c < N_COLS; c++) {
		text_at(p, p->bold, cols[c].title, x + PAD, p->y + PAD,
			cols[c].width - 2 * PAD);
		x += cols[c].width;
	}
	p->y += h;
}

static void events_table(struct pdf *p)
{
	const struct report_doc *d = p->doc;

	table_header(p);
	if (d->n_rows == 0)
		p->y += text_at(p, p->text,
				"El reporte no contiene eventos: no hubo "
				"eventos reportables cerrados en el periodo.",
				MARGIN + PAD, p->y + PAD, -1) +
			2 * PAD;
	for (size_t i = 0; i < d->n_rows; i++) {
		double h = row_height(p, &d->rows[i]);

		if (p->y + h > bottom() && p->y > MARGIN + 60) {
			new_page(p);
			table_header(p);
		}
		row_draw(p, &d->rows[i], h);
	}
}

/* ---------- the approval trail ---------- */

static void trail_cell(const struct report_step *s, size_t col, char *out,
		       size_t n)
{
	enum report_status from = REPORT_BORRADOR, to = REPORT_BORRADOR;
	char at[26];

	report_status_parse(s->from, &from);
	report_status_parse(s->to, &to);
	switch (col) {
	case 0:
		cal_format_lima(s->at, at);
		snprintf(out, n, "%.2s/%.2s/%.4s %.8s", at + 8, at + 5, at,
			 at + 11);
		break;
	case 1: snprintf(out, n, "%s (%s)", s->name, s->username); break;
	case 2: snprintf(out, n, "%s", s->role); break;
	case 3:
		if (s->from[0])
			snprintf(out, n, "%s → %s", report_status_name(from),
				 report_status_name(to));
		else
			snprintf(out, n, "Creación (%s)",
				 report_status_name(to));
		break;
	default:
		snprintf(out, n, "%s%s%s", s->comment,
			 s->comment[0] && s->reference[0] ? "\n" : "",
			 s->reference[0] ? "Referencia: " : "");
		if (s->reference[0])
			snprintf(out + strlen(out), n - strlen(out), "%s",
				 s->reference);
	}
}

static double trail_row(struct pdf *p, const struct report_step *s,
			PangoLayout *l, int head)
{
	char text[CELL_MAX];
	double x = MARGIN, h = 0, ch;

	for (int pass = 0; pass < 2; pass++) {
		int draw = p->drawing;

		x = MARGIN;
		p->drawing = draw && pass == 1;
		if (pass == 1 && head)
			fill_rect(p, MARGIN, p->y, PAGE_W - 2 * MARGIN, h,
				  0.86);
		for (size_t c = 0; c < N_TRAIL; c++) {
			if (head)
				snprintf(text, sizeof(text), "%s",
					 trail_cols[c].title);
			else
				trail_cell(s, c, text, sizeof(text));
			ch = text_at(p, l, text, x + PAD, p->y + PAD,
				     trail_cols[c].width - 2 * PAD);
			if (pass == 0 && ch + 2 * PAD > h)
				h = ch + 2 * PAD;
			x += trail_cols[c].width;
		}
		p->drawing = draw;
	}
	return h;
}

static void trail(struct pdf *p)
{
	const struct report_doc *d = p->doc;

	if (p->y + 60 > bottom())
		new_page(p);
	p->y += 10;
	p->y += text_at(p, p->bold, "Trayectoria de aprobación", MARGIN, p->y,
			-1) + 3;
	p->y += trail_row(p, NULL, p->bold, 1);
	if (d->n_trail == 0)
		p->y += text_at(p, p->text, "Sin transiciones todavía.",
				MARGIN + PAD, p->y + PAD, -1) + 2 * PAD;
	for (size_t i = 0; i < d->n_trail; i++) {
		int draw = p->drawing;
		double h;

		p->drawing = 0;
		h = trail_row(p, &d->trail[i], p->text, 0);
		p->drawing = draw;
		if (p->y + h > bottom()) {
			new_page(p);
			p->y += trail_row(p, NULL, p->bold, 1);
		}
		p->y += trail_row(p, &d->trail[i], p->text, 0);
		hline(p, p->y);
	}
	p->y += 6;
	if (d->hash[0]) {
		char line[128];

		snprintf(line, sizeof(line),
			 "Huella SHA-256 del contenido congelado: %s", d->hash);
		text_at(p, p->mono, line, MARGIN, p->y, -1);
	}
}

/* One pass over the whole document: measuring or drawing. */
static void layout_document(struct pdf *p)
{
	p->page = 0;
	new_page(p);
	events_table(p);
	trail(p);
	page_footer(p);
	if (p->drawing)
		cairo_show_page(p->cr);
}

/* ---------- the file ---------- */

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int len)
{
	return buf_append(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
}

static void set_metadata(cairo_surface_t *s, const struct report_doc *doc)
{
	char at[26];

	cal_format_lima(doc->generated_at, at);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       REPORT_TITLE);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Inop");
	/* A frozen report exports the same document every time. */
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, at);
}

static void layouts_new(struct pdf *p)
{
	p->ctx = pango_cairo_create_context(p->cr);
	/* Sizes in points: the page is measured in points, not pixels. */
	pango_cairo_context_set_resolution(p->ctx, 72);
	p->text = layout_new(p->ctx, FONT " " BODY_SIZE);
	p->bold = layout_new(p->ctx, FONT " Bold " BODY_SIZE);
	pango_layout_set_wrap(p->bold, PANGO_WRAP_WORD);
	p->title = layout_new(p->ctx, FONT " Bold 12");
	p->mono = layout_new(p->ctx, "DejaVu Sans Mono 6.5");
}

static void layouts_free(struct pdf *p)
{
	g_object_unref(p->text);
	g_object_unref(p->bold);
	g_object_unref(p->title);
	g_object_unref(p->mono);
	g_object_unref(p->ctx);
}

int render_pdf(const struct report_doc *doc, struct buf *out)
{
	struct pdf p = {.doc = doc};
	cairo_surface_t *s;
	char at[26];
	int rc;

	s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -1;
	}
	set_metadata(s, doc);
	p.cr = cairo_create(s);
	cal_format_lima(doc->generated_at, at);
	snprintf(p.generated, sizeof(p.generated), "%.2s/%.2s/%.4s %.5s",
		 at + 8, at + 5, at, at + 11);
	layouts_new(&p);
	layout_document(&p);
	p.pages = p.page;
	p.drawing = 1;
	layout_document(&p);
	layouts_free(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}
