/* Minute-count chunks and the aggregation of an import (series.h). */
#include "import/series.h"

#include <stdlib.h>
#include <string.h>

static size_t put_varint(unsigned char *out, size_t pos, size_t cap,
			 uint64_t v)
{
	do {
		unsigned char b = v & 0x7F;

		v >>= 7;
		if (pos < cap)
			out[pos] = b | (v ? 0x80 : 0);
		pos++;
	} while (v);
	return pos;
}

static int get_varint(const unsigned char *p, size_t n, size_t *pos,
		      uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*pos < n && shift < 64) {
		unsigned char b = p[(*pos)++];

		*v |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

size_t series_encode(const uint32_t counts[SERIES_DAY_MINUTES],
		     unsigned char *out, size_t cap)
{
	size_t pos = 0;
	int prev = -1;

	for (int m = 0; m < SERIES_DAY_MINUTES; m++) {
		uint64_t gap;

		if (!counts[m])
			continue;
		gap = (uint64_t)(m - prev - 1);
		pos = put_varint(out, pos, cap,
				 (gap << 1) | (counts[m] > 1 ? 1 : 0));
		if (counts[m] > 1)
			pos = put_varint(out, pos, cap, counts[m] - 2);
		prev = m;
	}
	return pos;
}

/*
 * The next busy minute of a chunk: 1 with *m (advanced from the previous
 * minute, -1 at the start) and *c set, 0 at the end, -1 if malformed.
 */
static int next_minute(const unsigned char *p, size_t n, size_t *pos,
		       int64_t *m, uint64_t *c)
{
	uint64_t v;

	if (*pos >= n)
		return 0;
	if (get_varint(p, n, pos, &v) < 0)
		return -1;
	*m += (int64_t)(v >> 1) + 1;
	*c = 1;
	if (v & 1) {
		if (get_varint(p, n, pos, c) < 0)
			return -1;
		*c += 2;
	}
	return *m < SERIES_DAY_MINUTES ? 1 : -1;
}

int series_decode(const unsigned char *p, size_t n,
		  uint32_t counts[SERIES_DAY_MINUTES])
{
	size_t pos = 0;
	int64_t m = -1;
	uint64_t c;
	int rc;

	while ((rc = next_minute(p, n, &pos, &m, &c)) == 1)
		counts[m] += (uint32_t)c;
	return rc;
}

int64_t series_sum(const unsigned char *p, size_t n, int lo, int hi)
{
	size_t pos = 0;
	int64_t m = -1, sum = 0;
	uint64_t c;
	int rc;

	while ((rc = next_minute(p, n, &pos, &m, &c)) == 1 && m < hi)
		if (m >= lo)
			sum += (int64_t)c;
	return rc < 0 ? -1 : sum;
}

void agg_init(struct agg *a)
{
	memset(a, 0, sizeof(*a));
}

int agg_add(struct agg *a, int32_t series, uint32_t minute)
{
	struct agg_list *l;

	if (series < 0)
		return -1;
	if ((size_t)series >= a->n_series) {
		size_t n = (size_t)series + 1 > a->n_series * 2
				   ? (size_t)series + 1
				   : a->n_series * 2;
		struct agg_list *s = realloc(a->s, n * sizeof(*s));

		if (!s)
			return -1;
		memset(s + a->n_series, 0, (n - a->n_series) * sizeof(*s));
		a->s = s;
		a->n_series = n;
	}
	l = &a->s[series];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint32_t *p = realloc(l->min, cap * sizeof(*p));

		if (!p)
			return -1;
		l->min = p;
		l->cap = cap;
	}
	l->min[l->n++] = minute;
	a->rows++;
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

static void sort_minutes(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i] < v[i - 1]) {
			qsort(v, n, sizeof(*v), cmp_u32);
			return;
		}
}

static int out_grow(struct agg_out *o, size_t need_bytes, size_t *cap_bytes,
		    size_t *cap_chunks)
{
	if (o->len + need_bytes > *cap_bytes) {
		size_t cap = *cap_bytes ? *cap_bytes : 1 << 16;
		unsigned char *p;

		while (cap < o->len + need_bytes)
			cap *= 2;
		p = realloc(o->bytes, cap);
		if (!p)
			return -1;
		o->bytes = p;
		*cap_bytes = cap;
	}
	if (o->n == *cap_chunks) {
		size_t cap = *cap_chunks ? *cap_chunks * 2 : 1024;
		struct agg_chunk *p = realloc(o->chunks, cap * sizeof(*p));

		if (!p)
			return -1;
		o->chunks = p;
		*cap_chunks = cap;
	}
	return 0;
}

/*
 * Encodes one day's sorted minutes straight from the run of rows (no
 * 1,440-minute array): as series_encode() would.  Returns the length.
 */
static size_t encode_run(const uint32_t *v, size_t n, unsigned char *out,
			 size_t cap)
{
	size_t pos = 0, i = 0;
	int prev = -1;

	while (i < n) {
		int m = (int)(v[i] % SERIES_DAY_MINUTES);
		uint64_t c = 0, gap = (uint64_t)(m - prev - 1);

		while (i < n && (int)(v[i] % SERIES_DAY_MINUTES) == m) {
			c++;
			i++;
		}
		pos = put_varint(out, pos, cap, (gap << 1) | (c > 1 ? 1 : 0));
		if (c > 1)
			pos = put_varint(out, pos, cap, c - 2);
		prev = m;
	}
	return pos;
}

/* Encodes the sorted minutes of one series, a chunk per day. */
static int finish_series(int32_t series, const uint32_t *v, size_t n,
			 struct agg_out *o, size_t *cap_bytes,
			 size_t *cap_chunks)
{
	size_t i = 0;

	while (i < n) {
		uint32_t day = v[i] / SERIES_DAY_MINUTES;
		struct agg_chunk *ch;
		size_t start = i;

		while (i < n && v[i] / SERIES_DAY_MINUTES == day)
			i++;
		/* at most 1 + 10 bytes per busy minute */
		if (out_grow(o, (i - start) * 11 + 16, cap_bytes, cap_chunks) <
		    0)
			return -1;
		ch = &o->chunks[o->n++];
		ch->series = series;
		ch->day = (int32_t)day;
		ch->total = (int64_t)(i - start);
		ch->off = o->len;
		ch->len = encode_run(v + start, i - start, o->bytes + o->len,
				     (i - start) * 11 + 16);
		o->len += ch->len;
	}
	return 0;
}

int agg_finish(struct agg *a, struct agg_out *out)
{
	size_t cap_bytes = 0, cap_chunks = 0;

	memset(out, 0, sizeof(*out));
	for (size_t s = 0; s < a->n_series; s++) {
		struct agg_list *l = &a->s[s];

		sort_minutes(l->min, l->n);
		if (finish_series((int32_t)s, l->min, l->n, out, &cap_bytes,
				  &cap_chunks) < 0)
			return -1;
		free(l->min);
		memset(l, 0, sizeof(*l));
	}
	return 0;
}

void agg_release(struct agg *a)
{
	for (size_t s = 0; s < a->n_series; s++)
		free(a->s[s].min);
	free(a->s);
	agg_init(a);
}

void agg_out_release(struct agg_out *o)
{
	free(o->chunks);
	free(o->bytes);
	memset(o, 0, sizeof(*o));
}
