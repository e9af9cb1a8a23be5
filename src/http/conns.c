/*
 * The open connections of the server, for the jobs libmicrohttpd does not
 * do by itself:
 *
 * - Shutdown that finishes what it started and starts nothing new: at
 *   SIGTERM every connection holding a request counts as in flight from
 *   the request's FIRST BYTE, not from its complete headers (the kernel's
 *   byte counter, TCP_INFO's tcpi_bytes_received, moved since the last
 *   request ended), and only those may still be answered; a request on
 *   any other connection gets 503.
 * - A total deadline for a request's headers and body: libmicrohttpd's
 *   timeout is an idle timeout, which a client sending one byte a minute
 *   never trips.  A sweeper shuts down connections whose request has been
 *   arriving for longer than the deadline.
 * - Freed memory back to the system once the server falls idle (the
 *   sweeper, trim_when_idle).
 * - The limit of connections per client address (conns_admit): counting
 *   only connections the client still holds.  libmicrohttpd's own limit
 *   also counts connections the client has closed and a busy server has
 *   not yet reaped, so a client that opens a connection per request, 20
 *   at a time, was refused (reset) under a limit of 64 on a loaded
 *   machine.  A connection admitted is counted from that moment (a
 *   reservation, until conns_opened registers it): every server thread
 *   accepts, and 5,000 connections from one address at once went 16 past
 *   the limit, one per thread, while each was between the two.
 */
#include <errno.h>
#include <malloc.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"
#include "util/clock.h"
#include "util/log.h"

/* tcpi_state of a connection both ends still hold (the kernel's
 * TCP_ESTABLISHED, include/net/tcp_states.h; <linux/tcp.h> does not name
 * it and <netinet/tcp.h> clashes with it). */
#define TCP_STATE_ESTABLISHED 1

/* Admitted connections not registered yet; a reservation older than
 * RESERVED_MS is one libmicrohttpd did not set up after all. */
#define RESERVED_MAX 64
#define RESERVED_MS  5000

struct conn {
	struct conn *prev, *next;
	int fd;
	struct sockaddr_storage peer; /* family 0: unknown */
	uint64_t rx_done;    /* bytes received when its last request ended */
	int active;	     /* a request is being read or answered */
	int dispatched;	     /* its body is complete: the handler runs */
	int streaming;	     /* a ROUTE_STREAM upload: no total deadline */
	int64_t arriving_ms; /* when its request's bytes were first seen */
	int allowed;	     /* may finish its request after the stop */
	int counted;	     /* still counted in conns.pending */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct conn *head;
	int stopping;
	int closing; /* the daemon is being stopped: no request may begin */
	int adopted[64]; /* backlog connections handed over at the stop */
	int n_adopted;
	struct {
		struct sockaddr_storage host;
		int64_t at_ms;
	} reserved[RESERVED_MAX];
	int n_reserved;
	int pending; /* allowed connections whose request is not answered */
	int active;  /* requests begun and not ended, anywhere */
	int n;
	int64_t deadline_ms; /* headers + body; 0: none */
	pthread_t sweeper;
	int sweeper_on, sweeper_stop;
	long timeouts;
	uint64_t ended; /* requests ended so far (the sweeper's idle check) */
} conns = {.lock = PTHREAD_MUTEX_INITIALIZER,
	   .done = PTHREAD_COND_INITIALIZER};

/* Bytes the kernel has received on `fd` so far (0 when unknown). */
uint64_t conns_rx_bytes(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return 0;
	return ti.tcpi_bytes_received;
}

static int same_host(const struct sockaddr_storage *a,
		     const struct sockaddr *b);

static void reservation_drop(int i)
{
	memmove(&conns.reserved[i], &conns.reserved[i + 1],
		(size_t)(conns.n_reserved - i - 1) *
			sizeof(conns.reserved[0]));
	conns.n_reserved--;
}

/* Drops the reservations libmicrohttpd never registered (expired). */
static void reservations_expire(void)
{
	int64_t now = clock_mono_ms();
	int i = 0;

	while (i < conns.n_reserved)
		if (now - conns.reserved[i].at_ms > RESERVED_MS)
			reservation_drop(i);
		else
			i++;
}

/* A connection from `host` is registered: its (oldest) reservation
 * goes. */
static void reservation_release(const struct sockaddr_storage *host)
{
	for (int i = 0; i < conns.n_reserved; i++)
		if (same_host(&conns.reserved[i].host,
			      (const struct sockaddr *)host)) {
			reservation_drop(i);
			return;
		}
}

void *conns_opened(int fd)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	{
		socklen_t len = sizeof(c->peer);

		if (getpeername(fd, (struct sockaddr *)&c->peer, &len) != 0)
			c->peer.ss_family = 0;
	}
	pthread_mutex_lock(&conns.lock);
	reservations_expire();
	if (c->peer.ss_family)
		reservation_release(&c->peer);
	/* After the stop, only the backlog's connections with a request
	 * (conns_adopt) may be answered; they are already counted.  One
	 * libmicrohttpd accepted itself in the moment before the listening
	 * socket closed is not. */
	for (int i = 0; conns.stopping && i < conns.n_adopted; i++)
		if (conns.adopted[i] == fd) {
			conns.adopted[i] = conns.adopted[--conns.n_adopted];
			c->allowed = c->counted = 1;
			break;
		}
	c->next = conns.head;
	if (conns.head)
		conns.head->prev = c;
	conns.head = c;
	conns.n++;
	pthread_mutex_unlock(&conns.lock);
	return c;
}

static void uncount(struct conn *c)
{
	if (c->counted) {
		c->counted = 0;
		conns.pending--;
	}
	if (conns.pending <= 0 && conns.active <= 0)
		pthread_cond_broadcast(&conns.done);
}

/* Same host (the port differs per connection)? */
static int same_host(const struct sockaddr_storage *a,
		     const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return 0;
	if (b->sa_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			      &((const struct sockaddr_in *)b)->sin_addr,
			      sizeof(struct in_addr)) == 0;
	if (b->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr,
			      sizeof(struct in6_addr)) == 0;
	return 0;
}

/* Does the client still hold `fd` (no FIN from it yet)? */
static int held_by_peer(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return 1;
	return ti.tcpi_state == TCP_STATE_ESTABLISHED;
}

int conns_admit(const struct sockaddr *addr, unsigned limit)
{
	struct conn *c;
	unsigned n = 0, held = 0;
	int ok;

	if (!limit ||
	    (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
		return 1;
	pthread_mutex_lock(&conns.lock);
	reservations_expire();
	for (int i = 0; i < conns.n_reserved; i++)
		n += same_host(&conns.reserved[i].host, addr);
	held = n; /* admitted this instant: held */
	for (c = conns.head; c; c = c->next)
		n += same_host(&c->peer, addr);
	/* Only at the limit is it worth asking the kernel which of them
	 * the client has closed already. */
	if (n >= limit)
		for (c = conns.head; c && held < limit; c = c->next)
			held += same_host(&c->peer, addr) &&
				held_by_peer(c->fd);
	ok = n < limit || held < limit;
	if (ok && conns.n_reserved < RESERVED_MAX) {
		size_t len = addr->sa_family == AF_INET
				     ? sizeof(struct sockaddr_in)
				     : sizeof(struct sockaddr_in6);

		memset(&conns.reserved[conns.n_reserved], 0,
		       sizeof(conns.reserved[0]));
		memcpy(&conns.reserved[conns.n_reserved].host, addr, len);
		conns.reserved[conns.n_reserved].at_ms = clock_mono_ms();
		conns.n_reserved++;
	}
	pthread_mutex_unlock(&conns.lock);
	return ok;
}

void conns_closed(void *ctx)
{
	struct conn *c = ctx;

	if (!c)
		return;
	pthread_mutex_lock(&conns.lock);
	if (c->active) {
		c->active = 0;
		conns.active--;
	}
	uncount(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		conns.head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	conns.n--;
	pthread_mutex_unlock(&conns.lock);
	free(c);
}

int conns_request_begin(void *ctx)
{
	struct conn *c = ctx;
	int ok;

	if (!c)
		return 0;
	pthread_mutex_lock(&conns.lock);
	ok = !conns.closing && (!conns.stopping || c->allowed);
	if (ok && !c->active) {
		c->active = 1;
		conns.active++;
	}
	pthread_mutex_unlock(&conns.lock);
	return ok ? 0 : -1;
}

void conns_request_streaming(void *ctx)
{
	struct conn *c = ctx;

	if (!c)
		return;
	pthread_mutex_lock(&conns.lock);
	c->streaming = 1;
	pthread_mutex_unlock(&conns.lock);
}

void conns_request_dispatched(void *ctx)
{
	struct conn *c = ctx;

	if (!c)
		return;
	pthread_mutex_lock(&conns.lock);
	c->dispatched = 1;
	pthread_mutex_unlock(&conns.lock);
}

void conns_request_end(void *ctx)
{
	struct conn *c = ctx;
	uint64_t rx;

	if (!c)
		return;
	/* Asked before the lock: a system call under the one lock of every
	 * connection held every other request's end back. */
	rx = conns_rx_bytes(c->fd);
	pthread_mutex_lock(&conns.lock);
	c->rx_done = rx;
	conns.ended++;
	if (c->active) {
		c->active = 0;
		conns.active--;
	}
	c->dispatched = 0;
	c->streaming = 0;
	c->arriving_ms = 0;
	/* After the stop, only the request it had then: the next one on
	 * this kept-alive connection is refused. */
	if (conns.stopping) {
		c->allowed = 0;
		uncount(c);
	}
	pthread_mutex_unlock(&conns.lock);
}

int conns_stopping(void)
{
	int s;

	pthread_mutex_lock(&conns.lock);
	s = conns.stopping;
	pthread_mutex_unlock(&conns.lock);
	return s;
}

int conns_stop(void)
{
	int n;

	pthread_mutex_lock(&conns.lock);
	conns.stopping = 1;
	for (struct conn *c = conns.head; c; c = c->next)
		if (c->active || conns_rx_bytes(c->fd) > c->rx_done) {
			c->allowed = c->counted = 1;
			conns.pending++;
		}
	n = conns.pending;
	pthread_mutex_unlock(&conns.lock);
	return n;
}

int conns_adopt(int fd)
{
	int ok;

	pthread_mutex_lock(&conns.lock);
	ok = conns.n_adopted <
	     (int)(sizeof(conns.adopted) / sizeof(conns.adopted[0]));
	if (ok) {
		conns.adopted[conns.n_adopted++] = fd;
		conns.pending++;
	}
	pthread_mutex_unlock(&conns.lock);
	return ok ? 0 : -1;
}

void conns_unadopt(int fd)
{
	pthread_mutex_lock(&conns.lock);
	for (int i = 0; i < conns.n_adopted; i++)
		if (conns.adopted[i] == fd) {
			conns.adopted[i] = conns.adopted[--conns.n_adopted];
			conns.pending--;
			break;
		}
	if (conns.pending <= 0 && conns.active <= 0)
		pthread_cond_broadcast(&conns.done);
	pthread_mutex_unlock(&conns.lock);
}

int conns_wait(int64_t timeout_ms)
{
	struct timespec until;
	int left;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(timeout_ms / 1000);
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&conns.lock);
	/* Also every request begun anywhere: none may be cut while its
	 * handler runs (it may have committed). */
	while ((conns.pending > 0 || conns.active > 0) &&
	       pthread_cond_timedwait(&conns.done, &conns.lock, &until) !=
		       ETIMEDOUT)
		;
	left = conns.pending > conns.active ? conns.pending : conns.active;
	/* Whatever arrives from now on is cut by the daemon's stop: it must
	 * not begin (and perhaps commit) first. */
	conns.closing = 1;
	pthread_mutex_unlock(&conns.lock);
	return left;
}

/* Connections whose request has been arriving for too long: shut down. */
static void sweep(void)
{
	int64_t now = clock_mono_ms();

	pthread_mutex_lock(&conns.lock);
	for (struct conn *c = conns.head; c; c = c->next) {
		if (c->dispatched || c->streaming ||
		    !(c->active || conns_rx_bytes(c->fd) > c->rx_done)) {
			c->arriving_ms = 0;
			continue;
		}
		if (!c->arriving_ms) {
			c->arriving_ms = now;
			continue;
		}
		if (now - c->arriving_ms > conns.deadline_ms) {
			/* libmicrohttpd sees the end of the stream and
			 * closes the connection itself. */
			shutdown(c->fd, SHUT_RDWR);
			c->arriving_ms = now; /* once */
			conns.timeouts++;
		}
	}
	pthread_mutex_unlock(&conns.lock);
}

/*
 * Once the server has fallen idle (no request ended during a whole tick
 * and none running), the memory its requests freed goes back to the
 * system: glibc keeps freed blocks in its arenas, and a few list and
 * catalogue requests left 1.5 MB of them resident (measured with the
 * footprint benchmark's requests: 19.8 MB -> 18.3 MB).  Under load no
 * tick is idle, so it never runs there.
 */
static void trim_when_idle(uint64_t *seen, int *trimmed)
{
	uint64_t ended;
	int active;

	pthread_mutex_lock(&conns.lock);
	ended = conns.ended;
	active = conns.active;
	pthread_mutex_unlock(&conns.lock);
	if (ended != *seen) {
		*seen = ended;
		*trimmed = 0;
	} else if (!*trimmed && !active) {
		(void)malloc_trim(0);
		*trimmed = 1;
	}
}

static void *sweeper(void *arg)
{
	uint64_t seen = 0;
	int trimmed = 1;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&conns.lock);
		if (conns.sweeper_stop) {
			pthread_mutex_unlock(&conns.lock);
			return NULL;
		}
		pthread_mutex_unlock(&conns.lock);
		if (conns.deadline_ms > 0)
			sweep();
		trim_when_idle(&seen, &trimmed);
		usleep(250 * 1000);
	}
}

int conns_start(int64_t deadline_ms)
{
	conns.deadline_ms = deadline_ms;
	conns.stopping = 0;
	conns.closing = 0;
	conns.n_adopted = 0;
	conns.pending = 0;
	conns.active = 0;
	conns.sweeper_stop = 0;
	conns.timeouts = 0;
	conns.ended = 0;
	if (pthread_create(&conns.sweeper, NULL, sweeper, NULL) != 0)
		return -1;
	conns.sweeper_on = 1;
	return 0;
}

void conns_finish(void)
{
	if (!conns.sweeper_on)
		return;
	pthread_mutex_lock(&conns.lock);
	conns.sweeper_stop = 1;
	pthread_mutex_unlock(&conns.lock);
	pthread_join(conns.sweeper, NULL);
	conns.sweeper_on = 0;
}

long conns_timeouts(void)
{
	long n;

	pthread_mutex_lock(&conns.lock);
	n = conns.timeouts;
	pthread_mutex_unlock(&conns.lock);
	return n;
}
