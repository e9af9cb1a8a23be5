/*
 * libmicrohttpd glue.  The access handler is called several times per
 * request: the first call only sets up per-request state (queueing a
 * response on the first call makes libmicrohttpd drop keep-alive), the
 * next calls deliver the body, the last one dispatches.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
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

const char *http_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   key);
}

const char *http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void reply_bytes(struct req *r, int status, const char *content_type,
		 char *data, size_t len)
{
	free(r->out);
	r->status = status;
	r->content_type = content_type;
	r->out = data;
	r->out_len = len;
}

void reply_json(struct req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (!s) {
		s = strdup("{}");
		status = 500;
	}
	reply_bytes(r, status, "application/json; charset=utf-8", s,
		    strlen(s));
}

void reply_error(struct req *r, const struct inop_err *e)
{
	json_t *err = json_pack(
		"{s:s, s:s, s:o}", "code", e->code, "message", e->message,
		"field", e->field[0] ? json_string(e->field) : json_null());

	reply_json(r, e->status, json_pack("{s:o}", "error", err));
}

void reply_header(struct req *r, const char *name, const char *value)
{
	if (r->n_headers >= 3)
		return;
	snprintf(r->headers[r->n_headers][0], 512, "%s", name);
	snprintf(r->headers[r->n_headers][1], 512, "%s", value);
	r->n_headers++;
}

static void hash_hex(const char *s, const char *key, char out[65])
{
	unsigned char bin[32];

	crypto_generichash(bin, sizeof(bin), (const unsigned char *)s,
			   strlen(s), (const unsigned char *)key,
			   key ? strlen(key) : 0);
	sodium_bin2hex(out, 65, bin, sizeof(bin));
}

void http_token_hash(const char *token, char out[65])
{
	hash_hex(token, NULL, out);
}

void http_csrf_token(const char *session_token, char out[65])
{
	/* Derived, so nothing more is stored; unknowable without the
	 * HttpOnly cookie. */
	hash_hex(session_token, "inop-csrf-token!", out);
}

static int64_t elapsed_us(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - start->tv_sec) * 1000000 +
	       (now.tv_nsec - start->tv_nsec) / 1000;
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
	route = router_dispatch(srv->routes, srv->n_routes, &r, &cs->body,
				cs->too_large);
	ret = queue(c, &r);
	free(r.out);
	json_decref(r.body);
	metrics_record(route, r.status, elapsed_us(&cs->start));
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

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	int64_t port;

	if (!colon || (size_t)(colon - listen) >= sizeof(host) ||
	    strnum_i64(colon + 1, 1, 65535, &port) < 0)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!host[0] || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int http_bind(const char *addr)
{
	struct sockaddr_in sa;
	int fd, on = 1;

	if (parse_listen(addr, &sa) < 0) {
		log_error("invalid listen address '%s'", addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
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
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	int waited_ms = 0;

	if (parse_listen(listen, &sa) < 0) {
		log_error("invalid listen address '%s'", listen);
		return -1;
	}
	metrics_init(routes, n_routes);
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
			MHD_USE_TURBO,
		ntohs(sa.sin_port), NULL, NULL, on_access, &srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_LISTEN_SOCKET,
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
