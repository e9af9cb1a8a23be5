#ifndef INOP_DOMAIN_EVENT_H
#define INOP_DOMAIN_EVENT_H
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/codes.h"
#include "domain/roles.h"
#include "util/err.h"

#define EVENT_TEXT_MAX	 2000 /* description, justification: characters */
#define EVENT_TEXT_BYTES (EVENT_TEXT_MAX * 4 + 1) /* UTF-8, worst case */
#define CLOCK_SKEW_S	 300			  /* R7, C3: 5 minutes */
#define MANUAL_MAX_AGE_S (30 * 86400) /* K2: paper forms up to 30 days */

/* The point as an event shows it. */
struct point_ref {
	int64_t id;
	char code[48];
	char name[481]; /* 120 characters */
	char type[16];
	char channel[24];
	char region[321]; /* 80 characters */
};

/* One registration (SPEC section 5).  Times are UTC seconds; 0 = none. */
struct event {
	int64_t id;
	char number[24]; /* INOP-YYYY-NNNNNN */
	struct point_ref point;
	char procedure[CODE_LEN];
	struct codes requests;
	struct codes applications;
	char scenario[CODE_LEN];
	char cause[CODE_LEN];
	int64_t mass_failure_id;
	int64_t started_at;
	int64_t ended_at;
	int open;
	char closure_reason[CODE_LEN];
	char justification[EVENT_TEXT_BYTES];
	char origin[16]; /* SISTEMA | MANUAL */
	char manual_form_ref[64];
	char description[EVENT_TEXT_BYTES];
	/* K2: why CONTROL regularises a form older than the window */
	char late_justification[EVENT_TEXT_BYTES];
	int attest_total; /* input only: R5 */
	int64_t registered_at;
	char registered_by[64];
	char registered_by_name[PERSON_NAME_BYTES];
	char closed_by[64];
	char closed_by_name[PERSON_NAME_BYTES];
	int reportable;
	int ruled_out;
};

/* What the rules need to know beyond the event itself. */
struct rule_ctx {
	unsigned roles;	   /* enum role bits of the actor */
	int jefe_of_point; /* the actor is a JEFE assigned to the point */
	int64_t manual_max_age_s; /* K2 window; 0: MANUAL_MAX_AGE_S */
	int point_active;
	int mass_failure_ok; /* R6: a confirmed open failure covers an app */
	int64_t now;
};

/*
 * R1-R7: may this actor register `ev`?  0, or -1 with `err` set to the
 * first rule broken (403 before 422).
 */
int registration_check(const struct catalog *cat, const struct rule_ctx *ctx,
		       const struct event *ev, struct inop_err *err);

/*
 * R2/R3: may the actor add `requests` to the open event `ev`?  On success
 * the requests are merged into ev->requests.
 */
int requests_merge(const struct catalog *cat, const struct rule_ctx *ctx,
		   struct event *ev, const struct codes *requests,
		   struct inop_err *err);

/* C1-C3: may the actor close `ev` this way?  0 or -1 with err set. */
int closure_check(const struct catalog *cat, const struct rule_ctx *ctx,
		  const struct event *ev, const char *reason,
		  const char *justification, int64_t ended_at,
		  struct inop_err *err);

/*
 * R4: at least one known application; SICAR only together with SISACT or
 * SISACT_PREPAGO.  Also the applications of mass failures and alerts.
 */
int applications_check(const struct catalog *cat, const struct codes *apps,
		       struct inop_err *err);

/* C4: is the event (as it stands) reportable to the regulator? */
int event_reportable(const struct event *ev);

/* R8: "INOP-2026-000012".  -1 when seq does not fit six digits. */
int event_number_format(char out[24], int year, int64_t seq);

#endif
