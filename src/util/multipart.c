#include "util/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70 /* RFC 2046 */

/* The first `nlen` bytes `needle` in [h, h + hlen), or NULL (memmem is
 * a GNU extension). */
static const char *find(const char *h, size_t hlen, const char *needle,
			size_t nlen)
{
	const char *end = h + hlen, *p = h;

	if (nlen == 0 || hlen < nlen)
		return NULL;
	while ((p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1)) !=
	       NULL) {
		if (memcmp(p, needle, nlen) == 0)
			return p;
		if (++p > end - nlen)
			break;
	}
	return NULL;
}

/* Copies a header parameter value (quoted or token) of `len` bytes at
 * `v` into out; -1 when it does not fit. */
static int param_value(const char *v, const char *end, char *out, size_t size)
{
	size_t j = 0;

	if (v < end && *v == '"') {
		for (v++; v < end && *v != '"'; v++) {
			if (*v == '\\' && v + 1 < end)
				v++;
			if (j + 1 >= size)
				return -1;
			out[j++] = *v;
		}
		if (v >= end)
			return -1; /* unterminated */
	} else {
		for (; v < end && *v != ';' && *v != ' ' && *v != '\t'; v++) {
			if (j + 1 >= size)
				return -1;
			out[j++] = *v;
		}
	}
	out[j] = '\0';
	return 0;
}

/*
 * Finds parameter `key` in the header value [s, end): 1 copied, 0 not
 * there, -1 malformed or too long.
 */
static int find_param(const char *s, const char *end, const char *key,
		      char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *p = s;

	while (p < end) {
		const char *semi, *q;
		int quoted = 0;

		/* A ';' inside quotes does not end the parameter. */
		for (q = p; q < end; q++) {
			if (*q == '"' && (q == p || q[-1] != '\\'))
				quoted = !quoted;
			if (*q == ';' && !quoted)
				break;
		}
		semi = q;
		while (p < semi && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if ((size_t)(semi - p) > klen &&
		    strncasecmp(p, key, klen) == 0 && p[klen] == '=')
			return param_value(p + klen + 1, semi, out, size) < 0
				       ? -1
				       : 1;
		p = semi + 1;
	}
	return 0;
}

static int boundary_of(const char *ct, char *out, size_t size)
{
	const char *end;

	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return -1;
	end = ct + strlen(ct);
	if (find_param(ct + 19, end, "boundary", out, size) != 1 || !out[0])
		return -1;
	return 0;
}

/* Reads the headers [h, end) of one part into p.  0 or -1. */
static int part_headers(const char *h, const char *end,
			struct multipart_part *p)
{
	int has_disp = 0;

	while (h < end) {
		const char *eol = memchr(h, '\r', (size_t)(end - h));
		const char *colon;

		if (!eol)
			eol = end;
		colon = memchr(h, ':', (size_t)(eol - h));
		if (colon && (size_t)(colon - h) == 19 &&
		    strncasecmp(h, "Content-Disposition", 19) == 0) {
			const char *v = colon + 1;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if ((size_t)(eol - v) < 9 ||
			    strncasecmp(v, "form-data", 9) != 0 ||
			    find_param(v + 9, eol, "name", p->name,
				       sizeof(p->name)) != 1)
				return -1;
			switch (find_param(v + 9, eol, "filename", p->filename,
					   sizeof(p->filename))) {
			case 1:
				p->is_file = 1;
				break;
			case 0:
				break;
			default:
				return -1;
			}
			has_disp = 1;
		} else if (colon && (size_t)(colon - h) == 12 &&
			   strncasecmp(h, "Content-Type", 12) == 0) {
			const char *v = colon + 1;
			size_t n;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			n = (size_t)(eol - v);
			if (n >= sizeof(p->content_type))
				return -1;
			memcpy(p->content_type, v, n);
			p->content_type[n] = '\0';
		}
		h = eol + 2;
	}
	return has_disp ? 0 : -1;
}

int multipart_parse(const char *body, size_t len, const char *content_type,
		    struct multipart_part *parts, size_t max, size_t *n)
{
	char b[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 5];
	const char *p, *end = body + len;
	size_t dlen;

	*n = 0;
	if (boundary_of(content_type, b, sizeof(b)) < 0)
		return -1;
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", b);
	/* The first delimiter may open the body (no CRLF before it). */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = find(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return -1;
	for (;;) {
		const char *hend, *next;
		struct multipart_part *part;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the close delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++; /* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return -1;
		next = find(hend + 4, (size_t)(end - hend - 4), delim, dlen);
		if (!next || *n == max)
			return -1;
		part = &parts[(*n)++];
		memset(part, 0, sizeof(*part));
		if (part_headers(p, hend, part) < 0)
			return -1;
		part->data = hend + 4;
		part->len = (size_t)(next - part->data);
		p = next + dlen;
	}
}
