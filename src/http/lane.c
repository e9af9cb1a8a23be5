/*
 * Lanes: requests that block run on threads of their own while their
 * connection is suspended, so libmicrohttpd's few threads (one per CPU,
 * each serving many connections) go on answering the others.
 *
 * - The slow lane runs the routes marked ROUTE_SLOW, those that hash a
 *   password with Argon2id (64 MiB and tens of milliseconds each).  A
 *   worker busy hashing stalled all of its connections (a login flood took
 *   the event list from 0.6 ms to 1 s) and every concurrent hash held its
 *   64 MiB (214 MB of RSS).  At most `threads` hashes run at once, at nice
 *   10, and at most `queue_max` requests wait; beyond that the caller
 *   answers 503 at once.
 * - The work lane runs every change (a method other than GET and HEAD) and
 *   the reads marked ROUTE_WORK (reports, exports, PDFs, documents).  A change
 *   waits in its thread for the group commit (store/writer.c), so the
 *   lane's threads bound how many changes share one commit; a read that
 *   renders for a tenth of a second would stall its worker's connections.
 *   Its queue holds every connection, so it never refuses.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "http/internal.h"

struct lane {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct lane_job *head, *tail;
	int queued, queue_max, stopping, nice, n_threads;
	const char *name; /* of its threads (top -H, perf) */
	pthread_t *threads;
};

static struct lane lanes[2] = {
	{.lock = PTHREAD_MUTEX_INITIALIZER,
	 .more = PTHREAD_COND_INITIALIZER,
	 .name = "inop-slow"},
	{.lock = PTHREAD_MUTEX_INITIALIZER,
	 .more = PTHREAD_COND_INITIALIZER,
	 .name = "inop-work"},
};
struct lane *const lane_slow = &lanes[0];
struct lane *const lane_work = &lanes[1];

static void *worker(void *arg)
{
	struct lane *l = arg;
	struct lane_job *j;

	/* The slow lane's hashing yields the CPU to the requests of
	 * everyone else (and to the database on the same machine): a login
	 * may wait, an event list should not.  Linux: the nice value of
	 * this thread alone. */
	if (l->nice)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), l->nice);
	prctl(PR_SET_NAME, l->name, 0, 0, 0);
	for (;;) {
		pthread_mutex_lock(&l->lock);
		/* Stopping: the reserved places are pushed soon; wait for
		 * them too, so every suspended connection is resumed. */
		while (!l->head && (!l->stopping || l->queued > 0))
			pthread_cond_wait(&l->more, &l->lock);
		j = l->head;
		if (!j) {
			pthread_mutex_unlock(&l->lock);
			return NULL;
		}
		l->head = j->next;
		if (!l->head)
			l->tail = NULL;
		/* The last place taken while stopping: the other workers
		 * waited for it (a push wakes only one). */
		if (--l->queued == 0 && l->stopping)
			pthread_cond_broadcast(&l->more);
		pthread_mutex_unlock(&l->lock);
		/* j may be gone once run: it lives in the request's state. */
		j->run(j->arg);
	}
}

int lane_start(struct lane *l, int threads, int queue_max, int nice)
{
	l->stopping = 0;
	l->queued = 0;
	l->queue_max = queue_max;
	l->nice = nice;
	l->n_threads = 0;
	l->threads = calloc((size_t)(threads > 0 ? threads : 1),
			    sizeof(*l->threads));
	if (!l->threads)
		return -1;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&l->threads[i], NULL, worker, l) != 0) {
			lane_stop(l);
			return -1;
		}
		pthread_mutex_lock(&l->lock);
		l->n_threads++;
		pthread_mutex_unlock(&l->lock);
	}
	return 0;
}

int lane_reserve(struct lane *l)
{
	int ok;

	pthread_mutex_lock(&l->lock);
	ok = l->n_threads > 0 && !l->stopping && l->queued < l->queue_max;
	if (ok)
		l->queued++; /* its place, taken now */
	pthread_mutex_unlock(&l->lock);
	return ok ? 0 : -1;
}

void lane_push(struct lane *l, struct lane_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&l->lock);
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	pthread_cond_signal(&l->more);
	pthread_mutex_unlock(&l->lock);
}

void lane_stop(struct lane *l)
{
	int n;

	pthread_mutex_lock(&l->lock);
	/* lane_reserve() reads n_threads under the lock. */
	n = l->n_threads;
	l->n_threads = 0;
	l->stopping = 1;
	pthread_cond_broadcast(&l->more);
	pthread_mutex_unlock(&l->lock);
	/* The queue is run to its end: each job resumes its connection. */
	for (int i = 0; i < n; i++)
		pthread_join(l->threads[i], NULL);
	free(l->threads);
	l->threads = NULL;
}
