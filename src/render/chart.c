/* The impact chart (chart.h), drawn once for SVG and PDF. */
#include "render/chart.h"

#include <cairo-svg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "render/pdfw.h"

#define FONT	  "DejaVu Sans"
#define PAD_L	  48.0
#define PAD_R	  12.0
#define PAD_T	  44.0
#define PAD_B	  34.0
#define COLOR_DAY 0.16, 0.38, 0.67
#define COLOR_AVG 0.35, 0.35, 0.35
#define COLOR_EVT 0.98, 0.80, 0.55

/*
 * Where the chart is drawn: cairo (the SVG of the event page) or the PDF
 * writer (the report's annex).  The drawing below is the same for both.
 */
struct canvas {
	cairo_t *cr; /* or: */
	struct pdfw *w;
	PangoContext *pango;
};

static void rgb(const struct canvas *c, double r, double g, double b)
{
	if (c->w)
		pdfw_rgb(c->w, r, g, b);
	else
		cairo_set_source_rgb(c->cr, r, g, b);
}

static void line_width(const struct canvas *c, double width)
{
	if (c->w)
		pdfw_line_width(c->w, width);
	else
		cairo_set_line_width(c->cr, width);
}

/* Dashes `on`, `off` points long; 0, 0: solid. */
static void dash(const struct canvas *c, double on, double off)
{
	double d[2] = {on, off};

	if (c->w)
		pdfw_dash(c->w, on, off);
	else
		cairo_set_dash(c->cr, d, on > 0 || off > 0 ? 2 : 0, 0);
}

static void rect(const struct canvas *c, double x, double y, double w,
		 double h)
{
	if (c->w)
		pdfw_rect(c->w, x, y, w, h);
	else
		cairo_rectangle(c->cr, x, y, w, h);
}

static void move_to(const struct canvas *c, double x, double y)
{
	if (c->w)
		pdfw_move_to(c->w, x, y);
	else
		cairo_move_to(c->cr, x, y);
}

static void line_to(const struct canvas *c, double x, double y)
{
	if (c->w)
		pdfw_line_to(c->w, x, y);
	else
		cairo_line_to(c->cr, x, y);
}

static void fill(const struct canvas *c)
{
	if (c->w)
		pdfw_fill(c->w);
	else
		cairo_fill(c->cr);
}

static void stroke(const struct canvas *c)
{
	if (c->w)
		pdfw_stroke(c->w);
	else
		cairo_stroke(c->cr);
}

/* Writes `s` with its top-left (or, with align 1, top-right; 2 centre)
 * at (x, y). */
static void text(const struct canvas *cv, const char *s, double x, double y,
		 int align, const char *font)
{
	PangoLayout *l = pango_layout_new(cv->pango);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	int w, h;

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	if (align == 1)
		x -= (double)w / PANGO_SCALE;
	else if (align == 2)
		x -= (double)w / PANGO_SCALE / 2;
	if (cv->w) {
		pdfw_layout(cv->w, l, x, y);
	} else {
		cairo_move_to(cv->cr, x, y);
		pango_cairo_show_layout(cv->cr, l);
	}
	g_object_unref(l);
}

static double max_value(const struct impact_chart *c)
{
	double m = 0;

	for (int b = 0; b < IMPACT_BUCKETS; b++) {
		if (c->day[b] > m)
			m = c->day[b];
		if (c->mean[b] > m)
			m = c->mean[b];
	}
	return m;
}

/* A round step giving about 5 gridlines up to `max`. */
static double nice_step(double max)
{
	double raw = max / 5, p = pow(10, floor(log10(raw > 0 ? raw : 1)));

	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static void axes(const struct canvas *cr, double x0, double y0, double pw,
		 double ph, double top, double step)
{
	char label[32];

	line_width(cr, 0.5);
	for (int k = 0; k * step <= top + 1e-9; k++) {
		double v = k * step, y = y0 + ph - v / top * ph;

		rgb(cr, 0.85, 0.85, 0.85);
		move_to(cr, x0, y);
		line_to(cr, x0 + pw, y);
		stroke(cr);
		rgb(cr, 0.2, 0.2, 0.2);
		(void)snprintf(label, sizeof(label), "%g", v);
		text(cr, label, x0 - 4, y - 6, 1, FONT " 7");
	}
	for (int hr = 0; hr <= 24; hr += 3) {
		double x = x0 + pw * hr / 24.0;

		(void)snprintf(label, sizeof(label), "%02d:00", hr);
		rgb(cr, 0.2, 0.2, 0.2);
		text(cr, label, x, y0 + ph + 4, 2, FONT " 7");
	}
	rgb(cr, 0.2, 0.2, 0.2);
	line_width(cr, 1);
	move_to(cr, x0, y0);
	line_to(cr, x0, y0 + ph);
	line_to(cr, x0 + pw, y0 + ph);
	stroke(cr);
}

static void series(const struct canvas *cr, const struct impact_chart *c,
		   double x0, double y0, double pw, double ph, double top)
{
	double bw = pw / IMPACT_BUCKETS;

	if (c->has_day) {
		rgb(cr, COLOR_DAY);
		for (int b = 0; b < IMPACT_BUCKETS; b++) {
			double h = c->day[b] / top * ph;

			rect(cr, x0 + b * bw + 0.5, y0 + ph - h, bw - 1, h);
		}
		fill(cr);
	}
	if (c->mean_days) {
		rgb(cr, COLOR_AVG);
		line_width(cr, 1.5);
		dash(cr, 4, 2);
		for (int b = 0; b < IMPACT_BUCKETS; b++) {
			double x = x0 + (b + 0.5) * bw;
			double y = y0 + ph - c->mean[b] / top * ph;

			if (b == 0)
				move_to(cr, x, y);
			else
				line_to(cr, x, y);
		}
		stroke(cr);
		dash(cr, 0, 0);
	}
}

static void legend(const struct canvas *cr, const struct impact_chart *c,
		   double x, double y)
{
	char s[64];

	rgb(cr, COLOR_DAY);
	rect(cr, x, y + 3, 10, 8);
	fill(cr);
	rgb(cr, 0.1, 0.1, 0.1);
	text(cr, c->has_day ? "Día del evento" : "Día del evento: sin datos",
	     x + 14, y, 0, FONT " 7.5");
	rgb(cr, COLOR_AVG);
	move_to(cr, x + 150, y + 7);
	line_to(cr, x + 165, y + 7);
	stroke(cr);
	rgb(cr, 0.1, 0.1, 0.1);
	if (c->mean_days)
		(void)snprintf(s, sizeof(s), "Media de %d día(s) previo(s)",
			       c->mean_days);
	else
		(void)snprintf(s, sizeof(s), "Días previos: sin datos");
	text(cr, s, x + 169, y, 0, FONT " 7.5");
	rgb(cr, COLOR_EVT);
	rect(cr, x + 330, y + 3, 10, 8);
	fill(cr);
	rgb(cr, 0.1, 0.1, 0.1);
	text(cr, "Duración del evento", x + 344, y, 0, FONT " 7.5");
}

static void draw(const struct canvas *cr, double x, double y, double w,
		 double h, const struct impact_chart *c)
{
	double x0 = x + PAD_L, y0 = y + PAD_T;
	double pw = w - PAD_L - PAD_R, ph = h - PAD_T - PAD_B;
	double max = max_value(c), step = nice_step(max > 0 ? max : 1);
	double top = step * ceil((max > 0 ? max : 1) / step);
	char title[512];

	rgb(cr, 1, 1, 1);
	rect(cr, x, y, w, h);
	fill(cr);
	(void)snprintf(
		title, sizeof(title),
		"%s · %s · %s — interacciones cada 15 minutos (hora de Lima)",
		c->number, c->point, c->procedure);
	rgb(cr, 0.1, 0.1, 0.1);
	text(cr, title, x + PAD_L, y + 4, 0, FONT " Bold 8.5");
	legend(cr, c, x + PAD_L, y + 20);
	rgb(cr, COLOR_EVT);
	rect(cr, x0 + pw * c->span_lo / 1440.0, y0,
	     pw * (c->span_hi - c->span_lo) / 1440.0, ph);
	fill(cr);
	axes(cr, x0, y0, pw, ph, top, step);
	series(cr, c, x0, y0, pw, ph, top);
	rgb(cr, 0.2, 0.2, 0.2);
	(void)snprintf(title, sizeof(title), "%.2s/%.2s/%.4s (hora de Lima)",
		       c->date + 8, c->date + 5, c->date);
	text(cr, title, x0 + pw / 2, y0 + ph + 16, 2, FONT " 7.5");
	rgb(cr, 0, 0, 0);
	line_width(cr, 1);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int len)
{
	return buf_append(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
}

int chart_impact_svg(const struct impact_chart *c, struct buf *out)
{
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(
		to_buf, out, CHART_W, CHART_H);
	struct canvas cv = {.cr = cairo_create(s)};
	int rc;

	cv.pango = pango_cairo_create_context(cv.cr);
	draw(&cv, 0, 0, CHART_W, CHART_H, c);
	g_object_unref(cv.pango);
	cairo_destroy(cv.cr);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}

void chart_impact_pdf(struct pdfw *w, double x, double y, double width,
		      double height, const struct impact_chart *c)
{
	/* At 96 dpi, as the SVG's cairo context and cairo's PDF had it: a
	 * "7" label is 9.3 points, the legend spaced for that. */
	struct canvas cv = {.w = w, .pango = pdfw_context_new(96)};

	draw(&cv, x, y, width, height, c);
	g_object_unref(cv.pango);
}
