#ifndef INOP_STORE_REPORTS_H
#define INOP_STORE_REPORTS_H
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/catalog.h"
#include "domain/event.h"
#include "domain/report.h"
#include "domain/roles.h"
#include "store/events.h"
#include "util/err.h"

/*
 * The official reports (SPEC O1-O3): building, the approval chain with
 * its frozen snapshot (the deadline board is store/deadlines.h).
 *
 * What a report holds (O1): every CLOSED, reportable event whose
 * started_at falls on a Lima day of its period, not already in a sent
 * report, nor in another report under approval (so no event can go to
 * the regulator twice).  A BORRADOR shows that set as it is now; the set
 * and its rows are frozen when the report goes to EN_REVISION.
 */

struct report_info {
	int64_t id;
	enum report_status status;
	char from[11], to[11]; /* YYYY-MM-DD, Lima days */
	int64_t created_at;
	char created_by[64];
	char created_by_name[PERSON_NAME_BYTES];
	int64_t updated_at;
	int64_t frozen_at; /* 0 while BORRADOR */
	char hash[65];	   /* "" while BORRADOR */
	char sent_on[11];  /* "" until ENVIADO */
	char sent_reference[REPORT_REFERENCE_MAX * 4 + 1];
	int64_t sent_at;
	int64_t n_events; /* frozen: the snapshot's; BORRADOR: when built */
};

/*
 * O1: builds a BORRADOR report for info->from..to in one transaction,
 * records the events it holds now and the audit record.  Fills the rest
 * of *info (id, status, ...).
 */
int store_report_create(struct db *db, struct report_info *info,
			const struct actor *who, int64_t now,
			struct inop_err *err);

/* 1 found (info filled), 0 not found, -1 error. */
int store_report_get(struct db *db, int64_t id, struct report_info *info);

/*
 * The reports, newest first; `status` NULL for all.  *out is malloc'd.
 */
int store_reports_list(struct db *db, const char *status, int64_t limit,
		       int64_t offset, struct report_info **out, size_t *n,
		       int64_t *total);

/*
 * The rows of the report: the frozen snapshot's, or for a BORRADOR those
 * of the events it would hold at `now` (names from `cat`, report_due with
 * `cal`, E1 against mass failures still open at `now`).  `rows` is
 * initialised here: report_rows_release() it either way.  0 or -1.
 */
int store_report_rows(struct db *db, const struct report_info *info,
		      const struct catalog *cat,
		      const struct cal_calendar *cal, int64_t now,
		      struct report_rows *rows);

/* The approval trail, oldest first.  *out is malloc'd.  0 or -1. */
int store_report_trail(struct db *db, int64_t id, struct report_step **out,
		       size_t *n);

/* A requested transition (O2). */
struct report_change {
	enum report_status to;
	const char *comment;		/* "" none */
	const char *reference;		/* "" none */
	const char *sent_on;		/* ENVIADO: YYYY-MM-DD, "" for today */
	const struct catalog *cat;	/* names for the snapshot */
	const struct cal_calendar *cal; /* report_due for the snapshot */
	struct cal_date today;		/* Lima, for the sending date */
	/*
	 * Called inside the transaction once the change is written (N2: the
	 * mail to whoever acts next), with the report as it is now; -1 rolls
	 * the whole change back.  May be NULL.
	 */
	int (*after)(struct db *db, const struct report_info *r,
		     enum report_status from, const struct report_change *c,
		     int64_t now);
};

/*
 * O2: moves report `id` in one transaction: checks the actor's roles and
 * the order (report_transition_check: 403, 409, 422), freezes the
 * snapshot when it goes to EN_REVISION (choosing its events again),
 * drops it when it goes back to BORRADOR, records the sent events at
 * ENVIADO (409 ALREADY_REPORTED should one be in a sent report already),
 * appends the trail step and the audit record.  404 for no such report.
 * *after is the report as written.
 */
int store_report_transition(struct db *db, int64_t id,
			    const struct report_change *c,
			    const struct actor *who, int64_t now,
			    struct report_info *after, struct inop_err *err);

/* O1: an event number. */
struct report_number {
	char number[24];
};

/*
 * The numbers of the events of report `info` in its order, what
 * store_report_rows() gives without the rows: a frozen report's from the
 * events it froze, a BORRADOR's those it would hold now.  *out malloc'd.
 * 0 or -1.
 */
int store_report_numbers(struct db *db, const struct report_info *info,
			 struct report_number **out, size_t *n);

/*
 * O1: the in-person events report `r` would hold but for their missing
 * PROCEDE ruling (event_awaits_ruling()), oldest first; *out malloc'd.
 * 0 or -1.
 */
int store_report_pending_ruling(struct db *db, const struct report_info *r,
				struct report_number **out, size_t *n);

/*
 * O1: the report under review or later (not BORRADOR) that holds event
 * `event_id`, in *report_id (0 none).  0 or -1.
 */
int store_event_frozen_report(struct db *db, int64_t event_id,
			      int64_t *report_id);

#endif
