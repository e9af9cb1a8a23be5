#ifndef INOP_MAIL_EVENT_MAIL_H
#define INOP_MAIL_EVENT_MAIL_H
#include <stdint.h>

#include "db/db.h"
#include "domain/catalog.h"
#include "domain/event.h"
#include "domain/mass_failure.h"
#include "domain/processes.h"

/*
 * The texts of the N2 mails about events and mass failures, queued through
 * notify() inside the transaction of their cause (the mails of the
 * official report are in report_mail.c).  Each returns 0, or -1 when the
 * outbox could not be written (the caller rolls back).
 */

/* R: a new event -> mailbox_control and SOPORTE. */
int mail_event_registered(struct db *db, const struct event *ev);
/* C: an event closed (by its point or by M3) -> mailbox_control. */
int mail_event_closed(struct db *db, const struct event *ev, int64_t now);
/* V2: an operational-error alert -> the JEFEs of the event's point. */
int mail_operational_error(struct db *db, const struct event *ev,
			   const char *text, int64_t now);
/* V3: a Procesos request -> the PROCESOS users. */
int mail_processes_request(struct db *db, const struct event *ev,
			   const struct processes_request *q, int64_t now);
/* V3: the Procesos ruling, either way -> mailbox_control. */
int mail_processes_ruling(struct db *db, const struct event *ev,
			  const struct processes_request *q, int64_t now);
/* M1: an alert raised -> mailbox_fallas. */
int mail_alert_raised(struct db *db, const struct catalog *cat,
		      const struct mf_alert *a);
/* M2: a mass failure confirmed or declared -> JEFEs of active points. */
int mail_mass_failure_confirmed(struct db *db, const struct catalog *cat,
				const struct mass_failure *mf, int64_t now);

#endif
