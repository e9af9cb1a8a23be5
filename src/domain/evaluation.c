/*
 * E1, E2 and the V1 checks of SPEC section 10, as pure functions over an
 * event and the facts the store gathered about it.
 */
#include "domain/evaluation.h"
#include "util/str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* The end of a span that may still be running. */
static int64_t end_or_now(int64_t end, int64_t now)
{
	return end ? end : now;
}

enum e1_result evaluation_e1(const struct event *ev,
			     const struct time_span *mass_failure, int64_t now)
{
	if (!mass_failure)
		return E1_FUERA;
	if (ev->started_at >= mass_failure->start &&
	    end_or_now(ev->ended_at, now) <=
		    end_or_now(mass_failure->end, now))
		return E1_DENTRO;
	return E1_FUERA;
}

static int shares_application(const struct event *ev,
			      const struct e1_failure *f)
{
	for (size_t i = 0; i < ev->applications.n; i++)
		if (codes_contains(&f->applications, ev->applications.v[i]))
			return 1;
	return 0;
}

int e1_failure_counts(const struct event *ev, const struct e1_failure *f,
		      int64_t now)
{
	int64_t ev_end = end_or_now(ev->ended_at, now);

	if (is(ev->scenario, "FALLA_MASIVA") ? f->id != ev->mass_failure_id
					     : !shares_application(ev, f))
		return 0;
	return f->span.start <= ev_end &&
	       ev->started_at <= end_or_now(f->span.end, now);
}

const struct time_span *e1_window(const struct event *ev,
				  const struct e1_failure *f, size_t n,
				  int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (e1_failure_counts(ev, &f[i], now) &&
		    evaluation_e1(ev, &f[i].span, now) == E1_DENTRO)
			return &f[i].span;
	return NULL;
}

const char *e1_code(enum e1_result r)
{
	return r == E1_DENTRO ? "DENTRO" : "FUERA";
}

const char *e1_name(enum e1_result r)
{
	return r == E1_DENTRO ? "Dentro de horario de falla masiva"
			      : "Fuera de horario de falla masiva";
}

void evaluation_e2(const struct event *ev, int64_t now, struct e2_result *out)
{
	int64_t s =
		end_or_now(ev->open ? 0 : ev->ended_at, now) - ev->started_at;

	if (s < 0)
		s = 0;
	out->minutes = s / 60;
	out->over_1h = s > 3600;
	out->ongoing = ev->open;
	out->closure_reason =
		!ev->open && ev->closure_reason[0] ? ev->closure_reason : NULL;
}

void evaluation_compare(struct e_series *s)
{
	int64_t sum = 0;
	int n = 0;

	for (int d = 0; d < E_DAYS - 1; d++)
		if (s->has[d]) {
			sum += s->c[d];
			n++;
		}
	s->has_mean = n > 0;
	s->mean = n ? round((double)sum / n * 100) / 100 : 0;
	s->has_change = n > 0 && s->has[E_DAYS - 1] && sum > 0;
	s->change_pct =
		s->has_change
			? round(((double)s->c[E_DAYS - 1] - (double)sum / n) /
				((double)sum / n) * 1000) /
				  10
			: 0;
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

#define LIMA_OFFSET (5 * 3600)

void evaluation_e3_windows(const struct event *ev, int64_t now,
			   int64_t lo[E_DAYS], int64_t hi[E_DAYS])
{
	int64_t end = ev->open ? now : ev->ended_at;
	int64_t a = floor_div(ev->started_at - LIMA_OFFSET, 60);
	int64_t b = floor_div(end - LIMA_OFFSET + 59, 60);

	if (b < a)
		b = a;
	for (int k = 0; k < E_DAYS; k++) {
		lo[E_DAYS - 1 - k] = a - (int64_t)k * 1440;
		hi[E_DAYS - 1 - k] = b - (int64_t)k * 1440;
	}
}

int32_t evaluation_e4_day(const struct event *ev)
{
	return (int32_t)floor_div(ev->started_at - LIMA_OFFSET, 86400);
}

void evaluation_impact(const struct event *ev, int64_t now,
		       const uint32_t *counts, const int has[E_DAYS],
		       struct impact_chart *c)
{
	int64_t lo[E_DAYS], hi[E_DAYS], base;
	int32_t day = evaluation_e4_day(ev);

	memset(c->day, 0, sizeof(c->day));
	memset(c->mean, 0, sizeof(c->mean));
	c->has_day = has[E_DAYS - 1];
	c->mean_days = 0;
	for (int d = 0; d < E_DAYS; d++) {
		if (!has[d])
			continue;
		if (d < E_DAYS - 1)
			c->mean_days++;
		for (int m = 0; m < 1440; m++) {
			double v = counts[d * 1440 + m];

			if (d == E_DAYS - 1)
				c->day[m / 15] += v;
			else
				c->mean[m / 15] += v;
		}
	}
	for (int b = 0; c->mean_days && b < IMPACT_BUCKETS; b++)
		c->mean[b] /= c->mean_days;
	evaluation_e3_windows(ev, now, lo, hi);
	base = (int64_t)day * 1440;
	c->span_lo = (int)(lo[E_DAYS - 1] - base);
	c->span_hi = hi[E_DAYS - 1] - base > 1440
			     ? 1440
			     : (int)(hi[E_DAYS - 1] - base);
}

/* "3 h 05 min", "12 min" */
static void span_text(int64_t s, char *out, size_t n)
{
	int64_t m = s > 0 ? s / 60 : 0;

	/* display text: a cut is acceptable */
	if (m >= 60)
		(void)str_printf(out, n, "%lld h %02lld min",
				 (long long)(m / 60), (long long)(m % 60));
	else
		(void)str_printf(out, n, "%lld min", (long long)m);
}

#define SET(c, st, ...)                                                       \
	do {                                                                  \
		(c)->status = (st);                                           \
		/* display text: a cut is acceptable */                       \
		(void)str_printf((c)->detail, sizeof((c)->detail),            \
				 __VA_ARGS__);                                \
	} while (0)

static void check_registrant(const struct event *ev,
			     const struct check_facts *f, struct check *c)
{
	char who[PERSON_NAME_BYTES + 80];

	person_label(ev->registered_by_name, ev->registered_by, who,
		     sizeof(who));
	if (is(ev->scenario, "PRUEBA"))
		SET(c, CHECK_NA,
		    "Prueba registrada por un área autorizada "
		    "(%.300s)",
		    who);
	else if (f->registrant_jefe_of_point)
		SET(c, CHECK_OK,
		    "Registrado por %.300s, jefe asignado al punto "
		    "%s",
		    who, ev->point.code);
	else
		SET(c, CHECK_FAIL,
		    "Registrado por %.300s, que no es jefe "
		    "asignado al punto %s",
		    who, ev->point.code);
}

/* The Spanish name of a catalogue code, or the code itself. */
static const char *cat_name(const struct catalog *cat, const char *kind,
			    const char *code)
{
	const struct cat_item *it = catalog_find(cat, kind, NULL, code);

	return it ? it->name : code;
}

static void check_reason(const struct catalog *cat, const struct event *ev,
			 struct check *c)
{
	const char *reason =
		cat_name(cat, "closure_reason", ev->closure_reason);
	const char *scenario = cat_name(cat, "scenario", ev->scenario);

	if (ev->open)
		SET(c, CHECK_PENDING, "El evento sigue abierto");
	else if (catalog_find(cat, "scenario_reason", ev->scenario,
			      ev->closure_reason))
		SET(c, CHECK_OK, "«%.150s» corresponde al escenario «%.150s»",
		    reason, scenario);
	else
		SET(c, CHECK_FAIL,
		    "El motivo de cierre «%.150s» no corresponde al "
		    "escenario «%.150s»",
		    reason, scenario);
}

static void check_error_or_test(const struct event *ev, struct check *c)
{
	if (is(ev->scenario, "PRUEBA"))
		SET(c, CHECK_FAIL, "Es una prueba: no se reporta");
	else if (is(ev->closure_reason, "ERROR_USUARIO"))
		SET(c, CHECK_FAIL, "Cerrado como error de usuario: %.200s",
		    ev->justification);
	else
		SET(c, CHECK_OK, "No es una prueba ni un error de usuario");
}

static void check_critical(const struct event *ev, const struct check_facts *f,
			   struct check *c)
{
	if (f->critical_total == 0)
		SET(c, CHECK_NA, "No se registraron transacciones críticas");
	else if (f->critical_missing == 0)
		SET(c, CHECK_OK,
		    "%d transacción(es) crítica(s) con "
		    "referencia del sistema",
		    f->critical_total);
	else
		SET(c, ev->open ? CHECK_PENDING : CHECK_FAIL,
		    "%d de %d transacción(es) crítica(s) sin referencia del "
		    "sistema",
		    f->critical_missing, f->critical_total);
}

int processes_ruling_required(const struct event *ev)
{
	return is(ev->point.channel, "PRESENCIAL") &&
	       !is(ev->scenario, "PRUEBA") && !ev->ruled_out &&
	       !is(ev->closure_reason, "ERROR_USUARIO") &&
	       !is(ev->closure_reason, "INTERMITENCIA");
}

static void why_not_required(const struct event *ev, struct check *c)
{
	const char *why = "no se reporta";

	if (!is(ev->point.channel, "PRESENCIAL"))
		why = "el punto no es de atención presencial";
	else if (is(ev->scenario, "PRUEBA"))
		why = "es una prueba";
	else if (ev->ruled_out)
		why = "Control lo descartó del reporte";
	SET(c, CHECK_NA, "No requiere dictamen: %s", why);
}

static void check_processes(const struct event *ev,
			    const struct check_facts *f, int64_t now,
			    struct check *c)
{
	const struct processes_request *r = f->processes;
	char left[32];

	if (r && r->ruling[0])
		SET(c, CHECK_OK, "%s: %.200s",
		    is(r->ruling, "PROCEDE") ? "Procede" : "No procede",
		    r->reason);
	else if (!processes_ruling_required(ev))
		why_not_required(ev, c);
	else if (r && processes_status(r, now) == PROCESSES_VENCIDA)
		SET(c, CHECK_FAIL,
		    "Dictamen vencido: sin respuesta de "
		    "Procesos en 24 horas%s",
		    r->escalated_at ? "; escalado a los suplentes" : "");
	else if (r) {
		span_text(r->due_at - now, left, sizeof(left));
		SET(c, CHECK_PENDING, "Solicitado a Procesos; quedan %s",
		    left);
	} else if (ev->open)
		SET(c, CHECK_PENDING,
		    "Punto presencial: Control debe "
		    "solicitar el dictamen de Procesos");
	else
		SET(c, CHECK_FAIL, "Falta solicitar el dictamen de Procesos");
}

static int not_reported(const struct event *ev)
{
	return is(ev->scenario, "PRUEBA") || ev->ruled_out ||
	       is(ev->closure_reason, "ERROR_USUARIO") ||
	       is(ev->closure_reason, "INTERMITENCIA");
}

/* "12 (media 8.50, +41.2 %)" or "sin datos". */
static void series_brief(const struct e_series *s, char *out, size_t n)
{
	if (!s->has[E_DAYS - 1])
		(void)snprintf(out, n, "sin datos");
	else if (!s->has_change)
		(void)snprintf(out, n, "%lld", (long long)s->c[E_DAYS - 1]);
	else
		(void)snprintf(out, n, "%lld (media %.2f; %+.1f %%)",
			       (long long)s->c[E_DAYS - 1], s->mean,
			       s->change_pct);
}

static void check_impact(const struct event *ev, const struct check_facts *f,
			 struct check *c)
{
	const struct e34 *e = f->impact;
	char a[64], b[64], d[64];

	if (not_reported(ev)) {
		SET(c, CHECK_NA,
		    "No se reporta: no requiere datos de impacto");
		return;
	}
	if (!e || !e->e3.has[E_DAYS - 1]) {
		SET(c, CHECK_PENDING,
		    "Faltan las tipificaciones importadas del día del evento: "
		    "E3 y E4 quedan «sin datos»");
		return;
	}
	series_brief(&e->e3, a, sizeof(a));
	series_brief(&e->complaints, b, sizeof(b));
	series_brief(&e->ldr, d, sizeof(d));
	SET(c, CHECK_OK, "Interacciones del punto: %s; reclamos: %s; LDR: %s",
	    a, b, d);
}

void evaluation_checks(const struct catalog *cat, const struct event *ev,
		       const struct check_facts *facts, int64_t now,
		       struct check out[CHECK_COUNT])
{
	for (int i = 0; i < CHECK_COUNT; i++)
		out[i].code = (enum check_code)i;
	check_registrant(ev, facts, &out[CHECK_REGISTERED_BY_JEFE]);
	check_reason(cat, ev, &out[CHECK_CLOSURE_REASON_FITS]);
	check_error_or_test(ev, &out[CHECK_NOT_ERROR_OR_TEST]);
	check_critical(ev, facts, &out[CHECK_CRITICAL_REGULARISED]);
	check_processes(ev, facts, now, &out[CHECK_PROCESOS_RULING]);
	check_impact(ev, facts, &out[CHECK_IMPACT_DATA]);
}

const char *check_code_name(enum check_code c)
{
	static const char *const names[CHECK_COUNT] = {
		"REGISTERED_BY_JEFE", "CLOSURE_REASON_FITS",
		"NOT_ERROR_OR_TEST",  "CRITICAL_REGULARISED",
		"PROCESOS_RULING",    "IMPACT_DATA"};

	return c < CHECK_COUNT ? names[c] : "";
}

const char *check_status_name(enum check_status s)
{
	switch (s) {
	case CHECK_OK:
		return "OK";
	case CHECK_FAIL:
		return "FALLA";
	case CHECK_PENDING:
		return "PENDIENTE";
	default:
		return "NO_APLICA";
	}
}

int check_passed(const struct check *c)
{
	return c->status == CHECK_OK || c->status == CHECK_NA;
}
