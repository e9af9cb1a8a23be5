#ifndef INOP_STORE_LOGIN_THROTTLE_H
#define INOP_STORE_LOGIN_THROTTLE_H
#include <stdint.h>

#include "db/db.h"

/*
 * Counters of failed logins per key ('a|ADDRESS', 'u|USERNAME|ADDRESS';
 * api/session.c chooses them) in a fixed window: the first failure after
 * a window has passed starts a new one.  Written on the caller's
 * connection, outside any change's transaction.  0 or -1.
 */
int store_throttle_get(struct db *db, const char *key, int64_t now,
		       int64_t window_s, int64_t *failures);
/* Counts one failure under `key`, and drops every expired row. */
int store_throttle_fail(struct db *db, const char *key, int64_t now,
			int64_t window_s);
int store_throttle_clear(struct db *db, const char *key);

#endif
