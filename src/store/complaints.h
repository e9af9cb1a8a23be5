#ifndef INOP_STORE_COMPLAINTS_H
#define INOP_STORE_COMPLAINTS_H
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "db/db.h"
#include "domain/complaint.h"
#include "util/err.h"

/*
 * Complaints (SPEC Q1-Q5) in the database: the intake with its code and
 * mail in one transaction, the tray, its transitions and the matters.
 * Every change goes through store_write() with its audit record.
 */

/* Runs inside a complaint's transaction once it is written (the mail):
 * 0, or -1 with err set (the whole change is refused). */
typedef int (*complaint_hook_fn)(struct db *db, const struct complaint *c,
				 void *ctx, struct inop_err *err);

struct complaint_receive {
	struct complaint *c; /* in: the fields and documents; out: stored */
	const struct cal_calendar *cal; /* for the due date (may be NULL) */
	const char *actor;		/* audit: "web" or "plataforma" */
	const char *client_addr;
	int64_t now;
	complaint_hook_fn after;
	void *ctx;
	int existing; /* out: 1 when external_ref named an earlier one */
};

/*
 * Q1-Q4: receives a complaint in one transaction: its matter checked
 * (422 `matter`), the next code of the Lima year's gapless counter
 * ("complaint-YYYY", Q2), the due date from the matter's business days
 * (Q3), the documents, the audit record, then `after` (Q4's mail).  A
 * complaint whose external_ref was received before is not stored again:
 * *c becomes that one and `existing` is 1.  0 or -1.
 */
int store_complaint_receive(struct db *db, struct complaint_receive *rx,
			    struct inop_err *err);

/*
 * The complaint with id or code `key` (documents without their bytes):
 * 1, 0 when there is none, -1 on error.
 */
int store_complaint_get(struct db *db, const char *key, struct complaint *c);
/* The same by the platform's reference. */
int store_complaint_by_ref(struct db *db, const char *external_ref,
			   struct complaint *c);

/* A copy of document `doc_id` of complaint `complaint_id` (0: of any):
 * 1 with *data malloc'd (free() it) and d->data pointing at it, 0 when
 * none, -1 on error. */
int store_complaint_document(struct db *db, int64_t complaint_id,
			     int64_t doc_id, struct complaint_doc *d,
			     unsigned char **data);

struct complaint_filter {
	const char *status; /* NULL: any */
	const char *matter; /* NULL: any */
	int overdue;	    /* 1: not resolved and past due */
	int64_t now;	    /* for overdue */
	int64_t limit, offset;
};

/* Q5: the tray, earliest due date first.  *items malloc'd (free()).
 * 0 or -1. */
int store_complaints_list(struct db *db, const struct complaint_filter *f,
			  struct complaint **items, size_t *n, int64_t *total);

struct complaint_transition {
	char from[16], to[16];
	int64_t at;
	char by[64];
	char by_name[481]; /* the person's name; "": not a user */
	char note[4 * COMPLAINT_NOTE_CHARS + 1];
};
/* The moves of a complaint, oldest first.  *items malloc'd.  0 or -1. */
int store_complaint_transitions(struct db *db, int64_t complaint_id,
				struct complaint_transition **items,
				size_t *n);

/*
 * Q5: moves complaint `key` to `to` (RECIBIDO -> EN_PROCESO ->
 * RESUELTO; 409 out of order, 404 unknown), with its transition row,
 * audit record and `after` (the resolved mail), in one transaction.
 * *c is the complaint after the move.  0 or -1.
 */
int store_complaint_transition(struct db *db, const char *key, const char *to,
			       const char *note, const char *actor,
			       int64_t now, complaint_hook_fn after, void *ctx,
			       struct complaint *c, struct inop_err *err);

/* Q3: the matters in their order.  *items malloc'd.  0 or -1. */
int store_complaint_matters(struct db *db, struct complaint_matter **items,
			    size_t *n);
/* ADMIN edits a matter's name and business days, audited: 0, or -1
 * (404 unknown code). */
int store_complaint_matter_update(struct db *db,
				  const struct complaint_matter *m,
				  const char *actor, int64_t now,
				  struct inop_err *err);

/*
 * E4: complaints received on each of `days` consecutive Lima days, the
 * first starting at the Lima midnight `first_day_start_utc`; counts[i]
 * for day i.  0 or -1.
 */
int store_complaints_per_day(struct db *db, int64_t first_day_start_utc,
			     int days, int64_t *counts);

#endif
