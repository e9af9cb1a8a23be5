#ifndef INOP_UTIL_RATELIMIT_H
#define INOP_UTIL_RATELIMIT_H
#include <stddef.h>
#include <stdint.h>

/*
 * A small in-process rate limiter: one token bucket per key (a client
 * address, a username), hashed into a fixed table, so memory stays
 * bounded whatever the number of keys.  Each bucket holds up to `burst`
 * tokens and regains `per_minute` tokens a minute; a request takes one.
 * Two keys hashed to the same slot share it while both are active (an
 * idle full bucket is simply taken over): the limit can only get
 * stricter, never looser.
 *
 * In-process: with several nodes behind a load balancer each node
 * limits on its own, so a client may get up to nodes x the limit.
 * Thread-safe (striped locks).  Times are milliseconds of any monotonic
 * clock, passed in so tests can drive it.
 */
struct ratelimit;

/* NULL when out of memory.  slots is rounded up to a power of two. */
struct ratelimit *ratelimit_new(size_t slots, double per_minute, double burst);
void ratelimit_free(struct ratelimit *rl);

/*
 * Takes a token of `key`'s bucket at `now_ms`: 1 when allowed; 0 when
 * refused, with *retry_after_s the whole seconds until a token is back
 * (at least 1).
 */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
		   int *retry_after_s);

#endif
