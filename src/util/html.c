#include "util/html.h"

#include <string.h>

static int escape(struct buf *b, const char *s, const char *special)
{
	while (*s) {
		size_t n = strcspn(s, special);
		const char *rep = NULL;

		if (n && buf_append(b, s, n) < 0)
			return -1;
		s += n;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			return 0;
		}
		if (buf_appends(b, rep) < 0)
			return -1;
		s++;
	}
	return 0;
}

int html_txt(struct buf *b, const char *s)
{
	return escape(b, s, "&<>");
}

int html_attr(struct buf *b, const char *s)
{
	return escape(b, s, "&<>\"'");
}
