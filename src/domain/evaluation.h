#ifndef INOP_DOMAIN_EVALUATION_H
#define INOP_DOMAIN_EVALUATION_H
#include <stddef.h>
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/event.h"
#include "domain/processes.h"

/*
 * The evaluation of one event by Control and Procesos (SPEC E1, E2, V1),
 * as pure functions: the caller gathers the facts from the store.  The
 * official report (O1, O4) uses the same functions.
 */

/* A span of time in UTC seconds; end 0 = still running (runs to now). */
struct time_span {
	int64_t start;
	int64_t end;
};

enum e1_result {
	E1_DENTRO, /* the event's span lies within a failure's */
	E1_FUERA,  /* it does not, or no failure is known */
};

/* A mass failure as E1 weighs it. */
struct e1_failure {
	int64_t id;
	char cause[CODE_LEN];
	struct codes applications;
	struct time_span span;
};

/*
 * E1 against one failure: is the event's span [started_at, ended_at or
 * now] within the failure's [start, end or now]?  `mass_failure` NULL
 * (no failure weighed) is FUERA.  Whatever the scenario: Procesos checks
 * the window to rule out that an unforeseen event was a mass failure.
 */
enum e1_result evaluation_e1(const struct event *ev,
			     const struct time_span *mass_failure,
			     int64_t now);
/*
 * Whether E1 weighs failure `f` for `ev`: a FALLA_MASIVA event weighs its
 * own failure, any other event the failures covering one of its
 * applications; and only while the two spans overlap.
 */
int e1_failure_counts(const struct event *ev, const struct e1_failure *f,
		      int64_t now);
/*
 * E1 over the failures the store found (any superset of those that
 * count): the span of the first counted failure holding the event's
 * span, or NULL (FUERA).  evaluation_e1() of the result is the answer.
 */
const struct time_span *e1_window(const struct event *ev,
				  const struct e1_failure *f, size_t n,
				  int64_t now);
/* "DENTRO", "FUERA". */
const char *e1_code(enum e1_result r);
/* O4: "Dentro de horario de falla masiva", "Fuera de horario de …". */
const char *e1_name(enum e1_result r);

/* E2: duration and closure reason. */
struct e2_result {
	int64_t minutes;	    /* whole minutes, to now while open */
	int over_1h;		    /* longer than one hour */
	int ongoing;		    /* still open: minutes so far */
	const char *closure_reason; /* NULL while open; points into ev */
};
void evaluation_e2(const struct event *ev, int64_t now, struct e2_result *out);

/*
 * E3, E4: a count compared with the same count on each of the 7 previous
 * days.  c[0..6] are the previous days, oldest first, c[7] the event's;
 * has[k] 0 means "no data of that kind" (shown as null, never 0).  The
 * mean and the change use only the previous days with data.
 */
#define E_DAYS 8
struct e_series {
	int64_t c[E_DAYS];
	int has[E_DAYS];
	int has_mean;
	double mean; /* rounded to 2 decimals */
	int has_change;
	double change_pct; /* (count - mean) / mean * 100, 1 decimal */
};
/* Fills mean and change_pct from c and has. */
void evaluation_compare(struct e_series *s);

/*
 * E3: the windows compared, in Lima minutes since 1970-01-01 00:00 Lima,
 * [lo, hi): w[7] the event's [started_at, ended_at or now) -- from the
 * minute of started_at to the minute that ends at or after its end --
 * and w[7 - k] the same clock window k days before.
 */
void evaluation_e3_windows(const struct event *ev, int64_t now,
			   int64_t lo[E_DAYS], int64_t hi[E_DAYS]);
/* E4: the Lima day number (cal_day_number) of the event's start. */
int32_t evaluation_e4_day(const struct event *ev);

/* E3 and E4 of one event, as the store gathers them. */
struct e34 {
	int64_t lo[E_DAYS], hi[E_DAYS]; /* E3 windows */
	struct e_series e3;		/* the point's interactions */
	struct e_series social;		/* posts, both kinds */
	struct e_series social_public, social_inbox;
	int32_t day;		    /* E4: the event's Lima start day */
	struct e_series complaints; /* RECLAMOS interactions + Inop's */
	struct e_series ldr;
};

/*
 * The impact chart (API.md impact.svg, the PDF annex): the point's
 * interactions of the event's procedure type per 15 minutes over the
 * event's Lima start day, against the mean of the 7 previous days with
 * data, the event's span marked.
 */
#define IMPACT_BUCKETS 96
struct impact_chart {
	char number[24];
	char point[48];
	char procedure[192]; /* display name */
	char date[11];	     /* the event's Lima day, YYYY-MM-DD */
	int has_day;	     /* the day has imported data */
	int mean_days;	     /* previous days with data (0: no mean) */
	double day[IMPACT_BUCKETS];
	double mean[IMPACT_BUCKETS];
	int span_lo, span_hi; /* minutes of the day [0, 1440] */
};
/*
 * Fills `c` from counts[d * 1440 + minute] of the days e4_day - 7 ..
 * e4_day (has[d] as store_series_days gives them).
 */
void evaluation_impact(const struct event *ev, int64_t now,
		       const uint32_t *counts, const int has[E_DAYS],
		       struct impact_chart *c);

/* V1: the checks shown on every event. */
enum check_code {
	CHECK_REGISTERED_BY_JEFE,   /* by a JEFE of the point at the time */
	CHECK_CLOSURE_REASON_FITS,  /* closure reason allowed for scenario */
	CHECK_NOT_ERROR_OR_TEST,    /* not a mistake (ERROR_USUARIO) or test */
	CHECK_CRITICAL_REGULARISED, /* every critical tx has a system ref */
	CHECK_PROCESOS_RULING,	    /* the Procesos ruling, where required */
	CHECK_IMPACT_DATA,	    /* E3/E4: the event's day has imported
				       interactions (never FALLA: PENDIENTE
				       until Control imports them) */
	CHECK_COUNT
};

enum check_status {
	CHECK_OK,      /* passed */
	CHECK_FAIL,    /* failed: Control must act */
	CHECK_PENDING, /* not decidable yet (event open, ruling awaited) */
	CHECK_NA,      /* does not apply to this event */
};

struct check {
	enum check_code code;
	enum check_status status;
	char detail[512]; /* Spanish */
};

struct e34;
/* What the checks need beyond the event itself. */
struct check_facts {
	int registrant_jefe_of_point; /* holds JEFE and is assigned to it */
	int critical_total;
	int critical_missing; /* without a system reference */
	/* The Procesos request, NULL when none was made. */
	const struct processes_request *processes;
	/* E3/E4 from the imports (store_evaluation_e34); NULL: not
	 * gathered, the impact check is then PENDIENTE. */
	const struct e34 *impact;
};

/*
 * Computes the CHECK_COUNT checks of `ev` in order of enum check_code.
 * passed (for the API) = OK or NA.
 */
void evaluation_checks(const struct catalog *cat, const struct event *ev,
		       const struct check_facts *facts, int64_t now,
		       struct check out[CHECK_COUNT]);
/* "REGISTERED_BY_JEFE", ... */
const char *check_code_name(enum check_code c);
/* "OK", "FALLA", "PENDIENTE", "NO_APLICA". */
const char *check_status_name(enum check_status s);
/* 1 when the check counts as passed (OK or NA). */
int check_passed(const struct check *c);

/*
 * Whether the Procesos ruling is required for `ev`: an event of an
 * in-person point that would otherwise be reported (not a test, not
 * closed as ERROR_USUARIO or INTERMITENCIA, not ruled out by Control).
 */
int processes_ruling_required(const struct event *ev);

#endif
