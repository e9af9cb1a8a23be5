#ifndef INOP_STORE_EVALUATION_H
#define INOP_STORE_EVALUATION_H
#include <stdint.h>

#include "db/db.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "util/buf.h"

/*
 * E1: the span of mass failure `id` (end 0 while it is open).  1 found
 * (*out filled), 0 no such mass failure, -1 error.
 */
int store_mass_failure_span(struct db *db, int64_t id, struct time_span *out);

/*
 * V1 in SQL, for listing events with a failing check: appends to `sql` a
 * condition (on `events e JOIN points p`) true exactly when the check
 * `check` (enum check_code, or -1 for any) is CHECK_FAIL, as
 * evaluation_checks() decides it.  store_failing_bind() binds its
 * parameters from index i and returns the next index.
 */
void store_failing_where(struct buf *sql, int check);
int store_failing_bind(struct db_stmt *st, int i, int check, int64_t now);

#endif
