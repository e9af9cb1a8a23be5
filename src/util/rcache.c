#include "util/rcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RCACHE_SLOTS	 256
#define RCACHE_KEY_MAX	 512
#define RCACHE_VALUE_MAX (4u << 20)

struct slot {
	char key[RCACHE_KEY_MAX];
	int64_t version;
	char *data;
	size_t len;
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

char *rcache_get(const char *key, int64_t version, size_t *len)
{
	struct slot *s = &slots[slot_of(key)];
	char *copy = NULL;

	pthread_mutex_lock(&lock);
	if (s->data && s->version == version && strcmp(s->key, key) == 0) {
		copy = malloc(s->len + 1);
		if (copy) {
			memcpy(copy, s->data, s->len + 1);
			*len = s->len;
		}
	}
	pthread_mutex_unlock(&lock);
	return copy;
}

void rcache_put(const char *key, int64_t version, const char *data, size_t len)
{
	struct slot *s = &slots[slot_of(key)];
	char *copy;

	if (strlen(key) >= RCACHE_KEY_MAX || len > RCACHE_VALUE_MAX)
		return;
	copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&lock);
	free(s->data);
	memcpy(s->key, key, strlen(key) + 1);
	s->version = version;
	s->data = copy;
	s->len = len;
	pthread_mutex_unlock(&lock);
}
