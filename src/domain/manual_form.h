#ifndef INOP_DOMAIN_MANUAL_FORM_H
#define INOP_DOMAIN_MANUAL_FORM_H
#include <stdint.h>

#include "domain/event.h"
#include "util/err.h"

/*
 * K1-K2: the paper "Formato Manual de Registro de Inoperatividad".  Each
 * printed form carries a serial reserved for its point, gapless per point:
 * "FM-<point code>-NNNNNN".  A regularisation (origin MANUAL) names the
 * serial; it must exist, belong to the event's point and not be used yet,
 * so every form handed out is either regularised or visibly unused.
 */

#define MANUAL_FORM_SERIAL_LEN 64

struct manual_form {
	int64_t id;
	char serial[MANUAL_FORM_SERIAL_LEN];
	struct point_ref point;
	int64_t seq;
	int64_t issued_at;
	char issued_by[64];
	char issued_by_name[PERSON_NAME_BYTES]; /* "": not a user (CLI) */
	int64_t event_id;			/* 0: not used yet */
	char event_number[24];			/* of the regularising event */
	int64_t used_at;
	int64_t event_started_at;
};

/* "FM-CAC-LIMA-01-000007".  -1 when it does not fit. */
int manual_form_serial(char out[MANUAL_FORM_SERIAL_LEN],
		       const char *point_code, int64_t seq);

/*
 * K2: may `ev` (origin MANUAL) regularise the form `form` (NULL: no form
 * has that serial)?  0, or -1 with a 422 on field manual_form_ref:
 * MANUAL_FORM_UNKNOWN, MANUAL_FORM_OTHER_POINT or MANUAL_FORM_USED.
 */
int manual_form_use_check(const struct manual_form *form,
			  const struct event *ev, struct inop_err *err);

/*
 * K2: how late a paper form was typed in, registered_at - started_at in
 * seconds (never negative); -1 for an event that is not origin MANUAL.
 */
int64_t regularisation_delay_s(const struct event *ev);

#endif
