#ifndef INOP_API_E1_H
#define INOP_API_E1_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"

/*
 * E1 of one event as the evaluation, the Procesos tray and the event page
 * show it (domain/control_json.h e1_to_json): the mass failures are read
 * here.  A new reference, or NULL on a database error.
 */
json_t *api_e1_json(struct db *db, const struct event *ev, int64_t now);

#endif
