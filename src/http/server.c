/*
 * libmicrohttpd glue.  The access handler is called several times per
 * request: the first call only sets up per-request state (queueing a
 * response on the first call makes libmicrohttpd drop keep-alive), the
 * next calls deliver the body, the last one dispatches.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <microhttpd.h>
#include <sodium.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "http/internal.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/config.h"
#include "util/strnum.h"

struct conn_state {
	struct buf body;
	FILE *spool; /* a ROUTE_STREAM body */
	int64_t spooled;
	int discard; /* a ROUTE_STREAM body not worth keeping (no session) */
	int too_large;
	struct timespec start;
	void *conn;  /* the connection's entry in conns.c */
	int refused; /* answered before its body: never dispatched */
	/* In a lane (lane.c): the request runs on its thread, its
	 * connection suspended; the reply waits here until libmicrohttpd
	 * calls again. */
	enum { LANE_NO, LANE_QUEUED, LANE_DONE } lane;
	struct lane_job job;
	struct server *srv;
	struct MHD_Connection *c;
	const char *method, *url;
	struct req r;
	int route;
};

struct server {
	struct app *app;
	const struct route *routes;
	size_t n_routes;
	unsigned per_address; /* 0: no limit */
};

static const char security_csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static int64_t elapsed_us(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - start->tv_sec) * 1000000 +
	       (now.tv_nsec - start->tv_nsec) / 1000;
}

/*
 * The X-Request-Id a proxy sent (nginx's $request_id), when it is a short
 * token, else 16 hex digits; echoed in the reply and the log line.  An
 * id only has to differ from the others, not be secret: each thread
 * draws its seed once from libsodium and steps a splitmix64 from it (a
 * getrandom() call per request was a system call of every GET).
 */
static void request_id(struct MHD_Connection *c, char out[40])
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789-_.:";
	static _Thread_local uint64_t state;
	const char *in = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "X-Request-Id");
	size_t n = in ? strlen(in) : 0;
	unsigned char rnd[8];
	uint64_t z;

	if (n >= 1 && n < 40 && strspn(in, ok) == n) {
		memcpy(out, in, n + 1);
		return;
	}
	if (!state)
		randombytes_buf(&state, sizeof(state));
	z = (state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	for (int i = 0; i < 8; i++)
		rnd[i] = (unsigned char)(z >> (8 * i));
	sodium_bin2hex(out, 40, rnd, sizeof(rnd));
}

static void log_request(const struct req *r, int64_t micros)
{
	char path[700], user[140];

	log_value(path, sizeof(path), r->path);
	log_value(user, sizeof(user),
		  r->authenticated ? r->actor.username : "-");
	log_kv("info", "request",
	       "request_id=%s method=%s path=%s status=%d duration_ms=%.3f "
	       "user=%s",
	       r->request_id, r->method, path, r->status,
	       (double)micros / 1000.0, user);
}

static enum MHD_Result queue(struct MHD_Connection *c, struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int api = strncmp(r->path, "/api/", 5) == 0;

	resp = r->out_release
		       ? MHD_create_response_from_buffer_with_free_callback_cls(
				 r->out_len, r->out, r->out_release,
				 r->out_arg)
		       : MHD_create_response_from_buffer(
				 r->out_len, r->out, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	/* The response owns the bytes now. */
	r->out = NULL;
	r->out_release = NULL;
	r->out_arg = NULL;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", security_csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	for (int i = 0; i < r->n_headers; i++)
		MHD_add_response_header(resp, r->headers[i][0],
					r->headers[i][1]);
	/* Stopping: this was the connection's last request. */
	if (conns_stopping() || r->close)
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

struct framing {
	int content_length, transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	(void)value;
	if (strcasecmp(key, "Content-Length") == 0)
		f->content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->transfer_encoding++;
	return MHD_YES;
}

/*
 * A request whose length two parties could read differently (request
 * smuggling through a proxy): Content-Length with Transfer-Encoding, or
 * Content-Length or Transfer-Encoding more than once.
 */
static int ambiguous_framing(struct MHD_Connection *c)
{
	struct framing f = {0, 0};

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	return f.content_length > 1 || f.transfer_encoding > 1 ||
	       (f.content_length && f.transfer_encoding);
}

/* An answer before the body is read: the connection closes after it. */
static enum MHD_Result refuse(struct server *srv, struct MHD_Connection *c,
			      const char *method, const char *url, int status,
			      const char *code, const char *msg)
{
	struct inop_err e;
	struct req r;
	enum MHD_Result ret;

	memset(&r, 0, sizeof(r));
	r.app = srv->app;
	r.method = method;
	r.path = url;
	r.conn = c;
	r.close = 1;
	request_id(c, r.request_id);
	err_set(&e, status, code, NULL, "%s", msg);
	reply_error(&r, &e);
	ret = queue(c, &r);
	free(r.out);
	return ret;
}

/*
 * A ROUTE_STREAM request: its body is spooled only when the request is
 * authenticated and allowed, so that nobody can fill the disk without a
 * session; otherwise it is read and dropped and the dispatch answers
 * 401/403.  Its connection is exempt from the total request deadline
 * (an upload of gigabytes takes minutes; libmicrohttpd's idle timeout
 * still applies).  0, or -1 when no spool file can be made.
 */
static int stream_open(struct server *srv, struct conn_state *cs,
		       struct MHD_Connection *c, const char *method,
		       const char *url)
{
	struct req pre;
	int allowed;

	memset(&pre, 0, sizeof(pre));
	pre.app = srv->app;
	pre.method = method;
	pre.path = url;
	pre.conn = c;
	pre.now = clock_wall_s();
	/* The session is checked now, before the body: a request of its own
	 * for the caches below (see run_request). */
	if (srv->app->request_begin)
		srv->app->request_begin();
	allowed = router_stream_allowed(srv->routes, srv->n_routes, &pre);
	free(pre.out);
	if (!allowed) {
		cs->discard = 1;
		return 0;
	}
	cs->spool = tmpfile();
	if (!cs->spool)
		return -1;
	conns_request_streaming(cs->conn);
	return 0;
}

/* Appends a piece of a ROUTE_STREAM body to its spool, within the cap. */
static void spool(struct server *srv, struct conn_state *cs, const char *data,
		  size_t n)
{
	if (cs->too_large || cs->discard)
		return;
	if (cs->spooled + (int64_t)n > srv->app->stream_max ||
	    fwrite(data, 1, n, cs->spool) != n) {
		cs->too_large = 1; /* disk full is also refused as too large */
		return;
	}
	cs->spooled += (int64_t)n;
}

/* Routes and runs the request: the reply is left in cs->r. */
static void run_request(struct server *srv, struct MHD_Connection *c,
			struct conn_state *cs, const char *method,
			const char *url)
{
	struct req *r = &cs->r;

	memset(r, 0, sizeof(*r));
	r->app = srv->app;
	r->method = method;
	r->path = url;
	r->conn = c;
	r->now = clock_wall_s();
	if (r->app->request_begin)
		r->app->request_begin();
	arena_init(&r->arena, HTTP_ARENA_MAX);
	request_id(c, r->request_id);
	/* The client as throttles see it (trusted_proxies honoured). */
	http_client_addr(r, r->client_addr, sizeof(r->client_addr));
	if (cs->spool && !cs->too_large) {
		fflush(cs->spool);
		rewind(cs->spool);
		r->upload = cs->spool;
		r->upload_len = cs->spooled;
	}
	cs->route = router_dispatch(srv->routes, srv->n_routes, r, &cs->body,
				    cs->too_large);
}

static enum MHD_Result reply_and_release(struct MHD_Connection *c,
					 struct conn_state *cs)
{
	struct req *r = &cs->r;
	enum MHD_Result ret = queue(c, r);
	int64_t micros;

	req_out_drop(r);
	json_decref(r->body);
	r->body = NULL;
	arena_release(&r->arena);
	micros = elapsed_us(&cs->start);
	metrics_record(cs->route, r->status, micros);
	/* access_log = off (behind a proxy that logs every request): only
	 * the failures. */
	if (r->status >= 500 || !r->app->cfg ||
	    strcmp(r->app->cfg->access_log, "off") != 0)
		log_request(r, micros);
	return ret;
}

static void lane_run(void *arg)
{
	struct conn_state *cs = arg;

	run_request(cs->srv, cs->c, cs, cs->method, cs->url);
	cs->lane = LANE_DONE;
	MHD_resume_connection(cs->c);
}

/* The request to `lane`'s queue, its connection suspended: 0, or -1 when
 * the lane has no place for it. */
static int to_lane(struct lane *lane, struct server *srv,
		   struct MHD_Connection *c, struct conn_state *cs,
		   const char *method, const char *url)
{
	if (lane_reserve(lane) < 0)
		return -1;
	cs->srv = srv;
	cs->c = c;
	cs->method = method;
	cs->url = url;
	cs->lane = LANE_QUEUED;
	cs->job.run = lane_run;
	cs->job.arg = cs;
	MHD_suspend_connection(c);
	lane_push(lane, &cs->job);
	return 0;
}

static enum MHD_Result to_slow_lane(struct server *srv,
				    struct MHD_Connection *c,
				    struct conn_state *cs, const char *method,
				    const char *url)
{
	struct inop_err e;

	if (to_lane(lane_slow, srv, c, cs, method, url) == 0)
		return MHD_YES;
	memset(&cs->r, 0, sizeof(cs->r));
	cs->r.app = srv->app;
	cs->r.method = method;
	cs->r.path = url;
	cs->r.conn = c;
	arena_init(&cs->r.arena, HTTP_ARENA_MAX);
	request_id(c, cs->r.request_id);
	cs->route = -1;
	err_set(&e, 503, "BUSY", NULL,
		"Demasiadas solicitudes de inicio de sesión en curso: "
		"reintente en unos segundos");
	reply_error(&cs->r, &e);
	reply_header(&cs->r, "Retry-After", "2");
	return reply_and_release(c, cs);
}

/* A change, or a read that blocks for long (ROUTE_WORK): the work
 * lane's.  Other reads run on the thread that serves the connection. */
static int works(unsigned flags, const char *method)
{
	return (flags & ROUTE_WORK) ||
	       (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c,
				 const char *url, const char *method,
				 const char *version, const char *upload,
				 size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	const union MHD_ConnectionInfo *ci;
	unsigned flags;

	(void)version;
	if (!cs) {
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		buf_init(&cs->body, router_body_max(srv->routes, srv->n_routes,
						    method, url));
		clock_gettime(CLOCK_MONOTONIC, &cs->start);
		ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		cs->conn = ci ? ci->socket_context : NULL;
		*con_cls = cs;
		cs->refused = 1;
		if (conns_request_begin(cs->conn) < 0)
			return refuse(srv, c, method, url, 503,
				      "SHUTTING_DOWN",
				      "El servidor se está deteniendo: "
				      "reintente en otro momento");
		if (ambiguous_framing(c))
			return refuse(srv, c, method, url, 400, "BAD_FRAMING",
				      "Solicitud ambigua: Content-Length y "
				      "Transfer-Encoding juntos o "
				      "repetidos");
		if ((router_route_flags(srv->routes, srv->n_routes, method,
					url) &
		     ROUTE_STREAM) &&
		    stream_open(srv, cs, c, method, url) < 0)
			return refuse(srv, c, method, url, 500, "INTERNAL",
				      "Error interno del servidor");
		cs->refused = 0;
		return MHD_YES;
	}
	/* libmicrohttpd may still deliver the body of a request
	 * answered early: it must not run the handler (and commit)
	 * after all. */
	if (cs->refused) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size && (cs->spool || cs->discard)) {
		spool(srv, cs, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->too_large &&
		    buf_append(&cs->body, upload, *upload_size) < 0) {
			cs->too_large = 1;
			buf_release(&cs->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->lane == LANE_DONE)
		return reply_and_release(c, cs);
	if (cs->lane == LANE_QUEUED)
		return MHD_YES; /* resumed early: still running */
	conns_request_dispatched(cs->conn);
	flags = router_route_flags(srv->routes, srv->n_routes, method, url);
	if (flags & ROUTE_SLOW)
		return to_slow_lane(srv, c, cs, method, url);
	/* Here when the work lane has no place (stopping). */
	if (works(flags, method) &&
	    to_lane(lane_work, srv, c, cs, method, url) == 0)
		return MHD_YES;
	run_request(srv, c, cs, method, url);
	return reply_and_release(c, cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;

	(void)c;
	(void)toe;
	(void)srv;
	if (!cs)
		return;
	conns_request_end(cs->conn);
	buf_release(&cs->body);
	if (cs->spool)
		fclose(cs->spool);
	free(cs);
	*con_cls = NULL;
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
				 socklen_t len)
{
	const struct server *srv = cls;

	(void)len;
	return conns_admit(addr, srv->per_address) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? conns_opened(ci->connect_fd) : NULL;
	} else {
		conns_closed(*socket_context);
		*socket_context = NULL;
	}
}

/*
 * "HOST:PORT", "[IPv6]:PORT", "*:PORT" or ":PORT" (every IPv4
 * address); HOST may be a name, resolved once here.  0 with *sa
 * filled, or -1.
 */
static int parse_listen(const char *listen, struct sockaddr_storage *sa,
			socklen_t *sa_len)
{
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints, *res = NULL;
	char host[256];
	size_t hlen;
	int64_t port;

	if (!colon || strnum_i64(colon + 1, 1, 65535, &port) < 0)
		return -1;
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host))
		return -1;
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (!host[0] || strcmp(host, "*") == 0) {
		hints.ai_family = AF_INET;
		hints.ai_flags |= AI_PASSIVE;
	}
	if (getaddrinfo(host[0] && strcmp(host, "*") != 0 ? host : NULL,
			colon + 1, &hints, &res) != 0 ||
	    !res)
		return -1;
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*sa_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/*
 * The listening socket is closed at once; connections the kernel had
 * already accepted into the backlog are taken over here: those whose
 * request had started arriving are handed to libmicrohttpd (and
 * counted as in flight), the others closed.
 */
static void drain_backlog(struct MHD_Daemon *d, int lfd)
{
	struct sockaddr_storage peer;
	socklen_t len;
	int fd;

	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		len = sizeof(peer);
		fd = accept(lfd, (struct sockaddr *)&peer, &len);
		if (fd < 0)
			break;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		if (conns_rx_bytes(fd) == 0) {
			close(fd);
			continue;
		}
		if (conns_adopt(fd) < 0) {
			close(fd);
			continue;
		}
		if (MHD_add_connection(d, fd, (struct sockaddr *)&peer, len) !=
		    MHD_YES)
			conns_unadopt(fd); /* libmicrohttpd closed it */
	}
}

/* File descriptors: the soft limit up to the hard one. */
static rlim_t raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur;
}

struct limits {
	unsigned total, per_address, idle_s;
	int64_t request_ms;
	int slow_threads, slow_queue, work_threads;
};

static void limits_of(const struct app *app, struct limits *l)
{
	const struct config *c = app->cfg;
	rlim_t nofile = raise_nofile();
	/* Room for the database, log and jobs: 64 descriptors. */
	unsigned cap = nofile > 128 ? (unsigned)(nofile - 64) : 64;

	l->total = c ? (unsigned)c->max_connections : 2000;
	l->per_address = c ? (unsigned)c->max_connections_per_address : 64;
	l->request_ms = (c ? c->request_timeout_seconds : 30) * 1000LL;
	l->idle_s = c ? (unsigned)c->idle_timeout_seconds : 60;
	l->slow_threads = c ? c->login_hash_concurrency : 1;
	l->slow_queue = c ? c->login_queue : 64;
	l->work_threads = c ? c->work_threads : 16;
	if (l->total > cap) {
		log_error("max_connections %u lowered to %u: only "
			  "%llu file "
			  "descriptors (ulimit -n)",
			  l->total, cap, (unsigned long long)nofile);
		l->total = cap;
	}
}

static void stop_daemon(struct app *app, struct MHD_Daemon *d)
{
	MHD_socket lfd;
	int in_flight, left;

	in_flight = conns_stop();
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET) {
		drain_backlog(d, lfd);
		close(lfd);
		if (lfd == app->listen_fd)
			app->listen_fd = -1; /* closed: not the caller's now */
	}
	log_info("stopping: not accepting; finishing %d request(s) in "
		 "flight",
		 in_flight);
	left = conns_wait(10000);
	if (left)
		log_error("stopping: %d request(s) still unanswered "
			  "after "
			  "10 s",
			  left);
	/* Before the daemon goes: each queued job resumes its
	 * connection. */
	lane_stop(lane_slow);
	lane_stop(lane_work);
	MHD_stop_daemon(d);
	conns_finish();
}

int http_bind(const char *addr)
{
	struct sockaddr_storage sa;
	socklen_t sa_len;
	int fd, on = 1;

	if (parse_listen(addr, &sa, &sa_len) < 0) {
		log_error("invalid listen address '%s'", addr);
		return -1;
	}
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sa, sa_len) < 0 ||
	    listen(fd, 1024) < 0) {
		log_error("cannot listen on '%s'", addr);
		close(fd);
		return -1;
	}
	return fd;
}

int http_serve(struct app *app, const char *listen, int threads,
	       const struct route *routes, size_t n_routes, volatile int *stop)
{
	struct server srv = {
		.app = app, .routes = routes, .n_routes = n_routes};
	struct sockaddr_storage sa;
	socklen_t sa_len;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_TURBO |
			 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_Daemon *d;
	struct limits lim;

	if (parse_listen(listen, &sa, &sa_len) < 0) {
		log_error("invalid listen address '%s'", listen);
		return -1;
	}
	metrics_init(routes, n_routes);
	limits_of(app, &lim);
	(void)sa_len;
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The work lane's queue holds a request of every connection. */
	if (conns_start(lim.request_ms) < 0)
		return -1;
	if (lane_start(lane_slow, lim.slow_threads, lim.slow_queue, 10) < 0 ||
	    lane_start(lane_work, lim.work_threads, (int)lim.total, 0) < 0) {
		lane_stop(lane_slow);
		lane_stop(lane_work);
		conns_finish();
		return -1;
	}
	srv.per_address = lim.per_address;
	d = MHD_start_daemon(
		flags, 0, on_accept, &srv, on_access, &srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_LISTEN_SOCKET,
		(MHD_socket)(app->listen_fd > 0 ? app->listen_fd
						: MHD_INVALID_SOCKET),
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv,
		MHD_OPTION_CONNECTION_TIMEOUT, lim.idle_s,
		MHD_OPTION_CONNECTION_LIMIT, lim.total,
		/* libmicrohttpd zeroes a connection's whole pool before each
		 * request on it: 32 KiB (headers are at most a few KiB; a
		 * body is handed over in chunks) instead of 128 KiB cut that
		 * memset from 12 % of a GET's CPU (issue 16). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on '%s'", listen);
		lane_stop(lane_slow);
		lane_stop(lane_work);
		conns_finish();
		return -1;
	}
	log_info("listening on %s with %d threads and %d for changes; at "
		 "most %u connections, %u per address, %lld s for a "
		 "request's headers and body",
		 listen, threads, lim.work_threads, lim.total, lim.per_address,
		 (long long)(lim.request_ms / 1000));
	if (app->on_ready)
		app->on_ready();
	while (!*stop)
		usleep(5 * 1000);
	stop_daemon(app, d);
	return 0;
}
