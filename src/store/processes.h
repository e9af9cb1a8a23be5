#ifndef INOP_STORE_PROCESSES_H
#define INOP_STORE_PROCESSES_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"
#include "domain/processes.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * V3: Procesos requests, rulings, absences and the 24-hour escalation.
 * Functions marked "in a transaction" must run inside the write
 * transaction of store_event_change() (store/events.h); they write their
 * audit records (entity "event").
 */

/* The event's request: 1 found, 0 none, -1 error. */
int store_processes_get(struct db *db, int64_t event_id,
			struct processes_request *r);

/* In a transaction: inserts r for ev (due 24 h after now); sets r. */
int store_processes_insert(struct db *db, const struct event *ev,
			   struct processes_request *r,
			   const struct actor *who, int64_t now);

/*
 * In a transaction: records the ruling on r; NO_PROCEDE also rules the
 * event out (C4).  r and ev are updated.
 */
int store_processes_rule(struct db *db, struct event *ev,
			 struct processes_request *r, const char *ruling,
			 const char *reason, const struct actor *who,
			 int64_t now);

/* The tray: status "PENDIENTE" | "VENCIDA" | "RESUELTA" | NULL (all). */
struct processes_row {
	struct processes_request r;
	struct point_ref point;
	char scenario[CODE_LEN];
	char procedure[CODE_LEN];
	int64_t started_at, ended_at;
};
int store_processes_list(struct db *db, const char *status, int64_t now,
			 int64_t limit, int64_t offset,
			 struct processes_row **out, size_t *n,
			 int64_t *total);

/* A PROCESOS user as the Procesos desk sees it. */
struct processes_person {
	char username[64];
	char name[481];
	char email[256];
	int backup;	      /* the address is one of procesos_backups */
	int64_t absent_since; /* 0: present at `now` */
	int64_t absent_until; /* 0: until they come back */
};
/* Active PROCESOS users, by username; *out malloc'd. */
int store_processes_people(struct db *db, const char *backups, int64_t now,
			   struct processes_person **out, size_t *n);
/* How many primaries (PROCESOS users who are not backups) are present. */
int store_processes_primaries_present(struct db *db, const char *backups,
				      int64_t now, int *present);

/*
 * The actor marks an absence from now until `until` (0: until they come
 * back), replacing an open one; or ends it (store_absence_end, 409
 * NOT_ABSENT when none is open).  Audited (entity "user").
 */
int store_absence_start(struct db *db, const struct actor *who, int64_t until,
			const char *note, int64_t now, struct inop_err *err);
int store_absence_end(struct db *db, const struct actor *who, int64_t now,
		      struct inop_err *err);

/*
 * The escalation step, run once a minute by every node: for each waiting
 * request processes_escalation() decides on (request, primaries present,
 * now), and each escalation is claimed by an UPDATE of its still
 * unescalated row in its own transaction, so that two runs or two nodes
 * escalate (and mail) each request once.  `mail` is called inside that
 * transaction with the escalated request (escalated_to = `backups`); a
 * -1 from it rolls the escalation back.  *escalated counts this run's.
 */
typedef int (*escalation_mail_fn)(struct db *db,
				  const struct processes_request *r,
				  void *ctx);
int store_processes_escalate(struct db *db, const char *backups, int64_t now,
			     escalation_mail_fn mail, void *ctx,
			     int *escalated, struct inop_err *err);

#endif
