/*
 * O4: the report as an Excel workbook (libxlsxwriter).  Times are real
 * Excel dates: the Lima wall-clock time as days since 1899-12-30, so the
 * sheet shows and sorts them as Lima times whatever the reader's zone.
 */
#include "render/render.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "calendar/cal.h"
#include "util/str.h"

/* Text for the page: where str_printf/str_copy cut, the cut is shown. */

#define TITLE_ROW      0
#define HEADER_ROW     4
#define LIMA_OFFSET_S  (-5 * 3600)
#define EXCEL_DAY_1970 25569.0 /* 1970-01-01 as an Excel date */

struct formats {
	lxw_format *title, *meta, *head, *time, *text, *num;
};

static double excel_time(int64_t utc)
{
	return (double)(utc + LIMA_OFFSET_S) / 86400.0 + EXCEL_DAY_1970;
}

static void date_dmy(const char *iso, char out[11])
{
	/* "2026-11-03" -> "03/11/2026" */
	(void)str_printf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->meta = workbook_add_format(wb);
	format_set_font_color(f->meta, 0x404040);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(f->head, 0xDCE6F1);
	format_set_border(f->head, LXW_BORDER_THIN);
	f->time = workbook_add_format(wb);
	format_set_num_format(f->time, "dd/mm/yyyy hh:mm");
	f->text = workbook_add_format(wb);
	format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
	f->num = workbook_add_format(wb);
	format_set_num_format(f->num, "0");
}

static void write_meta(lxw_worksheet *ws, const struct report_doc *doc,
		       const struct formats *f)
{
	char line[256], from[11], to[11];

	worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW,
			      (lxw_col_t)(report_n_cols - 1), REPORT_TITLE,
			      f->title);
	date_dmy(doc->from, from);
	date_dmy(doc->to, to);
	(void)str_printf(
		line, sizeof(line),
		"Reporte N.º %lld · Periodo del %s al %s · Estado: %s · "
		"%zu eventos",
		(long long)doc->id, from, to, report_status_name(doc->status),
		doc->rows->n);
	worksheet_write_string(ws, 1, 0, line, f->meta);
	if (doc->hash[0])
		(void)str_printf(line, sizeof(line),
				 "Huella SHA-256 del contenido congelado: %s",
				 doc->hash);
	else
		(void)str_copy(line, sizeof(line),
			       "Borrador: el contenido se congela al pasar a "
			       "revisión");
	worksheet_write_string(ws, 2, 0, line, f->meta);
	worksheet_write_string(ws, 3, 0, REPORT_DEADLINE_TEXT, f->meta);
}

static void write_cell(lxw_worksheet *ws, lxw_row_t r, size_t c,
		       const struct report_row *row, const struct formats *f)
{
	switch (report_cols[c].kind) {
	case REPORT_COL_TIME:
		worksheet_write_number(ws, r, (lxw_col_t)c,
				       excel_time(report_cell_num(row, c)),
				       f->time);
		break;
	case REPORT_COL_INT:
		worksheet_write_number(ws, r, (lxw_col_t)c,
				       (double)report_cell_num(row, c),
				       f->num);
		break;
	default:
		worksheet_write_string(ws, r, (lxw_col_t)c,
				       report_cell_text(row, c), f->text);
	}
}

static void write_table(lxw_worksheet *ws, const struct report_doc *doc,
			const struct formats *f)
{
	lxw_row_t last = HEADER_ROW + (lxw_row_t)doc->rows->n;
	struct report_row row;

	for (size_t c = 0; c < report_n_cols; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     report_cols[c].width, NULL);
		worksheet_write_string(ws, HEADER_ROW, (lxw_col_t)c,
				       report_cols[c].title, f->head);
	}
	worksheet_set_row(ws, HEADER_ROW, 30, NULL);
	for (size_t i = 0; i < doc->rows->n; i++) {
		report_rows_get(doc->rows, i, &row);
		for (size_t c = 0; c < report_n_cols; c++)
			write_cell(ws, HEADER_ROW + 1 + (lxw_row_t)i, c, &row,
				   f);
	}
	worksheet_freeze_panes(ws, HEADER_ROW + 1, 1);
	worksheet_autofilter(ws, HEADER_ROW, 0, last,
			     (lxw_col_t)(report_n_cols - 1));
}

/* The approval trail: who moved the report, in which role, when. */
static void write_trail(lxw_worksheet *ws, const struct report_doc *doc,
			const struct formats *f)
{
	static const char *const head[] = {
		"Fecha y hora (Lima)",
		"De",
		"A",
		"Usuario",
		"Nombre",
		"Rol",
		"Comentario",
		"Referencia",
	};
	static const double widths[] = {17, 22, 22, 16, 28, 13, 50, 24};

	for (lxw_col_t c = 0; c < 8; c++) {
		worksheet_set_column(ws, c, c, widths[c], NULL);
		worksheet_write_string(ws, 0, c, head[c], f->head);
	}
	for (size_t i = 0; i < doc->n_trail; i++) {
		const struct report_step *s = &doc->trail[i];
		enum report_status from = REPORT_BORRADOR,
				   to = REPORT_BORRADOR;
		lxw_row_t r = (lxw_row_t)i + 1;

		report_status_parse(s->from, &from);
		report_status_parse(s->to, &to);
		worksheet_write_number(ws, r, 0, excel_time(s->at), f->time);
		worksheet_write_string(ws, r, 1,
				       s->from[0] ? report_status_name(from)
						  : "(creación)",
				       NULL);
		worksheet_write_string(ws, r, 2, report_status_name(to), NULL);
		worksheet_write_string(ws, r, 3, s->username, NULL);
		worksheet_write_string(ws, r, 4, s->name, NULL);
		worksheet_write_string(ws, r, 5, s->role, NULL);
		worksheet_write_string(ws, r, 6, s->comment, NULL);
		worksheet_write_string(ws, r, 7, s->reference, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

int render_xlsx(const struct report_doc *doc, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *sheet, *trail;
	lxw_doc_properties props;
	struct formats f;
	char subject[128];

	if (!wb)
		return -1;
	(void)str_printf(subject, sizeof(subject), "Reporte N.º %lld, %s a %s",
			 (long long)doc->id, doc->from, doc->to);
	memset(&props, 0, sizeof(props));
	props.title = (char *)REPORT_TITLE;
	props.subject = subject;
	props.author = (char *)"Inop";
	props.status = (char *)report_status_name(doc->status);
	/* A frozen report exports the same file every time. */
	props.created = (time_t)doc->generated_at;
	workbook_set_properties(wb, &props);
	make_formats(wb, &f);
	sheet = workbook_add_worksheet(wb, "Reporte");
	trail = workbook_add_worksheet(wb, "Aprobaciones");
	if (sheet && trail) {
		write_meta(sheet, doc, &f);
		write_table(sheet, doc, &f);
		write_trail(trail, doc, &f);
	}
	/* Closing writes the file, and frees the workbook in any case. */
	if (workbook_close(wb) != LXW_NO_ERROR)
		return -1;
	return sheet && trail ? 0 : -1;
}
