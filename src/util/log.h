#ifndef INOP_UTIL_LOG_H
#define INOP_UTIL_LOG_H
#include <stddef.h>

/*
 * Log lines to stderr in logfmt, one event per line, English:
 *   ts=2026-11-29T10:00:00Z level=info msg="listening on 127.0.0.1:8080"
 * log_kv() adds key=value fields after msg; values that may hold spaces
 * or quotes go through log_value() first.
 */
void log_msg(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_kv(const char *level, const char *msg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* `s` as a logfmt value (quoted and escaped when needed) into out (always
 * NUL-terminated, cut at n - 1).  Returns the length written. */
size_t log_value(char *out, size_t n, const char *s);

#define log_info(...)  log_msg("info", __VA_ARGS__)
#define log_warn(...)  log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)

#endif
