/* N2: the mails of the official report (O2, O3). */
#include "mail/report_mail.h"

#include <stdio.h>
#include <stdlib.h>

#include "calendar/cal.h"
#include "domain/event_json.h"
#include "mail/notify.h"
#include "store/calendar.h"
#include "store/deadlines.h"
#include "util/log.h"
#include "util/str.h"

#define DUE_BATCH_MAX 10000 /* events mailed per run; the rest next run */

static void date_dmy(const char *iso, char out[11])
{
	(void)str_printf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

int report_mail_transition(struct db *db, const struct report_info *r,
			   enum report_status from,
			   const struct report_change *c, int64_t now)
{
	struct notify_args a = {0};
	char ref[48], link[48], detail[REPORT_COMMENT_MAX * 4 + 512];
	char d1[11], d2[11];

	/* ref and link: a number, no cut; detail: mail text, a cut is fine */
	(void)str_printf(ref, sizeof(ref), "Reporte N.º %lld",
			 (long long)r->id);
	(void)str_printf(link, sizeof(link), "/#/reportes/%lld",
			 (long long)r->id);
	date_dmy(r->from, d1);
	date_dmy(r->to, d2);
	(void)str_printf(
		detail, sizeof(detail),
		"Reporte N.º %lld, eventos iniciados del %s al %s: %lld "
		"eventos. Pasó de «%s» a «%s».%s%s",
		(long long)r->id, d1, d2, (long long)r->n_events,
		report_status_name(from), report_status_name(r->status),
		c->comment[0] ? " Comentario: " : "", c->comment);
	a = (struct notify_args){.ref = ref, .link = link, .detail = detail};
	switch (r->status) {
	case REPORT_EN_REVISION:
		a.role = "GERENTE";
		return notify(db, NOTIFY_REPORT_AWAITING, &a, now);
	case REPORT_APROBADO_GERENTE:
		a.role = "DIRECTOR";
		return notify(db, NOTIFY_REPORT_AWAITING, &a, now);
	case REPORT_APROBADO_DIRECTOR:
		a.role = "REGULATORIO";
		return notify(db, NOTIFY_REPORT_APPROVED, &a, now);
	case REPORT_BORRADOR:
		a.role = "CONTROL";
		return notify(db, NOTIFY_REPORT_RETURNED, &a, now);
	default:
		return 0;
	}
}

/* ---------- the deadline reminder ---------- */

struct due_event {
	int64_t id;
	char number[24];
	char point[560];
	struct cal_date due;
};

struct due_scan {
	const struct cal_calendar *cal;
	struct cal_date today;
	struct due_event *v;
	size_t n;
	int full; /* the rest waits for the next run */
};

/* Keeps the events due today or on the next business day. */
static int due_keep(const struct event *ev, void *arg)
{
	struct due_scan *s = arg;
	struct due_event *e;
	struct cal_date due;
	int left;

	if (!event_report_due(ev, s->cal, &due))
		return 0;
	left = cal_business_days_between(s->today, due, s->cal);
	if (left < 0 || left > 1 ||
	    cal_day_number(due) < cal_day_number(s->today))
		return 0;
	if (s->n == DUE_BATCH_MAX) {
		s->full = 1;
		return -1;
	}
	e = &s->v[s->n++];
	e->id = ev->id;
	e->due = due;
	(void)str_copy(e->number, sizeof(e->number), ev->number);
	/* display text: a cut is fine */
	(void)str_printf(e->point, sizeof(e->point), "%s (%s)", ev->point.name,
			 ev->point.code);
	return 0;
}

static int due_mail(struct db *db, const struct due_event *e, int64_t now)
{
	char link[64], key[48], due[11], detail[1024];
	struct notify_args a;

	/* link and key: a number, no cut; detail: mail text, a cut is fine */
	(void)str_printf(link, sizeof(link), "/#/eventos/%s", e->number);
	(void)str_printf(key, sizeof(key), "report.due:%lld",
			 (long long)e->id);
	cal_format_date(e->due, due);
	(void)str_printf(
		detail, sizeof(detail),
		"Evento %s del punto %s: debe entregarse a Regulatorio "
		"(aprobación de Dirección) a más tardar el "
		"%.2s/%.2s/%.4s y aún no está en un reporte aprobado "
		"por Dirección.",
		e->number, e->point, due + 8, due + 5, due);
	a = (struct notify_args){.ref = e->number,
				 .link = link,
				 .detail = detail,
				 .dedupe_key = key};
	return notify(db, NOTIFY_REPORT_DUE, &a, now);
}

int report_mail_due(struct db *db, int64_t now)
{
	const struct config *cfg = notify_config();
	struct due_scan s = {.today = cal_lima_date(now)};
	int64_t from;
	int rc = -1;

	/* Nobody to tell: do not scan (nor log) every minute. */
	if (!cfg || !cfg->mailbox_control[0])
		return 0;
	if (store_calendar_acquire(db, &s.cal) < 0)
		return -1;
	s.v = calloc(DUE_BATCH_MAX, sizeof(*s.v));
	/* Ended on a day whose deadline is not past, up to today. */
	from = cal_lima_day_start(report_overdue_cutoff(s.today, s.cal));
	if (!s.v || (store_unsent_events_ended(
			     db, from, cal_lima_day_start(s.today) + 86400,
			     due_keep, &s) < 0 &&
		     !s.full))
		goto out;
	if (db_begin(db) < 0)
		goto out;
	for (size_t i = 0; i < s.n; i++)
		if (due_mail(db, &s.v[i], now) < 0) {
			db_rollback(db);
			goto out;
		}
	rc = db_commit(db);
out:
	if (rc < 0)
		log_error("report-due: %s", db_errmsg(db));
	free(s.v);
	store_calendar_release(s.cal);
	return rc;
}
