#include "util/jsontext.h"

#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence at p as json_string() accepts it (no
 * overlong form, surrogate or code point past U+10FFFF); 0 if invalid. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	uint32_t cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	cp = p[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int json_text_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p)
		if (*p < 0x80)
			p++;
		else if ((n = utf8_len(p)) != 0)
			p += n;
		else
			return 0;
	return 1;
}

/* What JSON writes as a backslash and a letter: "\"\\bfnrt" in order. */
#define JSON_SHORT "\"\\\b\f\n\r\t"

int json_text_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *short_esc;
	char esc[8];
	size_t run = 0, n;

	if (buf_append(b, "\"", 1) < 0)
		return -1;
	for (;;) {
		unsigned char c = p[run];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		if (c >= 0x80) {
			if (!(n = utf8_len(p + run)))
				return -1; /* what json_string() refuses */
			run += n;
			continue;
		}
		if (buf_append(b, p, run) < 0)
			return -1;
		if (!c)
			break;
		/* c is not NUL here: strchr finds only the seven. */
		short_esc = strchr(JSON_SHORT, c);
		if (short_esc)
			(void)snprintf(esc, sizeof(esc), "\\%c",
				       "\"\\bfnrt"[short_esc - JSON_SHORT]);
		else
			(void)snprintf(esc, sizeof(esc), "\\u%04X", c);
		if (buf_appends(b, esc) < 0)
			return -1;
		p += run + 1;
		run = 0;
	}
	return buf_append(b, "\"", 1);
}

int json_text_opt_string(struct buf *b, const char *s)
{
	return s && *s ? json_text_string(b, s) : buf_appends(b, "null");
}

int json_text_int(struct buf *b, int64_t v)
{
	return buf_appendf(b, "%lld", (long long)v);
}

int json_text_key(struct buf *b, const char *key)
{
	return json_text_string(b, key) < 0 ? -1 : buf_append(b, ":", 1);
}
