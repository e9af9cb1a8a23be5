#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "store/gauges.h"
#include "store/store.h"
#include "util/buf.h"

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
 * The register's gauges after the HTTP counters.  Import rows are not
 * exported: there is no import table yet (imports are another issue).
 */
static void append_gauges(struct buf *b, int64_t now)
{
	struct db *db = store_conn();
	struct store_gauges g;
	int up = db && store_gauges_read(db, &g) == 0;

	buf_appendf(b,
		    "# HELP inop_database_up Whether the node read its "
		    "database for this scrape.\n# TYPE inop_database_up "
		    "gauge\ninop_database_up %d\n",
		    up);
	if (!up)
		return;
	buf_appendf(
		b,
		"# HELP inop_outbox_pending_mails Mails waiting in the "
		"outbox.\n# TYPE inop_outbox_pending_mails gauge\n"
		"inop_outbox_pending_mails %lld\n"
		"# HELP inop_outbox_failed_mails Mails given up after every "
		"attempt.\n# TYPE inop_outbox_failed_mails gauge\n"
		"inop_outbox_failed_mails %lld\n"
		"# HELP inop_outbox_oldest_pending_age_seconds Age of the "
		"oldest waiting mail (0: none).\n"
		"# TYPE inop_outbox_oldest_pending_age_seconds gauge\n"
		"inop_outbox_oldest_pending_age_seconds %lld\n"
		"# HELP inop_events_open Open inoperability events.\n"
		"# TYPE inop_events_open gauge\ninop_events_open %lld\n"
		"# HELP inop_mass_failures_open Confirmed mass failures not "
		"yet closed.\n# TYPE inop_mass_failures_open gauge\n"
		"inop_mass_failures_open %lld\n",
		(long long)g.outbox_pending, (long long)g.outbox_failed,
		(long long)(g.oldest_pending_at && now > g.oldest_pending_at
				    ? now - g.oldest_pending_at
				    : 0),
		(long long)g.events_open, (long long)g.mass_failures_open);
}

void api_metrics(struct req *r)
{
	char *http = http_metrics_text();
	struct buf b;
	char *text;
	size_t len;

	buf_init(&b, 2u << 20);
	buf_appends(&b, http ? http : "");
	free(http);
	append_gauges(&b, r->now);
	text = buf_detach(&b, &len);
	if (!text) {
		reply_json(r, 500, json_pack("{s:s}", "status", "error"));
		return;
	}
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", text,
		    len);
}
