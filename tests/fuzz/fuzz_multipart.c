/*
 * libFuzzer target: the multipart/form-data parser of the complaint
 * intake (src/util/multipart.c) on arbitrary bytes.
 *
 * The input's first line is the Content-Type header, the rest the body.
 * On success every part must lie inside the body and its copied names
 * must be terminated within their fields (else abort); any input may be
 * refused, none may crash or read outside the body (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/multipart.h"

#define PARTS_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct multipart_part parts[PARTS_MAX];
	char type[512];
	const char *body;
	size_t tlen, blen, n = 0;

	if (!nl)
		return 0;
	tlen = (size_t)(nl - data);
	if (tlen >= sizeof(type))
		return 0;
	memcpy(type, data, tlen);
	type[tlen] = '\0';
	/* The body in its own allocation, so ASan sees any read past it. */
	blen = size - tlen - 1;
	body = malloc(blen ? blen : 1);
	if (!body)
		return 0;
	memcpy((char *)body, nl + 1, blen);
	if (multipart_parse(body, blen, type, parts, PARTS_MAX, &n) == 0) {
		if (n > PARTS_MAX)
			abort();
		for (size_t i = 0; i < n; i++) {
			const struct multipart_part *p = &parts[i];

			if (p->data < body || p->len > blen ||
			    p->data + p->len > body + blen ||
			    !memchr(p->name, '\0', sizeof(p->name)) ||
			    !memchr(p->filename, '\0', sizeof(p->filename)) ||
			    !memchr(p->content_type, '\0',
				    sizeof(p->content_type)))
				abort();
		}
	}
	free((char *)body);
	return 0;
}
