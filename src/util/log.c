#include "util/log.h"
#include "util/clock.h"
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * logfmt (key=value, as Heroku, Grafana Loki and journald's readers
 * expect): a value with spaces, quotes, '=' or control characters is
 * quoted with backslash escapes, so one event is always one line.
 */
size_t log_value(char *out, size_t n, const char *s)
{
	size_t o = 0;
	int quote = !*s || strpbrk(s, " \"=\\") != NULL;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			quote = 1;
	if (n == 0)
		return 0;
	if (!quote) {
		(void)str_copy(out, n, s); /* a cut log value is acceptable */
		return strlen(out);
	}
	out[o++] = '"';
	for (const unsigned char *p = (const unsigned char *)s;
	     *p && o + 5 < n; p++) {
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = (char)*p;
		} else if (*p == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (*p < 0x20 || *p == 0x7f) {
			/* 4 characters and the NUL: o + 5 < n */
			(void)str_printf(out + o, n - o, "\\x%02x", *p);
			o += 4;
		} else {
			out[o++] = (char)*p;
		}
	}
	if (o + 1 < n)
		out[o++] = '"';
	out[o < n ? o : n - 1] = '\0';
	return o;
}

static void emit(const char *level, const char *msg, const char *fields)
{
	char ts[32], value[1100];
	time_t now = (time_t)clock_wall_s();
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_value(value, sizeof(value), msg);
	/* One fprintf per line so lines from threads do not interleave. */
	fprintf(stderr, "ts=%s level=%s msg=%s%s%s\n", ts, level, value,
		fields && *fields ? " " : "", fields ? fields : "");
}

void log_msg(const char *level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap); /* a cut line is fine */
	va_end(ap);
	emit(level, line, NULL);
}

void log_kv(const char *level, const char *msg, const char *fmt, ...)
{
	char fields[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(fields, sizeof(fields), fmt, ap); /* cut: fine */
	va_end(ap);
	emit(level, msg, fields);
}
