#include "store/evaluation.h"

#include <string.h>

#include "store/imports.h"

int store_mass_failure_span(struct db *db, int64_t id, struct time_span *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT started_at, ended_at FROM mass_failures WHERE "
		    "id = ?");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->start = db_col_int(st, 0);
		out->end = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int windows(struct db *db, char kind, int64_t point_id,
		   const char *code, const struct e34 *o, struct e_series *s)
{
	return store_series_windows(db, kind, point_id, code, o->lo, o->hi,
				    E_DAYS, s->c, s->has);
}

int store_evaluation_e34(struct db *db, const struct event *ev, int64_t now,
			 struct e34 *out)
{
	memset(out, 0, sizeof(*out));
	evaluation_e3_windows(ev, now, out->lo, out->hi);
	out->day = evaluation_e4_day(ev);
	if (windows(db, 'I', ev->point.id, ev->procedure, out, &out->e3) < 0 ||
	    windows(db, 'S', 0, "PUBLICO", out, &out->social_public) < 0 ||
	    windows(db, 'S', 0, "INBOX", out, &out->social_inbox) < 0 ||
	    store_day_totals(db, 'I', "RECLAMOS", out->day - (E_DAYS - 1),
			     E_DAYS, out->complaints.c,
			     out->complaints.has) < 0 ||
	    store_e4_add_complaints(db, out->day - (E_DAYS - 1), E_DAYS,
				    out->complaints.c,
				    out->complaints.has) < 0 ||
	    store_day_totals(db, 'L', "", out->day - (E_DAYS - 1), E_DAYS,
			     out->ldr.c, out->ldr.has) < 0)
		return -1;
	for (int d = 0; d < E_DAYS; d++) {
		out->social.c[d] =
			out->social_public.c[d] + out->social_inbox.c[d];
		out->social.has[d] = out->social_public.has[d];
	}
	evaluation_compare(&out->e3);
	evaluation_compare(&out->social);
	evaluation_compare(&out->social_public);
	evaluation_compare(&out->social_inbox);
	evaluation_compare(&out->complaints);
	evaluation_compare(&out->ldr);
	return 0;
}
