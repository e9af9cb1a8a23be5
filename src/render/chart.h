#ifndef INOP_RENDER_CHART_H
#define INOP_RENDER_CHART_H

#include "domain/evaluation.h"
#include "util/buf.h"

/*
 * The impact chart of an event (struct impact_chart): one drawing for the
 * SVG of the event page (cairo) and the annex of the PDF report (pdfw.h).
 * Bars: the event's day per 15 minutes; a dashed line: the mean of the 7
 * previous days; the event's span shaded; Spanish labels, Lima hours.
 */

#define CHART_W 720.0 /* points, the SVG's size */
#define CHART_H 300.0

struct pdfw;

/* Draws `c` into the rectangle (x, y, width, height) of the PDF's page. */
void chart_impact_pdf(struct pdfw *w, double x, double y, double width,
		      double height, const struct impact_chart *c);

/* The chart as an SVG document appended to `out`.  0 or -1. */
int chart_impact_svg(const struct impact_chart *c, struct buf *out);

#endif
