#ifndef INOP_RENDER_PDFW_H
#define INOP_RENDER_PDFW_H

#include <pango/pango.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * A PDF writer for pages of text, rules and filled shapes: Pango lays the
 * text out, and the writer puts its glyphs on the page as PDF text
 * operators itself, embedding a subset of each font used (HarfBuzz
 * hb-subset, glyph ids kept) with a ToUnicode map so the text can be
 * searched and copied.  The report's PDF is long (10,000 events, 1,000
 * pages), and cairo's PDF surface spent most of the export recording,
 * replaying and re-encoding each glyph; this writer formats a glyph as
 * two bytes of a TJ string.
 *
 * Coordinates are in points from the page's top-left corner, y down, as
 * in cairo.  Drawing starts the first page; pdfw_page_end() ends one and
 * the next drawing starts the next.  Out of memory marks the document
 * failed, and pdfw_finish() then returns -1.
 *
 * Fonts: TrueType (glyf) and CFF-flavoured OpenType are embedded; the
 * glyphs of a font with neither (a bitmap-only colour emoji font) are
 * not drawn.  Each glyph maps back to the first character of its
 * cluster.  A style fontconfig would synthesise (emboldening, slant of a
 * family without that face) is not applied: the report's fonts (DejaVu
 * Sans, Sans Bold, Sans Mono) all have their faces.
 */

struct pdfw;
struct pdfw_line;

/* A glyph of a laid-out text, at its origin relative to the layout. */
struct pdfw_glyph {
	unsigned font; /* the writer's font at its size */
	unsigned gid;
	double x, y;
};

struct pdfw *pdfw_new(double width, double height);
void pdfw_free(struct pdfw *w);

/* The context to lay text out in, for this writer's pages (points). */
PangoContext *pdfw_pango(struct pdfw *w);
/*
 * A new context laid out as the writer's (unhinted metrics) at `dpi`:
 * 72 sets font sizes in points, 96 as cairo does by default (the SVG
 * chart).  g_object_unref() it.
 */
PangoContext *pdfw_context_new(double dpi);

/*
 * The glyphs of `l` as laid out now, relative to its top-left; *out is
 * malloc'd.  Records the fonts and characters they need.  0 or -1.
 */
int pdfw_layout_glyphs(struct pdfw *w, PangoLayout *l, struct pdfw_glyph **out,
		       size_t *n);
/* Draws glyphs taken from pdfw_layout_glyphs() with the layout at (x, y). */
void pdfw_glyphs(struct pdfw *w, const struct pdfw_glyph *g, size_t n,
		 double x, double y);
/* Draws `l` with its top-left at (x, y). */
void pdfw_layout(struct pdfw *w, PangoLayout *l, double x, double y);

/*
 * One line of text in one font, shaped by HarfBuzz alone, for the short
 * lines a long document repeats with new digits (event numbers, times):
 * a Pango layout per line cost more than drawing it.  `ref` is a layout
 * of one line in the font and with the attributes to use; `features` its
 * OpenType features ("liga=0, clig=0").  The glyphs are those Pango
 * would give (test_pdfw compares them).
 */
struct pdfw_line *pdfw_line_new(struct pdfw *w, PangoLayout *ref,
				const char *features);
void pdfw_line_free(struct pdfw_line *l);
/*
 * The glyphs of `s` (one line) into g[cap], relative to the line's
 * top-left, and its width.  -1 when a character is not in the font or
 * there is no room: lay it out with Pango then.
 */
int pdfw_line_glyphs(struct pdfw *w, struct pdfw_line *l, const char *s,
		     struct pdfw_glyph *g, size_t cap, size_t *n,
		     double *width);

/* The colour of text, fills and strokes that follow. */
void pdfw_rgb(struct pdfw *w, double r, double g, double b);
void pdfw_line_width(struct pdfw *w, double width);
/* Strokes dashed `on`, `off` points; 0, 0: solid. */
void pdfw_dash(struct pdfw *w, double on, double off);
void pdfw_rect(struct pdfw *w, double x, double y, double width,
	       double height);
void pdfw_move_to(struct pdfw *w, double x, double y);
void pdfw_line_to(struct pdfw *w, double x, double y);
void pdfw_fill(struct pdfw *w);
void pdfw_stroke(struct pdfw *w);

void pdfw_page_end(struct pdfw *w);

/*
 * Ends the last page and appends the whole file to `out`, with `title`,
 * `creator` and `created` ("2026-11-03T09:15:00-05:00") in its
 * information dictionary.  0 or -1.
 */
int pdfw_finish(struct pdfw *w, const char *title, const char *creator,
		const char *created, struct buf *out);

#endif
