/*
 * E1 for every event (SPEC E1): the failures overlapping the event's
 * span, weighed by the domain.
 */
#include "api/e1.h"

#include <stdlib.h>

#include "domain/control_json.h"
#include "store/evaluation.h"

json_t *api_e1_json(struct db *db, const struct event *ev, int64_t now)
{
	struct e1_failure *f = NULL;
	size_t n = 0;
	json_t *o;

	if (store_e1_failures(db, ev->started_at,
			      ev->ended_at ? ev->ended_at : now, &f, &n) < 0)
		return NULL;
	o = e1_to_json(ev, f, n, now);
	free(f);
	return o;
}
