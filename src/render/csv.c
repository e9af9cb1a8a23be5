/* O4: the report as CSV (RFC 4180, UTF-8). */
#include "render/render.h"

#include <stdio.h>
#include <string.h>

#include "calendar/cal.h"
#include "util/str.h"

static int needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

/*
 * A text cell that a spreadsheet would read as a formula (CSV injection:
 * "=HYPERLINK(...)", "+cmd", "-1+1", "@SUM(...)", or a leading tab or CR
 * that some programs skip) gets a leading apostrophe, which Excel and
 * LibreOffice show as text.  Times and numbers are written by us and
 * never start that way.
 */
static int neutralise(struct buf *out, const char *s)
{
	if (!s[0] || !strchr("=+-@\t\r", s[0]))
		return 0;
	return buf_append(out, "'", 1);
}

static int put_field(struct buf *out, const char *s, int first)
{
	if (!first && buf_append(out, ",", 1) < 0)
		return -1;
	if (!needs_quotes(s))
		return neutralise(out, s) < 0 ? -1 : buf_appends(out, s);
	if (buf_append(out, "\"", 1) < 0 || neutralise(out, s) < 0)
		return -1;
	for (const char *q; (q = strchr(s, '"')); s = q + 1)
		if (buf_append(out, s, (size_t)(q - s + 1)) < 0 ||
		    buf_append(out, "\"", 1) < 0)
			return -1;
	if (buf_appends(out, s) < 0 || buf_append(out, "\"", 1) < 0)
		return -1;
	return 0;
}

static int put_cell(struct buf *out, const struct report_row *row, size_t col)
{
	char s[26];

	switch (report_cols[col].kind) {
	case REPORT_COL_TIME:
		cal_format_lima(report_cell_num(row, col), s);
		return put_field(out, s, col == 0);
	case REPORT_COL_INT:
		(void)str_printf(s, sizeof(s), "%lld",
				 (long long)report_cell_num(row, col));
		return put_field(out, s, col == 0);
	default:
		return put_field(out, report_cell_text(row, col), col == 0);
	}
}

int render_csv(const struct report_doc *doc, struct buf *out)
{
	for (size_t c = 0; c < report_n_cols; c++)
		if (put_field(out, report_cols[c].title, c == 0) < 0)
			return -1;
	if (buf_append(out, "\r\n", 2) < 0)
		return -1;
	for (size_t i = 0; i < doc->rows->n; i++) {
		struct report_row row;

		report_rows_get(doc->rows, i, &row);
		for (size_t c = 0; c < report_n_cols; c++)
			if (put_cell(out, &row, c) < 0)
				return -1;
		if (buf_append(out, "\r\n", 2) < 0)
			return -1;
	}
	return 0;
}
