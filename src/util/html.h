#ifndef INOP_UTIL_HTML_H
#define INOP_UTIL_HTML_H

#include "util/buf.h"

/*
 * Escapers named by the context their output is safe in (cgit's html.h):
 * html_txt for element content, html_attr for a quoted attribute value.
 * Both append to `b`; -1 when the buffer's maximum is reached.
 */
int html_txt(struct buf *b, const char *s);
int html_attr(struct buf *b, const char *s);

#endif
