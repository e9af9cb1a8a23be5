#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "store/gauges.h"
#include "store/store.h"
#include "store/users.h"
#include "store/versions.h"
#include "util/config.h"
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

/*
 * The register's gauges after the HTTP counters.  Import rows are not
 * exported: there is no import table yet (imports are another issue).
 */
static void append_gauges(struct buf *b, int64_t now)
{
	struct db *db = store_conn();
	struct store_gauges g;
	int up = db && store_gauges_read(db, &g) == 0, listening;
	uint64_t notified;

	store_versions_stats(&listening, &notified);
	buf_appendf(b,
		    "# HELP inop_versions_listening Whether the node hears "
		    "other nodes' changes (PostgreSQL LISTEN, SQLite's WAL "
		    "index); 0: it reads the versions per request.\n"
		    "# TYPE inop_versions_listening gauge\n"
		    "inop_versions_listening %d\n"
		    "# HELP inop_versions_notifications_total Changes "
		    "announced by the nodes (this one too; SQLite: changes "
		    "of the file by another process seen).\n"
		    "# TYPE inop_versions_notifications_total counter\n"
		    "inop_versions_notifications_total %llu\n"
		    "# HELP inop_session_cache_hits_total Sessions found "
		    "in memory, without the database.\n"
		    "# TYPE inop_session_cache_hits_total counter\n"
		    "inop_session_cache_hits_total %llu\n",
		    listening, (unsigned long long)notified,
		    (unsigned long long)store_session_cache_hits());
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
	struct inop_err e;
	struct buf b;
	char *http, *text;
	size_t len;

	if (!metrics_allowed(r)) {
		err_set(&e, 403, "FORBIDDEN", NULL,
			"Las métricas solo se sirven en loopback o con "
			"metrics_token");
		reply_error(r, &e);
		return;
	}
	http = http_metrics_text();
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
