/* The impact chart (chart.h), drawn once for SVG and PDF. */
#include "render/chart.h"

#include <cairo-svg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#define FONT	  "DejaVu Sans"
#define PAD_L	  48.0
#define PAD_R	  12.0
#define PAD_T	  44.0
#define PAD_B	  34.0
#define COLOR_DAY 0.16, 0.38, 0.67
#define COLOR_AVG 0.35, 0.35, 0.35
#define COLOR_EVT 0.98, 0.80, 0.55

/* Writes `s` with its top-left (or, with align 1, top-right; 2 centre)
 * at (x, y). */
static void text(cairo_t *cr, const char *s, double x, double y, int align,
		 const char *font)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
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
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
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

static void axes(cairo_t *cr, double x0, double y0, double pw, double ph,
		 double top, double step)
{
	char label[32];

	cairo_set_line_width(cr, 0.5);
	for (int k = 0; k * step <= top + 1e-9; k++) {
		double v = k * step, y = y0 + ph - v / top * ph;

		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x0 + pw, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		(void)snprintf(label, sizeof(label), "%g", v);
		text(cr, label, x0 - 4, y - 6, 1, FONT " 7");
	}
	for (int hr = 0; hr <= 24; hr += 3) {
		double x = x0 + pw * hr / 24.0;

		(void)snprintf(label, sizeof(label), "%02d:00", hr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		text(cr, label, x, y0 + ph + 4, 2, FONT " 7");
	}
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x0, y0 + ph);
	cairo_line_to(cr, x0 + pw, y0 + ph);
	cairo_stroke(cr);
}

static void series(cairo_t *cr, const struct impact_chart *c, double x0,
		   double y0, double pw, double ph, double top)
{
	double bw = pw / IMPACT_BUCKETS;

	if (c->has_day) {
		cairo_set_source_rgb(cr, COLOR_DAY);
		for (int b = 0; b < IMPACT_BUCKETS; b++) {
			double h = c->day[b] / top * ph;

			cairo_rectangle(cr, x0 + b * bw + 0.5, y0 + ph - h,
					bw - 1, h);
		}
		cairo_fill(cr);
	}
	if (c->mean_days) {
		static const double dash[] = {4, 2};

		cairo_set_source_rgb(cr, COLOR_AVG);
		cairo_set_line_width(cr, 1.5);
		cairo_set_dash(cr, dash, 2, 0);
		for (int b = 0; b < IMPACT_BUCKETS; b++) {
			double x = x0 + (b + 0.5) * bw;
			double y = y0 + ph - c->mean[b] / top * ph;

			if (b == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

static void legend(cairo_t *cr, const struct impact_chart *c, double x,
		   double y)
{
	char s[64];

	cairo_set_source_rgb(cr, COLOR_DAY);
	cairo_rectangle(cr, x, y + 3, 10, 8);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text(cr, c->has_day ? "Día del evento" : "Día del evento: sin datos",
	     x + 14, y, 0, FONT " 7.5");
	cairo_set_source_rgb(cr, COLOR_AVG);
	cairo_move_to(cr, x + 150, y + 7);
	cairo_line_to(cr, x + 165, y + 7);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	if (c->mean_days)
		(void)snprintf(s, sizeof(s), "Media de %d día(s) previo(s)",
			       c->mean_days);
	else
		(void)snprintf(s, sizeof(s), "Días previos: sin datos");
	text(cr, s, x + 169, y, 0, FONT " 7.5");
	cairo_set_source_rgb(cr, COLOR_EVT);
	cairo_rectangle(cr, x + 330, y + 3, 10, 8);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text(cr, "Duración del evento", x + 344, y, 0, FONT " 7.5");
}

void chart_impact_draw(cairo_t *cr, double x, double y, double w, double h,
		       const struct impact_chart *c)
{
	double x0 = x + PAD_L, y0 = y + PAD_T;
	double pw = w - PAD_L - PAD_R, ph = h - PAD_T - PAD_B;
	double max = max_value(c), step = nice_step(max > 0 ? max : 1);
	double top = step * ceil((max > 0 ? max : 1) / step);
	char title[512];

	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
	(void)snprintf(
		title, sizeof(title),
		"%s · %s · %s — interacciones cada 15 minutos (hora de Lima)",
		c->number, c->point, c->procedure);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text(cr, title, x + PAD_L, y + 4, 0, FONT " Bold 8.5");
	legend(cr, c, x + PAD_L, y + 20);
	cairo_set_source_rgb(cr, COLOR_EVT);
	cairo_rectangle(cr, x0 + pw * c->span_lo / 1440.0, y0,
			pw * (c->span_hi - c->span_lo) / 1440.0, ph);
	cairo_fill(cr);
	axes(cr, x0, y0, pw, ph, top, step);
	series(cr, c, x0, y0, pw, ph, top);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	(void)snprintf(title, sizeof(title), "%.2s/%.2s/%.4s (hora de Lima)",
		       c->date + 8, c->date + 5, c->date);
	text(cr, title, x0 + pw / 2, y0 + ph + 16, 2, FONT " 7.5");
	cairo_restore(cr);
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
	cairo_t *cr = cairo_create(s);
	int rc;

	chart_impact_draw(cr, 0, 0, CHART_W, CHART_H, c);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}
