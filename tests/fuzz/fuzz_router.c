/*
 * libFuzzer target: a request line "METHOD TARGET".  The path goes through
 * the router's matcher against every route of the table (as
 * router_dispatch and the 405 check do); the query string is split and
 * unescaped as libmicrohttpd does, and each value goes through the parsers
 * the handlers use for query arguments (numbers, dates, instants).
 */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "http/internal.h"
#include "util/strnum.h"

static void query_value(const char *v)
{
	int64_t n;
	struct cal_date d;

	strnum_i64(v, 0, INT64_MAX, &n);
	strnum_i64(v, 1, 500, &n);
	cal_parse_date(v, &d);
	cal_parse_rfc3339(v, &n);
}

static void query(char *q)
{
	while (q && *q) {
		char *amp = strchr(q, '&'), *eq;

		if (amp)
			*amp = '\0';
		eq = strchr(q, '=');
		if (eq) {
			*eq = '\0';
			MHD_http_unescape(eq + 1);
			query_value(eq + 1);
		}
		MHD_http_unescape(q);
		q = amp ? amp + 1 : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *params[HTTP_PARAMS_MAX];
	char *line, *target, *q;

	if (size > 8192)
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	target = strchr(line, ' ');
	if (target) {
		*target++ = '\0';
		q = strchr(target, '?');
		if (q)
			*q++ = '\0';
		MHD_http_unescape(target);
		for (size_t i = 0; i < api_n_routes; i++)
			if (router_match_path(api_routes[i].path, target,
					      params) &&
			    strcmp(api_routes[i].method, line) == 0)
				break;
		query(q);
	}
	free(line);
	return 0;
}
