#ifndef INOP_DOMAIN_PROCESSES_H
#define INOP_DOMAIN_PROCESSES_H
#include <stdint.h>

#include "domain/event.h"
#include "util/err.h"

/*
 * V3: the ruling of Mejora de Procesos.  CONTROL asks for it on an event
 * of an in-person point; PROCESOS answers PROCEDE or NO_PROCEDE with a
 * reason within 24 hours.  Unanswered at 24 h, or at once when no primary
 * PROCESOS user is present, the request is escalated by e-mail to the
 * configured backups (config `procesos_backups`) and shown overdue.
 *
 * The primaries are the active users holding the PROCESOS role whose
 * address is not one of the backups; a primary is absent while an
 * absence they marked covers the moment (see store/processes.h).
 */

#define PROCESSES_DEADLINE_S (24 * 3600)
#define PROCESSES_NOTE_MAX   500  /* characters */
#define PROCESSES_REASON_MAX 2000 /* characters */

struct processes_request {
	int64_t id;
	int64_t event_id;
	char event_number[24];
	char note[PROCESSES_NOTE_MAX * 4 + 1];
	int64_t requested_at;
	char requested_by[64];
	char requested_by_name[PERSON_NAME_BYTES];
	int64_t due_at;
	char ruling[16]; /* "" | PROCEDE | NO_PROCEDE */
	char reason[PROCESSES_REASON_MAX * 4 + 1];
	int64_t ruled_at;
	char ruled_by[64];
	char ruled_by_name[PERSON_NAME_BYTES];
	int64_t escalated_at;	    /* 0: not escalated */
	char escalation_reason[16]; /* "" | VENCIDA | AUSENCIA */
	char escalated_to[512]; /* the backups' addresses, comma-separated */
};

enum processes_status {
	PROCESSES_PENDIENTE, /* waiting, within the 24 hours */
	PROCESSES_VENCIDA,   /* waiting, past 24 h or escalated */
	PROCESSES_RESUELTA,  /* ruled */
};

/* Where the request stands at `now`. */
enum processes_status processes_status(const struct processes_request *r,
				       int64_t now);
/* "PENDIENTE", "VENCIDA", "RESUELTA". */
const char *processes_status_code(enum processes_status s);

/*
 * May CONTROL ask for a ruling on `ev`?  Only for events of in-person
 * points (channel PRESENCIAL, 422 NOT_IN_PERSON), not for tests (422),
 * once per event (`already`: a request exists, 409 ALREADY_REQUESTED).
 */
int processes_request_check(const struct event *ev, int already,
			    struct inop_err *err);

/*
 * May PROCESOS rule this way?  `r` is the event's request, NULL when there
 * is none (409 NO_PROCESSES_REQUEST); a ruled request is 409
 * ALREADY_RULED; the ruling must be PROCEDE or NO_PROCEDE and the reason
 * not blank (422, field named).
 */
int processes_ruling_check(const struct processes_request *r,
			   const char *ruling, const char *reason,
			   struct inop_err *err);

/*
 * C4: may CONTROL rule `ev` out of the report?  409 ALREADY_RULED_OUT
 * when it already is; the reason must not be blank.
 */
int rule_out_check(const struct event *ev, const char *reason,
		   struct inop_err *err);

/*
 * O1, V3: an in-person event (channel PRESENCIAL) enters a report only
 * with a PROCEDE ruling.  `ruling` is the event's ruling ("" or NULL:
 * none yet).  1 while the event waits for it, else 0.  The report's SQL
 * (store/reports.c) mirrors this.
 */
int event_awaits_ruling(const struct event *ev, const char *ruling);

/*
 * O1: an event in a report under review or later (`report_id` that
 * report, 0 none) may no longer be ruled out, by CONTROL or by a
 * NO_PROCEDE ruling: 409 IN_REPORT.
 */
int rule_out_report_check(const struct event *ev, int64_t report_id,
			  struct inop_err *err);

enum escalation {
	ESCALATION_NONE,
	ESCALATION_VENCIDA,  /* 24 hours passed unanswered */
	ESCALATION_AUSENCIA, /* no primary present to answer */
};

/*
 * The escalation step for one request, pure and idempotent: a request
 * that is ruled or already escalated needs nothing; one unanswered at its
 * due time is VENCIDA; one unanswered while no primary is present
 * (`primaries_present` 0) is AUSENCIA at once.  Calling it again after
 * the escalation was recorded answers NONE.
 */
enum escalation processes_escalation(const struct processes_request *r,
				     int primaries_present, int64_t now);
/* "VENCIDA" / "AUSENCIA" ("" for NONE). */
const char *escalation_code(enum escalation e);

#endif
