/*
 * libFuzzer target: the CSV import (src/import/) on arbitrary bytes.
 *
 * 1. csv_feed in one piece and in pieces cut where the input says: the
 *    records (line, fields) must be the same -- a chunk boundary must
 *    never change what is read (else abort).
 * 2. The whole import (gzip detection, header, row checks, aggregation,
 *    chunk encoding) as `inop import interactions` runs it, with every
 *    produced chunk decoded back and its total checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/csv.h"
#include "import/import.h"
#include "import/series.h"

struct digest {
	uint64_t h;
	long records;
};

static void mix(struct digest *d, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		d->h = (d->h ^ b[i]) * 1099511628211ull;
}

static int on_record(void *ctx, const struct csv_record *rec)
{
	struct digest *d = ctx;

	d->records++;
	mix(d, &rec->line, sizeof(rec->line));
	mix(d, &rec->nf, sizeof(rec->nf));
	for (int i = 0; i < rec->nf && i < CSV_FIELDS_MAX; i++) {
		mix(d, rec->f[i].s, rec->f[i].len);
		mix(d, "\x1f", 1);
	}
	mix(d, &rec->bad_encoding, sizeof(rec->bad_encoding));
	mix(d, &rec->open_quote, sizeof(rec->open_quote));
	return 0;
}

static struct digest read_csv(const uint8_t *data, size_t size, size_t step)
{
	struct digest d = {14695981039346656037ull, 0};
	struct csv c;

	csv_init(&c, on_record, &d);
	for (size_t i = 0; i < size; i += step)
		if (csv_feed(&c, (const char *)data + i,
			     i + step > size ? size - i : step) < 0)
			break;
	csv_finish(&c);
	mix(&d, &c.overlong, sizeof(c.overlong));
	csv_release(&c);
	return d;
}

static void run_import(const uint8_t *data, size_t size, size_t step)
{
	static const struct import_point pts[] = {
		{1, "P1"}, {2, "CAC-01"}, {3, "X"}};
	static uint32_t counts[SERIES_DAY_MINUTES];
	struct import im;

	if (import_init(&im, IMPORT_INTERACTIONS, pts, 3) < 0)
		abort();
	for (size_t i = 0; i < size; i += step)
		if (import_feed(&im, data + i,
				i + step > size ? size - i : step) < 0)
			break;
	if (import_finish(&im) == 0) {
		for (size_t i = 0; i < im.out.n; i++) {
			const struct agg_chunk *ch = &im.out.chunks[i];
			int64_t total = 0;

			memset(counts, 0, sizeof(counts));
			if (series_decode(im.out.bytes + ch->off, ch->len,
					  counts) < 0)
				abort();
			for (int m = 0; m < SERIES_DAY_MINUTES; m++)
				total += counts[m];
			if (total != ch->total)
				abort();
		}
	}
	import_release(&im);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest whole, cut;
	size_t step;

	if (size == 0)
		return 0;
	step = 1 + data[0] % 17;
	whole = read_csv(data, size, size);
	cut = read_csv(data, size, step);
	if (whole.h != cut.h || whole.records != cut.records)
		abort(); /* a chunk boundary changed the records */
	run_import(data, size, step);
	return 0;
}
