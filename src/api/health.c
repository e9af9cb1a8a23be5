#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "store/store.h"

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

void api_metrics(struct req *r)
{
	char *text = http_metrics_text();

	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", text,
		    strlen(text));
}
