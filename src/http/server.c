/*
 * libmicrohttpd glue.  The access handler is called several times per
 * request: the first call only sets up per-request state (queueing a
 * response on the first call makes libmicrohttpd drop keep-alive), the
 * next calls deliver the body, the last one dispatches.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <microhttpd.h>
#include <sodium.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "http/internal.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strnum.h"

struct conn_state {
	struct buf body;
	int too_large;
	struct timespec start;
};

struct server {
	struct app *app;
	const struct route *routes;
	size_t n_routes;
	atomic_int in_flight;
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
 * token, else 16 random hex digits; echoed in the reply and the log line.
 */
static void request_id(struct MHD_Connection *c, char out[40])
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789-_.:";
	const char *in = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "X-Request-Id");
	size_t n = in ? strlen(in) : 0;
	unsigned char rnd[8];

	if (n >= 1 && n < 40 && strspn(in, ok) == n) {
		memcpy(out, in, n + 1);
		return;
	}
	randombytes_buf(rnd, sizeof(rnd));
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

	resp = MHD_create_response_from_buffer(r->out_len, r->out,
					       MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	r->out = NULL;
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
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c,
				 const char *url, const char *method,
				 const char *version, const char *upload,
				 size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	struct req r;
	enum MHD_Result ret;
	int64_t micros;
	int route;

	(void)version;
	if (!cs) {
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		buf_init(&cs->body, HTTP_BODY_MAX);
		clock_gettime(CLOCK_MONOTONIC, &cs->start);
		atomic_fetch_add(&srv->in_flight, 1);
		*con_cls = cs;
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
	memset(&r, 0, sizeof(r));
	r.app = srv->app;
	r.method = method;
	r.path = url;
	r.conn = c;
	r.now = (int64_t)time(NULL);
	arena_init(&r.arena, HTTP_ARENA_MAX);
	request_id(c, r.request_id);
	route = router_dispatch(srv->routes, srv->n_routes, &r, &cs->body,
				cs->too_large);
	ret = queue(c, &r);
	free(r.out);
	json_decref(r.body);
	arena_release(&r.arena);
	micros = elapsed_us(&cs->start);
	metrics_record(route, r.status, micros);
	log_request(&r, micros);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;

	(void)c;
	(void)toe;
	if (!cs)
		return;
	buf_release(&cs->body);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->in_flight, 1);
}

/*
 * "HOST:PORT", "[IPv6]:PORT", "*:PORT" or ":PORT" (every IPv4 address);
 * HOST may be a name, resolved once here.  0 with *sa filled, or -1.
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
	if (getaddrinfo(host[0] && strcmp(host, "*") ? host : NULL, colon + 1,
			&hints, &res) != 0 ||
	    !res)
		return -1;
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	*sa_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
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
			 MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_TURBO;
	struct MHD_Daemon *d;
	int waited_ms = 0;

	if (parse_listen(listen, &sa, &sa_len) < 0) {
		log_error("invalid listen address '%s'", listen);
		return -1;
	}
	metrics_init(routes, n_routes);
	(void)sa_len;
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_access, &srv, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&sa, MHD_OPTION_LISTEN_SOCKET,
		(MHD_socket)(app->listen_fd > 0 ? app->listen_fd
						: MHD_INVALID_SOCKET),
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)128 * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on '%s'", listen);
		return -1;
	}
	log_info("listening on %s with %d threads", listen, threads);
	if (app->on_ready)
		app->on_ready();
	while (!*stop)
		usleep(100 * 1000);
	log_info("stopping: finishing requests in flight");
	MHD_quiesce_daemon(d);
	while (atomic_load(&srv.in_flight) > 0 && waited_ms < 10000) {
		usleep(20 * 1000);
		waited_ms += 20;
	}
	MHD_stop_daemon(d);
	return 0;
}
