#ifndef INOP_UTIL_BUF_H
#define INOP_UTIL_BUF_H
#include <stddef.h>

/*
 * A growable byte string with a maximum size fixed at init.  `s` is always
 * NUL-terminated once anything was appended (and "" before), never NULL
 * after buf_init.  An append that would pass `max` fails with -1 and
 * leaves the buffer as it was.
 */
struct buf {
	char *s;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
int buf_append(struct buf *b, const void *data, size_t n);
int buf_appends(struct buf *b, const char *str);
int buf_appendf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);	 /* len 0, memory kept */
void buf_release(struct buf *b); /* frees, leaves an empty buffer */
/* Hands the string to the caller (free() it); the buffer is empty after. */
char *buf_detach(struct buf *b, size_t *len);

#endif
