/*
 * The official report (SPEC O1-O4) as pure functions: the states and who
 * moves a report between them, the rows as O4 lists them, the snapshot.
 */
#include "domain/report.h"

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/roles.h"
#include "util/buf.h"
#include "util/jsontext.h"
#include "util/str.h"

static const char *const status_codes[REPORT_STATUS_COUNT] = {
	"BORRADOR",	     "EN_REVISION", "APROBADO_GERENTE",
	"APROBADO_DIRECTOR", "ENVIADO",
};
static const char *const status_names[REPORT_STATUS_COUNT] = {
	"Borrador",
	"En revisión",
	"Aprobado por Gerencia",
	"Aprobado por Dirección",
	"Enviado a OSIPTEL",
};

/*
 * O2 as a table: who moves a report into each state, and from which
 * states.  BORRADOR is the send-back: any approver, from review on.
 */
static const struct transition {
	unsigned roles;
	unsigned from; /* bits of the states it may come from */
} transitions[REPORT_STATUS_COUNT] = {
	[REPORT_BORRADOR] = {ROLE_GERENTE | ROLE_DIRECTOR,
			     1u << REPORT_EN_REVISION |
				     1u << REPORT_APROBADO_GERENTE |
				     1u << REPORT_APROBADO_DIRECTOR},
	[REPORT_EN_REVISION] = {ROLE_CONTROL, 1u << REPORT_BORRADOR},
	[REPORT_APROBADO_GERENTE] = {ROLE_GERENTE, 1u << REPORT_EN_REVISION},
	[REPORT_APROBADO_DIRECTOR] = {ROLE_DIRECTOR,
				      1u << REPORT_APROBADO_GERENTE},
	[REPORT_ENVIADO] = {ROLE_REGULATORIO, 1u << REPORT_APROBADO_DIRECTOR},
};

static int valid(enum report_status s)
{
	return (unsigned)s < REPORT_STATUS_COUNT;
}

const char *report_status_code(enum report_status s)
{
	return valid(s) ? status_codes[s] : "";
}

const char *report_status_name(enum report_status s)
{
	return valid(s) ? status_names[s] : "";
}

int report_status_parse(const char *code, enum report_status *out)
{
	for (int i = 0; i < REPORT_STATUS_COUNT; i++)
		if (code && strcmp(code, status_codes[i]) == 0) {
			*out = (enum report_status)i;
			return 0;
		}
	return -1;
}

int report_is_frozen(enum report_status s)
{
	return s != REPORT_BORRADOR;
}

static int empty(const char *s)
{
	return !s || !*s;
}

static int check_sending(const struct report_move *m, struct inop_err *err)
{
	struct cal_date d;

	if (empty(m->reference))
		return err_validation(err, "reference",
				      "Indique la referencia del envío a "
				      "OSIPTEL (n.º de carta o de registro)");
	if (empty(m->sent_on))
		return 0;
	if (cal_parse_date(m->sent_on, &d) < 0)
		return err_validation(err, "date",
				      "La fecha de envío debe ser una fecha "
				      "AAAA-MM-DD");
	if (cal_day_number(d) > cal_day_number(m->today))
		return err_validation(err, "date",
				      "La fecha de envío no puede ser "
				      "posterior a hoy");
	return 0;
}

int report_transition_check(const struct report_move *m, struct inop_err *err)
{
	const struct transition *t;

	if (!valid(m->to) || !valid(m->from))
		return err_validation(err, "to",
				      "Estado de destino no válido");
	t = &transitions[m->to];
	if (!(m->roles & t->roles))
		return err_set(err, 403, "FORBIDDEN", "to",
			       "Su rol no puede pasar un reporte a «%s»",
			       status_names[m->to]);
	if (!(t->from & 1u << m->from))
		return err_set(err, 409, "INVALID_TRANSITION", "to",
			       "Un reporte en estado «%s» no puede pasar a "
			       "«%s»",
			       status_names[m->from], status_names[m->to]);
	if (m->to == REPORT_BORRADOR && empty(m->comment))
		return err_validation(err, "comment",
				      "Indique en un comentario por qué "
				      "devuelve el reporte a borrador");
	if (m->to == REPORT_ENVIADO)
		return check_sending(m, err);
	return 0;
}

const char *report_transition_role(const struct report_move *m)
{
	unsigned r = valid(m->to) ? m->roles & transitions[m->to].roles : 0;

	/* Sending back: in the role whose approval was awaited, if held. */
	if (r == (ROLE_GERENTE | ROLE_DIRECTOR))
		r = m->from == REPORT_EN_REVISION ? ROLE_GERENTE
						  : ROLE_DIRECTOR;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (r & 1u << i)
			return role_code(i);
	return "";
}

unsigned report_next_statuses(enum report_status from, unsigned roles)
{
	unsigned out = 0;

	for (int to = 0; to < REPORT_STATUS_COUNT; to++)
		if ((roles & transitions[to].roles) &&
		    (transitions[to].from & 1u << from))
			out |= 1u << to;
	return out;
}

struct cal_date report_overdue_cutoff(struct cal_date today,
				      const struct cal_calendar *cal)
{
	int32_t day = cal_day_number(today);

	/* The due date never decreases with the end day: walk back. */
	while (cal_day_number(cal_add_business_days(
		       cal_from_day_number(day - 1), REPORT_DEADLINE_DAYS,
		       cal)) >= cal_day_number(today))
		day--;
	return cal_from_day_number(day);
}

int report_period_check(struct cal_date from, struct cal_date to,
			struct inop_err *err)
{
	int32_t a = cal_day_number(from), b = cal_day_number(to);

	if (b < a)
		return err_validation(
			err, "to",
			"El fin del periodo no puede ser anterior "
			"a su inicio");
	if (b - a + 1 > REPORT_PERIOD_MAX_DAYS)
		return err_validation(err, "to",
				      "El periodo de un reporte no puede "
				      "superar %d días",
				      REPORT_PERIOD_MAX_DAYS);
	return 0;
}

/* ---------- rows ---------- */

/*
 * Cuts a string that snprintf() may have truncated in the middle of a
 * UTF-8 sequence back to the last whole character.
 */
static void utf8_truncate(char *s, size_t size)
{
	size_t len = strnlen(s, size), start = len, need;
	unsigned char c;

	while (start > 0 && ((unsigned char)s[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0)
		return;
	c = (unsigned char)s[start - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (len - (start - 1) < need)
		s[start - 1] = '\0';
}

/* The catalogue name of a code, or the code itself when unknown. */
static const char *cat_name(const struct catalog *cat, const char *kind,
			    const char *code)
{
	const struct cat_item *it = catalog_find(cat, kind, NULL, code);

	return it ? it->name : code;
}

static void names_join(const struct catalog *cat, const char *kind,
		       const struct codes *c, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->n && len < size; i++) {
		/* display text: a cut name ends the list */
		if (str_printf(out + len, size - len, "%s%s", i ? "; " : "",
			       cat_name(cat, kind, c->v[i])) < 0)
			break;
		len += strlen(out + len);
	}
	utf8_truncate(out, size);
}

static const char *channel_name(const char *code)
{
	if (strcmp(code, "PRESENCIAL") == 0)
		return "Presencial";
	if (strcmp(code, "TELEFONICO") == 0)
		return "Telefónico";
	return code;
}

static void origin_text(const struct event *ev, char *out, size_t size)
{
	if (strcmp(ev->origin, "MANUAL") == 0)
		(void)str_printf(out, size, "Formato manual (%s)",
				 ev->manual_form_ref);
	else
		(void)str_copy(out, size, "En línea");
	utf8_truncate(out, size);
}

#define COPY(dst, src)                                                        \
	do {                                                                  \
		(void)str_copy((dst), sizeof(dst), (src));                    \
		utf8_truncate((dst), sizeof(dst));                            \
	} while (0)

void report_row_from_event(const struct catalog *cat,
			   const struct cal_calendar *cal,
			   const struct event *ev, const struct time_span *mf,
			   int64_t now, struct report_row *row)
{
	struct cal_date due = cal_add_business_days(
		cal_lima_date(ev->ended_at), REPORT_DEADLINE_DAYS, cal);

	memset(row, 0, sizeof(*row));
	COPY(row->number, ev->number);
	COPY(row->channel, channel_name(ev->point.channel));
	COPY(row->point_code, ev->point.code);
	COPY(row->point_name, ev->point.name);
	COPY(row->region, ev->point.region);
	COPY(row->procedure, cat_name(cat, "procedure", ev->procedure));
	names_join(cat, "request", &ev->requests, row->requests,
		   sizeof(row->requests));
	names_join(cat, "application", &ev->applications, row->applications,
		   sizeof(row->applications));
	COPY(row->scenario, cat_name(cat, "scenario", ev->scenario));
	COPY(row->cause,
	     ev->cause[0] ? cat_name(cat, "cause", ev->cause) : "");
	row->started_at = ev->started_at;
	row->ended_at = ev->ended_at;
	COPY(row->closure_reason,
	     cat_name(cat, "closure_reason", ev->closure_reason));
	origin_text(ev, row->origin, sizeof(row->origin));
	/* T1: the store adds the counts (report_row_critical). */
	COPY(row->critical, REPORT_NO_DATA);
	cal_format_date(due, row->report_due);
	report_row_evaluation(ev, mf, now, row);
}

void report_row_cause(const struct catalog *cat, const char *cause,
		      struct report_row *row)
{
	if (!row->cause[0] && cause && cause[0])
		COPY(row->cause, cat_name(cat, "cause", cause));
}

void report_row_evaluation(const struct event *ev, const struct time_span *mf,
			   int64_t now, struct report_row *row)
{
	struct e2_result e2;

	COPY(row->e1, e1_name(evaluation_e1(ev, mf, now)));
	evaluation_e2(ev, ev->ended_at, &e2);
	row->minutes = e2.minutes;
	row->over_1h = e2.over_1h;
	/* E3 and E4 count imported interactions: none are imported yet. */
	COPY(row->e3, REPORT_NO_DATA);
	COPY(row->e4, REPORT_NO_DATA);
}

/* "8,50": Spanish decimal comma. */
static void decimal(double v, int places, char *out, size_t n)
{
	char *dot;

	(void)snprintf(out, n, "%.*f", places, v);
	dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

/* One compared count: "12; media 7 días 8,50; +41,2 %". */
static void series_text(const struct e_series *s, char *out, size_t n)
{
	char mean[32], change[32];

	if (!s->has[E_DAYS - 1]) {
		(void)snprintf(out, n, "%s", REPORT_NO_DATA);
		return;
	}
	if (!s->has_mean) {
		(void)snprintf(out, n, "%lld; días previos sin datos",
			       (long long)s->c[E_DAYS - 1]);
		return;
	}
	decimal(s->mean, 2, mean, sizeof(mean));
	decimal(s->change_pct, 1, change, sizeof(change));
	(void)snprintf(out, n, "%lld; media 7 días %s; %s%s",
		       (long long)s->c[E_DAYS - 1], mean,
		       s->has_change && s->change_pct > 0 ? "+" : "",
		       s->has_change ? change : "variación no calculable");
	if (s->has_change)
		(void)snprintf(out + strlen(out), n - strlen(out), " %%");
}

static int has_today(const struct e_series *s)
{
	return s->has[E_DAYS - 1];
}

void report_row_e34(struct report_row *row, const struct e34 *e)
{
	char a[112], b[112];

	COPY(row->e3, REPORT_NO_DATA);
	COPY(row->e4, REPORT_NO_DATA);
	if (has_today(&e->e3) || has_today(&e->social)) {
		series_text(&e->e3, a, sizeof(a));
		if (has_today(&e->social))
			(void)snprintf(b, sizeof(b), "%lld",
				       (long long)e->social.c[E_DAYS - 1]);
		else
			(void)snprintf(b, sizeof(b), "%s", REPORT_NO_DATA);
		(void)snprintf(row->e3, sizeof(row->e3), "%s; redes: %s", a,
			       b);
	}
	if (has_today(&e->complaints) || has_today(&e->ldr)) {
		series_text(&e->complaints, a, sizeof(a));
		series_text(&e->ldr, b, sizeof(b));
		(void)snprintf(row->e4, sizeof(row->e4),
			       "Reclamos: %s. LDR: %s", a, b);
	}
}

void report_row_critical(struct report_row *row, int total, int missing)
{
	if (total == 0)
		(void)str_copy(row->critical, sizeof(row->critical),
			       "Ninguna");
	else if (missing == 0)
		(void)str_printf(row->critical, sizeof(row->critical),
				 "%d, regularizadas", total);
	else
		(void)str_printf(row->critical, sizeof(row->critical),
				 "%d, %d sin referencia", total, missing);
}

/* ---------- columns ---------- */

#define T REPORT_COL_TEXT
const struct report_col report_cols[] = {
	{"N.º de evento", "number", T, 18},
	{"Canal", "channel", T, 11},
	{"Código del punto", "point_code", T, 14},
	{"Punto de atención", "point_name", T, 28},
	{"Región", "region", T, 14},
	{"Tipo de trámite", "procedure", T, 12},
	{"Solicitudes", "requests", T, 36},
	{"Aplicativos", "applications", T, 24},
	{"Escenario", "scenario", T, 16},
	{"Motivo de ocurrencia", "cause", T, 20},
	{"Inicio (hora de Lima)", "started_at", REPORT_COL_TIME, 17},
	{"Fin (hora de Lima)", "ended_at", REPORT_COL_TIME, 17},
	{"Minutos", "minutes", REPORT_COL_INT, 9},
	{"Motivo de cierre", "closure_reason", T, 26},
	{"Origen", "origin", T, 14},
	{"Transacciones críticas", "critical_transactions", T, 14},
	{"E1 Ventana de falla masiva", "e1", T, 14},
	{"E2 Más de 1 hora", "e2_over_1h", T, 10},
	{"E3 Impacto en el canal", "e3", T, 16},
	{"E4 Reclamos y LDR", "e4", T, 16},
};
#undef T
const size_t report_n_cols = sizeof(report_cols) / sizeof(report_cols[0]);
/* The one column of report_cols[] shown as text but held as a flag. */
#define E2_OVER_1H_COL 17 /* "e2_over_1h" */

int64_t report_cell_num(const struct report_row *row, size_t col)
{
	switch (col) {
	case 10:
		return row->started_at;
	case 11:
		return row->ended_at;
	case 12:
		return row->minutes;
	default:
		return 0;
	}
}

/* ---------- JSON ---------- */

static json_t *cell_value(const struct report_row *row, size_t col)
{
	char t[26];

	switch (report_cols[col].kind) {
	case REPORT_COL_TIME:
		cal_format_lima(report_cell_num(row, col), t);
		return json_string(t);
	case REPORT_COL_INT:
		return json_integer(report_cell_num(row, col));
	default:
		if (col == E2_OVER_1H_COL)
			return json_boolean(row->over_1h);
		return json_string(report_cell_text(row, col));
	}
}

json_t *report_row_to_json(const struct report_row *row)
{
	json_t *o = json_object();

	for (size_t i = 0; i < report_n_cols; i++)
		json_object_set_new(o, report_cols[i].key, cell_value(row, i));
	json_object_set_new(o, "report_due", json_string(row->report_due));
	return o;
}

/*
 * The snapshot keeps each row as an array in the order of its "columns"
 * (the keys of report_cols[], then report_due): parsing arrays is several
 * times faster than objects, and a frozen report is read on every export.
 */
static json_t *column_keys(void)
{
	json_t *a = json_array();

	for (size_t i = 0; i < report_n_cols; i++)
		json_array_append_new(a, json_string(report_cols[i].key));
	json_array_append_new(a, json_string("report_due"));
	return a;
}

static int get_str(json_t *v, char *out, size_t size)
{
	const char *s = json_string_value(v);

	if (!s)
		return -1;
	(void)str_copy(out, size, s);
	return 0;
}

/* Where each text column of report_cols[] is in a row: its offset, or
 * SIZE_MAX for the columns that are not a text field. */
static size_t text_offset(size_t col, size_t *size)
{
#define F(f)                                                                  \
	(*size = sizeof(((struct report_row *)NULL)->f),                      \
	 offsetof(struct report_row, f))
	switch (col) {
	case 0:
		return F(number);
	case 1:
		return F(channel);
	case 2:
		return F(point_code);
	case 3:
		return F(point_name);
	case 4:
		return F(region);
	case 5:
		return F(procedure);
	case 6:
		return F(requests);
	case 7:
		return F(applications);
	case 8:
		return F(scenario);
	case 9:
		return F(cause);
	case 13:
		return F(closure_reason);
	case 14:
		return F(origin);
	case 15:
		return F(critical);
	case 16:
		return F(e1);
	case 18:
		return F(e3);
	case 19:
		return F(e4);
	default:
		return SIZE_MAX;
	}
#undef F
}

static char *text_field(struct report_row *row, size_t col, size_t *size)
{
	size_t at = text_offset(col, size);

	return at == SIZE_MAX ? NULL : (char *)row + at;
}

const char *report_cell_text(const struct report_row *row, size_t col)
{
	size_t size, at = text_offset(col, &size);

	if (at != SIZE_MAX)
		return (const char *)row + at;
	if (col == E2_OVER_1H_COL)
		return row->over_1h ? "Sí" : "No";
	return "";
}

/* ---------- packed rows ---------- */

/* A row's numbers, packed ahead of its texts. */
struct row_nums {
	int64_t started_at, ended_at, minutes, over_1h;
};

void report_rows_init(struct report_rows *rows)
{
	memset(rows, 0, sizeof(*rows));
	buf_init(&rows->data, SIZE_MAX);
}

/* The text of a field of `size` bytes, and a NUL. */
static int pack_text(struct buf *b, const char *s, size_t size)
{
	return buf_append(b, s, strnlen(s, size - 1)) < 0 ||
			       buf_append(b, "", 1) < 0
		       ? -1
		       : 0;
}

int report_rows_add(struct report_rows *rows, const struct report_row *row)
{
	const struct row_nums nums = {row->started_at, row->ended_at,
				      row->minutes, row->over_1h};
	size_t size, start = rows->data.len;

	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 256;
		size_t *at = realloc(rows->at, cap * sizeof(*at));

		if (!at)
			return -1;
		rows->at = at;
		rows->cap = cap;
	}
	if (buf_append(&rows->data, &nums, sizeof(nums)) < 0)
		return -1;
	for (size_t c = 0; c < report_n_cols; c++) {
		size_t off = text_offset(c, &size);

		if (off != SIZE_MAX &&
		    pack_text(&rows->data, (const char *)row + off, size) < 0)
			goto undo;
	}
	if (pack_text(&rows->data, row->report_due, sizeof(row->report_due)) <
	    0)
		goto undo;
	rows->at[rows->n++] = start;
	return 0;
undo:
	rows->data.len = start;
	return -1;
}

/* The text at *p into `out` of `size` bytes; *p moves past its NUL. */
static void unpack_text(const char **p, char *out, size_t size)
{
	size_t len = strlen(*p);

	/* Packed from a field of this size: it fits. */
	memcpy(out, *p, len < size ? len + 1 : size);
	out[size - 1] = '\0';
	*p += len + 1;
}

const struct report_row *report_rows_get(const struct report_rows *rows,
					 size_t i, struct report_row *out)
{
	const char *p = rows->data.s + rows->at[i];
	struct row_nums nums;
	size_t size;

	/* The whole struct defined: a hot 3.9 KB, not a fresh page. */
	memset(out, 0, sizeof(*out));
	memcpy(&nums, p, sizeof(nums));
	p += sizeof(nums);
	out->started_at = nums.started_at;
	out->ended_at = nums.ended_at;
	out->minutes = nums.minutes;
	out->over_1h = (int)nums.over_1h;
	for (size_t c = 0; c < report_n_cols; c++) {
		char *field = text_field(out, c, &size);

		if (field)
			unpack_text(&p, field, size);
	}
	unpack_text(&p, out->report_due, sizeof(out->report_due));
	return out;
}

void report_rows_release(struct report_rows *rows)
{
	buf_release(&rows->data);
	free(rows->at);
	report_rows_init(rows);
}

static int row_from_values(json_t *a, struct report_row *row)
{
	const char *t;
	size_t size;
	char *field;

	memset(row, 0, sizeof(*row));
	if (json_array_size(a) != report_n_cols + 1)
		return -1;
	for (size_t c = 0; c < report_n_cols; c++) {
		json_t *v = json_array_get(a, c);

		field = text_field(row, c, &size);
		if (field && get_str(v, field, size) < 0)
			return -1;
		if (field)
			continue;
		if (report_cols[c].kind == REPORT_COL_TIME) {
			t = json_string_value(v);
			if (!t ||
			    cal_parse_rfc3339(t, c == 10 ? &row->started_at
							 : &row->ended_at) < 0)
				return -1;
		} else if (report_cols[c].kind == REPORT_COL_INT) {
			if (!json_is_integer(v))
				return -1;
			row->minutes = json_integer_value(v);
		} else if (json_is_boolean(v)) {
			row->over_1h = json_is_true(v);
		} else {
			return -1;
		}
	}
	return get_str(json_array_get(a, report_n_cols), row->report_due,
		       sizeof(row->report_due));
}

/* ---------- snapshot ---------- */

void report_hash(const char *data, size_t len, char out[65])
{
	unsigned char bin[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(bin, (const unsigned char *)data, len);
	sodium_bin2hex(out, 65, bin, sizeof(bin));
}

/* Appends the JSON text of `v` (a reference the call takes) to `w`. */
static int dump_cb(const char *text, size_t n, void *b)
{
	return buf_append(b, text, n);
}

static void snap_append(struct report_snapshot_writer *w, json_t *v)
{
	if (!v || json_dump_callback(v, dump_cb, &w->text,
				     JSON_COMPACT | JSON_ENCODE_ANY) < 0)
		w->failed = 1;
	json_decref(v);
}

static void snap_appends(struct report_snapshot_writer *w, const char *s)
{
	if (buf_appends(&w->text, s) < 0)
		w->failed = 1;
}

/*
 * The keys in the order JSON_SORT_KEYS gives them: "columns", "from",
 * "frozen_at", "report", "rows", "title", "to"; the rows come between
 * begin and end, so the tail is written at begin and kept.
 */
void report_snapshot_begin(struct report_snapshot_writer *w, int64_t id,
			   const char *from, const char *to, int64_t frozen_at)
{
	struct report_snapshot_writer tail = {.failed = 0};
	char at[26];

	memset(w, 0, sizeof(*w));
	buf_init(&w->text, SIZE_MAX);
	buf_init(&tail.text, 4096);
	cal_format_lima(frozen_at, at);
	snap_appends(w, "{\"columns\":");
	snap_append(w, column_keys());
	snap_appends(w, ",\"from\":");
	snap_append(w, json_string(from));
	snap_appends(w, ",\"frozen_at\":");
	snap_append(w, json_string(at));
	snap_appends(w, ",\"report\":");
	snap_append(w, json_integer((json_int_t)id));
	snap_appends(w, ",\"rows\":[");
	snap_appends(&tail, "],\"title\":");
	snap_append(&tail, json_string(REPORT_TITLE));
	snap_appends(&tail, ",\"to\":");
	snap_append(&tail, json_string(to));
	snap_appends(&tail, "}");
	w->tail = buf_detach(&tail.text, NULL);
	if (tail.failed || !w->tail)
		w->failed = 1;
}

/* A JSON string as json_dump_callback() writes it with JSON_COMPACT. */
static void snap_string(struct report_snapshot_writer *w, const char *str)
{
	if (json_text_string(&w->text, str) < 0)
		w->failed = 1; /* full, or what json_string() refuses */
}

/*
 * One row: an array of cell_value() of each column, then report_due,
 * written directly -- a report of 10,000 rows made 270,000 jansson values
 * only to print them.
 */
void report_snapshot_add(struct report_snapshot_writer *w,
			 const struct report_row *row)
{
	char t[26];

	snap_appends(w, w->n++ ? ",[" : "[");
	for (size_t i = 0; i < report_n_cols; i++) {
		switch (report_cols[i].kind) {
		case REPORT_COL_TIME:
			cal_format_lima(report_cell_num(row, i), t);
			snap_string(w, t);
			break;
		case REPORT_COL_INT:
			(void)snprintf(t, sizeof(t), "%lld",
				       (long long)report_cell_num(row, i));
			snap_appends(w, t);
			break;
		default:
			if (i == E2_OVER_1H_COL)
				snap_appends(w,
					     row->over_1h ? "true" : "false");
			else
				snap_string(w, report_cell_text(row, i));
		}
		snap_appends(w, ",");
	}
	snap_string(w, row->report_due);
	snap_appends(w, "]");
}

char *report_snapshot_end(struct report_snapshot_writer *w, char hash[65])
{
	char *s = NULL;

	if (w->tail)
		snap_appends(w, w->tail);
	if (!w->failed && w->tail) {
		s = buf_detach(&w->text, NULL);
		if (s)
			report_hash(s, strlen(s), hash);
	}
	buf_release(&w->text);
	free(w->tail);
	w->tail = NULL;
	return s;
}

char *report_snapshot(int64_t id, const char *from, const char *to,
		      int64_t frozen_at, const struct report_row *rows,
		      size_t n_rows, char hash[65])
{
	struct report_snapshot_writer w;

	report_snapshot_begin(&w, id, from, to, frozen_at);
	for (size_t i = 0; i < n_rows; i++)
		report_snapshot_add(&w, &rows[i]);
	return report_snapshot_end(&w, hash);
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/*
 * Where the value of the top-level key "rows" of the JSON object `s`
 * begins (its '['), or NULL.  The scan steps over strings and their
 * escapes and counts the depth, so no text inside a value matches.
 */
static const char *rows_value(const char *s)
{
	const char *key = NULL; /* a string just closed at depth 1 */
	size_t key_len = 0;
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '"') {
			const char *start = ++p;

			while (*p && *p != '"')
				p += *p == '\\' && p[1] ? 2 : 1;
			if (!*p)
				return NULL;
			key = depth == 1 ? start : NULL;
			key_len = (size_t)(p - start);
			continue;
		}
		if (*p == ':' && key && key_len == 4 &&
		    memcmp(key, "rows", 4) == 0) {
			p = skip_space(p + 1);
			return *p == '[' ? p : NULL;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			key = NULL;
	}
	return NULL;
}

/*
 * The rows of the array at `p` (its '['; the text ends at `text_end`),
 * parsed one at a time: jansson
 * never holds more than one row's values (a whole snapshot of 10,000
 * rows was 270,000 values at once).  Where the array ends, or NULL.
 */
static const char *rows_read(const char *p, const char *text_end,
			     struct report_rows *rows, struct report_row *row)
{
	p = skip_space(p + 1);
	if (*p == ']')
		return p + 1;
	for (;;) {
		json_error_t err;
		json_t *item = json_loadb(p, (size_t)(text_end - p),
					  JSON_DISABLE_EOF_CHECK, &err);
		int rc = json_is_array(item) &&
					 row_from_values(item, row) == 0 &&
					 report_rows_add(rows, row) == 0
				 ? 0
				 : -1;

		json_decref(item);
		if (rc < 0)
			return NULL;
		p = skip_space(p + err.position);
		if (*p == ']')
			return p + 1;
		if (*p != ',')
			return NULL;
		p++;
	}
}

int report_snapshot_rows(const char *snapshot, struct report_rows *rows)
{
	const char *start = rows_value(snapshot), *end = NULL;
	struct report_row *row = malloc(sizeof(*row));
	json_t *o = NULL, *keys = column_keys();
	struct buf rest;
	int rc = -1;

	report_rows_init(rows);
	buf_init(&rest, SIZE_MAX);
	if (!row || !start)
		goto out;
	end = rows_read(start, start + strlen(start), rows, row);
	/* The rest, with the rows' array left empty, parsed whole: it must
	 * be a JSON object of the columns of this layout (columns of another
	 * would put values in the wrong fields). */
	if (!end || buf_append(&rest, snapshot, (size_t)(start - snapshot)) ||
	    buf_appends(&rest, "[]") || buf_appends(&rest, end))
		goto out;
	o = json_loadb(rest.s, rest.len, 0, NULL);
	if (json_is_array(json_object_get(o, "rows")) &&
	    json_equal(json_object_get(o, "columns"), keys))
		rc = 0;
out:
	buf_release(&rest);
	free(row);
	json_decref(keys);
	json_decref(o);
	return rc;
}

int64_t report_handed_over_at(enum report_status status,
			      const struct report_step *trail, size_t n)
{
	int64_t at = 0;

	if (status != REPORT_APROBADO_DIRECTOR && status != REPORT_ENVIADO)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(trail[i].to, "APROBADO_DIRECTOR") == 0)
			at = trail[i].at;
	return at;
}
