#ifndef INOP_UTIL_EMBED_H
#define INOP_UTIL_EMBED_H
#include <stddef.h>

/*
 * Files compiled into the binary (tools/embed.cmake): SQL migrations, the
 * catalogue, the web UI.  `data` is always NUL-terminated one byte past
 * `size`, so text files can be used as C strings.
 */
struct inop_embedded {
	const char *path; /* relative to the source root, e.g. "web/app.js" */
	const unsigned char *data;
	size_t size;
};

extern const struct inop_embedded inop_embedded[];

/* The embedded file at `path`, or NULL. */
const struct inop_embedded *embed_find(const char *path);

#endif
