#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

void log_msg(const char *level, const char *fmt, ...)
{
	char line[1024], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf per line so lines from threads do not interleave. */
	fprintf(stderr, "%s %s %s\n", ts, level, line);
}
