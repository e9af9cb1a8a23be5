#ifndef INOP_UTIL_LOG_H
#define INOP_UTIL_LOG_H

/* Log lines to stderr: "2026-11-29T10:00:00Z level message".  English. */
void log_msg(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_info(...)  log_msg("info", __VA_ARGS__)
#define log_warn(...)  log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)

#endif
