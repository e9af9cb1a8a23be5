/*
 * K1-K2: paper forms.  Issuing reserves the next serial of a point; the
 * PDF of an issued serial can be downloaded (and printed again) at any
 * time; the list shows which serials were regularised, with their delay,
 * and which are still unused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/control_json.h"
#include "render/manual_form_pdf.h"
#include "store/manual_forms.h"
#include "store/points.h"
#include "store/users.h"
#include "util/config.h"
#include "util/strnum.h"
#include "util/str.h"

/* CONTROL and ADMIN handle every point's forms; a JEFE those of own. */
static int may_handle(struct req *r, struct db *db, int64_t point_id,
		      const char *code, struct inop_err *e)
{
	int rc;

	if (r->actor.roles & (ROLE_CONTROL | ROLE_ADMIN))
		return 0;
	rc = store_user_has_point(db, r->actor.id, point_id);
	if (rc < 0)
		return err_internal(e);
	if (rc == 0 || !(r->actor.roles & ROLE_JEFE))
		return err_set(e, 403, "FORBIDDEN", "point",
			       "Solo el jefe del punto '%s', Control o "
			       "Administración manejan sus formatos manuales",
			       code);
	return 0;
}

static json_t *form_json(const struct manual_form *f)
{
	json_t *o = manual_form_to_json(f);
	char url[160];

	/* the serial is < 64 bytes: no cut */
	(void)str_printf(url, sizeof(url), "/api/v1/manual-forms/%s/pdf",
			 f->serial);
	json_object_set_new(o, "pdf", json_string(url));
	return o;
}

void api_manual_forms_issue(struct req *r)
{
	char code[48];
	struct point pt;
	struct manual_form f;
	struct inop_err e;
	struct db *db = api_db(r);
	int rc;

	if (!db)
		return;
	if (body_str(r->body, "point", 1, code, sizeof(code), &e) < 0)
		goto fail;
	rc = store_point_by_code(db, code, &pt);
	if (rc < 0) {
		reply_internal(r);
		return;
	}
	if (rc == 0) {
		err_validation(&e, "point", "Punto desconocido: '%s'", code);
		goto fail;
	}
	if (may_handle(r, db, pt.ref.id, code, &e) < 0 ||
	    store_manual_form_issue(db, &pt.ref, &r->actor, r->now, &f, &e) <
		    0)
		goto fail;
	reply_json(r, 201, form_json(&f));
	return;
fail:
	reply_error(r, &e);
}

static int list_filter(struct req *r, struct manual_form_filter *f,
		       struct inop_err *e)
{
	const char *status = http_query(r, "status");

	memset(f, 0, sizeof(*f));
	f->point = http_query(r, "point");
	if (f->point && !*f->point)
		f->point = NULL;
	if (status && *status) {
		if (strcmp(status, "LIBRE") != 0 &&
		    strcmp(status, "USADO") != 0)
			return err_validation(
				e, "status",
				"Estado no válido: '%s' (LIBRE o "
				"USADO)",
				status);
		f->status = status;
	}
	if (api_page(r, API_LIMIT_DEFAULT, &f->limit, &f->offset, e) < 0)
		return -1;
	if (!(r->actor.roles & (ROLE_CONTROL | ROLE_ADMIN | ROLE_PROCESOS)))
		f->jefe_user_id = r->actor.id;
	return 0;
}

void api_manual_forms_list(struct req *r)
{
	struct manual_form_filter f;
	struct manual_form *list = NULL;
	struct inop_err e;
	size_t n = 0;
	int64_t total;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (list_filter(r, &f, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	if (store_manual_forms_list(db, &f, &list, &n, &total) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, form_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
}

/* Renders the PDF of `f` and replies it as a download. */
static void reply_pdf(struct req *r, struct db *db,
		      const struct manual_form *f)
{
	struct point pt;
	struct manual_form_doc doc;
	char *pdf = NULL, disposition[160];
	size_t len = 0;

	if (store_point_by_code(db, f->point.code, &pt) != 1) {
		reply_internal(r);
		return;
	}
	doc = (struct manual_form_doc){
		.form = f,
		.lines = &pt.lines,
		.cat = api_cat(r),
		.mailbox_fallas = r->app->cfg->mailbox_fallas,
		.mailbox_cc = r->app->cfg->mailbox_contingency_cc,
		.max_age_days = r->app->cfg->manual_max_age_days,
		.generated_at = r->now,
		.generated_by = r->actor.username};
	if (render_manual_form_pdf(&doc, &pdf, &len) < 0) {
		reply_internal(r);
		return;
	}
	/* the serial is < 64 bytes: no cut */
	(void)str_printf(disposition, sizeof(disposition),
			 "attachment; filename=\"%s.pdf\"", f->serial);
	reply_header(r, "Content-Disposition", disposition);
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "application/pdf", pdf, len);
}

void api_manual_forms_pdf(struct req *r)
{
	struct manual_form f;
	struct inop_err e;
	struct db *db = api_db(r);
	int rc;

	if (!db)
		return;
	rc = store_manual_form_get(db, r->param[0], &f);
	if (rc < 0) {
		reply_internal(r);
		return;
	}
	if (rc == 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"No existe el formato manual '%s'", r->param[0]);
		reply_error(r, &e);
		return;
	}
	if (may_handle(r, db, f.point.id, f.point.code, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	reply_pdf(r, db, &f);
}
