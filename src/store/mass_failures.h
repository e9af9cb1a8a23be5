#ifndef INOP_STORE_MASS_FAILURES_H
#define INOP_STORE_MASS_FAILURES_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/mass_failure.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * Mass failures (SPEC M2-M4; their alerts, M1, are store/alerts.h).
 * Every change goes through store_write() and writes its audit record
 * (entity "mass_failure") in its transaction.  Hooks and decide functions
 * run inside that transaction, on the db they are given: -1 from them
 * rolls the change back with the error they set (500 when they set none).
 */

/* 1 found (with the counts of its events), 0 not, -1 error. */
int store_mf_get(struct db *db, int64_t id, struct mass_failure *mf);
/* The same without counting its events (open_events and events are -1):
 * what a registration reads.  Counted, the 2,400th registration of one
 * failure counted 4,800 rows twice, in its request and in the writer. */
int store_mf_get_uncounted(struct db *db, int64_t id, struct mass_failure *mf);
/*
 * store_mf_get() inside a change, after taking the failure's row lock (so
 * a failure closed meanwhile on another node reads as closed).
 */
int store_mf_lock_get(struct db *db, int64_t id, struct mass_failure *mf);
/*
 * Mass failures, open ones first, then newest first; status "CONFIRMED",
 * "CLOSED" or NULL for all.  *out malloc'd (free it).
 */
int store_mf_list(struct db *db, const char *status, int64_t limit,
		  struct mass_failure **out, size_t *n, int64_t *total);
/*
 * R6: the open failures covering at least one of `apps`: how many, and
 * the newest one's id.  0 or -1.
 */
int store_mf_open_covering(struct db *db, const struct codes *apps,
			   int64_t *id, int *count);
typedef int (*mf_hook_fn)(struct db *db, const struct mass_failure *mf,
			  void *ctx, struct inop_err *err);
/* M2: a failure declared by FALLAS, in one transaction; sets mf->id. */
int store_mf_declare(struct db *db, struct mass_failure *mf,
		     const struct actor *who, int64_t now, mf_hook_fn after,
		     void *ctx, struct inop_err *err);
/* Inside the caller's transaction: row and audit.  0 or -1 (logged). */
int store_mf_insert_tx(struct db *db, struct mass_failure *mf,
		       const struct actor *who, int64_t now);
int store_mf_update_tx(struct db *db, const struct mass_failure *before,
		       const struct mass_failure *after, const char *action,
		       const struct actor *who, int64_t now);

/*
 * Changes failure `id` in one transaction: locks and loads it (404), lets
 * `decide` apply the rules, writes it with its audit record `action`,
 * then runs `after` (may be NULL) for what follows from the change in the
 * same transaction (M3: close its events).  `after` runs once the audit
 * head is held, so it sees every registration committed before: none can
 * slip in between.  *mf holds the failure as committed.
 */
typedef int (*mf_decide_fn)(struct db *db, struct mass_failure *mf, void *ctx,
			    struct inop_err *err);
int store_mf_change(struct db *db, int64_t id, const char *action,
		    mf_decide_fn decide, mf_hook_fn after, void *ctx,
		    const struct actor *who, int64_t now,
		    struct mass_failure *mf, struct inop_err *err);

#endif
