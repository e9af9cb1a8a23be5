#ifndef INOP_UTIL_STR_H
#define INOP_UTIL_STR_H
#include <stddef.h>

/*
 * Copies the string `src` into `dst` of `size` bytes, always terminated.
 * 0 when it fitted; -1 when it was cut (dst holds the cut copy) or size
 * is 0.  Use this instead of snprintf(dst, n, "%s", src) or strn* copies.
 */
int str_copy(char *dst, size_t size, const char *src);

/*
 * snprintf that says when it cut: 0 when the whole text fitted, -1 when
 * it was cut or failed.
 */
int str_printf(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
