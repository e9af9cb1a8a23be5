/*
 * K1: the paper form, drawn with cairo (PDF surface) and pango (text,
 * DejaVu fonts).  Two A4 pages: the registration on the first, closure,
 * critical transactions, signature and the regularisation steps on the
 * second.  Every choice printed comes from the catalogue, so the paper
 * offers exactly what the registration screen offers.
 */
#include "render/manual_form_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"
#include "util/buf.h"
#include "util/str.h"

/* Text for the page: where str_printf/str_copy cut, the cut is shown. */

#define PAGE_W	    595.28 /* A4 in points */
#define PAGE_H	    841.89
#define MARGIN	    34.0
#define CONTENT_W   (PAGE_W - 2 * MARGIN)
#define PDF_MAX	    (16u << 20)
#define MAX_CHOICES 64

#define FONT	     "DejaVu Sans 9"
#define FONT_B	     "DejaVu Sans Bold 9"
#define FONT_SMALL   "DejaVu Sans 7.5"
#define FONT_TITLE   "DejaVu Sans Bold 16"
#define FONT_SERIAL  "DejaVu Sans Mono Bold 13"
#define FONT_SECTION "DejaVu Sans Bold 10"

struct pen {
	cairo_t *cr;
	double y; /* where the next block starts */
	const struct manual_form_doc *doc;
};

/* ---------- drawing primitives ---------- */

/* Draws `s` wrapped to width w at (x, y); returns its height. */
static double text_at(cairo_t *cr, double x, double y, double w,
		      const char *font, const char *s)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	int pw, ph;

	/* Points on paper: pango would otherwise assume a 96 dpi screen. */
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, s, -1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	pango_layout_get_size(l, &pw, &ph);
	pango_font_description_free(fd);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

static void rect(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_set_line_width(cr, 0.7);
	cairo_rectangle(cr, x, y, w, h);
	cairo_stroke(cr);
}

static void grey(cairo_t *cr, double level)
{
	cairo_set_source_rgb(cr, level, level, level);
}

/* A paragraph across the page; advances the pen. */
static void para(struct pen *p, const char *font, const char *s)
{
	p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, font, s) + 3;
}

/* A section title on a grey band. */
static void section(struct pen *p, const char *title)
{
	p->y += 4;
	grey(p->cr, 0.86);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, 15);
	cairo_fill(p->cr);
	grey(p->cr, 0);
	text_at(p->cr, MARGIN + 4, p->y + 2, CONTENT_W - 8, FONT_SECTION,
		title);
	p->y += 19;
}

/* Check boxes in `cols` columns, one per label. */
static void choices(struct pen *p, const char *const *labels, int n, int cols)
{
	double colw = CONTENT_W / cols, row_h = 0, h;

	for (int i = 0; i < n; i++) {
		double x = MARGIN + colw * (i % cols);

		rect(p->cr, x + 1, p->y + 1.5, 7, 7);
		h = text_at(p->cr, x + 12, p->y, colw - 16, FONT, labels[i]);
		if (h > row_h)
			row_h = h;
		if (i % cols == cols - 1 || i == n - 1) {
			p->y += row_h + 3;
			row_h = 0;
		}
	}
}

/* A labelled box to write in, `lines` lines high, at x with width w. */
static double write_box(cairo_t *cr, double x, double y, double w,
			const char *label, const char *hint, int lines)
{
	double h = text_at(cr, x, y, w, FONT_B, label) + 1;

	rect(cr, x, y + h, w, 15.0 * lines);
	if (hint) {
		grey(cr, 0.55);
		text_at(cr, x + 3, y + h + 3, w - 6, FONT_SMALL, hint);
		grey(cr, 0);
	}
	return h + 15.0 * lines + 6;
}

/* A write-in box across the page. */
static void field(struct pen *p, const char *label, const char *hint,
		  int lines)
{
	p->y += write_box(p->cr, MARGIN, p->y, CONTENT_W, label, hint, lines);
}

/* Two write-in boxes side by side. */
static void field_pair(struct pen *p, const char *l1, const char *h1,
		       const char *l2, const char *h2, int lines)
{
	double w = (CONTENT_W - 10) / 2;
	double a = write_box(p->cr, MARGIN, p->y, w, l1, h1, lines);
	double b = write_box(p->cr, MARGIN + w + 10, p->y, w, l2, h2, lines);

	p->y += a > b ? a : b;
}

/* ---------- catalogue choices ---------- */

/* The names of the catalogue items of `kind` (and `parent`, if given). */
static int names_of(const struct catalog *cat, const char *kind,
		    const char *parent, const char **out)
{
	int n = 0;

	for (size_t i = 0; i < cat->n && n < MAX_CHOICES; i++) {
		const struct cat_item *it = &cat->items[i];

		if (strcmp(it->kind, kind) != 0 ||
		    (parent && strcmp(it->parent, parent) != 0))
			continue;
		/* Tests are registered by ADMIN only, never on paper. */
		if (strcmp(kind, "scenario") == 0 &&
		    strcmp(it->code, "PRUEBA") == 0)
			continue;
		out[n++] = it->name;
	}
	return n;
}

static void catalog_choices(struct pen *p, const char *kind,
			    const char *parent, int cols)
{
	const char *labels[MAX_CHOICES];

	choices(p, labels, names_of(p->doc->cat, kind, parent, labels), cols);
}

static const char *item_name(const struct catalog *cat, const char *kind,
			     const char *code)
{
	const struct cat_item *it = catalog_find(cat, kind, NULL, code);

	return it ? it->name : code;
}

/* ---------- the blocks of the form ---------- */

static void header(struct pen *p)
{
	const struct manual_form *f = p->doc->form;
	double serial_w = 200, left_w = CONTENT_W - serial_w - 12, h;

	rect(p->cr, PAGE_W - MARGIN - serial_w, p->y, serial_w, 40);
	text_at(p->cr, PAGE_W - MARGIN - serial_w + 6, p->y + 4, serial_w - 12,
		FONT_SMALL, "N.º de formato (úselo al regularizar)");
	text_at(p->cr, PAGE_W - MARGIN - serial_w + 6, p->y + 18,
		serial_w - 12, FONT_SERIAL, f->serial);
	h = text_at(p->cr, MARGIN, p->y, left_w, FONT_TITLE,
		    "Formato Manual de Registro de Inoperatividad");
	h += text_at(p->cr, MARGIN, p->y + h + 2, left_w, FONT_SMALL,
		     "Registro correlativo de eventos de inoperatividad "
		     "exigido por OSIPTEL. Úselo solo cuando no se pueda "
		     "registrar en Inop.");
	p->y += (h + 2 > 40 ? h + 2 : 40) + 6;
}

static void point_block(struct pen *p)
{
	const struct point_ref *pt = &p->doc->form->point;
	char line[1400], lines[CODES_MAX * 8] = "";

	for (size_t i = 0; p->doc->lines && i < p->doc->lines->n; i++) {
		size_t len = strlen(lines);

		(void)str_printf(lines + len, sizeof(lines) - len, "%s%s",
				 i ? ", " : "", p->doc->lines->v[i]);
	}
	section(p, "Punto de atención");
	(void)str_printf(line, sizeof(line), "Punto de atención: %s (%s)",
			 pt->name, pt->code);
	para(p, FONT_B, line);
	(void)str_printf(line, sizeof(line),
			 "Tipo de punto: %s · Canal: %s · Región: %s%s%s",
			 item_name(p->doc->cat, "point_type", pt->type),
			 strcmp(pt->channel, "PRESENCIAL") == 0 ? "Presencial"
								: "Telefónico",
			 pt->region, lines[0] ? " · Líneas: " : "", lines);
	para(p, FONT, line);
}

static void mailboxes_block(struct pen *p)
{
	const char *fallas = p->doc->mailbox_fallas;
	const char *cc = p->doc->mailbox_cc;
	char line[1200], list[1100] = "";
	size_t len = 0;

	/* "a@x,b@x" -> "a@x, b@x" */
	for (; cc && *cc && len + 3 < sizeof(list); cc++) {
		list[len++] = *cc;
		if (*cc == ',' && cc[1] != ' ')
			list[len++] = ' ';
	}
	list[len] = '\0';

	section(p, "Buzones de contingencia");
	(void)str_printf(
		line, sizeof(line),
		"Si no puede registrar en Inop, repórtelo de inmediato al "
		"buzón de Fallas de Sistemas y Plataforma: %s",
		fallas && *fallas ? fallas : "(no configurado)");
	para(p, FONT, line);
	(void)str_printf(line, sizeof(line), "Con copia a: %s",
			 list[0] ? list : "(no configurado)");
	para(p, FONT, line);
}

static void requests_block(struct pen *p)
{
	const struct catalog *cat = p->doc->cat;

	para(p, FONT_B,
	     "Solicitudes reguladas que pidió el cliente (marque "
	     "las del tipo de trámite elegido)");
	for (size_t i = 0; i < cat->n; i++) {
		const struct cat_item *it = &cat->items[i];

		if (strcmp(it->kind, "procedure") != 0)
			continue;
		p->y += text_at(p->cr, MARGIN, p->y, CONTENT_W, FONT_SMALL,
				it->name) +
			1;
		catalog_choices(p, "request", it->code, 3);
	}
}

static void registration_block(struct pen *p)
{
	static const char *const attest[] = {
		"Confirmo que el aplicativo no funciona en ninguna PC del "
		"punto y que no se puede registrar la solicitud regulada del "
		"cliente (la lentitud o la intermitencia no son "
		"inoperatividad)."};

	section(p, "1. Registro de la inoperatividad");
	para(p, FONT_B, "Tipo de trámite (uno por formato)");
	catalog_choices(p, "procedure", NULL, 4);
	requests_block(p);
	para(p, FONT_B,
	     "Aplicativos que no funcionan (SICAR solo junto con "
	     "SISACT o SISACT Prepago)");
	catalog_choices(p, "application", NULL, 3);
	para(p, FONT_B, "Escenario");
	catalog_choices(p, "scenario", NULL, 2);
	para(p, FONT_B, "Motivo de ocurrencia");
	catalog_choices(p, "cause", NULL, 3);
	field_pair(p, "N.º de falla masiva (si Fallas la comunicó)", NULL,
		   "Fecha y hora de inicio (hora de Lima)",
		   "dd / mm / aaaa    hh : mm", 1);
	choices(p, attest, 1, 1);
	field(p, "Descripción / detalle",
	      "Qué se observa: mensaje de error, "
	      "clientes esperando…",
	      4);
}

static void closure_block(struct pen *p)
{
	section(p, "2. Cierre");
	field(p, "Fecha y hora de fin (hora de Lima)",
	      "dd / mm / aaaa    hh : mm", 1);
	para(p, FONT_B, "Motivo de cierre");
	catalog_choices(p, "closure_reason", NULL, 3);
	field(p, "Sustento (obligatorio si es Error de usuario)", NULL, 3);
}

static void critical_table(struct pen *p)
{
	static const char *const heads[] = {
		"Tipo de transacción crítica", "Referencia del cliente",
		"Fecha y hora de atención", "Cómo se atendió",
		"Referencia del sistema (al regularizar)"};
	static const double widths[] = {0.22, 0.19, 0.17, 0.22, 0.20};
	double x = MARGIN, row = 30;

	for (int c = 0; c < 5; c++) {
		double w = CONTENT_W * widths[c];

		rect(p->cr, x, p->y, w, 22);
		text_at(p->cr, x + 2, p->y + 2, w - 4, FONT_SMALL, heads[c]);
		for (int r = 0; r < 8; r++)
			rect(p->cr, x, p->y + 22 + row * r, w, row);
		x += w;
	}
	p->y += 22 + row * 8 + 6;
}

static void critical_block(struct pen *p)
{
	section(p, "3. Transacciones críticas atendidas");
	para(p, FONT,
	     "Con la inoperatividad registrada, atienda "
	     "obligatoriamente estas transacciones y anote cada una "
	     "(tipo):");
	catalog_choices(p, "critical_transaction", NULL, 2);
	critical_table(p);
}

static void signature_block(struct pen *p)
{
	section(p, "4. Responsable del punto");
	field_pair(p, "Jefe / Supervisor / Coordinador (nombre)", NULL,
		   "Firma", NULL, 3);
}

static void regularisation_block(struct pen *p)
{
	char line[600];

	section(p, "5. Regularización en Inop");
	(void)str_printf(
		line, sizeof(line),
		"Cuando Inop vuelva a estar disponible, el jefe del punto "
		"registra este formato en Inop como «Regularizar formato "
		"manual» (origen MANUAL) con el N.º de formato %s y las "
		"horas originales, dentro de los %d días; pasado ese plazo lo "
		"regulariza Control con un sustento. Luego agrega las "
		"transacciones críticas con su referencia del sistema y "
		"cierra el evento con la hora de fin. Cada número de formato "
		"se usa una sola vez; los números no usados quedan a la "
		"vista de Control.",
		p->doc->form->serial,
		p->doc->max_age_days ? p->doc->max_age_days : 30);
	para(p, FONT, line);
}

static void footer(struct pen *p, int page)
{
	char when[26], line[400];

	cal_format_lima(p->doc->generated_at, when);
	when[16] = '\0';
	when[10] = ' ';
	(void)str_printf(
		line, sizeof(line),
		"%s · %s · Generado por Inop el %s (hora de Lima) por %s · "
		"Página %d de 2",
		p->doc->form->serial, p->doc->form->point.code, when,
		p->doc->generated_by, page);
	grey(p->cr, 0.4);
	text_at(p->cr, MARGIN, PAGE_H - MARGIN + 10, CONTENT_W, FONT_SMALL,
		line);
	grey(p->cr, 0);
}

/* ---------- the document ---------- */

static cairo_status_t write_buf(void *closure, const unsigned char *data,
				unsigned int length)
{
	return buf_append(closure, data, length) == 0
		       ? CAIRO_STATUS_SUCCESS
		       : CAIRO_STATUS_WRITE_ERROR;
}

static void draw(cairo_t *cr, const struct manual_form_doc *doc)
{
	struct pen p = {.cr = cr, .y = MARGIN, .doc = doc};

	header(&p);
	point_block(&p);
	mailboxes_block(&p);
	registration_block(&p);
	footer(&p, 1);
	cairo_show_page(cr);
	p.y = MARGIN;
	closure_block(&p);
	critical_block(&p);
	signature_block(&p);
	regularisation_block(&p);
	footer(&p, 2);
	cairo_show_page(cr);
}

int render_manual_form_pdf(const struct manual_form_doc *doc, char **out,
			   size_t *len)
{
	struct buf b;
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;

	buf_init(&b, PDF_MAX);
	s = cairo_pdf_surface_create_for_stream(write_buf, &b, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       "Formato Manual de Registro de "
				       "Inoperatividad");
	cr = cairo_create(s);
	draw(cr, doc);
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

/*
 * Drops this thread's pango font map at exit.  cairo's and fontconfig's
 * process-wide caches stay: cairo_debug_reset_static_data() and FcFini()
 * are debugging aids that abort (cairo-hash.c: live_entries == 0) when
 * any font is still referenced, which pango's own threads may still do
 * for a moment at exit -- it failed `inop form manual` once in the
 * issue 17 stress run.  LeakSanitizer is told about those caches in
 * tests/lsan.supp instead.
 */
void render_release(void)
{
	pango_cairo_font_map_set_default(NULL);
}
