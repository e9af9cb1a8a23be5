/* The PDF writer (pdfw.h): PDF 1.7, one content stream per page. */
#include "render/pdfw.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <libdeflate.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An embedded font: one per face, whatever its sizes. */
struct face {
	hb_face_t *hb;	    /* referenced */
	hb_font_t *metrics; /* of hb at 1 em = upem: advances, metrics */
	unsigned n_glyphs, upem;
	double *adv;   /* per glyph, 1/1000 em; < 0 until used */
	uint32_t *uni; /* per glyph: the first character it shows, or 0 */
	int cff;       /* CFF outlines, not glyf */
	int obj;       /* its Type0 font object, once written */
};

/* A Pango font: a face at a size, a resource of the pages. */
struct font {
	PangoFont *pango; /* referenced */
	size_t face;	  /* in faces[], or NONE: not drawable */
	double size;
};

#define NONE ((size_t)-1)

/*
 * Pages are deflated on a second thread while the next ones are drawn:
 * deflating was an eighth of a long report's time.  At most QUEUE pages
 * wait for it; it takes all that wait at once, and each side wakes the
 * other only when that one sleeps (a wake-up per page cost more than
 * the deflating saved).
 */
#define QUEUE 32

struct page_job {
	int obj; /* the content stream's number */
	char *data;
	size_t len;
	unsigned char *z; /* deflated, by the deflater */
	size_t z_len;
};

struct pdfw {
	double width, height;
	PangoContext *pango;
	struct buf file; /* the objects written so far */
	struct buf page; /* the content of the page being drawn */
	size_t *offsets; /* of each object, by number; 0: not written */
	size_t n_objs, cap_objs;
	int *pages; /* each page's content stream; its page object at the end
		     */
	size_t n_pages, cap_pages;
	struct libdeflate_compressor *z; /* the deflater's while it runs */
	/* The deflater: `lock` guards file, offsets and the queue. */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t deflater;
	int threaded, closing;
	int deflater_idle, drawer_waiting; /* asleep on `changed` */
	int deflate_failed; /* the deflater's own failed, under lock */
	struct page_job queue[QUEUE];
	size_t q_head, q_n;
	struct face *faces;
	size_t n_faces;
	struct font *fonts;
	size_t n_fonts;
	int failed;
	/* The page's graphics and text state. */
	int drawing;   /* the page has begun */
	int in_text;   /* between BT and ET */
	int in_array;  /* inside a TJ's array and its string */
	size_t font;   /* the current Tf, or NONE */
	double tx, ty; /* where the viewer puts the next glyph */
	double rgb[3];
	double line_width;
	double dash[2];
};

/* Objects written at the end, with numbers fixed from the start. */
enum { OBJ_CATALOG = 1, OBJ_PAGES, OBJ_RESOURCES, OBJ_INFO, OBJ_FIRST_FREE };

/* ---------- output ---------- */

static void put(struct pdfw *w, struct buf *b, const void *s, size_t n)
{
	if (buf_append(b, s, n) < 0)
		w->failed = 1;
}

static void puts_(struct pdfw *w, struct buf *b, const char *s)
{
	put(w, b, s, strlen(s));
}

/* A number as PDF writes it: at most 3 decimals, no exponent. */
static size_t num_fmt(char *out, double v)
{
	long long n = llround(v * 1000);
	char tmp[32];
	size_t len = 0, i = 0;
	unsigned long long u;
	int frac;

	if (n < 0) {
		out[len++] = '-';
		u = (unsigned long long)-n;
	} else {
		u = (unsigned long long)n;
	}
	frac = (int)(u % 1000);
	u /= 1000;
	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (i)
		out[len++] = tmp[--i];
	if (frac) {
		out[len++] = '.';
		out[len++] = (char)('0' + frac / 100);
		if (frac % 100) {
			out[len++] = (char)('0' + frac / 10 % 10);
			if (frac % 10)
				out[len++] = (char)('0' + frac % 10);
		}
	}
	if (len == 2 && out[0] == '-' && out[1] == '0')
		len = 1, out[0] = '0';
	return len;
}

/* Numbers separated by spaces, then `op` and a newline. */
static void op(struct pdfw *w, const char *name, const double *v, size_t n)
{
	char s[512];
	size_t len = 0, k = strlen(name);

	for (size_t i = 0; i < n && i < 16; i++) {
		len += num_fmt(s + len, v[i]);
		s[len++] = ' ';
	}
	memcpy(s + len, name, k + 1); /* with its NUL, replaced: */
	s[len + k] = '\n';
	put(w, &w->page, s, len + k + 1);
}

static int obj_new(struct pdfw *w)
{
	if (w->n_objs == w->cap_objs) {
		size_t cap = w->cap_objs ? w->cap_objs * 2 : 256;
		size_t *grown = realloc(w->offsets, cap * sizeof(*grown));

		if (!grown) {
			w->failed = 1;
			return 0;
		}
		w->offsets = grown;
		w->cap_objs = cap;
	}
	w->offsets[w->n_objs] = 0;
	return (int)w->n_objs++;
}

/* Starts object `n` in the file. */
static void obj_begin(struct pdfw *w, int n)
{
	if (n > 0 && (size_t)n < w->n_objs)
		w->offsets[n] = w->file.len;
	if (buf_appendf(&w->file, "%d 0 obj\n", n) < 0)
		w->failed = 1;
}

static void obj_end(struct pdfw *w)
{
	puts_(w, &w->file, "\nendobj\n");
}

/*
 * `data` deflated into *out (malloc'd); its length, 0 when it failed.
 * The fastest level of libdeflate: a page's operators repeat enough that
 * it still makes them 5 times smaller.
 */
static size_t deflated(struct libdeflate_compressor *z, const void *data,
		       size_t len, unsigned char **out)
{
	size_t bound = libdeflate_zlib_compress_bound(z, len);

	*out = malloc(bound);
	return *out ? libdeflate_zlib_compress(z, data, len, *out, bound) : 0;
}

/* Stream object `n` of deflated bytes; `extra` goes into its
 * dictionary.  0 or -1.  Holds the lock while the deflater runs. */
static int stream_write(struct pdfw *w, int n, const unsigned char *d,
			size_t len, const char *extra)
{
	w->offsets[n] = w->file.len;
	if (buf_appendf(&w->file,
			"%d 0 obj\n<< /Length %zu /Filter /FlateDecode %s "
			">>\nstream\n",
			n, len, extra ? extra : "") < 0 ||
	    buf_append(&w->file, d, len) < 0 ||
	    buf_appends(&w->file, "\nendstream\nendobj\n") < 0)
		return -1;
	return 0;
}

/* A stream object written now (not through the deflater). */
static void stream_obj(struct pdfw *w, int n, const void *data, size_t len,
		       const char *extra)
{
	unsigned char *d;
	size_t z = deflated(w->z, data, len, &d);

	if (!z || stream_write(w, n, d, z, extra) < 0)
		w->failed = 1;
	free(d);
}

static void *deflater(void *arg)
{
	struct pdfw *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		size_t first = w->q_head, n = w->q_n;

		if (!n && !w->closing) {
			w->deflater_idle = 1;
			pthread_cond_wait(&w->changed, &w->lock);
			w->deflater_idle = 0;
			continue;
		}
		if (!n)
			break;
		/* The jobs stay queued (their slots taken) until written. */
		pthread_mutex_unlock(&w->lock);
		for (size_t k = 0; k < n; k++) {
			struct page_job *j = &w->queue[(first + k) % QUEUE];

			j->z_len = deflated(w->z, j->data, j->len, &j->z);
		}
		pthread_mutex_lock(&w->lock);
		for (size_t k = 0; k < n; k++) {
			struct page_job *j = &w->queue[(first + k) % QUEUE];

			if (!j->z_len ||
			    stream_write(w, j->obj, j->z, j->z_len, NULL) < 0)
				w->deflate_failed = 1;
			free(j->z);
			free(j->data);
		}
		w->q_head = (first + n) % QUEUE;
		w->q_n -= n;
		if (w->drawer_waiting)
			pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Waits for the deflater to write every page, and ends it. */
static void deflater_stop(struct pdfw *w)
{
	if (!w->threaded)
		return;
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->deflater, NULL);
	w->threaded = 0;
	if (w->deflate_failed)
		w->failed = 1;
}

/* ---------- fonts ---------- */

static size_t face_of(struct pdfw *w, hb_face_t *hb)
{
	struct face *grown, *f;
	hb_blob_t *glyf, *cff;

	for (size_t i = 0; i < w->n_faces; i++)
		if (w->faces[i].hb == hb)
			return i;
	glyf = hb_face_reference_table(hb, HB_TAG('g', 'l', 'y', 'f'));
	cff = hb_face_reference_table(hb, HB_TAG('C', 'F', 'F', ' '));
	if (hb_blob_get_length(glyf) == 0 && hb_blob_get_length(cff) == 0) {
		hb_blob_destroy(glyf);
		hb_blob_destroy(cff);
		return NONE;
	}
	grown = realloc(w->faces, (w->n_faces + 1) * sizeof(*grown));
	if (!grown) {
		hb_blob_destroy(glyf);
		hb_blob_destroy(cff);
		w->failed = 1;
		return NONE;
	}
	w->faces = grown;
	f = &w->faces[w->n_faces];
	*f = (struct face){.hb = hb_face_reference(hb),
			   .n_glyphs = hb_face_get_glyph_count(hb),
			   .upem = hb_face_get_upem(hb),
			   .cff = hb_blob_get_length(glyf) == 0};
	hb_blob_destroy(glyf);
	hb_blob_destroy(cff);
	f->metrics = hb_font_create(hb); /* its scale: 1 em = upem */
	f->adv = malloc((f->n_glyphs ? f->n_glyphs : 1) * sizeof(*f->adv));
	f->uni = calloc(f->n_glyphs ? f->n_glyphs : 1, sizeof(*f->uni));
	if (!f->adv || !f->uni || !f->upem) {
		free(f->adv);
		free(f->uni);
		hb_font_destroy(f->metrics);
		hb_face_destroy(f->hb);
		w->failed = 1;
		return NONE;
	}
	for (unsigned g = 0; g < f->n_glyphs; g++)
		f->adv[g] = -1;
	return w->n_faces++;
}

/* The writer's font for a Pango font (few per document: a linear look). */
static size_t font_of(struct pdfw *w, PangoFont *pf)
{
	PangoFontDescription *d;
	struct font *grown;
	hb_font_t *hb;

	for (size_t i = 0; i < w->n_fonts; i++)
		if (w->fonts[i].pango == pf)
			return i;
	grown = realloc(w->fonts, (w->n_fonts + 1) * sizeof(*grown));
	if (!grown) {
		w->failed = 1;
		return NONE;
	}
	w->fonts = grown;
	hb = pango_font_get_hb_font(pf);
	d = pango_font_describe_with_absolute_size(pf);
	w->fonts[w->n_fonts] = (struct font){
		.pango = g_object_ref(pf),
		.face = hb ? face_of(w, hb_font_get_face(hb)) : NONE,
		.size = (double)pango_font_description_get_size(d) /
			PANGO_SCALE};
	pango_font_description_free(d);
	return w->n_fonts++;
}

/* Marks glyph `gid` of `f` used, showing the character `c`. */
static void glyph_use(struct face *f, unsigned gid, uint32_t c)
{
	if (gid >= f->n_glyphs)
		return;
	if (f->adv[gid] < 0) {
		f->adv[gid] =
			(double)hb_font_get_glyph_h_advance(f->metrics, gid) *
			1000.0 / f->upem;
		/* As /W will write it, so positions agree with viewers. */
		f->adv[gid] = (double)llround(f->adv[gid] * 1000) / 1000;
	}
	if (!f->uni[gid])
		f->uni[gid] = c;
}

/* ---------- text ---------- */

int pdfw_layout_glyphs(struct pdfw *w, PangoLayout *l, struct pdfw_glyph **out,
		       size_t *n)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	const char *text = pango_layout_get_text(l);
	struct pdfw_glyph *v = NULL, *grown;
	size_t count = 0;
	int rc = 0;

	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
		PangoGlyphString *gs;
		PangoRectangle r;
		size_t font;
		int x, base;

		if (!run)
			continue;
		gs = run->glyphs;
		pango_layout_iter_get_run_extents(it, NULL, &r);
		base = pango_layout_iter_get_baseline(it);
		font = font_of(w, run->item->analysis.font);
		grown = realloc(v, (count + (size_t)gs->num_glyphs + 1) *
					   sizeof(*v));
		if (grown)
			v = grown; /* v moved: the old block is gone */
		if (!grown) {
			rc = -1;
			break;
		}
		x = r.x;
		for (int i = 0; i < gs->num_glyphs; i++) {
			PangoGlyphInfo *g = &gs->glyphs[i];
			int first = i == 0 || gs->log_clusters[i] !=
						      gs->log_clusters[i - 1];
			uint32_t c = 0;

			if (first)
				c = g_utf8_get_char(text + run->item->offset +
						    gs->log_clusters[i]);
			/* Line breaks and missing glyphs draw nothing. */
			if (font != NONE && w->fonts[font].face != NONE &&
			    g->glyph != PANGO_GLYPH_EMPTY &&
			    !(g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
			    g->glyph <
				    w->faces[w->fonts[font].face].n_glyphs) {
				glyph_use(&w->faces[w->fonts[font].face],
					  g->glyph, c);
				v[count++] = (struct pdfw_glyph){
					(unsigned)font, g->glyph,
					(double)(x + g->geometry.x_offset) /
						PANGO_SCALE,
					(double)(base + g->geometry.y_offset) /
						PANGO_SCALE};
			}
			x += g->geometry.width;
		}
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	*out = v;
	*n = count;
	return rc;
}

struct pdfw_line {
	size_t font;
	hb_font_t *hb; /* Pango's, referenced */
	hb_buffer_t *buf;
	hb_language_t lang;
	hb_feature_t features[8];
	unsigned n_features;
	double baseline;
};

struct pdfw_line *pdfw_line_new(struct pdfw *w, PangoLayout *ref,
				const char *features)
{
	PangoLayoutIter *it = pango_layout_get_iter(ref);
	PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
	struct pdfw_line *l = calloc(1, sizeof(*l));
	hb_font_t *hb =
		run ? pango_font_get_hb_font(run->item->analysis.font) : NULL;

	if (l && hb) {
		l->font = font_of(w, run->item->analysis.font);
		l->hb = hb_font_reference(hb);
		l->buf = hb_buffer_create();
		l->lang = hb_language_from_string(
			pango_language_to_string(run->item->analysis.language),
			-1);
		l->baseline = (double)pango_layout_iter_get_baseline(it) /
			      PANGO_SCALE;
		while (*features && l->n_features < 8) {
			size_t n = strcspn(features, ",");

			if (hb_feature_from_string(
				    features, (int)n,
				    &l->features[l->n_features]))
				l->n_features++;
			features += n + (features[n] == ',');
			features += strspn(features, " ");
		}
	}
	pango_layout_iter_free(it);
	if (l &&
	    (!l->hb || l->font == NONE || w->fonts[l->font].face == NONE ||
	     !hb_buffer_allocation_successful(l->buf))) {
		pdfw_line_free(l);
		return NULL;
	}
	return l;
}

void pdfw_line_free(struct pdfw_line *l)
{
	if (!l)
		return;
	hb_buffer_destroy(l->buf);
	hb_font_destroy(l->hb);
	free(l);
}

int pdfw_line_glyphs(struct pdfw *w, struct pdfw_line *l, const char *s,
		     struct pdfw_glyph *g, size_t cap, size_t *n,
		     double *width)
{
	struct face *f = &w->faces[w->fonts[l->font].face];
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned count;
	int x = 0;

	hb_buffer_clear_contents(l->buf);
	hb_buffer_add_utf8(l->buf, s, -1, 0, -1);
	hb_buffer_set_direction(l->buf, HB_DIRECTION_LTR);
	hb_buffer_set_language(l->buf, l->lang);
	hb_buffer_guess_segment_properties(l->buf);
	hb_shape(l->hb, l->buf, l->features, l->n_features);
	info = hb_buffer_get_glyph_infos(l->buf, &count);
	pos = hb_buffer_get_glyph_positions(l->buf, NULL);
	if (count > cap)
		return -1;
	for (unsigned i = 0; i < count; i++)
		if (info[i].codepoint == 0 || info[i].codepoint >= f->n_glyphs)
			return -1; /* not in this font */
	for (unsigned i = 0; i < count; i++) {
		int first = i == 0 || info[i].cluster != info[i - 1].cluster;

		glyph_use(f, info[i].codepoint,
			  first ? g_utf8_get_char(s + info[i].cluster) : 0);
		g[i] = (struct pdfw_glyph){
			(unsigned)l->font, info[i].codepoint,
			(double)(x + pos[i].x_offset) / PANGO_SCALE,
			l->baseline - (double)pos[i].y_offset / PANGO_SCALE};
		x += pos[i].x_advance;
	}
	*n = count;
	*width = (double)x / PANGO_SCALE;
	return 0;
}

static void begin_page(struct pdfw *w)
{
	if (w->drawing)
		return;
	w->drawing = 1;
	w->in_text = w->in_array = 0;
	w->font = NONE;
	w->rgb[0] = w->rgb[1] = w->rgb[2] = 0;
	w->line_width = 1;
	w->dash[0] = w->dash[1] = 0;
}

static void array_end(struct pdfw *w)
{
	if (w->in_array)
		puts_(w, &w->page, ")]TJ\n");
	w->in_array = 0;
}

static void text_end(struct pdfw *w)
{
	array_end(w);
	if (w->in_text)
		puts_(w, &w->page, "ET\n");
	w->in_text = 0;
}

/* Two bytes of a glyph id in a literal string, at out; their length. */
static size_t glyph_bytes(char *out, unsigned gid)
{
	size_t n = 0;
	unsigned char b[2] = {(unsigned char)(gid >> 8),
			      (unsigned char)(gid & 0xff)};

	for (int i = 0; i < 2; i++) {
		switch (b[i]) {
		case '(':
		case ')':
		case '\\':
			out[n++] = '\\';
			out[n++] = (char)b[i];
			break;
		case '\r': /* a bare CR would read as a line end */
			out[n++] = '\\';
			out[n++] = 'r';
			break;
		default:
			out[n++] = (char)b[i];
		}
	}
	return n;
}

/*
 * Glyphs go on the page as TJ arrays: a run of glyph ids along a line,
 * with an adjustment where Pango's place differs from the advance the
 * viewer takes from /W (kerning), and a new Tm where a line starts.  The
 * ids are staged in `run` and appended a run at a time.
 */
void pdfw_glyphs(struct pdfw *w, const struct pdfw_glyph *g, size_t n,
		 double x, double y)
{
	char run[512];
	size_t rn = 0;

	begin_page(w);
	if (!w->in_text) {
		puts_(w, &w->page, "BT\n");
		w->in_text = 1;
		w->font = NONE;
	}
	for (size_t i = 0; i < n; i++) {
		const struct font *f = &w->fonts[g[i].font];
		double gx = x + g[i].x, gy = w->height - (y + g[i].y);
		double size = f->size, off = w->tx - gx;

		if (rn + 40 > sizeof(run)) {
			put(w, &w->page, run, rn);
			rn = 0;
		}
		if (g[i].font != w->font) {
			put(w, &w->page, run, rn);
			array_end(w);
			rn = (size_t)snprintf(run, sizeof(run), "/F%u ",
					      g[i].font);
			rn += num_fmt(run + rn, size);
			memcpy(run + rn, " Tf\n", 5); /* with its NUL */
			rn += 4;
			w->font = g[i].font;
		}
		if (w->in_array && fabs(gy - w->ty) < 0.001 &&
		    fabs(off) < size) {
			/* Along the line: a kerning adjustment if needed. */
			long adj = lround(off * 1000 / size);

			if (adj) {
				run[rn++] = ')';
				rn += num_fmt(run + rn, (double)adj);
				run[rn++] = '(';
				w->tx -= (double)adj * size / 1000;
			}
		} else {
			double m[6] = {1, 0, 0, 1, gx, gy};

			put(w, &w->page, run, rn);
			rn = 0;
			array_end(w);
			op(w, "Tm", m, 6);
			puts_(w, &w->page, "[(");
			w->in_array = 1;
			w->tx = gx;
			w->ty = gy;
		}
		rn += glyph_bytes(run + rn, g[i].gid);
		w->tx += w->faces[f->face].adv[g[i].gid] * size / 1000;
	}
	put(w, &w->page, run, rn);
}

void pdfw_layout(struct pdfw *w, PangoLayout *l, double x, double y)
{
	struct pdfw_glyph *g;
	size_t n;

	if (pdfw_layout_glyphs(w, l, &g, &n) < 0)
		w->failed = 1;
	else
		pdfw_glyphs(w, g, n, x, y);
	free(g);
}

/* ---------- graphics ---------- */

void pdfw_rgb(struct pdfw *w, double r, double g, double b)
{
	double v[3] = {r, g, b};

	begin_page(w);
	if (r == w->rgb[0] && g == w->rgb[1] && b == w->rgb[2])
		return;
	array_end(w);
	op(w, "rg", v, 3);
	op(w, "RG", v, 3);
	memcpy(w->rgb, v, sizeof(v));
}

void pdfw_line_width(struct pdfw *w, double width)
{
	double v[1] = {width};

	begin_page(w);
	if (width == w->line_width)
		return;
	array_end(w);
	op(w, "w", v, 1);
	w->line_width = width;
}

void pdfw_dash(struct pdfw *w, double on, double off)
{
	char s[80];
	size_t len = 0;

	begin_page(w);
	if (on == w->dash[0] && off == w->dash[1])
		return;
	array_end(w);
	s[len++] = '[';
	if (on > 0 || off > 0) {
		len += num_fmt(s + len, on);
		s[len++] = ' ';
		len += num_fmt(s + len, off);
	}
	put(w, &w->page, s, len);
	puts_(w, &w->page, "] 0 d\n");
	w->dash[0] = on;
	w->dash[1] = off;
}

void pdfw_rect(struct pdfw *w, double x, double y, double width, double height)
{
	double v[4] = {x, w->height - y - height, width, height};

	begin_page(w);
	text_end(w);
	op(w, "re", v, 4);
}

void pdfw_move_to(struct pdfw *w, double x, double y)
{
	double v[2] = {x, w->height - y};

	begin_page(w);
	text_end(w);
	op(w, "m", v, 2);
}

void pdfw_line_to(struct pdfw *w, double x, double y)
{
	double v[2] = {x, w->height - y};

	begin_page(w);
	text_end(w);
	op(w, "l", v, 2);
}

void pdfw_fill(struct pdfw *w)
{
	begin_page(w);
	text_end(w);
	puts_(w, &w->page, "f\n");
}

void pdfw_stroke(struct pdfw *w)
{
	begin_page(w);
	text_end(w);
	puts_(w, &w->page, "S\n");
}

/* ---------- pages ---------- */

void pdfw_page_end(struct pdfw *w)
{
	struct page_job job;

	begin_page(w);
	text_end(w);
	if (w->n_pages == w->cap_pages) {
		size_t cap = w->cap_pages ? w->cap_pages * 2 : 64;
		int *grown = realloc(w->pages, cap * sizeof(*grown));

		if (!grown) {
			w->failed = 1;
			return;
		}
		w->pages = grown;
		w->cap_pages = cap;
	}
	job.data = buf_detach(&w->page, &job.len);
	if (!job.data)
		job.data = strdup(""); /* a blank page */
	if (!job.data)
		w->failed = 1;
	buf_init(&w->page, (size_t)1 << 30);
	w->drawing = 0;
	if (w->threaded)
		pthread_mutex_lock(&w->lock);
	job.obj = obj_new(w);
	w->pages[w->n_pages++] = job.obj;
	if (w->threaded && job.data) {
		while (w->q_n == QUEUE) {
			w->drawer_waiting = 1;
			pthread_cond_wait(&w->changed, &w->lock);
			w->drawer_waiting = 0;
		}
		w->queue[(w->q_head + w->q_n++) % QUEUE] = job;
		/* Woken for a batch; deflater_stop() wakes it for the rest. */
		if (w->deflater_idle && w->q_n >= QUEUE / 4)
			pthread_cond_broadcast(&w->changed);
		pthread_mutex_unlock(&w->lock);
		return;
	}
	if (w->threaded)
		pthread_mutex_unlock(&w->lock);
	if (job.data)
		stream_obj(w, job.obj, job.data, job.len, NULL);
	free(job.data);
}

PangoContext *pdfw_context_new(double dpi)
{
	PangoContext *c = pango_font_map_create_context(
		pango_cairo_font_map_get_default());
	cairo_font_options_t *o = cairo_font_options_create();

	pango_cairo_context_set_resolution(c, dpi);
	/* Metrics as the font has them, unhinted, as a PDF shows them. */
	cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(c, o);
	cairo_font_options_destroy(o);
	/* Glyphs where the font puts them, not rounded to whole points. */
	pango_context_set_round_glyph_positions(c, FALSE);
	return c;
}

struct pdfw *pdfw_new(double width, double height)
{
	struct pdfw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	w->width = width;
	w->height = height;
	buf_init(&w->file, (size_t)1 << 31);
	buf_init(&w->page, (size_t)1 << 30);
	/* Sizes in points: the page is measured in points, not pixels. */
	w->pango = pdfw_context_new(72);
	w->z = libdeflate_alloc_compressor(1);
	for (int i = 0; i < OBJ_FIRST_FREE; i++)
		(void)obj_new(w);
	puts_(w, &w->file, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
	if (!w->z || w->failed) {
		pdfw_free(w);
		return NULL;
	}
	/* Without the thread, pages are deflated as they end. */
	w->threaded = pthread_create(&w->deflater, NULL, deflater, w) == 0;
	return w;
}

PangoContext *pdfw_pango(struct pdfw *w)
{
	return w->pango;
}

void pdfw_free(struct pdfw *w)
{
	if (!w)
		return;
	deflater_stop(w);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
	for (size_t i = 0; i < w->n_fonts; i++)
		g_object_unref(w->fonts[i].pango);
	for (size_t i = 0; i < w->n_faces; i++) {
		hb_font_destroy(w->faces[i].metrics);
		hb_face_destroy(w->faces[i].hb);
		free(w->faces[i].adv);
		free(w->faces[i].uni);
	}
	free(w->fonts);
	free(w->faces);
	if (w->z)
		libdeflate_free_compressor(w->z);
	g_object_unref(w->pango);
	buf_release(&w->file);
	buf_release(&w->page);
	free(w->offsets);
	free(w->pages);
	free(w);
}

/* ---------- the end of the file ---------- */

/* "ABCDEF+": the subset's tag, from the glyphs it has. */
static void subset_tag(const struct face *f, char tag[8])
{
	uint32_t h = 2166136261u;

	for (unsigned g = 0; g < f->n_glyphs; g++)
		if (f->adv[g] >= 0)
			h = (h ^ g) * 16777619u;
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '+';
	tag[7] = '\0';
}

/* The face's PostScript name, as a PDF name may carry it. */
static void ps_name(const struct face *f, char *out, size_t n)
{
	char name[64];
	unsigned len = sizeof(name);
	size_t j = 0;

	if (!hb_ot_name_get_utf8(f->hb, HB_OT_NAME_ID_POSTSCRIPT_NAME,
				 HB_LANGUAGE_INVALID, &len, name))
		name[0] = '\0';
	for (size_t i = 0; name[i] && j + 1 < n; i++)
		if ((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-')
			out[j++] = name[i];
	if (j == 0 && n > 5)
		j = (size_t)snprintf(out, n, "Font");
	out[j] = '\0';
}

/* The subset of `f` with the glyphs used, their ids kept. */
static hb_blob_t *subset(const struct face *f)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub;
	hb_blob_t *blob;
	hb_set_t *drop;

	if (!in)
		return NULL;
	for (unsigned g = 0; g < f->n_glyphs; g++)
		if (f->adv[g] >= 0)
			hb_set_add(hb_subset_input_glyph_set(in), g);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS);
	/* A PDF places each glyph itself: no layout tables. */
	drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_set_add(drop, HB_TAG('G', 'S', 'U', 'B'));
	hb_set_add(drop, HB_TAG('G', 'P', 'O', 'S'));
	hb_set_add(drop, HB_TAG('G', 'D', 'E', 'F'));
	hb_set_add(drop, HB_TAG('k', 'e', 'r', 'n'));
	sub = hb_subset_or_fail(f->hb, in);
	hb_subset_input_destroy(in);
	if (!sub)
		return NULL;
	blob = hb_face_reference_blob(sub);
	hb_face_destroy(sub);
	return blob;
}

/* The ToUnicode map: glyph id -> UTF-16BE of its character. */
static void to_unicode(struct pdfw *w, const struct face *f, int n)
{
	struct buf b;
	size_t count = 0, block = 0;

	buf_init(&b, (size_t)1 << 26);
	if (buf_appends(&b, "/CIDInit /ProcSet findresource begin\n"
			    "12 dict begin\nbegincmap\n"
			    "/CIDSystemInfo << /Registry (Adobe) /Ordering "
			    "(UCS) /Supplement 0 >> def\n"
			    "/CMapName /Adobe-Identity-UCS def\n"
			    "/CMapType 2 def\n1 begincodespacerange\n"
			    "<0000> <FFFF>\nendcodespacerange\n") < 0)
		w->failed = 1;
	for (unsigned g = 0; g < f->n_glyphs; g++)
		count += f->uni[g] != 0;
	for (unsigned g = 0; g < f->n_glyphs; g++) {
		uint32_t c = f->uni[g];
		int rc;

		if (!c)
			continue;
		if (block == 0) {
			size_t left = count < 100 ? count : 100;

			if (buf_appendf(&b, "%zu beginbfchar\n", left) < 0)
				w->failed = 1;
		}
		if (c > 0xffff)
			rc = buf_appendf(&b, "<%04X> <%04X%04X>\n", g,
					 0xd800 + ((c - 0x10000) >> 10),
					 0xdc00 + ((c - 0x10000) & 0x3ff));
		else
			rc = buf_appendf(&b, "<%04X> <%04X>\n", g, c);
		if (rc < 0)
			w->failed = 1;
		count--;
		if (++block == 100 || count == 0) {
			if (buf_appends(&b, "endbfchar\n") < 0)
				w->failed = 1;
			block = 0;
		}
	}
	if (buf_appends(&b, "endcmap\nCMapName currentdict /CMap "
			    "defineresource pop\nend\nend\n") < 0)
		w->failed = 1;
	stream_obj(w, n, b.s, b.len, NULL);
	buf_release(&b);
}

/* Glyph widths, grouped in runs of consecutive ids. */
static void widths(struct pdfw *w, const struct face *f)
{
	char s[32];
	unsigned g = 0;

	puts_(w, &w->file, "/W [");
	while (g < f->n_glyphs) {
		if (f->adv[g] < 0) {
			g++;
			continue;
		}
		if (buf_appendf(&w->file, "%u [", g) < 0)
			w->failed = 1;
		for (; g < f->n_glyphs && f->adv[g] >= 0; g++) {
			size_t len = num_fmt(s, f->adv[g]);

			s[len++] = ' ';
			put(w, &w->file, s, len);
		}
		puts_(w, &w->file, "] ");
	}
	puts_(w, &w->file, "]");
}

/* Design units -> PDF glyph space (1/1000 em), as an integer. */
static long em(const struct face *f, long v)
{
	return lround((double)v * 1000 / f->upem);
}

static void font_write(struct pdfw *w, struct face *f)
{
	int type0 = obj_new(w), cid = obj_new(w), desc = obj_new(w);
	int file = obj_new(w), uni = obj_new(w);
	hb_blob_t *blob = subset(f), *head;
	hb_font_t *hb = f->metrics;
	hb_position_t asc = 0, desc_ = 0, cap = 0;
	const unsigned char *h;
	unsigned hlen = 0;
	long bbox[4] = {0, 0, 0, 0};
	char tag[8], name[64], extra[64];
	const char *data;
	unsigned len = 0;

	f->obj = type0;
	if (!blob) {
		w->failed = 1;
		return;
	}
	data = hb_blob_get_data(blob, &len);
	(void)snprintf(extra, sizeof(extra),
		       f->cff ? "/Subtype /OpenType" : "/Length1 %u", len);
	stream_obj(w, file, data, len, extra);
	hb_blob_destroy(blob);
	head = hb_face_reference_table(f->hb, HB_TAG('h', 'e', 'a', 'd'));
	h = (const unsigned char *)hb_blob_get_data(head, &hlen);
	for (int i = 0; hlen >= 44 && i < 4; i++)
		bbox[i] = em(f, (int16_t)(h[36 + 2 * i] << 8 | h[37 + 2 * i]));
	hb_blob_destroy(head);
	hb_ot_metrics_get_position_with_fallback(
		hb, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
	hb_ot_metrics_get_position_with_fallback(
		hb, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc_);
	hb_ot_metrics_get_position_with_fallback(
		hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
	subset_tag(f, tag);
	ps_name(f, name, sizeof(name));

	obj_begin(w, desc);
	if (buf_appendf(&w->file,
			"<< /Type /FontDescriptor /FontName /%s%s /Flags 4 "
			"/FontBBox [%ld %ld %ld %ld] /ItalicAngle 0 "
			"/Ascent %ld /Descent %ld /CapHeight %ld /StemV 80 "
			"/%s %d 0 R >>",
			tag, name, bbox[0], bbox[1], bbox[2], bbox[3],
			em(f, asc), em(f, desc_), em(f, cap),
			f->cff ? "FontFile3" : "FontFile2", file) < 0)
		w->failed = 1;
	obj_end(w);

	obj_begin(w, cid);
	if (buf_appendf(&w->file,
			"<< /Type /Font /Subtype /%s /BaseFont /%s%s "
			"/CIDSystemInfo << /Registry (Adobe) /Ordering "
			"(Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
			"%s",
			f->cff ? "CIDFontType0" : "CIDFontType2", tag, name,
			desc, f->cff ? "" : "/CIDToGIDMap /Identity ") < 0)
		w->failed = 1;
	widths(w, f);
	puts_(w, &w->file, " >>");
	obj_end(w);

	to_unicode(w, f, uni);
	obj_begin(w, type0);
	if (buf_appendf(&w->file,
			"<< /Type /Font /Subtype /Type0 /BaseFont /%s%s "
			"/Encoding /Identity-H /DescendantFonts [%d 0 R] "
			"/ToUnicode %d 0 R >>",
			tag, name, cid, uni) < 0)
		w->failed = 1;
	obj_end(w);
}

/* A text string of the information dictionary: UTF-16BE in hex. */
static void info_text(struct pdfw *w, const char *key, const char *s)
{
	if (buf_appendf(&w->file, "/%s <FEFF", key) < 0)
		w->failed = 1;
	while (s && *s) {
		uint32_t c = g_utf8_get_char_validated(s, -1);

		if (c == (uint32_t)-1 || c == (uint32_t)-2)
			break;
		s = g_utf8_next_char(s);
		if (c > 0xffff) {
			if (buf_appendf(&w->file, "%04X%04X",
					0xd800 + ((c - 0x10000) >> 10),
					0xdc00 + ((c - 0x10000) & 0x3ff)) < 0)
				w->failed = 1;
		} else if (buf_appendf(&w->file, "%04X", c) < 0) {
			w->failed = 1;
		}
	}
	puts_(w, &w->file, "> ");
}

static void trailer(struct pdfw *w, const char *title, const char *creator,
		    const char *created)
{
	size_t xref;

	obj_begin(w, OBJ_RESOURCES);
	puts_(w, &w->file, "<< /Font <<");
	for (size_t i = 0; i < w->n_fonts; i++)
		if (w->fonts[i].face != NONE &&
		    buf_appendf(&w->file, " /F%zu %d 0 R", i,
				w->faces[w->fonts[i].face].obj) < 0)
			w->failed = 1;
	puts_(w, &w->file, " >> >>");
	obj_end(w);

	/* The page objects come after every content stream: written while
	 * the deflater ran, their place in the file (and so its bytes) hung
	 * on the threads' timing. */
	for (size_t i = 0; i < w->n_pages; i++) {
		int page = obj_new(w);

		obj_begin(w, page);
		if (buf_appendf(
			    &w->file,
			    "<< /Type /Page /Parent %d 0 R /Resources %d 0 "
			    "R /Contents %d 0 R >>",
			    OBJ_PAGES, OBJ_RESOURCES, w->pages[i]) < 0)
			w->failed = 1;
		obj_end(w);
		w->pages[i] = page;
	}
	obj_begin(w, OBJ_PAGES);
	if (buf_appendf(&w->file,
			"<< /Type /Pages /MediaBox [0 0 %.2f %.2f] /Count %zu "
			"/Kids [",
			w->width, w->height, w->n_pages) < 0)
		w->failed = 1;
	for (size_t i = 0; i < w->n_pages; i++)
		if (buf_appendf(&w->file, "%d 0 R ", w->pages[i]) < 0)
			w->failed = 1;
	puts_(w, &w->file, "] >>");
	obj_end(w);

	obj_begin(w, OBJ_CATALOG);
	if (buf_appendf(&w->file, "<< /Type /Catalog /Pages %d 0 R >>",
			OBJ_PAGES) < 0)
		w->failed = 1;
	obj_end(w);

	obj_begin(w, OBJ_INFO);
	puts_(w, &w->file, "<< ");
	info_text(w, "Title", title);
	info_text(w, "Creator", creator);
	info_text(w, "Producer", creator);
	/* "2026-11-03T09:15:00-05:00" -> D:20261103091500-05'00' */
	if (created && strlen(created) >= 25 &&
	    buf_appendf(
		    &w->file,
		    "/CreationDate (D:%.4s%.2s%.2s%.2s%.2s%.2s%.3s'%.2s') ",
		    created, created + 5, created + 8, created + 11,
		    created + 14, created + 17, created + 19,
		    created + 23) < 0)
		w->failed = 1;
	puts_(w, &w->file, ">>");
	obj_end(w);

	xref = w->file.len;
	if (buf_appendf(&w->file, "xref\n0 %zu\n0000000000 65535 f \n",
			w->n_objs) < 0)
		w->failed = 1;
	for (size_t i = 1; i < w->n_objs; i++)
		if (buf_appendf(&w->file, "%010zu 00000 n \n", w->offsets[i]) <
		    0)
			w->failed = 1;
	if (buf_appendf(&w->file,
			"trailer\n<< /Size %zu /Root %d 0 R /Info %d 0 R >>\n"
			"startxref\n%zu\n%%%%EOF\n",
			w->n_objs, OBJ_CATALOG, OBJ_INFO, xref) < 0)
		w->failed = 1;
}

int pdfw_finish(struct pdfw *w, const char *title, const char *creator,
		const char *created, struct buf *out)
{
	if (w->drawing || w->n_pages == 0)
		pdfw_page_end(w);
	deflater_stop(w);
	for (size_t i = 0; i < w->n_faces; i++)
		font_write(w, &w->faces[i]);
	trailer(w, title, creator, created);
	for (size_t i = 1; i < w->n_objs && !w->failed; i++)
		if (!w->offsets[i])
			w->failed = 1; /* numbered, never written */
	if (w->failed)
		return -1;
	return buf_append(out, w->file.s, w->file.len);
}
