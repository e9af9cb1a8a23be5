#ifndef INOP_UTIL_JSONTEXT_H
#define INOP_UTIL_JSONTEXT_H

#include <stdint.h>

#include "util/buf.h"

/*
 * JSON text written directly into a buf, byte for byte as jansson's
 * json_dump_callback() writes the same value with JSON_COMPACT: for the
 * few hot paths that would otherwise build jansson values only to print
 * them (a frozen report's rows, an event's audit record).  Parsing stays
 * with jansson.  Each returns 0, or -1 when the buf is full or (a string)
 * `s` is not what json_string() accepts: valid UTF-8 without overlong
 * forms, surrogates or code points past U+10FFFF.
 */
int json_text_string(struct buf *b, const char *s);
/* 1 when json_string() would accept `s` (see above), else 0: text from
 * outside JSON (a command's arguments) is checked with it. */
int json_text_valid(const char *s);
/* A string, or null for NULL and "" (as json_opt_str()). */
int json_text_opt_string(struct buf *b, const char *s);
int json_text_int(struct buf *b, int64_t v);
/* "key": the key as a string and the colon. */
int json_text_key(struct buf *b, const char *key);

#endif
