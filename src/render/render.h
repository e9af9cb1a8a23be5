#ifndef INOP_RENDER_RENDER_H
#define INOP_RENDER_RENDER_H

#include "domain/report.h"
#include "util/buf.h"

/*
 * The exports of a report (SPEC O4), each a pure function of a struct
 * report_doc: one row per event with the columns of report_cols[], times
 * in Lima.  They read nothing but `doc` (and, for the PDF, the installed
 * DejaVu fonts) and write only their output.
 */

#define RENDER_MAX_BYTES ((size_t)512 << 20) /* cap of an export in memory */

/*
 * CSV per RFC 4180 in UTF-8 (no byte-order mark): a header line with the
 * column titles, then one line per row; CRLF line ends; a field with a
 * comma, quote, CR or LF is quoted, quotes doubled.  Times are RFC 3339
 * Lima times.  Appends to `out`; 0, or -1 when it would pass its maximum.
 */
int render_csv(const struct report_doc *doc, struct buf *out);

/*
 * XLSX with libxlsxwriter, written to the file `path`: a sheet with the
 * title, the period, status and hash, the frozen header row with an
 * autofilter, real Excel dates (Lima), set widths; and a sheet with the
 * approval trail.  0, or -1 when the file cannot be written.
 */
int render_xlsx(const struct report_doc *doc, const char *path);

/*
 * PDF with cairo and pango: A4 landscape, the same table with its header
 * repeated on every page, "Página N de M", then the approval trail (who,
 * role, when) and the snapshot hash.  Appends to `out`; 0 or -1.
 */
int render_pdf(const struct report_doc *doc, struct buf *out);

#endif
