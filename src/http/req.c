/*
 * What a handler reads of its request (query, headers, cookies) and the
 * replies it sets.  The libmicrohttpd side of a request stays in server.c.
 */
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/internal.h"
#include "util/log.h"
#include "util/str.h"

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

void req_out_drop(struct req *r)
{
	if (r->out_release)
		r->out_release(r->out_arg);
	else
		free(r->out);
	r->out = NULL;
	r->out_release = NULL;
	r->out_arg = NULL;
}

void reply_bytes(struct req *r, int status, const char *content_type,
		 char *data, size_t len)
{
	req_out_drop(r);
	r->status = status;
	r->content_type = content_type;
	r->out = data;
	r->out_len = len;
}

void reply_shared(struct req *r, int status, const char *content_type,
		  const char *data, size_t len, void (*release)(void *arg),
		  void *arg)
{
	req_out_drop(r);
	r->status = status;
	r->content_type = content_type;
	r->out = (char *)data; /* only read: MHD sends it, release frees */
	r->out_len = len;
	r->out_release = release;
	r->out_arg = arg;
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

int reply_header(struct req *r, const char *name, const char *value)
{
	if (r->n_headers >= HTTP_HEADERS_MAX) {
		log_error("reply header %s dropped: more than %d headers",
			  name, HTTP_HEADERS_MAX);
		return -1;
	}
	if (str_copy(r->headers[r->n_headers][0], HTTP_HEADER_LEN, name) < 0 ||
	    str_copy(r->headers[r->n_headers][1], HTTP_HEADER_LEN, value) <
		    0) {
		log_error("reply header %s dropped: longer than %d bytes",
			  name, HTTP_HEADER_LEN - 1);
		return -1;
	}
	r->n_headers++;
	return 0;
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
