#ifndef INOP_HTTP_HTTP_H
#define INOP_HTTP_HTTP_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/roles.h"
#include "util/arena.h"
#include "util/err.h"

/*
 * The HTTP layer: libmicrohttpd glue, the router, authentication, replies.
 * Handlers (src/api/) see only this header: a struct req in, a reply out.
 */

#define HTTP_BODY_MAX (1u << 20) /* 1 MiB: larger bodies get 413 */
/* The most a route may raise its own cap to (struct route.body_max). */
#define HTTP_BODY_ROUTE_MAX (32u << 20)
#define HTTP_PARAMS_MAX	    4
#define HTTP_HEADERS_MAX    4		/* extra reply headers */
#define HTTP_HEADER_LEN	    512		/* each name and value, with its NUL */
#define HTTP_ARENA_MAX	    (64u << 20) /* what one request may allocate */

struct actor;
/*
 * Finds the session whose token hashes to `token_hash`, touching its last
 * use: 1 with *out filled, 0 when there is none or it was idle longer than
 * idle_s, -1 on error.  Supplied by whoever starts the server (serve
 * wires the store's), so http/ knows nothing of the store.
 */
typedef int (*http_session_fn)(const char *token_hash, int64_t now,
			       int64_t idle_s, struct actor *out);

/* What the whole server shares; read-only once serving starts. */
struct app {
	const struct config *cfg;
	struct catalog catalog;
	int secure_cookie; /* base_url is https */
	int64_t session_idle_s;
	char alertmanager_token[129]; /* "": the webhook is disabled */
	char complaints_token[129];   /* "": no platform deliveries */
	/* Q1 abuse: the public intake's limiter per client address (NULL:
	 * none).  Thread-safe; the one mutable thing shared. */
	struct ratelimit *complaints_limit;
	http_session_fn session_lookup;
	int64_t stream_max; /* cap of a ROUTE_STREAM body (import_max_bytes) */
	int listen_fd;	    /* > 0: bound by http_bind(); -1 once closed */
	void (*on_ready)(void); /* called once accepting */
	/* Called on a request's thread before the store is first asked
	 * about it (an upload's early session check, the dispatch; NULL:
	 * none): the caches below may then take one look per request. */
	void (*request_begin)(void);
};

struct req {
	struct app *app;
	const char *method;
	const char *path;
	const char *param[HTTP_PARAMS_MAX]; /* ":x" segments, in order */
	json_t *body; /* the JSON object of a JSON route, else NULL */
	/* A ROUTE_STREAM body: spooled to an unlinked temporary file, read
	 * from its start; NULL for other routes. */
	void *upload; /* FILE * */
	int64_t upload_len;
	const char *raw; /* the body's bytes as received (NUL after) */
	size_t raw_len;
	char client_addr[64]; /* http_client_addr(): "" when unknown */
	struct actor actor;   /* valid when authenticated */
	int authenticated;
	char token_hash[65]; /* of the session used, if any */
	int64_t now;	     /* UTC seconds at arrival */
	struct arena arena;  /* the request's memory, freed after the reply */
	char request_id[40]; /* X-Request-Id: the caller's, or a new one */

	/* The reply, set once by reply_*(). */
	int status;
	char *out; /* malloc'd, or released by out_release(out_arg) */
	size_t out_len;
	void (*out_release)(void *arg);
	void *out_arg;
	const char *content_type;
	char headers[HTTP_HEADERS_MAX][2][HTTP_HEADER_LEN]; /* extra pairs */
	int n_headers;
	int close;  /* the connection closes after this reply */
	void *conn; /* opaque: the libmicrohttpd connection */
};

enum route_flags {
	ROUTE_PUBLIC = 1u << 0,	  /* no authentication */
	ROUTE_JSON = 1u << 1,	  /* body must be a JSON object */
	ROUTE_RAW = 1u << 2,	  /* not under /api: no JSON 401 */
	ROUTE_JSON_OPT = 1u << 3, /* a body, if any, must be a JSON object */
	ROUTE_SLOW = 1u << 4, /* hashes a password: runs in the slow lane */
	/*
	 * A large body (imports): not held in memory nor capped at
	 * HTTP_BODY_MAX but spooled, as it arrives, to an unlinked temporary
	 * file capped at app.stream_max (413 past it); the handler reads
	 * req.upload.  The spool disappears with the request, so a killed
	 * server leaves nothing of it.
	 */
	ROUTE_STREAM = 1u << 5,
	/* A read that may take long (a report, its export, a PDF, a chart,
	 * a document, an evaluation, the deadline board): runs on the work
	 * lane, as changes do, not on one of the few threads that serve
	 * every connection. */
	ROUTE_WORK = 1u << 6,
};

/*
 * One row of the route table: the router matches method and path (":x"
 * segments become req.param), authenticates unless ROUTE_PUBLIC, checks
 * the actor holds one of `roles`, parses the body for ROUTE_JSON, then
 * calls the handler.  Handlers check only what depends on the data (the
 * point scope of a JEFE).
 */
struct route {
	const char *method;
	const char *path;
	void (*handler)(struct req *r);
	unsigned roles;
	unsigned flags;
	/* Largest body accepted (413 above it), at most HTTP_BODY_ROUTE_MAX;
	 * 0 means HTTP_BODY_MAX.  The body is buffered whole before the
	 * handler runs, so raise it only for routes that need it (the
	 * complaint intake with its documents). */
	size_t body_max;
};

/* A query-string argument, or NULL. */
const char *http_query(struct req *r, const char *key);
/* A request header, or NULL. */
const char *http_header(struct req *r, const char *name);

/*
 * The client's address as text (numeric IPv4 or IPv6) in out; 0, or -1
 * (out "") when unknown.  The peer of the TCP connection: behind a proxy
 * that is the proxy.
 */
int http_client_ip(struct req *r, char *out, size_t n);
/*
 * The client's address for throttling: the peer's, or, when the peer is
 * one of trusted_proxies, the last address of its X-Forwarded-For.
 */
int http_client_addr(struct req *r, char *out, size_t n);
/* 1 when the connection comes from a loopback address. */
int http_client_is_loopback(struct req *r);

/* Replies: each takes ownership of what it is given. */
void reply_json(struct req *r, int status, json_t *body);
void reply_error(struct req *r, const struct inop_err *e);
void reply_bytes(struct req *r, int status, const char *content_type,
		 char *data, size_t len);
/* A reply of bytes it does not own: release(arg) once they are sent (or
 * the reply is dropped); no copy is made. */
void reply_shared(struct req *r, int status, const char *content_type,
		  const char *data, size_t len, void (*release)(void *arg),
		  void *arg);
/*
 * Adds a header to the reply.  -1, logged and nothing added, when there
 * are already HTTP_HEADERS_MAX or a name or value does not fit.
 */
int reply_header(struct req *r, const char *name, const char *value);

/* The CSRF token belonging to a session token (hex, 64 chars + NUL). */
void http_csrf_token(const char *session_token, char out[65]);
/* That of the session of an authenticated request. */
void http_session_csrf(struct req *r, char out[65]);
/* BLAKE2b of a session token, as stored (hex, 64 chars + NUL). */
void http_token_hash(const char *token, char out[65]);

/*
 * Serves until *stop becomes non-zero (set from a signal handler), then
 * stops accepting, lets the requests in flight finish (at most 10 s) and
 * returns 0.  -1 when the port cannot be bound.
 */
int http_serve(struct app *app, const char *listen, int threads,
	       const struct route *routes, size_t n_routes,
	       volatile int *stop);

/*
 * Binds and listens on `listen` (HOST:PORT) and returns the socket, for
 * app.listen_fd: so that a server started as root can bind first and
 * drop its privileges before anything else.  -1 on failure (logged).
 */
int http_bind(const char *addr);

/* Prometheus text of the request counters and latencies (malloc'd). */
char *http_metrics_text(void);

#endif
