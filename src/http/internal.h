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

/* The body cap of the route matching method and path (HTTP_BODY_MAX
 * when none matches or it sets none). */
size_t router_body_max(const struct route *routes, size_t n,
		       const char *method, const char *path);

/* A cookie of the request, or NULL. */
const char *http_cookie(struct req *r, const char *name);

/* Serves an embedded web file for GET `r->path`; 0 when none matched. */
int static_serve(struct req *r);

void metrics_init(const struct route *routes, size_t n);
void metrics_record(int route, int status, int64_t micros);

#endif
