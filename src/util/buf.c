#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->s = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *s;

	if (extra > b->max || b->len > b->max - extra)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	s = realloc(b->cap ? b->s : NULL, cap);
	if (!s)
		return -1;
	if (!b->cap)
		s[0] = '\0';
	b->s = s;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int buf_appends(struct buf *b, const char *str)
{
	return buf_append(b, str, strlen(str));
}

int buf_appendf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap); /* n: fits */
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->s);
	buf_init(b, b->max);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s = b->cap ? b->s : strdup("");

	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return s;
}
