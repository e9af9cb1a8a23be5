#ifndef INOP_DOMAIN_CRITICAL_H
#define INOP_DOMAIN_CRITICAL_H
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/codes.h"
#include "domain/event.h"
#include "util/err.h"

/*
 * T1: the critical transactions a point must still serve while an event
 * is open (BLOQUEO_ROBO_PERDIDA, RECLAMO_APELACION_QUEJA).  The JEFE
 * records each one served; its system reference (e.g. the complaint code)
 * is added once the system is back, even after the event closed.  One
 * without a reference is "not regularised".
 */

#define CRITICAL_CUSTOMER_REF_MAX 120 /* characters */
#define CRITICAL_HOW_MAX	  500
#define CRITICAL_SYSTEM_REF_MAX	  64

struct critical_tx {
	int64_t id;
	int64_t event_id;
	char type[CODE_LEN];
	char customer_ref[CRITICAL_CUSTOMER_REF_MAX * 4 + 1];
	int64_t attended_at;
	char how[CRITICAL_HOW_MAX * 4 + 1];
	char system_ref[CRITICAL_SYSTEM_REF_MAX * 4 + 1]; /* "": missing */
	int64_t system_ref_at;
	char system_ref_by[64];
	char system_ref_by_name[PERSON_NAME_BYTES];
	int64_t recorded_at;
	char recorded_by[64];
	char recorded_by_name[PERSON_NAME_BYTES];
};

/*
 * May the actor record `tx` on `ev`?  The point's JEFE (ADMIN for a
 * test) records, else 403; only while the event is open (409
 * ALREADY_CLOSED); a known type, a customer reference and how it was
 * served, attended between the event's start and now (422, field named).
 */
int critical_record_check(const struct catalog *cat,
			  const struct rule_ctx *ctx, const struct event *ev,
			  const struct critical_tx *tx, struct inop_err *err);

/*
 * May the actor add `system_ref` to `tx` (of `ev`)?  The same people as
 * for recording, at any time; 409 ALREADY_REGULARISED when it has one;
 * the reference must not be blank.
 */
int critical_reference_check(const struct rule_ctx *ctx,
			     const struct event *ev,
			     const struct critical_tx *tx,
			     const char *system_ref, struct inop_err *err);

#endif
