#ifndef INOP_DOMAIN_REPORT_H
#define INOP_DOMAIN_REPORT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "domain/catalog.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "util/buf.h"
#include "util/err.h"

/*
 * The official report to the regulator (SPEC O1-O4): its states and who
 * moves it between them, its rows as the exports show them, and the
 * frozen snapshot with its hash.  Pure: no SQL, no I/O.
 */

#define REPORT_TITLE                                                          \
	"Reporte de Eventos de Inoperatividad de los Sistemas de Atención"
#define REPORT_PERIOD_MAX_DAYS 366
#define REPORT_DEADLINE_DAYS   3    /* O3: business days after the end day */
#define REPORT_COMMENT_MAX     2000 /* characters */
#define REPORT_REFERENCE_MAX   120  /* characters */

/* O2, in the order a report goes through them. */
enum report_status {
	REPORT_BORRADOR,
	REPORT_EN_REVISION,
	REPORT_APROBADO_GERENTE,
	REPORT_APROBADO_DIRECTOR,
	REPORT_ENVIADO,
};
#define REPORT_STATUS_COUNT 5

/* "BORRADOR", ...; never NULL for a valid status. */
const char *report_status_code(enum report_status s);
/* Spanish: "Borrador", "En revisión", ... */
const char *report_status_name(enum report_status s);
/* 0 and *out set, or -1 for an unknown code. */
int report_status_parse(const char *code, enum report_status *out);
/* From EN_REVISION on, the content is the frozen snapshot. */
int report_is_frozen(enum report_status s);

/* A requested transition. */
struct report_move {
	enum report_status from, to;
	unsigned roles;	       /* the actor's role bits */
	const char *comment;   /* "" or NULL: none */
	const char *reference; /* "" or NULL: none */
	const char *sent_on;   /* ENVIADO: "" or NULL for today, or a date */
	struct cal_date today; /* Lima */
};

/*
 * O2: may an actor with m->roles take a report from m->from to m->to?
 * The role is checked first: 403 FORBIDDEN when no role of the actor ever
 * moves a report to m->to; then the order: 409 INVALID_TRANSITION when
 * m->to does not follow m->from; then the fields: sending back needs a
 * comment, ENVIADO a reference and a sending date (sent_on) that is a
 * real YYYY-MM-DD not after today (422 VALIDATION).  0 when allowed.
 */
int report_transition_check(const struct report_move *m, struct inop_err *err);

/*
 * The role code the actor acts in for an allowed move ("CONTROL",
 * "GERENTE", ...), for the approval trail.
 */
const char *report_transition_role(const struct report_move *m);

/* Bits (1u << status) of the states this actor may move `from` to. */
unsigned report_next_statuses(enum report_status from, unsigned roles);

/*
 * O3: the first Lima day whose events are not overdue on `today`: an
 * event that ended on an earlier day is past its REPORT_DEADLINE_DAYS
 * business days.  `cal` may be NULL.
 */
struct cal_date report_overdue_cutoff(struct cal_date today,
				      const struct cal_calendar *cal);

/* O1: a period of Lima days, from <= to, at most a year. */
int report_period_check(struct cal_date from, struct cal_date to,
			struct inop_err *err);

/*
 * One row of the report: an event as O4 lists it, as text ready to show
 * (catalogue names, not codes), so that a frozen report keeps showing
 * what was approved even if a name changes later.
 */
struct report_row {
	char number[24];
	char channel[32];
	char point_code[48];
	char point_name[481];
	char region[321];
	char procedure[192];
	char requests[1024];
	char applications[256];
	char scenario[192];
	char cause[192];
	int64_t started_at; /* UTC seconds */
	int64_t ended_at;
	char closure_reason[192];
	char origin[128];
	char critical[128]; /* T1 */
	/* E1-E4 (SPEC section 10), see report_row_evaluation() */
	char e1[64];
	int64_t minutes; /* E2 */
	int over_1h;	 /* E2 */
	char e3[256];
	char e4[256];
	char report_due[11]; /* O3, YYYY-MM-DD */
};

/*
 * A report's rows, packed: each row's values end to end (the numbers'
 * bytes, then each text with its NUL), and where each row starts.  A
 * report of 10,000 events takes the bytes of its values, not 10,000
 * struct report_row of 3.9 KB sized for the longest values: those 39 MB
 * were written and faulted in at every export of a frozen report (stop
 * 17's profile).  Rows are added whole and read back one at a time into
 * a struct report_row the reader holds.
 */
struct report_rows {
	struct buf data;
	size_t *at; /* where row i starts in data */
	size_t n, cap;
};

void report_rows_init(struct report_rows *rows);
/* Appends a copy of `row`: 0, or -1 when memory ran out. */
int report_rows_add(struct report_rows *rows, const struct report_row *row);
/* Row i (< rows->n) into `out`, which it returns. */
const struct report_row *report_rows_get(const struct report_rows *rows,
					 size_t i, struct report_row *out);
void report_rows_release(struct report_rows *rows);

/* Text for what no source of data exists for yet (never a made-up 0). */
#define REPORT_NO_DATA "sin datos"

/*
 * Fills `row` from the closed event `ev`: names from `cat`, report_due
 * with `cal` (may be NULL), and report_row_evaluation() with `mf` and
 * `now`.
 */
void report_row_from_event(const struct catalog *cat,
			   const struct cal_calendar *cal,
			   const struct event *ev, const struct time_span *mf,
			   int64_t now, struct report_row *row);

/*
 * E1-E4 of one row, the one place the report takes its evaluation from
 * (domain/evaluation.h, as the event's evaluation endpoint): E1 against
 * `mf`, the span of the event's mass failure (NULL when it names none;
 * an open one runs to `now`), E2 (minutes, over one hour); E3 and E4
 * need imported interactions this build does not hold: REPORT_NO_DATA.
 */
/*
 * O4: a mass-failure event's cause is its failure's (`cause`, a code):
 * sets the row's cause by its Spanish name when the event has none.
 */
void report_row_cause(const struct catalog *cat, const char *cause,
		      struct report_row *row);

void report_row_evaluation(const struct event *ev, const struct time_span *mf,
			   int64_t now, struct report_row *row);

/*
 * E3 and E4 in the row from the imported data (store_evaluation_e34):
 * "12; media 7 días 8,50; +41,2 %; redes: 3" and "Reclamos: ...; LDR:
 * ...", REPORT_NO_DATA for a count without data.
 */
void report_row_e34(struct report_row *row, const struct e34 *e);

/*
 * T1 in the row: `total` critical transactions recorded on the event,
 * `missing` of them without their system reference.
 */
void report_row_critical(struct report_row *row, int total, int missing);

/*
 * The columns of O4, the same for every export.  A cell is text, a time
 * (UTC seconds, shown in Lima) or a whole number.
 */
enum report_col_kind { REPORT_COL_TEXT, REPORT_COL_TIME, REPORT_COL_INT };
struct report_col {
	const char *title;
	const char *key; /* the row's field name in JSON and CSV-friendly */
	enum report_col_kind kind;
	double width; /* characters, for the spreadsheet */
};
extern const struct report_col report_cols[];
extern const size_t report_n_cols;

/* The text of cell `col` (times and numbers as report_cell_num). */
const char *report_cell_text(const struct report_row *row, size_t col);
/* The value of a time or number cell; 0 for text cells. */
int64_t report_cell_num(const struct report_row *row, size_t col);

/* A row as the API's JSON object, keyed by report_cols[].key. */
json_t *report_row_to_json(const struct report_row *row);

/* One step of the approval trail. */
struct report_step {
	char from[24];
	char to[24];
	int64_t at;
	char username[64];
	char name[481];
	char role[16];
	char comment[REPORT_COMMENT_MAX * 4 + 1];
	char reference[REPORT_REFERENCE_MAX * 4 + 1];
};

/*
 * O3: when the report reached Regulatorio — the Director's approval hands
 * it over, and that meets the 3-business-day deadline: the time of the
 * last step into APROBADO_DIRECTOR while the report is APROBADO_DIRECTOR
 * or ENVIADO; 0 before.  The date Regulatorio sends it to OSIPTEL is
 * recorded apart (sent_on).
 */
int64_t report_handed_over_at(enum report_status status,
			      const struct report_step *trail, size_t n);

/* O3: the deadline as every screen, mail and export states it. */
#define REPORT_DEADLINE_TEXT                                                   \
	"Plazo: cada evento se entrega a Regulatorio (aprobación de "         \
	"Dirección) a más tardar 3 días hábiles después del día en que " \
	"terminó; la fecha de envío a OSIPTEL se registra aparte."

/* Everything an export shows. */
struct report_doc {
	int64_t id;
	enum report_status status;
	char from[11], to[11];
	int64_t generated_at; /* frozen_at once frozen: exports then repeat */
	char hash[65];	      /* "" while BORRADOR */
	const struct report_rows *rows;
	const struct report_step *trail;
	size_t n_trail;
	/* The PDF's annex: each event's impact chart (NULL: no annex). */
	const struct impact_chart *charts;
	size_t n_charts;
};

/*
 * The snapshot frozen at EN_REVISION: a JSON text (malloc'd, compact,
 * keys sorted) {"report", "title", "from", "to", "frozen_at", "columns":
 * [keys], "rows": [[values in the order of columns], ...]}, and the
 * SHA-256 of exactly those bytes in hex.
 */
char *report_snapshot(int64_t id, const char *from, const char *to,
		      int64_t frozen_at, const struct report_row *rows,
		      size_t n_rows, char hash[65]);

/*
 * The same text written a row at a time, so that freezing 10,000 events
 * holds one row, not all of them: begin, add each row in order, end.  end
 * gives the text (malloc'd) and its hash, or NULL when memory ran out;
 * either way the writer is released.
 */
struct report_snapshot_writer {
	struct buf text;
	char *tail; /* what follows the rows */
	size_t n;
	int failed;
};
void report_snapshot_begin(struct report_snapshot_writer *w, int64_t id,
			   const char *from, const char *to,
			   int64_t frozen_at);
void report_snapshot_add(struct report_snapshot_writer *w,
			 const struct report_row *row);
char *report_snapshot_end(struct report_snapshot_writer *w, char hash[65]);

/*
 * Reads a snapshot's rows into `rows` (initialised here; release it
 * either way).  0, or -1 when the text is not a snapshot.
 */
int report_snapshot_rows(const char *snapshot, struct report_rows *rows);

/* SHA-256 of `len` bytes, as 64 lowercase hex digits. */
void report_hash(const char *data, size_t len, char out[65]);

#endif
