#ifndef INOP_STORE_EVALUATION_H
#define INOP_STORE_EVALUATION_H
#include <stdint.h>

#include "db/db.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "util/buf.h"

/*
 * E1: the mass failures whose span (end 0 while open) overlaps [from,
 * to], oldest first; *out malloc'd (NULL when none).  0 or -1.
 */
int store_e1_failures(struct db *db, int64_t from, int64_t to,
		      struct e1_failure **out, size_t *n);

/*
 * V1 in SQL, for listing events with a failing check: appends to `sql` a
 * condition (on `events e JOIN points p`) true exactly when the check
 * `check` (enum check_code, or -1 for any) is CHECK_FAIL, as
 * evaluation_checks() decides it.  store_failing_bind() binds its
 * parameters from index i and returns the next index.
 */
void store_failing_where(struct buf *sql, int check);
int store_failing_bind(struct db_stmt *st, int i, int check, int64_t now);

/*
 * Evaluating many events in one transaction or read (a report's rows and
 * charts): what does not depend on the event -- the days with imports of
 * each kind, each day's complaints and LDR totals -- read once for the
 * events started in the Lima days [first, last] and kept.  Imports change:
 * a memo lives no longer than the transaction it was made in.  NULL when
 * memory ran out (then evaluate without one).
 */
struct e34_memo;
struct e34_memo *store_e34_memo_new(struct db *db, int32_t first,
				    int32_t last);
void store_e34_memo_free(struct e34_memo *m);

/*
 * E3, E4: gathers the counts of `ev` from the imports in force and
 * compares them (evaluation_compare); `memo` may be NULL.  0 or -1.
 */
int store_evaluation_e34(struct db *db, struct e34_memo *memo,
			 const struct event *ev, int64_t now, struct e34 *out);

/*
 * The impact chart of `ev` (evaluation_impact) from the imports in
 * force; c->procedure is the code (the caller may put the name); `memo`
 * may be NULL.  0/-1.
 */
int store_evaluation_impact(struct db *db, struct e34_memo *memo,
			    const struct event *ev, int64_t now,
			    struct impact_chart *c);

#endif
