#ifndef INOP_STORE_GAUGES_H
#define INOP_STORE_GAUGES_H
#include <stdint.h>

#include "db/db.h"

/* What /metrics reports of the register, read at scrape time. */
struct store_gauges {
	int64_t outbox_pending;	   /* mails waiting (PENDING) */
	int64_t outbox_failed;	   /* mails given up (FAILED) */
	int64_t oldest_pending_at; /* created_at of the oldest; 0: none */
	int64_t events_open;
	int64_t mass_failures_open; /* CONFIRMED, not yet CLOSED */
};

/* One query over indexed columns.  0 or -1. */
int store_gauges_read(struct db *db, struct store_gauges *g);

#endif
