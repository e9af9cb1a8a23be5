#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "store/store.h"
#include "util/config.h"

void api_healthz(struct req *r)
{
	struct db *db = store_conn();

	if (!db || store_ping(db) < 0) {
		reply_json(r, 503,
			   json_pack("{s:s}", "status", "unavailable"));
		return;
	}
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/*
 * /metrics tells how busy each route is: served to a loopback client that
 * did not come through a proxy (a proxy on the same host is loopback too,
 * so a forwarding header makes it remote), or to anyone with
 * "Authorization: Bearer <metrics_token>".
 */
static int metrics_allowed(struct req *r)
{
	const char *want = r->app->cfg ? r->app->cfg->metrics_token : "";
	const char *auth = http_header(r, "Authorization");
	size_t n = strlen(want);

	if (want[0] && auth && strncasecmp(auth, "Bearer ", 7) == 0 &&
	    strlen(auth + 7) == n && sodium_memcmp(auth + 7, want, n) == 0)
		return 1;
	return http_client_is_loopback(r) &&
	       !http_header(r, "X-Forwarded-For") &&
	       !http_header(r, "Forwarded") && !http_header(r, "X-Real-IP");
}

void api_metrics(struct req *r)
{
	struct inop_err e;
	char *text;

	if (!metrics_allowed(r)) {
		err_set(&e, 403, "FORBIDDEN", NULL,
			"Las métricas solo se sirven en loopback o con "
			"metrics_token");
		reply_error(r, &e);
		return;
	}
	text = http_metrics_text();

	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", text,
		    strlen(text));
}
