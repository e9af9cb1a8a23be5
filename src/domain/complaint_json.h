#ifndef INOP_DOMAIN_COMPLAINT_JSON_H
#define INOP_DOMAIN_COMPLAINT_JSON_H
#include <jansson.h>
#include <stdint.h>

#include "domain/complaint.h"

/*
 * The complaint object of the API (for RECLAMOS and the audit): every
 * field, times in Lima, `overdue` judged at `now`, the documents without
 * their bytes.
 */
json_t *complaint_to_json(const struct complaint *c, int64_t now);

/* What the intake answers anyone (Q1, no data of the customer):
 * {"id","code","status","received_at","matter","due_date","source"}. */
json_t *complaint_public_json(const struct complaint *c);

#endif
