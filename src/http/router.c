#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "domain/roles.h"
#include "http/internal.h"
#include "util/log.h"
#include "util/str.h"

#define SESSION_COOKIE "inop_session"

/* 1 when `path` matches `pattern`, filling r->param for ":x" segments. */
static int path_match(const char *pattern, const char *path, struct req *r)
{
	static __thread char params[HTTP_PARAMS_MAX][128];
	int n = 0;

	while (*pattern && *path) {
		if (*pattern == ':') {
			size_t len = strcspn(path, "/");

			if (len == 0 || len >= sizeof(params[0]) ||
			    n == HTTP_PARAMS_MAX)
				return 0;
			memcpy(params[n], path, len);
			params[n][len] = '\0';
			if (r)
				r->param[n] = params[n];
			n++;
			pattern += strcspn(pattern, "/");
			path += len;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

static int fail(struct req *r, int status, const char *code, const char *field,
		const char *message)
{
	struct inop_err e;

	err_set(&e, status, code, field, "%s", message);
	reply_error(r, &e);
	return -1;
}

static int method_not_allowed(const struct route *routes, size_t n,
			      struct req *r)
{
	char allow[64] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (!path_match(routes[i].path, r->path, NULL))
			continue;
		if (str_printf(allow + len, sizeof(allow) - len, "%s%s",
			       len ? ", " : "", routes[i].method) < 0) {
			allow[len] = '\0'; /* cannot happen: 4 methods fit */
			break;
		}
		len = strlen(allow);
	}
	if (!len)
		return 0;
	reply_header(r, "Allow", allow);
	fail(r, 405, "METHOD_NOT_ALLOWED", NULL,
	     "Método no permitido para esta dirección");
	return 1;
}

/* The session token: from "Authorization: Bearer" or the cookie. */
static const char *find_token(struct req *r, int *via_cookie)
{
	const char *auth = http_header(r, "Authorization");

	*via_cookie = 0;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
		return auth + 7;
	*via_cookie = 1;
	return http_cookie(r, SESSION_COOKIE);
}

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

void http_session_csrf(struct req *r, char out[65])
{
	int via_cookie;
	const char *token = find_token(r, &via_cookie);

	http_csrf_token(token ? token : "", out);
}

static int authenticate(struct req *r)
{
	const char *token, *csrf;
	char want[65];
	int via_cookie, rc;

	token = find_token(r, &via_cookie);
	if (!token || !*token || strlen(token) > 128)
		return fail(r, 401, "UNAUTHENTICATED", NULL,
			    "Inicie sesión para continuar");
	http_token_hash(token, r->token_hash);
	rc = r->app->session_lookup(r->token_hash, r->now,
				    r->app->session_idle_s, &r->actor);
	if (rc < 0)
		return fail(r, 500, "INTERNAL", NULL,
			    "Error interno del servidor");
	if (rc == 0)
		return fail(r, 401, "UNAUTHENTICATED", NULL,
			    "La sesión no es válida o ha expirado: inicie "
			    "sesión de nuevo");
	/* Only a cookie's unsafe request is checked (a header token is not
	 * sent by a browser on its own). */
	if (via_cookie && !is_safe_method(r->method)) {
		http_csrf_token(token, want);
		csrf = http_header(r, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != 64 ||
		    sodium_memcmp(csrf, want, 64) != 0)
			return fail(r, 403, "CSRF", NULL,
				    "Falta el token CSRF de la sesión: "
				    "recargue la página");
	}
	r->authenticated = 1;
	return 0;
}

static int parse_body(struct req *r, struct buf *body)
{
	json_error_t jerr;

	r->body =
		json_loadb(body->s, body->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->body || !json_is_object(r->body)) {
		json_decref(r->body);
		r->body = NULL;
		return fail(r, 400, "BAD_JSON", NULL,
			    "El cuerpo de la solicitud no es un objeto JSON "
			    "válido");
	}
	return 0;
}

static size_t body_max_of(const struct route *rt)
{
	if (!rt || !rt->body_max)
		return HTTP_BODY_MAX;
	return rt->body_max < HTTP_BODY_ROUTE_MAX ? rt->body_max
						  : HTTP_BODY_ROUTE_MAX;
}

size_t router_body_max(const struct route *routes, size_t n,
		       const char *method, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(routes[i].method, method) == 0 &&
		    path_match(routes[i].path, path, NULL))
			return body_max_of(&routes[i]);
	return HTTP_BODY_MAX;
}

int router_stream_allowed(const struct route *routes, size_t n, struct req *r)
{
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &routes[i];

		if (strcmp(rt->method, r->method) != 0 ||
		    !path_match(rt->path, r->path, r))
			continue;
		if (!(rt->flags & ROUTE_PUBLIC) && authenticate(r) < 0)
			return 0;
		return rt->roles == ROLE_ANY || (r->actor.roles & rt->roles);
	}
	return 0;
}

int router_dispatch(const struct route *routes, size_t n, struct req *r,
		    struct buf *body, int too_large)
{
	const struct route *rt = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(routes[i].method, r->method) == 0 &&
		    path_match(routes[i].path, r->path, r)) {
			rt = &routes[i];
			break;
		}
	if (!rt) {
		if (!method_not_allowed(routes, n, r) &&
		    !(is_safe_method(r->method) && static_serve(r)))
			fail(r, 404, "NOT_FOUND", NULL,
			     "La dirección solicitada no existe");
		return -1;
	}
	if (too_large) {
		struct inop_err e;

		if (rt->flags & ROUTE_STREAM)
			err_set(&e, 413, "BODY_TOO_LARGE", NULL,
				"El archivo supera el máximo configurado "
				"(import_max_bytes)");
		else
			err_set(&e, 413, "BODY_TOO_LARGE", NULL,
				"El cuerpo de la solicitud supera el máximo "
				"de %zu MiB",
				body_max_of(rt) >> 20);
		reply_error(r, &e);
		return (int)i;
	}
	r->raw = body->s ? body->s : "";
	r->raw_len = body->len;
	if (!(rt->flags & ROUTE_PUBLIC) && authenticate(r) < 0)
		return (int)i;
	if (rt->roles != ROLE_ANY && !(r->actor.roles & rt->roles)) {
		fail(r, 403, "FORBIDDEN", NULL,
		     "Su rol no tiene permiso para esta operación");
		return (int)i;
	}
	if ((rt->flags & ROUTE_JSON) && parse_body(r, body) < 0)
		return (int)i;
	if ((rt->flags & ROUTE_JSON_OPT) && body->len > 0 &&
	    parse_body(r, body) < 0)
		return (int)i;
	rt->handler(r);
	if (!r->status)
		fail(r, 500, "INTERNAL", NULL, "Error interno del servidor");
	return (int)i;
}

int router_match_path(const char *pattern, const char *path,
		      const char *params[HTTP_PARAMS_MAX])
{
	struct req r;
	int ok;

	memset(&r, 0, sizeof(r));
	ok = path_match(pattern, path, &r);
	for (int i = 0; params && i < HTTP_PARAMS_MAX; i++)
		params[i] = ok ? r.param[i] : NULL;
	return ok;
}

unsigned router_route_flags(const struct route *routes, size_t n,
			    const char *method, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(routes[i].method, method) == 0 &&
		    path_match(routes[i].path, path, NULL))
			return routes[i].flags;
	return 0;
}
