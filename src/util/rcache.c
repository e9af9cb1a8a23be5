#include "util/rcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define RCACHE_SLOTS	 256
#define RCACHE_KEY_MAX	 512
#define RCACHE_VALUE_MAX (4u << 20)

/* The bytes of an entry, freed when neither the slot nor a reply in
 * flight holds them. */
struct blob {
	atomic_int refs;
	size_t len;
	char data[];
};

struct slot {
	char key[RCACHE_KEY_MAX];
	int64_t version;
	struct blob *blob;
};

static struct slot slots[RCACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211u;
	return (size_t)(h % RCACHE_SLOTS);
}

static void blob_drop(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

const char *rcache_get(const char *key, int64_t version, size_t *len)
{
	struct slot *s = &slots[slot_of(key)];
	struct blob *b = NULL;

	pthread_mutex_lock(&lock);
	if (s->blob && s->version == version && strcmp(s->key, key) == 0) {
		b = s->blob;
		atomic_fetch_add(&b->refs, 1);
		*len = b->len;
	}
	pthread_mutex_unlock(&lock);
	return b ? b->data : NULL;
}

void rcache_release(void *data)
{
	if (data)
		blob_drop(
			(struct blob *)(void *)((char *)data -
						offsetof(struct blob, data)));
}

void rcache_put(const char *key, int64_t version, const char *data, size_t len)
{
	struct slot *s = &slots[slot_of(key)];
	struct blob *b, *old;

	if (strlen(key) >= RCACHE_KEY_MAX || len > RCACHE_VALUE_MAX)
		return;
	b = malloc(sizeof(*b) + len + 1);
	if (!b)
		return;
	atomic_init(&b->refs, 1); /* the slot's */
	b->len = len;
	memcpy(b->data, data, len);
	b->data[len] = '\0';
	pthread_mutex_lock(&lock);
	old = s->blob;
	memcpy(s->key, key, strlen(key) + 1);
	s->version = version;
	s->blob = b;
	pthread_mutex_unlock(&lock);
	blob_drop(old);
}
