#ifndef INOP_UTIL_MULTIPART_H
#define INOP_UTIL_MULTIPART_H
#include <stddef.h>

/*
 * multipart/form-data (RFC 7578) over bytes already in memory: a pure
 * function, no allocation, no I/O (a fuzz target calls it as is).
 *
 * Each part's data points into `body` (not NUL-terminated; binary
 * allowed); its field name, file name and content type are copied,
 * NUL-terminated, into the part (cut names make the parse fail rather
 * than silently change a field).
 */
#define MULTIPART_NAME_MAX     64
#define MULTIPART_FILENAME_MAX 256
#define MULTIPART_TYPE_MAX     128

struct multipart_part {
	char name[MULTIPART_NAME_MAX];
	char filename[MULTIPART_FILENAME_MAX]; /* "" when not a file */
	int is_file;			       /* a filename= was given */
	char content_type[MULTIPART_TYPE_MAX]; /* "" when not given */
	const char *data;
	size_t len;
};

/*
 * Splits `body` (`len` bytes) by the boundary of `content_type` (the
 * request's Content-Type header, "multipart/form-data; boundary=...")
 * into at most `max` parts.  0 with *n set; -1 when the content type is
 * not multipart/form-data with a boundary, the body is malformed (no
 * closing delimiter, a part without Content-Disposition form-data and a
 * name), or it has more than `max` parts.
 */
int multipart_parse(const char *body, size_t len, const char *content_type,
		    struct multipart_part *parts, size_t max, size_t *n);

#endif
