/*
 * The official report (O1-O4): build, read, move through the approval
 * chain, export; and the deadline board (O3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/event_json.h"
#include "mail/report_mail.h"
#include "render/render.h"
#include "store/calendar.h"
#include "store/evaluation.h"
#include "store/events.h"
#include "store/report_charts.h"
#include "store/reports.h"
#include "store/store.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strnum.h"
#include "util/str.h"

/* The fields every report answer has (the list's items). */
static json_t *report_summary(const struct report_info *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "status",
			    json_string(report_status_code(r->status)));
	json_object_set_new(o, "status_name",
			    json_string(report_status_name(r->status)));
	json_object_set_new(o, "from", json_string(r->from));
	json_object_set_new(o, "to", json_string(r->to));
	json_object_set_new(o, "created_at", json_opt_time(r->created_at));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	json_object_set_new(o, "created_by_name",
			    json_opt_str(r->created_by_name));
	json_object_set_new(o, "updated_at", json_opt_time(r->updated_at));
	json_object_set_new(o, "frozen",
			    json_boolean(report_is_frozen(r->status)));
	json_object_set_new(o, "frozen_at", json_opt_time(r->frozen_at));
	json_object_set_new(o, "snapshot_hash", json_opt_str(r->hash));
	json_object_set_new(o, "sent_on", json_opt_str(r->sent_on));
	json_object_set_new(o, "sent_reference",
			    json_opt_str(r->sent_reference));
	json_object_set_new(o, "sent_at", json_opt_time(r->sent_at));
	json_object_set_new(o, "total_events", json_integer(r->n_events));
	return o;
}

static json_t *trail_json(const struct report_step *t, size_t n)
{
	json_t *a = json_array();
	char at[26];

	for (size_t i = 0; i < n; i++) {
		cal_format_lima(t[i].at, at);
		json_array_append_new(
			a,
			json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
				  "from", json_opt_str(t[i].from), "to",
				  t[i].to, "at", at, "by", t[i].username,
				  "by_name", t[i].name, "role", t[i].role,
				  "comment", json_opt_str(t[i].comment),
				  "reference", json_opt_str(t[i].reference)));
	}
	return a;
}

static json_t *next_json(const struct report_info *r, unsigned roles)
{
	unsigned next = report_next_statuses(r->status, roles);
	json_t *a = json_array();

	for (int s = 0; s < REPORT_STATUS_COUNT; s++)
		if (next & 1u << s)
			json_array_append_new(a,
					      json_string(report_status_code(
						      (enum report_status)s)));
	return a;
}

/* Everything a report page needs: its rows, or with `with_rows` 0 only
 * their event numbers (a frozen report's rows are its whole snapshot). */
struct full {
	struct report_info info;
	int with_rows;
	struct report_rows rows;
	struct report_row *row;	       /* with rows: one read back at a time */
	struct report_number *numbers; /* without rows */
	size_t n_numbers;
	struct report_step *trail;
	size_t n_trail;
	struct report_number *pending; /* O1: waiting for the ruling */
	size_t n_pending;
};

static void full_release(struct full *f)
{
	report_rows_release(&f->rows);
	free(f->row);
	free(f->numbers);
	free(f->trail);
	free(f->pending);
	f->row = NULL;
	f->numbers = NULL;
	f->trail = NULL;
	f->pending = NULL;
}

static int full_load(struct req *r, struct db *db, struct full *f,
		     int with_rows)
{
	const struct cal_calendar *cal;
	int rc;

	f->with_rows = with_rows;
	if (!with_rows) {
		rc = store_report_numbers(db, &f->info, &f->numbers,
					  &f->n_numbers);
	} else {
		f->row = malloc(sizeof(*f->row));
		if (!f->row || store_calendar_acquire(db, &cal) < 0)
			return -1;
		rc = store_report_rows(db, &f->info, api_cat(r), cal, r->now,
				       &f->rows);
		store_calendar_release(cal);
	}
	if (rc < 0 || store_report_pending_ruling(db, &f->info, &f->pending,
						  &f->n_pending) < 0)
		return -1;
	return store_report_trail(db, f->info.id, &f->trail, &f->n_trail);
}

static json_t *report_full(const struct full *f, unsigned roles)
{
	json_t *o = report_summary(&f->info);
	json_t *numbers = json_array(), *rows = json_array();
	size_t n = f->with_rows ? f->rows.n : f->n_numbers;

	for (size_t i = 0; i < n; i++) {
		const struct report_row *row =
			f->with_rows ? report_rows_get(&f->rows, i, f->row)
				     : NULL;

		json_array_append_new(
			numbers,
			json_string(row ? row->number : f->numbers[i].number));
		if (row)
			json_array_append_new(rows, report_row_to_json(row));
	}
	/* A BORRADOR shows what it would hold now. */
	json_object_set_new(o, "total_events", json_integer((json_int_t)n));
	json_object_set_new(o, "events", numbers);
	numbers = json_array();
	for (size_t i = 0; i < f->n_pending; i++)
		json_array_append_new(numbers,
				      json_string(f->pending[i].number));
	json_object_set_new(o, "pending_ruling", numbers);
	if (f->with_rows)
		json_object_set_new(o, "rows", rows);
	else
		json_decref(rows);
	json_object_set_new(o, "transitions",
			    trail_json(f->trail, f->n_trail));
	json_object_set_new(o, "handed_over_at",
			    json_opt_time(report_handed_over_at(
				    f->info.status, f->trail, f->n_trail)));
	json_object_set_new(o, "next", next_json(&f->info, roles));
	return o;
}

static void reply_report(struct req *r, struct db *db, int status,
			 struct full *f, int with_rows)
{
	if (full_load(r, db, f, with_rows) < 0)
		goto internal;
	reply_json(r, status, report_full(f, r->actor.roles));
	full_release(f);
	return;
internal:
	log_error("cannot read report %lld", (long long)f->info.id);
	full_release(f);
	reply_internal(r);
}

/* The report of the path: 404 (replied) when there is none. */
static int load_report(struct req *r, struct db *db, struct report_info *info)
{
	struct inop_err e;
	int64_t id;
	int rc = 0;

	if (strnum_i64(r->param[0], 1, INT64_MAX, &id) == 0)
		rc = store_report_get(db, id, info);
	if (rc < 0) {
		reply_internal(r);
		return -1;
	}
	if (rc == 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"No existe el reporte '%s'", r->param[0]);
		reply_error(r, &e);
		return -1;
	}
	return 0;
}

/* ---------- handlers ---------- */

static int body_date(json_t *b, const char *key, struct cal_date *d,
		     char out[11], struct inop_err *e)
{
	if (body_str(b, key, 1, out, 11, e) < 0 || cal_parse_date(out, d) < 0)
		return err_validation(e, key,
				      "El campo '%s' debe ser una fecha "
				      "AAAA-MM-DD",
				      key);
	return 0;
}

void api_reports_create(struct req *r)
{
	struct full f = {0};
	struct cal_date from = {0}, to = {0};
	struct inop_err e;
	struct db *db;

	if (body_date(r->body, "from", &from, f.info.from, &e) < 0 ||
	    body_date(r->body, "to", &to, f.info.to, &e) < 0 ||
	    report_period_check(from, to, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_report_create(db, &f.info, &r->actor, r->now, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	/* The rows are on GET: a big period would make this answer slow. */
	reply_report(r, db, 201, &f, 0);
}

void api_reports_list(struct req *r)
{
	const char *status = http_query(r, "status");
	enum report_status st;
	struct report_info *list = NULL;
	int64_t limit, offset, total;
	struct inop_err e;
	size_t n;
	json_t *items;
	struct db *db;

	if (status && !*status)
		status = NULL;
	if (status && report_status_parse(status, &st) < 0) {
		err_validation(&e, "status", "Estado desconocido: '%s'",
			       status);
		reply_error(r, &e);
		return;
	}
	if (api_page(r, API_LIMIT_DEFAULT, &limit, &offset, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_reports_list(db, status, limit, offset, &list, &n, &total) <
	    0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = report_summary(&list[i]);

		json_object_set_new(o, "next",
				    next_json(&list[i], r->actor.roles));
		json_array_append_new(items, o);
	}
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)total));
}

void api_reports_get(struct req *r)
{
	const char *rows = http_query(r, "rows");
	struct full f = {0};
	struct db *db = api_db(r);

	if (!db || load_report(r, db, &f.info) < 0)
		return;
	reply_report(r, db, 200, &f, !(rows && strcmp(rows, "false") == 0));
}

struct transition_body {
	char to[24];
	char comment[REPORT_COMMENT_MAX * 4 + 1];
	char reference[REPORT_REFERENCE_MAX * 4 + 1];
	char date[16];
};

static int parse_transition(struct req *r, struct transition_body *t,
			    struct report_change *c, struct inop_err *e)
{
	json_t *b = r->body;

	if (body_str(b, "to", 1, t->to, sizeof(t->to), e) < 0 ||
	    report_status_parse(t->to, &c->to) < 0)
		return err_validation(e, "to",
				      "'to' debe ser BORRADOR, EN_REVISION, "
				      "APROBADO_GERENTE, APROBADO_DIRECTOR o "
				      "ENVIADO");
	if (body_text(b, "comment", 0, REPORT_COMMENT_MAX, t->comment,
		      sizeof(t->comment), e) < 0 ||
	    body_text(b, "reference", 0, REPORT_REFERENCE_MAX, t->reference,
		      sizeof(t->reference), e) < 0 ||
	    body_str(b, "date", 0, t->date, sizeof(t->date), e) < 0)
		return -1;
	c->comment = t->comment;
	c->reference = t->reference;
	c->sent_on = t->date;
	c->cat = api_cat(r);
	c->today = cal_lima_date(r->now);
	c->after = report_mail_transition;
	return 0;
}

void api_reports_transition(struct req *r)
{
	struct transition_body *t = calloc(1, sizeof(*t));
	struct report_change c = {0};
	struct full f = {0};
	struct inop_err e;
	struct db *db = api_db(r);

	if (!t || !db) {
		if (db)
			reply_internal(r);
		free(t);
		return;
	}
	if (parse_transition(r, t, &c, &e) < 0) {
		reply_error(r, &e);
	} else if (load_report(r, db, &f.info) == 0) {
		if (store_calendar_acquire(db, &c.cal) < 0) {
			reply_internal(r);
		} else if (store_report_transition(db, f.info.id, &c,
						   &r->actor, r->now, &f.info,
						   &e) < 0) {
			reply_error(r, &e);
		} else {
			reply_report(r, db, 200, &f, 0);
		}
		store_calendar_release(c.cal);
	}
	free(t);
}

/* A1: the audit records of one report, oldest first. */
void api_reports_audit(struct req *r)
{
	struct report_info info;
	struct db *db = api_db(r);

	if (db && load_report(r, db, &info) == 0)
		reply_audit(r, db, "report", info.id);
}

/* ---------- exports ---------- */

static int xlsx_bytes(const struct report_doc *doc, char **out, size_t *len)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	struct buf b;
	FILE *fp = NULL;
	char chunk[65536];
	size_t got;
	int fd, rc = -1;

	if (str_printf(path, sizeof(path), "%s/inop-report-XXXXXX",
		       dir && *dir ? dir : "/tmp") < 0)
		return -1; /* a cut TMPDIR would be another directory */
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	buf_init(&b, RENDER_MAX_BYTES);
	if (render_xlsx(doc, path) < 0)
		goto out;
	fp = fopen(path, "rb");
	if (!fp)
		goto out;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&b, chunk, got) < 0)
			goto out;
	if (!ferror(fp)) {
		*out = buf_detach(&b, len);
		rc = 0;
	}
out:
	if (fp)
		fclose(fp);
	unlink(path);
	buf_release(&b);
	return rc;
}

static int render(const char *format, const struct report_doc *doc, char **out,
		  size_t *len)
{
	struct buf b;
	int rc;

	if (strcmp(format, "xlsx") == 0)
		return xlsx_bytes(doc, out, len);
	buf_init(&b, RENDER_MAX_BYTES);
	rc = strcmp(format, "pdf") == 0 ? render_pdf(doc, &b)
					: render_csv(doc, &b);
	if (rc == 0)
		*out = buf_detach(&b, len);
	buf_release(&b);
	return rc;
}

static const char *content_type(const char *format)
{
	if (strcmp(format, "xlsx") == 0)
		return "application/vnd.openxmlformats-officedocument."
		       "spreadsheetml.sheet";
	if (strcmp(format, "pdf") == 0)
		return "application/pdf";
	return "text/csv; charset=utf-8";
}

static int export_format(struct req *r, const char **format)
{
	static const char *const formats[] = {"xlsx", "pdf", "csv"};
	const char *f = http_query(r, "format");
	struct inop_err e;

	for (size_t i = 0; f && i < 3; i++)
		if (strcmp(f, formats[i]) == 0) {
			*format = formats[i];
			return 0;
		}
	err_validation(&e, "format", "'format' debe ser xlsx, pdf o csv");
	reply_error(r, &e);
	return -1;
}

/*
 * The PDF annex: the impact chart of each row with imported data (an
 * event without any would show an empty frame), from the data in force.
 */
static struct impact_chart *load_charts(struct req *r, struct db *db,
					const struct full *f, size_t *kept)
{
	size_t n = f->rows.n;
	struct impact_chart *c = calloc(n ? n : 1, sizeof(*c));
	struct event *ev = malloc(sizeof(*ev));

	*kept = 0;
	for (size_t i = 0; c && ev && i < n; i++) {
		struct impact_chart *k = &c[*kept];
		const struct report_row *row =
			report_rows_get(&f->rows, i, f->row);

		if (store_event_get(db, row->number, ev) != 1 ||
		    store_evaluation_impact(db, NULL, ev, r->now, k) < 0) {
			free(c);
			c = NULL;
			break;
		}
		(void)str_copy(k->procedure, sizeof(k->procedure),
			       row->procedure);
		if (k->has_day || k->mean_days)
			(*kept)++;
	}
	if (!ev) {
		free(c);
		c = NULL;
	}
	free(ev);
	return c;
}

/* A frozen chart names its procedure by code: the row's name instead
 * (each row read back once). */
static void name_procedures(struct impact_chart *c, size_t n,
			    const struct full *f)
{
	for (size_t k = 0; k < f->rows.n; k++) {
		const struct report_row *row =
			report_rows_get(&f->rows, k, f->row);

		for (size_t i = 0; i < n; i++)
			if (strcmp(c[i].number, row->number) == 0)
				(void)str_copy(c[i].procedure,
					       sizeof(c[i].procedure),
					       row->procedure);
	}
}

void api_reports_export(struct req *r)
{
	struct impact_chart *charts = NULL;
	struct full f = {0};
	struct report_doc doc;
	const char *format;
	char disposition[128], *data = NULL;
	size_t len = 0;
	struct db *db;

	if (export_format(r, &format) < 0)
		return;
	db = api_db(r);
	if (!db || load_report(r, db, &f.info) < 0)
		return;
	if (full_load(r, db, &f, 1) < 0) {
		log_error("cannot read report %lld", (long long)f.info.id);
		goto internal;
	}
	doc = (struct report_doc){
		.id = f.info.id,
		.status = f.info.status,
		.generated_at = f.info.frozen_at ? f.info.frozen_at : r->now,
		.rows = &f.rows,
		.trail = f.trail,
		.n_trail = f.n_trail};
	memcpy(doc.from, f.info.from, sizeof(doc.from));
	memcpy(doc.to, f.info.to, sizeof(doc.to));
	memcpy(doc.hash, f.info.hash, sizeof(doc.hash));
	if (strcmp(format, "pdf") == 0) {
		if (f.info.frozen_at) {
			if (store_report_charts_load(db, f.info.id, &charts,
						     &doc.n_charts) < 0)
				goto internal;
			name_procedures(charts, doc.n_charts, &f);
		} else {
			charts = load_charts(r, db, &f, &doc.n_charts);
			if (!charts)
				goto internal;
		}
		doc.charts = charts;
	}
	if (render(format, &doc, &data, &len) < 0) {
		log_error("cannot render report %lld as %s",
			  (long long)f.info.id, format);
		goto internal;
	}
	(void)str_printf(
		disposition, sizeof(disposition),
		"attachment; filename=\"reporte-inoperatividad-%lld.%s\"",
		(long long)f.info.id, format);
	reply_header(r, "Content-Disposition", disposition);
	reply_bytes(r, 200, content_type(format), data, len);
	full_release(&f);
	free(charts);
	return;
internal:
	full_release(&f);
	free(charts);
	reply_internal(r);
}
