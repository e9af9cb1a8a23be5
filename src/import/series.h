#ifndef INOP_IMPORT_SERIES_H
#define INOP_IMPORT_SERIES_H
#include <stddef.h>
#include <stdint.h>

/*
 * Time series of counts per minute, stored the way time-series databases
 * do (DESIGN.md "Performance shape"): one chunk per series and Lima day
 * holding that day's 1,440 minute counts, encoded compactly.
 *
 * The encoding lists the minutes that hold a count, in order: for each,
 * one varint v = (gap << 1) | (count > 1), where gap is the number of
 * empty minutes since the previous one (or since 00:00), followed by the
 * varint count - 2 when count > 1.  A day whose minutes mostly hold 0 or
 * 1 costs about one byte per busy minute.
 */

#define SERIES_DAY_MINUTES 1440

/* Appends the encoding of `counts` (1,440 minutes) to out; its length. */
size_t series_encode(const uint32_t counts[SERIES_DAY_MINUTES],
		     unsigned char *out, size_t cap);
/* Adds the counts of a chunk into counts[1440].  0, or -1 if malformed. */
int series_decode(const unsigned char *p, size_t n,
		  uint32_t counts[SERIES_DAY_MINUTES]);
/* The sum of the minutes [lo, hi) of a chunk (0 <= lo <= hi <= 1440);
 * -1 if malformed. */
int64_t series_sum(const unsigned char *p, size_t n, int lo, int hi);

/*
 * The aggregation of one import: (series, minute) pairs in, chunks out.
 * Memory is 4 bytes per row added, whatever the file's order.
 */
struct agg_list {
	uint32_t *min; /* Lima minutes since 1970-01-01 00:00 Lima */
	size_t n, cap;
};

struct agg {
	struct agg_list *s;
	size_t n_series;
	int64_t rows;
};

/* One chunk produced by agg_finish(). */
struct agg_chunk {
	int32_t series;
	int32_t day; /* Lima day number (cal_day_number) */
	int64_t total;
	size_t off, len; /* its bytes in agg_out.bytes */
};

struct agg_out {
	struct agg_chunk *chunks;
	size_t n;
	unsigned char *bytes;
	size_t len;
};

void agg_init(struct agg *a);
/* Counts one row.  0 or -1 (out of memory). */
int agg_add(struct agg *a, int32_t series, uint32_t minute);
/* Sorts and encodes every series into chunks, ordered by series then
 * day.  Frees the rows as it goes.  0 or -1. */
int agg_finish(struct agg *a, struct agg_out *out);
void agg_release(struct agg *a);
void agg_out_release(struct agg_out *o);

#endif
