#ifndef INOP_DOMAIN_MASS_FAILURE_JSON_H
#define INOP_DOMAIN_MASS_FAILURE_JSON_H
#include <jansson.h>

#include "domain/mass_failure.h"

/*
 * The mass-failure and alert objects of the API, also the before/after of
 * their audit records (with counts = 0: the counts of linked events are
 * not part of the failure).  Times in Lima.  New references.
 */
json_t *mass_failure_to_json(const struct mass_failure *mf, int counts);
json_t *alert_to_json(const struct mf_alert *a);

#endif
