#ifndef INOP_UTIL_RCACHE_H
#define INOP_UTIL_RCACHE_H
#include <stddef.h>
#include <stdint.h>

/*
 * A small, thread-safe cache of rendered replies, keyed by a string and
 * valid for one `version` of the data they were rendered from (e.g. the
 * register version bumped by every change to events).  An entry rendered
 * at another version is a miss.  Bounded: a fixed number of slots, each
 * replaced on collision.
 */

/* A copy of the cached bytes (malloc'd, *len set), or NULL on a miss. */
char *rcache_get(const char *key, int64_t version, size_t *len);
/* Stores a copy of data for (key, version). */
void rcache_put(const char *key, int64_t version, const char *data,
		size_t len);

#endif
