#include "store/evaluation.h"

/*
 * STUB until issue 5 (mass failures) lands: there is no mass_failures
 * table on this branch and no FALLA_MASIVA event can be registered, so
 * every lookup answers "none".  When merging issue 5, replace the body
 * with a SELECT of started_at, ended_at FROM mass_failures WHERE id = ?.
 * The E1 rule itself (domain/evaluation.c) is complete and unit-tested.
 */
int store_mass_failure_span(struct db *db, int64_t id, struct time_span *out)
{
	(void)db;
	(void)id;
	out->start = 0;
	out->end = 0;
	return 0;
}
