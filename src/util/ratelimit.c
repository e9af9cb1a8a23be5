#include "util/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES 64

struct bucket {
	uint64_t key; /* hash of the key; 0: never used */
	double tokens;
	int64_t at_ms; /* when tokens was last brought up to date */
};

struct ratelimit {
	struct bucket *b;
	size_t mask;
	double per_ms, burst;
	pthread_mutex_t lock[STRIPES];
};

struct ratelimit *ratelimit_new(size_t slots, double per_minute, double burst)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	size_t n = 1;

	if (!rl)
		return NULL;
	while (n < slots)
		n <<= 1;
	rl->b = calloc(n, sizeof(*rl->b));
	if (!rl->b) {
		free(rl);
		return NULL;
	}
	rl->mask = n - 1;
	rl->per_ms = per_minute / 60000.0;
	rl->burst = burst < 1 ? 1 : burst;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&rl->lock[i], NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&rl->lock[i]);
	free(rl->b);
	free(rl);
}

/* FNV-1a, 64 bits; never 0 (0 marks an unused slot). */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
		   int *retry_after_s)
{
	uint64_t h = hash(key);
	size_t i = (size_t)(h ^ (h >> 32)) & rl->mask;
	pthread_mutex_t *m = &rl->lock[i % STRIPES];
	struct bucket *b = &rl->b[i];
	double t;
	int ok;

	pthread_mutex_lock(m);
	t = b->tokens + (double)(now_ms - b->at_ms) * rl->per_ms;
	if (t > rl->burst || b->key == 0)
		t = rl->burst;
	/* Another key's full bucket: idle, take it over. */
	if (b->key != h && t >= rl->burst)
		b->key = h;
	ok = t >= 1.0;
	if (ok)
		t -= 1.0;
	else
		*retry_after_s =
			rl->per_ms > 0
				? (int)ceil((1.0 - t) / rl->per_ms / 1000.0)
				: 3600;
	if (!ok && *retry_after_s < 1)
		*retry_after_s = 1;
	b->tokens = t;
	b->at_ms = now_ms;
	pthread_mutex_unlock(m);
	return ok;
}
