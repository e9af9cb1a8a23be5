#ifndef INOP_UTIL_ARENA_H
#define INOP_UTIL_ARENA_H
#include <stddef.h>

/*
 * A request's memory: allocations are carved from chunks and all freed at
 * once by arena_release() when the request completes, so a handler never
 * frees what it took.  Not thread-safe: one request, one thread.
 */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes taken, for the cap */
	size_t max;   /* 0: no cap */
};

void arena_init(struct arena *a, size_t max);
/* Zeroed memory aligned for any type, or NULL (out of memory or cap). */
void *arena_alloc(struct arena *a, size_t size);
void arena_release(struct arena *a);

#endif
