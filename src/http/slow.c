/*
 * The slow lane: requests of routes marked ROUTE_SLOW (those that hash a
 * password with Argon2id, 64 MiB and tens of milliseconds each) run here,
 * on a few threads of their own, while their connection is suspended.
 * libmicrohttpd's worker threads each serve many connections; a worker
 * busy hashing stalls all of them (a login flood took the event list from
 * 0.6 ms to 1 s) and every concurrent hash holds its 64 MiB (214 MB of
 * RSS).  Here at most `threads` hashes run at once and at most `queue_max`
 * requests wait; beyond that the caller answers 503 at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "http/internal.h"
#include "util/log.h"

struct slow_job {
	struct slow_job *next;
	void (*run)(void *arg);
	void *arg;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct slow_job *head, *tail;
	int queued, queue_max, stopping, n_threads;
	pthread_t threads[16];
} slow = {.lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER};

static void *worker(void *arg)
{
	struct slow_job *j;

	(void)arg;
	/* Hashing yields the CPU to the requests of everyone else (and to
	 * the database on the same machine): a login may wait, an event
	 * list should not.  Linux: the nice value of this thread alone. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	for (;;) {
		pthread_mutex_lock(&slow.lock);
		/* Stopping: the reserved places are pushed soon; wait for
		 * them too, so every suspended connection is resumed. */
		while (!slow.head && (!slow.stopping || slow.queued > 0))
			pthread_cond_wait(&slow.more, &slow.lock);
		j = slow.head;
		if (!j) {
			pthread_mutex_unlock(&slow.lock);
			return NULL;
		}
		slow.head = j->next;
		if (!slow.head)
			slow.tail = NULL;
		slow.queued--;
		pthread_mutex_unlock(&slow.lock);
		j->run(j->arg);
		free(j);
	}
}

int slow_start(int threads, int queue_max)
{
	int max = (int)(sizeof(slow.threads) / sizeof(slow.threads[0]));

	slow.stopping = 0;
	slow.queue_max = queue_max;
	slow.n_threads = 0;
	if (threads > max)
		threads = max;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&slow.threads[i], NULL, worker, NULL) != 0)
			return -1;
		slow.n_threads++;
	}
	return 0;
}

struct slow_job *slow_reserve(void (*run)(void *arg), void *arg)
{
	struct slow_job *j = malloc(sizeof(*j));
	int ok;

	if (!j)
		return NULL;
	j->next = NULL;
	j->run = run;
	j->arg = arg;
	pthread_mutex_lock(&slow.lock);
	ok = !slow.stopping && slow.queued < slow.queue_max;
	if (ok)
		slow.queued++; /* its place, taken now */
	pthread_mutex_unlock(&slow.lock);
	if (!ok) {
		free(j);
		return NULL;
	}
	return j;
}

void slow_push(struct slow_job *j)
{
	pthread_mutex_lock(&slow.lock);
	if (slow.tail)
		slow.tail->next = j;
	else
		slow.head = j;
	slow.tail = j;
	pthread_cond_signal(&slow.more);
	pthread_mutex_unlock(&slow.lock);
}

void slow_stop(void)
{
	pthread_mutex_lock(&slow.lock);
	slow.stopping = 1;
	pthread_cond_broadcast(&slow.more);
	pthread_mutex_unlock(&slow.lock);
	/* The queue is run to its end: each job resumes its connection. */
	for (int i = 0; i < slow.n_threads; i++)
		pthread_join(slow.threads[i], NULL);
	slow.n_threads = 0;
}
