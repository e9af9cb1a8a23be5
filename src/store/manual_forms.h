#ifndef INOP_STORE_MANUAL_FORMS_H
#define INOP_STORE_MANUAL_FORMS_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/event.h"
#include "domain/manual_form.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * K1-K2: the serials of paper forms.  Issuing reserves the next serial of
 * the point (gapless, in one transaction with its audit record); a
 * regularisation (origin MANUAL) uses it up in the transaction that
 * registers the event.
 */

/* Reserves the next serial of `point` for `who`; fills *f.  Audited. */
int store_manual_form_issue(struct db *db, const struct point_ref *point,
			    const struct actor *who, int64_t now,
			    struct manual_form *f, struct inop_err *err);

/* 1 found, 0 not, -1 error. */
int store_manual_form_get(struct db *db, const char *serial,
			  struct manual_form *f);

/*
 * K2, inside the transaction registering `ev` (ev->id set): checks the
 * serial ev->manual_form_ref (manual_form_use_check) and marks it used by
 * ev.  -1 with err set (422 refusal, or 500) and nothing marked.
 */
int store_manual_form_use(struct db *db, const struct event *ev, int64_t now,
			  struct inop_err *err);

struct manual_form_filter {
	const char *point;    /* point code or NULL */
	const char *status;   /* "LIBRE" | "USADO" | NULL */
	int64_t jefe_user_id; /* > 0: only this user's points */
	int64_t limit, offset;
};
/* Newest first; *out malloc'd. */
int store_manual_forms_list(struct db *db, const struct manual_form_filter *f,
			    struct manual_form **out, size_t *n,
			    int64_t *total);

#endif
