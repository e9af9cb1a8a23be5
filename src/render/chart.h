#ifndef INOP_RENDER_CHART_H
#define INOP_RENDER_CHART_H

#include <cairo.h>

#include "domain/evaluation.h"
#include "util/buf.h"

/*
 * The impact chart of an event (struct impact_chart): one cairo drawing
 * for the SVG of the event page and the annex of the PDF report.  Bars:
 * the event's day per 15 minutes; a dashed line: the mean of the 7
 * previous days; the event's span shaded; Spanish labels, Lima hours.
 */

#define CHART_W 720.0 /* points, the SVG's size */
#define CHART_H 300.0

/* Draws `c` into the rectangle (x, y, w, h) of `cr`, in points. */
void chart_impact_draw(cairo_t *cr, double x, double y, double w, double h,
		       const struct impact_chart *c);

/* The chart as an SVG document appended to `out`.  0 or -1. */
int chart_impact_svg(const struct impact_chart *c, struct buf *out);

#endif
