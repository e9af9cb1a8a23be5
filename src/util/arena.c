#include "util/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (16u * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a, size_t max)
{
	a->head = NULL;
	a->total = 0;
	a->max = max;
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *c = a->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (size == 0 || (a->max && size > a->max - a->total))
		return NULL;
	if (!c || c->size - c->used < size) {
		/* A large block gets a chunk of its own, behind the head so
		 * the head's free space stays usable. */
		size_t n = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

		c = malloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = n;
		if (a->head && n == size) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}
