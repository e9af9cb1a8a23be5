#ifndef INOP_DOMAIN_MASS_FAILURE_H
#define INOP_DOMAIN_MASS_FAILURE_H
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/codes.h"
#include "domain/event.h"
#include "util/err.h"

/*
 * Mass failures (SPEC M1-M4) and the alerts that lead to them, as plain
 * structs with the rules as pure functions.  Who may call what (JEFE
 * alerts, FALLAS confirms, discards and declares, SOPORTE closes) is the
 * route table's job; the point scope of a JEFE comes in mf_ctx.
 */

/* A mass failure formalised by FALLAS.  Times UTC seconds; 0 = none. */
struct mass_failure {
	int64_t id;
	struct codes applications;
	int64_t started_at;
	char cause[CODE_LEN];
	char description[EVENT_TEXT_BYTES];
	int open; /* status CONFIRMED; closed: CLOSED */
	int64_t confirmed_at;
	char confirmed_by[64];
	char confirmed_by_name[PERSON_NAME_BYTES];
	int64_t ended_at;
	char closure_reason[CODE_LEN];
	char justification[EVENT_TEXT_BYTES];
	int64_t closed_at;
	char closed_by[64];
	char closed_by_name[PERSON_NAME_BYTES];
	int64_t open_events; /* OPEN events linked to it (read only) */
	int64_t events;	     /* all events linked to it (read only) */
};

enum alert_status { ALERT_PENDING, ALERT_CONFIRMED, ALERT_DISCARDED };

/* M1: an alert of a suspected mass failure. */
struct mf_alert {
	int64_t id;
	char source[16];	/* JEFE | ALERTMANAGER */
	struct point_ref point; /* id 0: none (monitoring) */
	struct codes applications;
	int64_t observed_at;
	char description[EVENT_TEXT_BYTES];
	char fingerprint[160]; /* monitoring only; "" otherwise */
	enum alert_status status;
	int64_t raised_at;
	char raised_by[64]; /* "" for the monitoring */
	char raised_by_name[PERSON_NAME_BYTES];
	int64_t decided_at;
	char decided_by[64];
	char decided_by_name[PERSON_NAME_BYTES];
	int64_t mass_failure_id;
	char discard_reason[EVENT_TEXT_BYTES];
};

struct mf_ctx {
	unsigned roles;
	int jefe_of_point; /* the actor is a JEFE assigned to the point */
	int point_active;
	int64_t now;
};

/* "PENDING" ... and back; -1 for an unknown text. */
const char *alert_status_code(enum alert_status s);
int alert_status_parse(const char *s, enum alert_status *out);

/*
 * M1: may the actor raise this alert?  The point's JEFE, for an active
 * point; known applications; observed_at not in the future.  0 or -1.
 */
int alert_check(const struct catalog *cat, const struct mf_ctx *ctx,
		const struct mf_alert *a, struct inop_err *err);

/* M2: the alert is still PENDING (else 409 ALERT_NOT_PENDING). */
int alert_pending_check(const struct mf_alert *a, struct inop_err *err);

/* M2: a discard needs a reason. */
int alert_discard(struct mf_alert *a, const char *reason,
		  const struct actor *who, int64_t now, struct inop_err *err);

/*
 * M2: a new mass failure: known applications, a cause of FALLA_MASIVA,
 * started_at not in the future.  0 or -1 (422 naming the field).
 */
int mass_failure_check(const struct catalog *cat,
		       const struct mass_failure *mf, int64_t now,
		       struct inop_err *err);

/*
 * M2: confirms `a` into the open failure `mf`: the alert's applications
 * join the failure's.  Returns 1 when the failure gained applications,
 * 0 when not, -1 (409 MASS_FAILURE_CLOSED) when it is closed.
 */
int alert_confirm_into(struct mf_alert *a, struct mass_failure *mf,
		       const struct actor *who, int64_t now,
		       struct inop_err *err);

/* M2: marks the (pending) alert confirmed into failure mf_id. */
void alert_mark_confirmed(struct mf_alert *a, int64_t mf_id,
			  const struct actor *who, int64_t now);

/*
 * M3: may `mf` be closed this way?  Open (409 ALREADY_CLOSED), a closure
 * reason of FALLA_MASIVA (422 REASON_NOT_ALLOWED), ERROR_USUARIO with a
 * justification of 10 characters, ended_at between started_at and now.
 * On success the failure is closed (fields set).
 */
int mass_failure_close(const struct catalog *cat, struct mass_failure *mf,
		       const char *reason, const char *justification,
		       int64_t ended_at, const struct actor *who, int64_t now,
		       struct inop_err *err);

/* R6: does the open failure cover at least one of `apps`? */
int mass_failure_covers(const struct mass_failure *mf,
			const struct codes *apps);

#endif
