/*
 * V3: the once-a-minute step that escalates Procesos requests unanswered
 * after 24 hours, or at once when no primary is present, to the backups
 * (configuration key procesos_backups).  Each escalation and its mail are
 * written in one transaction, the mail with a dedupe key: a repeated run,
 * on this node or another, escalates and mails nothing more.
 */
#include <stdio.h>

#include "calendar/cal.h"
#include "jobs/jobs.h"
#include "mail/notify.h"
#include "store/processes.h"
#include "util/log.h"
#include "util/str.h"

static int escalation_mail(struct db *db, const struct processes_request *r,
			   void *ctx)
{
	const int64_t *now = ctx;
	char link[64], key[64], asked[26], detail[1024];
	char who[PERSON_NAME_BYTES + 80];
	struct notify_args a = {.ref = r->event_number,
				.link = link,
				.detail = detail,
				.to = r->escalated_to,
				.dedupe_key = key};

	/* link and key: a number of < 24 bytes, no cut; detail: mail text,
	 * a cut is acceptable */
	(void)str_printf(link, sizeof(link), "/#/eventos/%s", r->event_number);
	(void)str_printf(key, sizeof(key), "processes.escalation:%lld",
			 (long long)r->id);
	cal_format_lima(r->requested_at, asked);
	person_label(r->requested_by_name, r->requested_by, who, sizeof(who));
	(void)str_printf(
		detail, sizeof(detail),
		"Evento %s: Control (%.300s) solicitó el dictamen el %.10s a "
		"las "
		"%.5s (hora de Lima) y %s. Indique si procede o no procede "
		"reportarlo.",
		r->event_number, who, asked, asked + 11,
		r->escalation_reason[0] == 'A'
			? "los responsables de Procesos están ausentes"
			: "no hubo respuesta en 24 horas");
	return notify(db, NOTIFY_PROCESOS_ESCALATION, &a, *now);
}

int job_processes_escalation(struct db *db, int64_t now)
{
	static int warned;
	const struct config *cfg = notify_config();
	struct inop_err e;
	int n = 0;

	/*
	 * Without backups there is nobody to escalate to: nothing is marked,
	 * so that the requests are escalated once backups are configured.
	 * The 24-hour clock still shows them overdue.
	 */
	if (!cfg || !cfg->procesos_backups[0]) {
		if (!warned)
			log_info("procesos_backups is not set: Procesos "
				 "requests are not escalated");
		warned = 1;
		return 0;
	}
	if (store_processes_escalate(db, cfg->procesos_backups, now,
				     escalation_mail, &now, &n, &e) < 0) {
		log_error("processes escalation: %s", e.message);
		return -1;
	}
	if (n)
		log_info("escalated %d Procesos request(s) to the backups", n);
	return 0;
}
