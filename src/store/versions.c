#include "store/versions.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

/*
 * A generation read from memory must not outlive a listener that died
 * without its socket saying so (a cable pulled, no FIN): after this long
 * the counters are read again anyway.
 */
#define FRESH_NS 1000000000LL

static const char *const names[] = {"register-version", "catalog-version",
				    "calendar", STORE_SESSION_VERSION,
				    STORE_USERS_VERSION};
#define NVERSIONS (sizeof(names) / sizeof(names[0]))
#define ALL_BITS  ((1u << NVERSIONS) - 1)

static atomic_uint_fast64_t generation[NVERSIONS];
static atomic_int listening;
static atomic_uint_fast64_t received;

/* The counters as last read, each under the generation it had then. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t cached_gen[NVERSIONS];
static int cached_known[NVERSIONS];
static int64_t cached_at[NVERSIONS], cached[NVERSIONS];

static pthread_t thread;
static int running, stop_pipe[2] = {-1, -1};

/* SQLite: the commits of any process (db_commits_open()), and the stamp
 * last looked at. */
static int commits_fd = -1;
static atomic_uint_fast64_t commits_seen;
/* store_request_begin(): this thread serves requests, and has looked at
 * the stamp during the current one. */
static __thread int in_requests, looked;
static char listen_url[1024];

static int version_index(const char *name)
{
	for (size_t i = 0; name && i < NVERSIONS; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

unsigned store_version_bit(const char *name)
{
	int i = version_index(name);

	return i < 0 ? 0 : 1u << i;
}

void store_versions_moved(unsigned bits)
{
	for (size_t i = 0; i < NVERSIONS; i++)
		if (bits & (1u << i))
			atomic_fetch_add(&generation[i], 1);
}

int64_t store_versions_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int store_versions_fresh(int64_t filled_ns)
{
	return store_versions_now() - filled_ns < FRESH_NS;
}

/*
 * SQLite: a commit by another process since the last look moves every
 * generation (moved before the stamp is recorded, so a thread that finds
 * the stamp already seen also finds the generations moved).  Commits of
 * this process alone (db_commits_own()) move nothing more: each moved the
 * versions it changed before it was acknowledged (store_batch_commit()),
 * and a request racing with one is served as if it came first.  0, or -1
 * when it cannot tell: then nothing is answered from memory.
 */
static int commits_check(void)
{
	uint64_t stamp, seen;

	if (commits_fd < 0 || (in_requests && looked))
		return 0;
	if (db_commits_stamp(commits_fd, &stamp) < 0) {
		store_versions_moved(ALL_BITS);
		return -1;
	}
	seen = atomic_load(&commits_seen);
	if (seen != stamp) {
		/* This process's own commits moved the versions they
		 * changed as they committed; anything else moves all. */
		if (!db_commits_own(seen, stamp)) {
			store_versions_moved(ALL_BITS);
			atomic_fetch_add(&received, 1);
		}
		atomic_store(&commits_seen, stamp);
	}
	looked = in_requests;
	return 0;
}

void store_request_begin(void)
{
	in_requests = 1;
	looked = 0;
}

int store_version_generation(const char *name, uint64_t *gen)
{
	int i = version_index(name);

	if (i < 0 || !atomic_load(&listening) || commits_check() < 0)
		return 0;
	*gen = atomic_load(&generation[i]);
	return 1;
}

static int read_one(struct db *db, const char *name, int64_t *value)
{
	struct db_stmt *st =
		db_prepare(db, "SELECT value FROM counters WHERE name = ?");

	*value = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	return db_get_int(st, value) < 0 ? -1 : 0;
}

/* All versions in one statement. */
static int read_all(struct db *db, int64_t out[NVERSIONS])
{
	struct db_stmt *st = db_prepare(
		db, "SELECT name, value FROM counters WHERE name IN (?, ?, ?, "
		    "?, ?)");
	int rc;

	memset(out, 0, sizeof(*out) * NVERSIONS);
	if (!st)
		return -1;
	for (size_t i = 0; i < NVERSIONS; i++)
		db_bind_text(st, (int)i + 1, names[i]);
	while ((rc = db_step(st)) == DB_ROW) {
		int i = version_index(db_col_text(st, 0));

		if (i >= 0)
			out[i] = db_col_int(st, 1);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_versions_read(struct db *db, const char *name, int64_t *value)
{
	int i = version_index(name);
	int64_t fresh[NVERSIONS], t;
	uint64_t g[NVERSIONS];

	if (i < 0 || !atomic_load(&listening) || commits_check() < 0)
		return read_one(db, name, value);
	/* The generations are taken before the read: a move during the
	 * read leaves the cache behind it, so the next request reads
	 * again. */
	for (size_t k = 0; k < NVERSIONS; k++)
		g[k] = atomic_load(&generation[k]);
	t = store_versions_now();
	pthread_mutex_lock(&cache_lock);
	if (cached_known[i] && cached_gen[i] == g[i] &&
	    t - cached_at[i] < FRESH_NS) {
		*value = cached[i];
		pthread_mutex_unlock(&cache_lock);
		return 0;
	}
	pthread_mutex_unlock(&cache_lock);
	if (read_all(db, fresh) < 0)
		return -1;
	pthread_mutex_lock(&cache_lock);
	for (size_t k = 0; k < NVERSIONS; k++)
		if (!cached_known[k] || g[k] >= cached_gen[k]) {
			cached_known[k] = 1;
			cached_gen[k] = g[k];
			cached_at[k] = t;
			cached[k] = fresh[k];
		}
	pthread_mutex_unlock(&cache_lock);
	*value = fresh[i];
	return 0;
}

/* A notification's payload: the bits of the versions moved (all when it
 * does not parse). */
static void heard(const char *payload, void *ctx)
{
	char *end;
	unsigned long bits = strtoul(payload, &end, 10);

	(void)ctx;
	if (end == payload || *end || bits == 0 || bits > ALL_BITS)
		bits = ALL_BITS;
	atomic_fetch_add(&received, 1);
	store_versions_moved((unsigned)bits);
}

/* Waits for input on `fd` (or the stop pipe, or `ms`): 1 stop, 0 go on. */
static int wait_input(int fd, int ms)
{
	struct pollfd p[2] = {{.fd = stop_pipe[0], .events = POLLIN},
			      {.fd = fd, .events = POLLIN}};
	int rc;

	do
		rc = poll(p, fd >= 0 ? 2 : 1, ms);
	while (rc < 0 && errno == EINTR);
	return (p[0].revents & POLLIN) != 0;
}

static void *listener(void *arg)
{
	struct db *conn = NULL;
	struct inop_err err;

	(void)arg;
	for (;;) {
		if (!conn) {
			if (db_open(listen_url, &conn, &err) < 0 ||
			    db_exec(conn, "LISTEN inop_versions") != 0) {
				if (conn)
					db_close(conn);
				conn = NULL;
				log_warn("versions: cannot listen on the "
					 "database; reading versions per "
					 "request, trying again in 1 s");
				if (wait_input(-1, 1000))
					break;
				continue;
			}
			/* Anything cached before may have missed a
			 * notification: read again. */
			store_versions_moved(ALL_BITS);
			atomic_store(&listening, 1);
		}
		if (wait_input(db_socket(conn), -1))
			break;
		if (db_notifications(conn, heard, NULL) < 0) {
			atomic_store(&listening, 0);
			store_versions_moved(ALL_BITS);
			log_warn("versions: listener connection lost");
			db_close(conn);
			conn = NULL;
		}
	}
	atomic_store(&listening, 0);
	store_versions_moved(ALL_BITS);
	if (conn)
		db_close(conn);
	return NULL;
}

int store_versions_listen(const char *url, struct inop_err *err)
{
	if (running || commits_fd >= 0)
		return 0;
	if (strcmp(db_url_engine(url), "postgresql") != 0) {
		/* SQLite: no notifications, but every commit shows in the
		 * WAL index; without one, versions are read per request. */
		commits_fd = db_commits_open(url);
		if (commits_fd < 0)
			log_warn("versions: cannot watch the database's "
				 "commits; reading versions per request");
		else
			atomic_store(&listening, 1);
		return 0;
	}
	if (strlen(url) >= sizeof(listen_url) || pipe(stop_pipe) != 0)
		return err_internal(err);
	memcpy(listen_url, url, strlen(url) + 1);
	if (pthread_create(&thread, NULL, listener, NULL) != 0) {
		close(stop_pipe[0]);
		close(stop_pipe[1]);
		return err_internal(err);
	}
	running = 1;
	return 0;
}

void store_versions_stop(void)
{
	if (commits_fd >= 0) {
		atomic_store(&listening, 0);
		store_versions_moved(ALL_BITS);
		close(commits_fd);
		commits_fd = -1;
	}
	if (!running)
		return;
	if (write(stop_pipe[1], "x", 1) != 1)
		log_warn("versions: cannot wake the listener");
	pthread_join(thread, NULL);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	running = 0;
}

void store_versions_stats(int *is_listening, uint64_t *notifications)
{
	*is_listening = atomic_load(&listening);
	*notifications = atomic_load(&received);
}
