#ifndef INOP_UTIL_STRNUM_H
#define INOP_UTIL_STRNUM_H
#include <stdint.h>

/*
 * Parses the whole of `s` as a decimal integer in [min, max].  No leading
 * space, no trailing garbage.  0 on success, -1 otherwise (*out untouched).
 */
int strnum_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
