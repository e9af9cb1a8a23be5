#ifndef INOP_HTTP_INTERNAL_H
#define INOP_HTTP_INTERNAL_H
#include <stdint.h>

#include "http/http.h"
#include "util/buf.h"

/* Shared by the files of src/http/ only. */

/* Frees (or releases, reply_shared) the reply's bytes still held. */
void req_out_drop(struct req *r);

/*
 * Routes `r` (method, path and conn set) with its body: fills the reply.
 * Returns the index of the matched route, or -1.
 */
int router_dispatch(const struct route *routes, size_t n, struct req *r,
		    struct buf *body, int too_large);

/*
 * 1 when `path` matches the route pattern (":x" segments), filling
 * params[] (thread-local copies, valid until the next match on this
 * thread); 0 when not.  The router's own matcher, exposed for the fuzzer.
 */
int router_match_path(const char *pattern, const char *path,
		      const char *params[HTTP_PARAMS_MAX]);
/* The body cap of the route matching method and path (HTTP_BODY_MAX
 * when none matches or it sets none). */
size_t router_body_max(const struct route *routes, size_t n,
		       const char *method, const char *path);

/*
 * Before a ROUTE_STREAM body is received: 1 when `r` (method, path, conn,
 * app, now set) is authenticated and holds one of the route's roles, so
 * its body is worth spooling; 0 otherwise (the body is then discarded and
 * router_dispatch answers 401/403 as for any route).  May fill r's reply:
 * the caller frees r->out.
 */
int router_stream_allowed(const struct route *routes, size_t n, struct req *r);

/* A cookie of the request, or NULL. */
const char *http_cookie(struct req *r, const char *name);

/* Serves an embedded web file for GET `r->path`; 0 when none matched. */
int static_serve(struct req *r);

/*
 * The connection registry (conns.c): graceful stop and the deadline for a
 * request's headers and body.  conns_opened/closed are libmicrohttpd's
 * connection notifications (the returned pointer is the connection's
 * socket context); the request_* calls bracket each request.
 */
int conns_start(int64_t deadline_ms);
void conns_finish(void);
void *conns_opened(int fd);
struct sockaddr;
/* May a new connection from `addr` be accepted: fewer than `limit` (0: no
 * limit) connections from its host that the client still holds? */
int conns_admit(const struct sockaddr *addr, unsigned limit);
void conns_closed(void *ctx);
/* -1: the server is stopping and this connection had no request then. */
int conns_request_begin(void *ctx);
void conns_request_dispatched(void *ctx);
/* An authenticated ROUTE_STREAM upload: exempt from the total deadline
 * until its request ends. */
void conns_request_streaming(void *ctx);
void conns_request_end(void *ctx);
/*
 * Marks the stop: the connections with a request (its first byte
 * received) may finish it; returns how many.  Of the connections opened
 * after this, only those announced with conns_adopt(fd) (the backlog's,
 * with a request) may be answered; conns_unadopt when the hand-over
 * failed.
 */
int conns_stop(void);
int conns_adopt(int fd);
void conns_unadopt(int fd);
int conns_stopping(void);
/*
 * Waits until every allowed request is answered and no request runs: how
 * many are left.  From then on no request may begin.
 */
int conns_wait(int64_t timeout_ms);
uint64_t conns_rx_bytes(int fd);
/* Connections shut down for exceeding the request deadline. */
long conns_timeouts(void);

/*
 * Lanes (lane.c): threads that run requests which block, while their
 * connection is suspended.  lane_slow runs ROUTE_SLOW routes, lane_work
 * the changes and ROUTE_WORK reads.  lane_start starts `threads` threads
 * (at `nice`); lane_reserve takes a place in the queue: -1 when
 * `queue_max` jobs already wait, the lane has no threads or is stopping;
 * lane_push queues a job that has its place (it cannot fail, so a
 * connection can be suspended between the two).  The job is the caller's
 * until its run(arg) is called.  lane_stop runs what is queued, then
 * joins the threads.
 */
struct lane;
struct lane_job {
	struct lane_job *next;
	void (*run)(void *arg);
	void *arg;
};
extern struct lane *const lane_slow;
extern struct lane *const lane_work;
int lane_start(struct lane *l, int threads, int queue_max, int nice);
int lane_reserve(struct lane *l);
void lane_push(struct lane *l, struct lane_job *j);
void lane_stop(struct lane *l);

/* The flags of the route `method path` would take, 0 when none. */
unsigned router_route_flags(const struct route *routes, size_t n,
			    const char *method, const char *path);

void metrics_init(const struct route *routes, size_t n);
void metrics_record(int route, int status, int64_t micros);

#endif
