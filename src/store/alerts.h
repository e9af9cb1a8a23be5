#ifndef INOP_STORE_ALERTS_H
#define INOP_STORE_ALERTS_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/mass_failure.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * M1-M2: the alerts of a possible mass failure, raised by the monitoring
 * or by a user and confirmed into a failure (store/mass_failures.h) or
 * discarded.  Every change goes through store_write() and writes its
 * audit record (entity "mass_failure_alert") in its transaction.  Hooks
 * and decide functions run inside that transaction, on the db they are
 * given: -1 from them rolls the change back with the error they set (500
 * when they set none).
 */

/* 1 found, 0 not, -1 error. */
int store_alert_get(struct db *db, int64_t id, struct mf_alert *a);

struct alert_filter {
	const char *status;   /* "PENDING"... or NULL */
	int64_t jefe_user_id; /* > 0: only alerts of this user's points */
	int64_t limit, offset;
};
/* Newest first.  *out malloc'd. */
int store_alerts_list(struct db *db, const struct alert_filter *f,
		      struct mf_alert **out, size_t *n, int64_t *total);

typedef int (*alert_hook_fn)(struct db *db, const struct mf_alert *a,
			     void *ctx, struct inop_err *err);
/*
 * M1: writes a PENDING alert, its audit record and what `after` adds (its
 * mail) in one transaction.  An alert whose fingerprint is already stored
 * is not written again: *created = 0 (and a->id is the stored one's).
 * `who` NULL: raised by the monitoring (no user).
 */
int store_alert_raise(struct db *db, struct mf_alert *a,
		      const struct actor *who, int64_t now,
		      alert_hook_fn after, void *ctx, int *created,
		      struct inop_err *err);

/*
 * M2: changes alert `id` in one transaction: locks and loads it (404),
 * lets `decide` apply the rules (it may declare the failure, inside the
 * same transaction), and writes it with its audit record `action`.
 */
typedef int (*alert_decide_fn)(struct db *db, struct mf_alert *a, void *ctx,
			       struct inop_err *err);
int store_alert_change(struct db *db, int64_t id, const char *action,
		       alert_decide_fn decide, void *ctx,
		       const struct actor *who, int64_t now,
		       struct mf_alert *a, struct inop_err *err);

#endif
