#ifndef INOP_STORE_EVALUATION_H
#define INOP_STORE_EVALUATION_H
#include <stdint.h>

#include "db/db.h"
#include "domain/evaluation.h"

/*
 * E1: the span of mass failure `id` (end 0 while it is open).  1 found
 * (*out filled), 0 no such mass failure, -1 error.
 */
int store_mass_failure_span(struct db *db, int64_t id, struct time_span *out);

/*
 * E3, E4: gathers the counts of `ev` from the imports in force and
 * compares them (evaluation_compare).  0 or -1.
 */
int store_evaluation_e34(struct db *db, const struct event *ev, int64_t now,
			 struct e34 *out);

#endif
