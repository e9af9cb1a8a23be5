/*
 * The streaming CSV reader (csv.h).  The common record (no quotes, wholly
 * inside the chunk) is found with memchr and split in place; only a
 * record cut by the chunk's end or holding quotes is copied.
 */
#include "import/csv.h"

#include <stdlib.h>
#include <string.h>

void csv_init(struct csv *c, csv_row_fn row, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->row = row;
	c->ctx = ctx;
	c->line = 1;
}

void csv_release(struct csv *c)
{
	free(c->carry);
	free(c->unq);
	c->carry = c->unq = NULL;
	c->carry_cap = c->unq_cap = 0;
}

int csv_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char b = s[i];
		size_t k;
		unsigned cp;

		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			k = 1, cp = b & 0x1F;
		else if (b >= 0xE0 && b <= 0xEF)
			k = 2, cp = b & 0x0F;
		else if (b >= 0xF0 && b <= 0xF4)
			k = 3, cp = b & 0x07;
		else
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 &&
		     (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += k + 1;
	}
	return 1;
}

int csv_valid_cp1252(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == 0x81 || s[i] == 0x8D || s[i] == 0x8F ||
		    s[i] == 0x90 || s[i] == 0x9D || s[i] == 0)
			return 0;
	return 1;
}

/* The header decides the separator: the one of `,` `;` seen more often
 * outside quotes (`,` when neither). */
static char find_sep(const char *s, size_t n)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			commas++;
		else if (!quoted && s[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

static void check_encoding(const char *s, size_t n, struct csv_record *rec)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n && u[i] < 0x80 && u[i] != 0)
		i++;
	if (i == n)
		return;
	if (csv_valid_utf8(u + i, n - i) && !memchr(u + i, 0, n - i))
		return;
	if (csv_valid_cp1252(u + i, n - i))
		rec->cp1252 = 1;
	else
		rec->bad_encoding = 1;
}

static void add_field(struct csv *c, struct csv_record *rec, const char *s,
		      size_t len)
{
	if (rec->nf < CSV_FIELDS_MAX) {
		c->fields[rec->nf].s = s;
		c->fields[rec->nf].len = len;
		rec->nf++;
	} else {
		rec->too_many = 1;
	}
}

static void split_plain(struct csv *c, const char *s, size_t n,
			struct csv_record *rec)
{
	const char *end = s + n, *p = s, *q;

	for (;;) {
		q = memchr(p, c->sep, (size_t)(end - p));
		if (!q) {
			add_field(c, rec, p, (size_t)(end - p));
			return;
		}
		add_field(c, rec, p, (size_t)(q - p));
		p = q + 1;
	}
}

/* Fields with quotes: unquoted into c->unq (never longer than s). */
static int split_quoted(struct csv *c, const char *s, size_t n,
			struct csv_record *rec)
{
	size_t i = 0, o = 0, start;
	int quoted;

	if (c->unq_cap < n + 1) {
		char *p = realloc(c->unq, n + 1);

		if (!p)
			return -1;
		c->unq = p;
		c->unq_cap = n + 1;
	}
	for (;;) {
		start = o;
		quoted = 0;
		if (i < n && s[i] == '"') {
			quoted = 1;
			i++;
		}
		while (i < n) {
			if (quoted && s[i] == '"') {
				if (i + 1 < n && s[i + 1] == '"') {
					c->unq[o++] = '"';
					i += 2;
					continue;
				}
				quoted = 0;
				i++;
				continue;
			}
			if (!quoted && s[i] == c->sep)
				break;
			c->unq[o++] = s[i++];
		}
		if (quoted)
			rec->open_quote = 1;
		add_field(c, rec, c->unq + start, o - start);
		if (i >= n)
			return 0;
		i++; /* the separator */
	}
}

static int emit(struct csv *c, const char *s, size_t n, int quotes,
		int64_t nlines)
{
	struct csv_record rec;
	int rc;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	memset(&rec, 0, sizeof(rec));
	rec.line = c->line;
	c->line += nlines;
	if (n == 0)
		return 0; /* blank lines are skipped */
	if (!c->sep)
		c->sep = find_sep(s, n);
	check_encoding(s, n, &rec);
	rec.f = c->fields;
	if (!quotes)
		split_plain(c, s, n, &rec);
	else if (split_quoted(c, s, n, &rec) < 0)
		return -1;
	rc = c->row(c->ctx, &rec);
	return rc ? -1 : 0;
}

static size_t count_byte(const char *s, size_t n, char b)
{
	size_t k = 0;

	for (const char *p = s, *end = s + n;
	     (p = memchr(p, b, (size_t)(end - p))) != NULL; p++)
		k++;
	return k;
}

static int carry_add(struct csv *c, const char *s, size_t n)
{
	if (c->carry_len + n + 1 > CSV_RECORD_MAX) {
		c->overlong = 1;
		return -1;
	}
	if (c->carry_len + n + 1 > c->carry_cap) {
		size_t cap = c->carry_cap ? c->carry_cap : 4096;
		char *p;

		while (cap < c->carry_len + n + 1)
			cap *= 2;
		p = realloc(c->carry, cap);
		if (!p)
			return -1;
		c->carry = p;
		c->carry_cap = cap;
	}
	memcpy(c->carry + c->carry_len, s, n);
	c->carry_len += n;
	c->carry_quotes += count_byte(s, n, '"');
	return 0;
}

/* Emits the carried record and empties the carry. */
static int emit_carry(struct csv *c)
{
	int64_t nlines = 1 + (int64_t)count_byte(c->carry, c->carry_len, '\n');
	size_t n = c->carry_len;
	int quotes = c->carry_quotes > 0;

	c->carry_len = 0;
	c->carry_quotes = 0;
	return emit(c, c->carry, n, quotes, nlines);
}

/* A record continued from an earlier chunk: up to the next newline. */
static int feed_carry(struct csv *c, const char *buf, size_t len, size_t *pos)
{
	const char *nl = memchr(buf + *pos, '\n', len - *pos);
	size_t upto = nl ? (size_t)(nl - buf) : len;

	if (carry_add(c, buf + *pos, upto - *pos) < 0)
		return -1;
	*pos = nl ? upto + 1 : len;
	if (!nl)
		return 0;
	if (c->carry_quotes % 2)
		return carry_add(c, "\n", 1); /* a newline inside quotes */
	return emit_carry(c);
}

/* Records that start in this chunk. */
static int feed_fresh(struct csv *c, const char *buf, size_t len, size_t *pos)
{
	const char *s = buf + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t n, quotes;

	if (!nl) {
		*pos = len;
		return carry_add(c, s, (size_t)(buf + len - s));
	}
	n = (size_t)(nl - s);
	*pos += n + 1;
	if (!memchr(s, '"', n))
		return emit(c, s, n, 0, 1);
	quotes = count_byte(s, n, '"');
	if (quotes % 2 == 0)
		return emit(c, s, n, 1, 1);
	if (carry_add(c, s, n) < 0 || carry_add(c, "\n", 1) < 0)
		return -1;
	return 0;
}

static int process(struct csv *c, const char *buf, size_t len)
{
	size_t pos = 0;
	int rc;

	while (pos < len) {
		if (c->carry_len > 0)
			rc = feed_carry(c, buf, len, &pos);
		else
			rc = feed_fresh(c, buf, len, &pos);
		if (rc < 0) {
			c->stopped = 1;
			return -1;
		}
	}
	return 0;
}

int csv_feed(struct csv *c, const char *buf, size_t len)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

	if (c->stopped)
		return -1;
	while (!c->started && len > 0) {
		c->bom[c->bom_len++] = (unsigned char)*buf++;
		len--;
		if (c->bom[c->bom_len - 1] != bom[c->bom_len - 1]) {
			c->started = 1;
			if (process(c, (const char *)c->bom, c->bom_len) < 0)
				return -1;
		} else if (c->bom_len == 3) {
			c->started = 1;
		}
	}
	return process(c, buf, len);
}

int csv_finish(struct csv *c)
{
	if (c->stopped)
		return -1;
	if (!c->started && c->bom_len > 0) {
		c->started = 1;
		if (process(c, (const char *)c->bom, c->bom_len) < 0)
			return -1;
	}
	if (c->carry_len > 0 && emit_carry(c) < 0) {
		c->stopped = 1;
		return -1;
	}
	return 0;
}
