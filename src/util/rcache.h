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

/*
 * The cached bytes (NUL-terminated, *len set) shared, not copied: the
 * caller holds them until rcache_release(); a later put for the key
 * does not free them meanwhile.  NULL on a miss.
 */
const char *rcache_get(const char *key, int64_t version, size_t *len);
void rcache_release(void *data);
/* Stores a copy of data for (key, version). */
void rcache_put(const char *key, int64_t version, const char *data,
		size_t len);

#endif
