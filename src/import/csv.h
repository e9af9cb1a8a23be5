#ifndef INOP_IMPORT_CSV_H
#define INOP_IMPORT_CSV_H
#include <stddef.h>
#include <stdint.h>

/*
 * A streaming CSV reader over byte chunks: feed it the file in pieces of
 * any size (csv_feed) and it calls `row` once per record, with the
 * record's fields.  It never holds the file, only the record that spans
 * two chunks; records wholly inside a chunk are split in place, without
 * copying or allocating.  No I/O: a fuzz target drives it directly.
 *
 * What it accepts (API.md "Data brought in"): an optional UTF-8 BOM; the
 * separator `,` or `;`, found from the header row (the first record);
 * quoted fields ("a;b", "say ""hi""", newlines inside quotes); LF or CRLF
 * line ends; UTF-8 or Windows-1252 text.  A record holding bytes that
 * are neither valid UTF-8 nor Windows-1252 is passed with `bad_encoding`
 * set, so the caller can reject that line.
 */

#define CSV_FIELDS_MAX 256
#define CSV_RECORD_MAX (1u << 20) /* a longer record stops the reader */

struct csv_field {
	const char *s; /* not NUL-terminated; valid during the callback */
	size_t len;
};

struct csv_record {
	int64_t line; /* physical line where the record starts, from 1 */
	const struct csv_field *f;
	int nf;		  /* fields in this record (> CSV_FIELDS_MAX: cut) */
	int too_many;	  /* more than CSV_FIELDS_MAX fields */
	int bad_encoding; /* neither UTF-8 nor Windows-1252 */
	int cp1252;	  /* not UTF-8, read as Windows-1252 */
	int open_quote;	  /* the input ended inside a quoted field */
};

/* Called per record; a non-zero return stops the reader (csv_feed -1). */
typedef int (*csv_row_fn)(void *ctx, const struct csv_record *rec);

struct csv {
	csv_row_fn row;
	void *ctx;
	char sep;	  /* 0 until the header has been seen */
	int started;	  /* the BOM check is done */
	int stopped;	  /* the callback or an overlong record stopped it */
	int overlong;	  /* a record exceeded CSV_RECORD_MAX */
	int64_t line;	  /* physical line of the next record */
	char *carry;	  /* the unfinished record of the previous chunk */
	size_t carry_len; /* its bytes */
	size_t carry_cap;
	size_t carry_quotes; /* '"' seen in the carry */
	unsigned char bom[3];
	size_t bom_len;
	char *unq; /* scratch for unquoted fields of one record */
	size_t unq_cap;
	struct csv_field fields[CSV_FIELDS_MAX];
};

void csv_init(struct csv *c, csv_row_fn row, void *ctx);
/* Feeds the next bytes.  0, or -1 once stopped (see c->overlong). */
int csv_feed(struct csv *c, const char *buf, size_t len);
/* The end of the input: emits a last record without a newline.  0/-1. */
int csv_finish(struct csv *c);
void csv_release(struct csv *c);

/*
 * Checks `s` as UTF-8: 1 valid, 0 not.  And for Windows-1252: 1 when
 * every byte is defined in it.
 */
int csv_valid_utf8(const unsigned char *s, size_t n);
int csv_valid_cp1252(const unsigned char *s, size_t n);

#endif
