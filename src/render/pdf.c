/*
 * O4: the report as PDF (pango + the PDF writer pdfw.h, DejaVu Sans), A4
 * landscape.
 *
 * The document is laid out twice by the same code: a first pass only
 * measures, to know the number of pages ("Página N de M"); the second
 * draws.  Sharing the code is what makes both passes paginate alike.
 */
#include "render/render.h"

#include <pango/pango.h>

#include "render/chart.h"
#include "render/pdfw.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/cal.h"
#include "domain/roles.h"
#include "util/str.h"

/* Text for the page: where str_printf/str_copy cut, the cut is shown. */

#define PAGE_W	  841.89 /* A4 landscape, points */
#define PAGE_H	  595.28
#define MARGIN	  28.0
#define PAD	  2.0
#define FOOTER_H  16.0
#define FONT	  "DejaVu Sans"
#define BODY_SIZE "6.5"
#define CELL_MAX  10240
/*
 * No ligatures: table text is drawn as bare glyphs, and a reader copying
 * "fluido" must not get the single character "ﬂ".
 */
#define FEATURES "liga=0, clig=0"

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

/*
 * Shaping text is most of a PDF's cost, and most cells repeat (the same
 * point, procedure, reason on many rows): each column keeps the layouts
 * of the texts it has seen, shaped once, drawn as often as needed.
 */
#define CACHE_SLOTS 4096 /* per column, a power of 2 */
#define CACHE_MAX   2048 /* texts cached per column; then shaped each time */

struct cached {
	char *text;
	PangoLayout *layout;
	double height;
	struct pdfw_glyph *glyphs; /* filled when first drawn */
	size_t n_glyphs;
};

struct cache {
	struct cached *slots;
	size_t n;
};

struct pdf {
	const struct report_doc *doc;
	struct cache cache[N_COLS]; /* one per column of cols[] */
	double line_h;		    /* of the body font */
	/* Set once, drawn on every page: */
	struct fixed {
		PangoLayout *layout;
		struct pdfw_glyph *glyphs; /* filled when first drawn */
		size_t n;
	} head[N_COLS], page_title, page_meta, page_hash, page_foot;
	double head_h;
	double *rules; /* the y of each row's rule on this page */
	size_t n_rules, cap_rules;
	int failed;	       /* out of memory */
	double *heights;       /* of each row, from the measuring pass */
	struct report_row row; /* the one read back from doc->rows */
	struct pdfw *w;
	struct pdfw_line *line; /* the body font, for numbers and times */
	PangoContext *ctx;
	PangoLayout *text, *bold, *mono;
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
	PangoAttrList *attrs = pango_attr_list_new();

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_attr_list_insert(attrs, pango_attr_font_features_new(FEATURES));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	return l;
}

/* Height of `s` set in `l` within `width` points (< 0: no wrapping). */
static double text_height(PangoLayout *l, const char *s, double width)
{
	int w, h;

	pango_layout_set_width(l, width < 0 ? -1 : (int)(width * PANGO_SCALE));
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Sets `s` at (x, y) within `width`; returns its height. */
static double text_at(struct pdf *p, PangoLayout *l, const char *s, double x,
		      double y, double width)
{
	double h = text_height(l, s, width);

	if (p->drawing)
		pdfw_layout(p->w, l, x, y);
	return h;
}

/* Draws one line in the body font with HarfBuzz alone; 0, or -1. */
#define LINE_GLYPHS 128

/* One line `s` in the body font shaped by HarfBuzz alone; 0 or -1. */
static int line_shape(struct pdf *p, const char *s, struct pdfw_glyph *g,
		      size_t *n, double *w)
{
	return p->line ? pdfw_line_glyphs(p->w, p->line, s, g, LINE_GLYPHS, n,
					  w)
		       : -1;
}

static int line_draw(struct pdf *p, const char *s, double x, double y,
		     int right)
{
	struct pdfw_glyph g[LINE_GLYPHS];
	size_t n;
	double w;

	if (line_shape(p, s, g, &n, &w) < 0)
		return -1;
	pdfw_glyphs(p->w, g, n, right ? x - w : x, y);
	return 0;
}

/* Right-aligned, one line, ending at x_right. */
static void text_right(struct pdf *p, PangoLayout *l, const char *s,
		       double x_right, double y)
{
	int w, h;

	if (p->drawing && l == p->text && line_draw(p, s, x_right, y, 1) == 0)
		return;
	pango_layout_set_width(l, -1);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	if (p->drawing)
		pdfw_layout(p->w, l, x_right - (double)w / PANGO_SCALE, y);
}

static void fill_rect(struct pdf *p, double x, double y, double w, double h,
		      double gray)
{
	if (!p->drawing)
		return;
	pdfw_rgb(p->w, gray, gray, gray);
	pdfw_rect(p->w, x, y, w, h);
	pdfw_fill(p->w);
	pdfw_rgb(p->w, 0, 0, 0);
}

/* A rule under a row, stroked with the others when the page ends. */
static void hline(struct pdf *p, double y)
{
	double *grown;

	if (!p->drawing)
		return;
	if (p->n_rules == p->cap_rules) {
		p->cap_rules = p->cap_rules ? p->cap_rules * 2 : 64;
		grown = realloc(p->rules, p->cap_rules * sizeof(*grown));
		if (!grown) {
			p->failed = 1;
			return;
		}
		p->rules = grown;
	}
	p->rules[p->n_rules++] = y;
}

static void rules_flush(struct pdf *p)
{
	if (p->drawing && p->n_rules) {
		pdfw_rgb(p->w, 0.6, 0.6, 0.6);
		pdfw_line_width(p->w, 0.4);
		for (size_t i = 0; i < p->n_rules; i++) {
			pdfw_move_to(p->w, MARGIN, p->rules[i]);
			pdfw_line_to(p->w, PAGE_W - MARGIN, p->rules[i]);
		}
		pdfw_stroke(p->w);
		pdfw_rgb(p->w, 0, 0, 0);
	}
	p->n_rules = 0;
}

/* ---------- glyphs ---------- */

static void draw_cached(struct pdf *p, struct cached *e, double x, double y)
{
	if (!e->glyphs && pdfw_layout_glyphs(p->w, e->layout, &e->glyphs,
					     &e->n_glyphs) < 0) {
		p->failed = 1;
		return;
	}
	pdfw_glyphs(p->w, e->glyphs, e->n_glyphs, x, y);
}

/* Draws a text that every page repeats (its glyphs taken once). */
static void show_fixed(struct pdf *p, struct fixed *f, double x, double y)
{
	if (!p->drawing)
		return;
	if (!f->glyphs &&
	    pdfw_layout_glyphs(p->w, f->layout, &f->glyphs, &f->n) < 0) {
		p->failed = 1;
		return;
	}
	pdfw_glyphs(p->w, f->glyphs, f->n, x, y);
} /* NOLINT(clang-analyzer-unix.Malloc): f->glyphs, freed by fixed_free() */

/* ---------- cells ---------- */

static void dmy_hm(int64_t utc, char *out, size_t n)
{
	char s[26];

	cal_format_lima(utc, s);
	/* "2026-11-03T09:15:00-05:00" -> "03/11/2026\n09:15" */
	(void)str_printf(out, n, "%.2s/%.2s/%.4s\n%.5s", s + 8, s + 5, s,
			 s + 11);
}

/* The text of PDF cell `col`: a field of `r`, or composed in `out`. */
static const char *cell_text(const struct report_row *r, size_t col, char *out,
			     size_t n)
{
	switch (col) {
	case 0:
		return r->number;
	case 1:
		return r->channel;
	case 2:
		(void)str_printf(out, n, "%s\n%s\n%s", r->point_code,
				 r->point_name, r->region);
		return out;
	case 3:
		(void)str_printf(out, n, "%s:\n%s", r->procedure, r->requests);
		break;
	case 4:
		return r->applications;
	case 5:
		if (!r->cause[0])
			return r->scenario;
		(void)str_printf(out, n, "%s\n%s", r->scenario, r->cause);
		break;
	case 6:
		dmy_hm(r->started_at, out, n);
		break;
	case 7:
		dmy_hm(r->ended_at, out, n);
		break;
	case 8:
		(void)str_printf(out, n, "%lld", (long long)r->minutes);
		break;
	case 9:
		return r->closure_reason;
	case 10:
		return r->origin;
	case 11:
		return r->critical;
	default:
		(void)str_printf(out, n, "E1: %s\nE2: %s\nE3: %s\nE4: %s",
				 r->e1,
				 r->over_1h ? "más de 1 hora" : "hasta 1 hora",
				 r->e3, r->e4);
	}
	return out;
}

/*
 * Numbers and times are one or two lines that always fit their column:
 * they are never wrapped, and their height is their line count.  The
 * times and minutes repeat from row to row line by line ("03/11/2026",
 * "09:15"), so each line is cached; event numbers never repeat.
 */
static int fixed_col(size_t col)
{
	return col == 0 || col == 6 || col == 7 || col == 8;
}

static double cell_width(size_t col)
{
	return fixed_col(col) ? -1 : cols[col].width - 2 * PAD;
}

static uint32_t hash_text(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The glyphs of one line `s` in the body font into e; 0 or -1. */
static int line_glyphs(struct pdf *p, const char *s, struct cached *e)
{
	struct pdfw_glyph g[LINE_GLYPHS];
	size_t n;
	double w;

	if (line_shape(p, s, g, &n, &w) < 0 || !n ||
	    !(e->glyphs = malloc(n * sizeof(*g))))
		return -1;
	memcpy(e->glyphs, g, n * sizeof(*g));
	e->n_glyphs = n;
	return 0;
}

/* The cached layout of `s` in column `col`, or NULL when it cannot be. */
static struct cached *cache_get(struct pdf *p, size_t col, const char *s)
{
	struct cache *c = &p->cache[col];
	size_t i = hash_text(s) & (CACHE_SLOTS - 1);
	struct cached *e;

	if (!c->slots) {
		c->slots = calloc(CACHE_SLOTS, sizeof(*c->slots));
		if (!c->slots)
			return NULL;
	}
	for (e = &c->slots[i]; e->text; e = &c->slots[i]) {
		if (strcmp(e->text, s) == 0)
			return e;
		i = (i + 1) & (CACHE_SLOTS - 1);
	}
	if (c->n >= CACHE_MAX || !(e->text = strdup(s)))
		return NULL;
	c->n++;
	/* A line of a fixed column is one line high: shaped by HarfBuzz
	 * alone, it needs no layout. */
	if (fixed_col(col) && line_glyphs(p, s, e) == 0) {
		e->height = p->line_h;
		return e;
	}
	e->layout = pango_layout_copy(p->text);
	e->height = text_height(e->layout, s, cell_width(col));
	return e;
}

static void cache_free(struct pdf *p)
{
	for (size_t c = 0; c < N_COLS; c++) {
		for (size_t i = 0; p->cache[c].slots && i < CACHE_SLOTS; i++) {
			free(p->cache[c].slots[i].text);
			free(p->cache[c].slots[i].glyphs);
			if (p->cache[c].slots[i].layout)
				g_object_unref(p->cache[c].slots[i].layout);
		}
		free(p->cache[c].slots);
	}
}

static double lines_height(struct pdf *p, const char *s)
{
	int lines = 1;

	for (; *s; s++)
		lines += *s == '\n';
	return lines * p->line_h;
}

/* Draws the lines of a fixed cell, each from the cache when it can. */
static void fixed_draw(struct pdf *p, size_t col, const char *s, double x)
{
	char line[64];
	double y = p->y + PAD;
	struct cached *e;

	while (*s) {
		size_t n = strcspn(s, "\n");

		(void)str_printf(line, sizeof(line), "%.*s", (int)n, s);
		e = col != 0 ? cache_get(p, col, line) : NULL;
		if (e) {
			draw_cached(p, e, x, y);
		} else if (line_draw(p, line, x, y, 0) < 0) {
			text_height(p->text, line, -1);
			pdfw_layout(p->w, p->text, x, y);
		}
		y += p->line_h;
		s += n + (s[n] == '\n');
	}
}

/* Height of a cell; draws it too in the drawing pass. */
static double cell(struct pdf *p, size_t col, const char *s, double x)
{
	struct cached *e;

	if (fixed_col(col)) {
		if (p->drawing)
			fixed_draw(p, col, s, x);
		return lines_height(p, s);
	}
	e = cache_get(p, col, s);
	if (!e) {
		double h = text_height(p->text, s, cell_width(col));

		if (p->drawing)
			pdfw_layout(p->w, p->text, x, p->y + PAD);
		return h;
	}
	if (p->drawing)
		draw_cached(p, e, x, p->y + PAD);
	return e->height;
}

static double row_height(struct pdf *p, const struct report_row *r)
{
	char s[CELL_MAX];
	double h = 0, ch;
	int draw = p->drawing;

	p->drawing = 0;
	for (size_t c = 0; c < N_COLS; c++) {
		ch = cell(p, c, cell_text(r, c, s, sizeof(s)), 0);
		if (ch > h)
			h = ch;
	}
	p->drawing = draw;
	return h + 2 * PAD;
}

static void row_draw(struct pdf *p, const struct report_row *r, double h)
{
	char s[CELL_MAX];
	double x = MARGIN;

	for (size_t c = 0; c < N_COLS && p->drawing; c++) {
		cell(p, c, cell_text(r, c, s, sizeof(s)), x + PAD);
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
	char right[48];

	(void)str_printf(right, sizeof(right), "Página %d de %d", p->page,
			 p->pages);
	show_fixed(p, &p->page_foot, MARGIN, PAGE_H - MARGIN - 8);
	text_right(p, p->text, right, PAGE_W - MARGIN, PAGE_H - MARGIN - 8);
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void page_header(struct pdf *p)
{
	p->y = MARGIN;
	show_fixed(p, &p->page_title, MARGIN, p->y);
	p->y += layout_height(p->page_title.layout) + 2;
	show_fixed(p, &p->page_meta, MARGIN, p->y);
	p->y += layout_height(p->page_meta.layout) + 1;
	show_fixed(p, &p->page_hash, MARGIN, p->y);
	p->y += layout_height(p->page_hash.layout) + 6;
}

static void new_page(struct pdf *p)
{
	if (p->page > 0) {
		page_footer(p);
		rules_flush(p);
		if (p->drawing)
			pdfw_page_end(p->w);
	}
	p->page++;
	page_header(p);
}

static void table_header(struct pdf *p)
{
	double x = MARGIN;

	fill_rect(p, MARGIN, p->y, PAGE_W - 2 * MARGIN, p->head_h, 0.86);
	for (size_t c = 0; c < N_COLS && p->drawing; c++) {
		show_fixed(p, &p->head[c], x + PAD, p->y + PAD);
		x += cols[c].width;
	}
	p->y += p->head_h;
}

/* The texts every page repeats, laid out once. */
static void page_layouts_new(struct pdf *p)
{
	const struct report_doc *d = p->doc;
	char line[512];
	double h;

	p->page_title.layout = layout_new(p->ctx, FONT " Bold 12");
	pango_layout_set_text(p->page_title.layout, REPORT_TITLE, -1);
	(void)str_printf(
		line, sizeof(line),
		"Reporte N.º %lld · Periodo del %.2s/%.2s/%.4s al "
		"%.2s/%.2s/%.4s (días de Lima) · Estado: %s · %zu eventos\n%s",
		(long long)d->id, d->from + 8, d->from + 5, d->from, d->to + 8,
		d->to + 5, d->to, report_status_name(d->status), d->rows->n,
		REPORT_DEADLINE_TEXT);
	p->page_meta.layout = pango_layout_copy(p->text);
	pango_layout_set_text(p->page_meta.layout, line, -1);
	if (d->hash[0])
		(void)str_printf(line, sizeof(line),
				 "Huella SHA-256 del contenido congelado: %s",
				 d->hash);
	else
		(void)str_copy(line, sizeof(line),
			       "BORRADOR: el contenido se congela al pasar a "
			       "revisión; no enviar a OSIPTEL");
	p->page_hash.layout = pango_layout_copy(p->mono);
	pango_layout_set_text(p->page_hash.layout, line, -1);
	(void)str_printf(
		line, sizeof(line),
		"Inop · Reporte N.º %lld · %s · generado el %s (hora de "
		"Lima)",
		(long long)d->id, report_status_name(d->status), p->generated);
	p->page_foot.layout = pango_layout_copy(p->text);
	pango_layout_set_text(p->page_foot.layout, line, -1);
	p->head_h = 0;
	for (size_t c = 0; c < N_COLS; c++) {
		p->head[c].layout = pango_layout_copy(p->bold);
		h = text_height(p->head[c].layout, cols[c].title,
				cols[c].width - 2 * PAD);
		if (h > p->head_h)
			p->head_h = h;
	}
	p->head_h += 2 * PAD;
}

static void fixed_free(struct fixed *f)
{
	if (f->layout)
		g_object_unref(f->layout);
	free(f->glyphs);
}

static void page_layouts_free(struct pdf *p)
{
	for (size_t c = 0; c < N_COLS; c++)
		fixed_free(&p->head[c]);
	fixed_free(&p->page_title);
	fixed_free(&p->page_meta);
	fixed_free(&p->page_hash);
	fixed_free(&p->page_foot);
	free(p->rules);
}

static void events_table(struct pdf *p)
{
	const struct report_doc *d = p->doc;

	table_header(p);
	if (d->rows->n == 0)
		p->y += text_at(p, p->text,
				"El reporte no contiene eventos: no hubo "
				"eventos reportables cerrados en el periodo.",
				MARGIN + PAD, p->y + PAD, -1) +
			2 * PAD;
	for (size_t i = 0; i < d->rows->n; i++) {
		const struct report_row *row =
			report_rows_get(d->rows, i, &p->row);
		double h;

		/* Measured once, in the first pass. */
		if (!p->drawing && p->heights)
			p->heights[i] = row_height(p, row);
		h = p->heights ? p->heights[i] : row_height(p, row);

		if (p->y + h > bottom() && p->y > MARGIN + 60) {
			new_page(p);
			table_header(p);
		}
		row_draw(p, row, h);
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
		(void)str_printf(out, n, "%.2s/%.2s/%.4s %.8s", at + 8, at + 5,
				 at, at + 11);
		break;
	case 1:
		(void)str_printf(out, n, "%s (%s)", s->name, s->username);
		break;
	case 2:
		(void)str_copy(out, n, role_name(s->role));
		break;
	case 3:
		if (s->from[0])
			(void)str_printf(out, n, "%s → %s",
					 report_status_name(from),
					 report_status_name(to));
		else
			(void)str_printf(out, n, "Creación (%s)",
					 report_status_name(to));
		break;
	default:
		(void)str_printf(out, n, "%s%s%s", s->comment,
				 s->comment[0] && s->reference[0] ? "\n" : "",
				 s->reference[0] ? "Referencia: " : "");
		if (s->reference[0])
			(void)str_copy(out + strlen(out), n - strlen(out),
				       s->reference);
	}
}

/* What the header row of the trail passes for a step. */
static const struct report_step no_step;

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
				(void)str_copy(text, sizeof(text),
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
			-1) +
		3;
	p->y += trail_row(p, &no_step, p->bold, 1);
	if (d->n_trail == 0)
		p->y += text_at(p, p->text, "Sin transiciones todavía.",
				MARGIN + PAD, p->y + PAD, -1) +
			2 * PAD;
	for (size_t i = 0; i < d->n_trail; i++) {
		int draw = p->drawing;
		double h;

		p->drawing = 0;
		h = trail_row(p, &d->trail[i], p->text, 0);
		p->drawing = draw;
		if (p->y + h > bottom()) {
			new_page(p);
			p->y += trail_row(p, &no_step, p->bold, 1);
		}
		p->y += trail_row(p, &d->trail[i], p->text, 0);
		hline(p, p->y);
	}
	p->y += 6;
	if (d->hash[0]) {
		char line[128];

		(void)str_printf(line, sizeof(line),
				 "Huella SHA-256 del contenido congelado: %s",
				 d->hash);
		text_at(p, p->mono, line, MARGIN, p->y, -1);
	}
}

#define ANNEX_CHART_H 240.0

/* The annex: each event's impact chart, two to a page. */
static void annex(struct pdf *p)
{
	const struct report_doc *d = p->doc;

	if (!d->charts || d->n_charts == 0)
		return;
	new_page(p);
	p->y += text_at(p, p->bold,
			"Anexo: impacto en el canal por evento "
			"(interacciones importadas)",
			MARGIN, p->y, -1) +
		4;
	for (size_t i = 0; i < d->n_charts; i++) {
		if (p->y + ANNEX_CHART_H > bottom())
			new_page(p);
		if (p->drawing)
			chart_impact_pdf(p->w, MARGIN, p->y,
					 PAGE_W - 2 * MARGIN, ANNEX_CHART_H,
					 &d->charts[i]);
		p->y += ANNEX_CHART_H + 6;
	}
}

/* O4: the "PDF para firma" has a signature line for each approver. */
static void signatures(struct pdf *p)
{
	static const char *const who[] = {"Firma y sello — Gerencia",
					  "Firma y sello — Dirección"};
	double w = (PAGE_W - 2 * MARGIN) / 2 - 40;

	if (p->y + 90 > bottom())
		new_page(p);
	p->y += 60;
	for (int i = 0; i < 2; i++) {
		double x = MARGIN + 20 + i * (w + 40);

		if (p->drawing) {
			pdfw_line_width(p->w, 0.6);
			pdfw_move_to(p->w, x, p->y);
			pdfw_line_to(p->w, x + w, p->y);
			pdfw_stroke(p->w);
		}
		text_at(p, p->text, who[i], x, p->y + 4, w);
	}
	p->y += 24;
}

/* One pass over the whole document: measuring or drawing. */
static void layout_document(struct pdf *p)
{
	p->page = 0;
	new_page(p);
	events_table(p);
	trail(p);
	signatures(p);
	annex(p);
	page_footer(p);
	rules_flush(p);
}

/* ---------- the file ---------- */

static void layouts_new(struct pdf *p)
{
	p->ctx = pdfw_pango(p->w);
	p->text = layout_new(p->ctx, FONT " " BODY_SIZE);
	p->bold = layout_new(p->ctx, FONT " Bold " BODY_SIZE);
	pango_layout_set_wrap(p->bold, PANGO_WRAP_WORD);
	p->mono = layout_new(p->ctx, "DejaVu Sans Mono 6.5");
	p->line_h = text_height(p->text, "Ág", -1);
	p->line = pdfw_line_new(p->w, p->text, FEATURES);
	page_layouts_new(p);
}

static void layouts_free(struct pdf *p)
{
	cache_free(p);
	pdfw_line_free(p->line);
	page_layouts_free(p);
	g_object_unref(p->text);
	g_object_unref(p->bold);
	g_object_unref(p->mono);
}

int render_pdf(const struct report_doc *doc, struct buf *out)
{
	struct pdf p = {.doc = doc};
	char at[26];
	int rc;

	p.w = pdfw_new(PAGE_W, PAGE_H);
	if (!p.w)
		return -1;
	cal_format_lima(doc->generated_at, at);
	(void)str_printf(p.generated, sizeof(p.generated),
			 "%.2s/%.2s/%.4s %.5s", at + 8, at + 5, at, at + 11);
	layouts_new(&p);
	p.heights = malloc((doc->rows->n ? doc->rows->n : 1) * sizeof(double));
	layout_document(&p);
	p.pages = p.page;
	p.drawing = 1;
	layout_document(&p);
	layouts_free(&p);
	free(p.heights);
	/* A frozen report exports the same document every time. */
	rc = pdfw_finish(p.w, REPORT_TITLE, "Inop", at, out);
	pdfw_free(p.w);
	return rc == 0 && !p.failed ? 0 : -1;
}
