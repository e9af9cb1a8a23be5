#ifndef INOP_HTTP_INTERNAL_H
#define INOP_HTTP_INTERNAL_H
#include <stdint.h>

#include "http/http.h"
#include "util/buf.h"

/* Shared by the files of src/http/ only. */

/*
 * Routes `r` (method, path and conn set) with its body: fills the reply.
 * Returns the index of the matched route, or -1.
 */
int router_dispatch(const struct route *routes, size_t n, struct req *r,
		    struct buf *body, int too_large);

/* The flags of the route matching method and path (0: none). */
unsigned router_flags(const struct route *routes, size_t n, const char *method,
		      const char *path);

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

void metrics_init(const struct route *routes, size_t n);
void metrics_record(int route, int status, int64_t micros);

#endif
