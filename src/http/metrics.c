/* Request counters and latency histograms, per route, lock-free. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/buf.h"
#include "util/str.h"

#define METRICS_ROUTES_MAX 128
#define N_BUCKETS	   9

static const int64_t bucket_us[N_BUCKETS] = {
	500, 1000, 2500, 5000, 10000, 25000, 100000, 500000, 2000000};
static const char *const bucket_le[N_BUCKETS] = {"0.0005", "0.001", "0.0025",
						 "0.005",  "0.01",  "0.025",
						 "0.1",	   "0.5",   "2"};

struct route_stats {
	char label[96];
	atomic_uint_fast64_t by_class[6]; /* 1xx..5xx at 1..5 */
	atomic_uint_fast64_t buckets[N_BUCKETS];
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t sum_us;
};

/* The last slot counts requests that matched no route. */
static struct route_stats stats[METRICS_ROUTES_MAX + 1];
static size_t n_stats;

void metrics_init(const struct route *routes, size_t n)
{
	n_stats = n < METRICS_ROUTES_MAX ? n : METRICS_ROUTES_MAX;
	/* labels only: a cut is acceptable */
	for (size_t i = 0; i < n_stats; i++)
		(void)str_printf(stats[i].label, sizeof(stats[i].label),
				 "%s %s", routes[i].method, routes[i].path);
	(void)str_copy(stats[n_stats].label, sizeof(stats[n_stats].label),
		       "other");
}

void metrics_record(int route, int status, int64_t micros)
{
	struct route_stats *s =
		&stats[route >= 0 && (size_t)route < n_stats ? (size_t)route
							     : n_stats];
	int cls = status / 100;

	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&s->by_class[cls], 1);
	for (int i = 0; i < N_BUCKETS; i++)
		if (micros <= bucket_us[i])
			atomic_fetch_add(&s->buckets[i], 1);
	atomic_fetch_add(&s->count, 1);
	atomic_fetch_add(&s->sum_us, (uint64_t)(micros > 0 ? micros : 0));
}

char *http_metrics_text(void)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	buf_appends(&b, "# HELP inop_http_requests_total HTTP requests by "
			"route and status class.\n"
			"# TYPE inop_http_requests_total counter\n");
	for (size_t i = 0; i <= n_stats; i++)
		for (int c = 1; c <= 5; c++)
			buf_appendf(&b,
				    "inop_http_requests_total{route=\"%s\","
				    "code=\"%dxx\"} %llu\n",
				    stats[i].label, c,
				    (unsigned long long)atomic_load(
					    &stats[i].by_class[c]));
	buf_appends(&b, "# HELP inop_http_request_duration_seconds Time to "
			"answer, by route.\n"
			"# TYPE inop_http_request_duration_seconds "
			"histogram\n");
	for (size_t i = 0; i <= n_stats; i++) {
		const struct route_stats *s = &stats[i];

		for (int k = 0; k < N_BUCKETS; k++)
			buf_appendf(&b,
				    "inop_http_request_duration_seconds_bucket"
				    "{route=\"%s\",le=\"%s\"} %llu\n",
				    s->label, bucket_le[k],
				    (unsigned long long)atomic_load(
					    &s->buckets[k]));
		buf_appendf(
			&b,
			"inop_http_request_duration_seconds_bucket{route="
			"\"%s\",le=\"+Inf\"} %llu\n"
			"inop_http_request_duration_seconds_sum{route="
			"\"%s\"} %.6f\n"
			"inop_http_request_duration_seconds_count{route="
			"\"%s\"} %llu\n",
			s->label, (unsigned long long)atomic_load(&s->count),
			s->label, (double)atomic_load(&s->sum_us) / 1e6,
			s->label, (unsigned long long)atomic_load(&s->count));
	}
	return buf_detach(&b, NULL);
}
