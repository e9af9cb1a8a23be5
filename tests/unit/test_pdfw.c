/*
 * The PDF writer (render/pdfw.h): documents it writes are read back with
 * poppler's tools (Debian poppler-utils, a test dependency): the text as
 * pdftotext extracts it, the glyphs where Pango put them, the fonts
 * embedded as subsets with a Unicode map, the same bytes every time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/pdfw.h"
#include "util/buf.h"

#define W 595.28
#define H 841.89

static PangoLayout *layout(struct pdfw *w, const char *font, const char *s)
{
	PangoLayout *l = pango_layout_new(pdfw_pango(w));
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, s, -1);
	return l;
}

/* Lays `s` out at (x, y); returns its width in points. */
static double text(struct pdfw *w, const char *font, const char *s, double x,
		   double y)
{
	PangoLayout *l = layout(w, font, s);
	int lw, lh;

	pango_layout_get_size(l, &lw, &lh);
	pdfw_layout(w, l, x, y);
	g_object_unref(l);
	return (double)lw / PANGO_SCALE;
}

/* Writes `b` to a temporary file; its name in `path`. */
static void to_file(const struct buf *b, char path[64])
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_pdfw_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->s, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* The standard output of `cmd` (which must exit 0), malloc'd. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	struct buf out;
	char chunk[4096];
	size_t n;

	assert_non_null(p);
	buf_init(&out, (size_t)1 << 24);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(buf_append(&out, chunk, n), 0);
	assert_int_equal(pclose(p), 0);
	return buf_detach(&out, &n);
}

static char *tool(const char *name, const char *args, const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null", name);
	if (system(cmd) != 0)
		fail_msg("%s (Debian poppler-utils) is needed", name);
	snprintf(cmd, sizeof(cmd), "%s %s %s -", name, args, path);
	if (strcmp(name, "pdftotext") != 0)
		snprintf(cmd, sizeof(cmd), "%s %s %s", name, args, path);
	return run(cmd);
}

/* Kerned pairs, glyph ids with the bytes ) ( \ and CR (F E y * in
 * DejaVu Sans), Spanish letters, a character beyond U+FFFF. */
#define LINE_1 "AVAVA To Wa FEy* ñandú (sí) \\ 😀 𝔸"

static void document(struct buf *out, double *width)
{
	struct pdfw *w = pdfw_new(W, H);

	assert_non_null(w);
	*width = text(w, "DejaVu Sans 20", LINE_1, 100, 100);
	text(w, "DejaVu Sans Bold 9", "Página 1 de 2", 100, 300);
	pdfw_page_end(w);
	pdfw_rgb(w, 0.86, 0.86, 0.86);
	pdfw_rect(w, 50, 50, 200, 20);
	pdfw_fill(w);
	pdfw_rgb(w, 0, 0, 0);
	pdfw_dash(w, 4, 2);
	pdfw_line_width(w, 1.5);
	pdfw_move_to(w, 50, 100);
	pdfw_line_to(w, 250, 100);
	pdfw_stroke(w);
	pdfw_dash(w, 0, 0);
	text(w, "DejaVu Sans Mono 6.5", "Huella SHA-256: 0123abcdef", 60, 52);
	assert_int_equal(pdfw_finish(w, "Título «de» prueba", "Inop",
				     "2026-11-03T09:15:00-05:00", out),
			 0);
	pdfw_free(w);
}

static void test_text_reads_back_page_by_page(void **state)
{
	struct buf pdf;
	char path[64], *p1, *p2, *info;
	double width;

	(void)state;
	buf_init(&pdf, (size_t)1 << 26);
	document(&pdf, &width);
	assert_memory_equal(pdf.s, "%PDF-1.7\n", 9);
	to_file(&pdf, path);
	p1 = tool("pdftotext", "-f 1 -l 1", path);
	p2 = tool("pdftotext", "-f 2 -l 2", path);
	assert_non_null(strstr(p1, LINE_1));
	assert_non_null(strstr(p1, "Página 1 de 2"));
	assert_null(strstr(p1, "Huella"));
	assert_non_null(strstr(p2, "Huella SHA-256: 0123abcdef"));
	info = tool("pdfinfo", "", path);
	assert_non_null(strstr(info, "Pages:           2"));
	assert_non_null(strstr(info, "Title:           Título «de» prueba"));
	assert_non_null(strstr(info, "Creator:         Inop"));
	assert_non_null(
		strstr(info, "CreationDate:    Tue Nov  3 14:15:00 2026"));
	assert_non_null(strstr(info, "595.28 x 841.89 pts (A4)"));
	unlink(path);
	free(p1);
	free(p2);
	free(info);
	buf_release(&pdf);
}

/*
 * The glyphs sit where Pango put them: the last glyph of the kerned line
 * ends where Pango's layout ends (a kerning adjustment lost would move it
 * by more than a point at 20 points).
 */
static void test_glyphs_where_pango_put_them(void **state)
{
	struct buf pdf;
	char path[64], *bbox, *last, *s;
	double width, x_max = 0;

	(void)state;
	buf_init(&pdf, (size_t)1 << 26);
	document(&pdf, &width);
	to_file(&pdf, path);
	bbox = tool("pdftotext", "-f 1 -l 1 -bbox", path);
	/* The last word, "𝔸": back from its text to its <word> tag. */
	s = strstr(bbox, ">𝔸</word>");
	assert_non_null(s);
	while (s > bbox && strncmp(s, "<word ", 6) != 0)
		s--;
	last = s;
	assert_non_null(last);
	assert_int_equal(
		sscanf(strstr(last, "xMax=\""), "xMax=\"%lf\"", &x_max), 1);
	/* pdftotext's box ends at the glyph's advance: Pango's width. */
	if (x_max < 100 + width - 0.05 || x_max > 100 + width + 0.05)
		fail_msg("last glyph ends at %.3f, Pango says %.3f", x_max,
			 100 + width);
	unlink(path);
	free(bbox);
	buf_release(&pdf);
}

static void test_fonts_are_embedded_subsets_with_unicode(void **state)
{
	struct buf pdf;
	char path[64], *fonts, *line;
	double width;
	int n = 0;

	(void)state;
	buf_init(&pdf, (size_t)1 << 26);
	document(&pdf, &width);
	to_file(&pdf, path);
	fonts = tool("pdffonts", "", path);
	/* name type encoding emb sub uni object ID */
	for (line = strstr(fonts, "\n---");
	     line && (line = strchr(line + 1, '\n'));) {
		if (!line[1])
			break;
		n++;
		assert_non_null(strstr(line, "CID TrueType"));
		assert_non_null(strstr(line, "Identity-H"));
		assert_non_null(strstr(line, "yes yes yes"));
		assert_true(line[1 + 6] == '+'); /* ABCDEF+DejaVuSans */
	}
	assert_int_equal(n, 3); /* Sans, Sans Bold, Sans Mono */
	unlink(path);
	free(fonts);
	buf_release(&pdf);
}

/*
 * A line shaped by HarfBuzz alone has the glyphs and places that Pango
 * gives the same text: kerned pairs, digits, times, an event number.
 */
static void test_line_glyphs_are_pangos(void **state)
{
	static const char *const lines[] = {
		"INOP-2026-000123",  "01/10/2026", "23:59", "AVAVA To Wa",
		"Página 12 de 1001", "1440",	   "ñandú", "fluido fino"};
	struct pdfw *w = pdfw_new(W, H);
	PangoLayout *ref = layout(w, "DejaVu Sans 6.5", "0");
	PangoAttrList *attrs = pango_attr_list_new();
	struct pdfw_line *line;

	(void)state;
	pango_attr_list_insert(attrs,
			       pango_attr_font_features_new("liga=0, clig=0"));
	pango_layout_set_attributes(ref, attrs);
	pango_attr_list_unref(attrs);
	line = pdfw_line_new(w, ref, "liga=0, clig=0");
	assert_non_null(line);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct pdfw_glyph g[64], *want;
		size_t n, n_want;
		double width;
		int lw, lh;

		pango_layout_set_text(ref, lines[i], -1);
		assert_int_equal(pdfw_layout_glyphs(w, ref, &want, &n_want),
				 0);
		assert_int_equal(
			pdfw_line_glyphs(w, line, lines[i], g, 64, &n, &width),
			0);
		assert_int_equal(n, n_want);
		for (size_t k = 0; k < n; k++) {
			assert_int_equal(g[k].font, want[k].font);
			assert_int_equal(g[k].gid, want[k].gid);
			if (g[k].x != want[k].x || g[k].y != want[k].y)
				fail_msg("%s, glyph %zu: (%f, %f), Pango "
					 "(%f, %f)",
					 lines[i], k, g[k].x, g[k].y,
					 want[k].x, want[k].y);
		}
		pango_layout_get_size(ref, &lw, &lh);
		assert_true(width == (double)lw / PANGO_SCALE);
		free(want);
	}
	/* Not in DejaVu Sans: Pango would fall back to another font. */
	{
		struct pdfw_glyph g[64];
		size_t n;
		double width;

		assert_int_equal(
			pdfw_line_glyphs(w, line, "漢字", g, 64, &n, &width),
			-1);
		assert_int_equal(pdfw_line_glyphs(w, line, "INOP-2026-000123",
						  g, 4, &n, &width),
				 -1);
	}
	pdfw_line_free(line);
	g_object_unref(ref);
	pdfw_free(w);
}

/* Many pages of numbered lines, as a long report is. */
static void long_document(struct buf *out)
{
	struct pdfw *w = pdfw_new(W, H);
	char line[64];

	assert_non_null(w);
	for (int page = 0; page < 300; page++) {
		for (int i = 0; i < 40; i++) {
			snprintf(line, sizeof(line), "INOP-2026-%06d · %d",
				 page * 40 + i, i * 7);
			text(w, "DejaVu Sans 6.5", line, 30, 30 + 18.0 * i);
		}
		pdfw_page_end(w);
	}
	assert_int_equal(pdfw_finish(w, "Largo", "Inop",
				     "2026-11-03T09:15:00-05:00", out),
			 0);
	pdfw_free(w);
}

/*
 * A frozen report exports the same bytes every time: also a long one,
 * whose pages the deflater thread writes while the next are drawn.
 */
static void test_same_document_same_bytes(void **state)
{
	struct buf a, b;
	double width;

	(void)state;
	buf_init(&a, (size_t)1 << 26);
	buf_init(&b, (size_t)1 << 26);
	document(&a, &width);
	document(&b, &width);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.s, b.s, a.len);
	for (int round = 0; round < 3; round++) {
		buf_reset(&a);
		buf_reset(&b);
		long_document(&a);
		long_document(&b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.s, b.s, a.len);
	}
	buf_release(&a);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_reads_back_page_by_page),
		cmocka_unit_test(test_glyphs_where_pango_put_them),
		cmocka_unit_test(test_fonts_are_embedded_subsets_with_unicode),
		cmocka_unit_test(test_line_glyphs_are_pangos),
		cmocka_unit_test(test_same_document_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
