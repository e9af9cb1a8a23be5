#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "db/db.h"
#include "store/store.h"

void api_healthz(struct req *r)
{
	struct db *db = store_conn();
	struct db_stmt *st = db ? db_prepare(db, "SELECT 1") : NULL;
	int ok = st && db_step(st) == DB_ROW;

	if (st)
		db_reset(st);
	if (!ok) {
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
