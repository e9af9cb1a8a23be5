/*
 * Complaints (SPEC Q1-Q5, API.md "Complaints"): the public intake (web
 * form, or the regulator's platform with its bearer token), the matters,
 * and the RECLAMOS tray.  The intake answers anyone only the code,
 * status and due date; everything else needs RECLAMOS (the route table).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "domain/complaint_json.h"
#include "domain/event_json.h"
#include "mail/complaint_mail.h"
#include "store/calendar.h"
#include "store/complaints.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/multipart.h"
#include "util/ratelimit.h"
#include "util/str.h"
#include "util/strnum.h"

#define JSON_BODY_MAX (64u * 1024) /* a complaint without documents */
#define PARTS_MAX     16

static void fail(struct req *r, int status, const char *code,
		 const char *field, const char *message)
{
	struct inop_err e;

	err_set(&e, status, code, field, "%s", message);
	reply_error(r, &e);
}

static int token_ok(const char *want, const char *got)
{
	unsigned char a[crypto_generichash_BYTES];
	unsigned char b[crypto_generichash_BYTES];

	if (!want[0] || !got)
		return 0;
	crypto_generichash(a, sizeof(a), (const unsigned char *)want,
			   strlen(want), NULL, 0);
	crypto_generichash(b, sizeof(b), (const unsigned char *)got,
			   strlen(got), NULL, 0);
	return sodium_memcmp(a, b, sizeof(a)) == 0;
}

/*
 * Who sends: 1 the platform (its bearer token), 0 the public (throttled
 * per client address), -1 replied (401 or 429).
 */
static int intake_source(struct req *r)
{
	const char *auth = http_header(r, "Authorization");
	int retry = 0;
	char secs[16];

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (token_ok(r->app->complaints_token, auth + 7))
			return 1;
		fail(r, 401, "UNAUTHENTICATED", NULL,
		     "Token de la plataforma ausente o incorrecto");
		return -1;
	}
	if (r->app->complaints_limit &&
	    !ratelimit_take(r->app->complaints_limit, r->client_addr,
			    clock_mono_ms(), &retry)) {
		(void)str_printf(secs, sizeof(secs), "%d", retry);
		reply_header(r, "Retry-After", secs);
		fail(r, 429, "TOO_MANY_REQUESTS", NULL,
		     "Demasiados reclamos desde su conexión: intente de nuevo "
		     "en unos minutos");
		return -1;
	}
	return 0;
}

/* ---------- reading the body ---------- */

/* A file part: one more document, checked by its bytes.  0 or -1. */
static int add_document(struct complaint *c, const struct multipart_part *p,
			struct inop_err *err)
{
	struct complaint_doc *d;

	if (p->len == 0 && !p->filename[0])
		return 0; /* a file input left empty */
	if (c->n_docs == COMPLAINT_DOCS_MAX)
		return err_validation(err, "documents",
				      "Puede adjuntar hasta %d documentos",
				      COMPLAINT_DOCS_MAX);
	d = &c->docs[c->n_docs++];
	d->data = (const unsigned char *)p->data;
	d->len = p->len;
	return complaint_doc_accept(d, p->filename, err);
}

/* A text part as a string of `fields` (json_stringn refuses what is not
 * UTF-8).  0 or -1. */
static int add_field(json_t *fields, const struct multipart_part *p,
		     struct inop_err *err)
{
	json_t *v = json_stringn(p->data, p->len);

	if (!v)
		return err_validation(err, p->name,
				      "El campo '%s' no es texto UTF-8",
				      p->name);
	json_object_set_new(fields, p->name, v);
	return 0;
}

/* The multipart text fields as a JSON object (so both forms share the
 * field checks), the files as documents.  0, or -1 with err. */
static int from_multipart(struct req *r, json_t **fields, struct complaint *c,
			  struct inop_err *err)
{
	struct multipart_part *parts = calloc(PARTS_MAX, sizeof(*parts));
	size_t n = 0;
	int rc = -1;

	*fields = json_object();
	if (!parts || !*fields) {
		free(parts);
		return err_internal(err);
	}
	if (multipart_parse(r->raw, r->raw_len, http_header(r, "Content-Type"),
			    parts, PARTS_MAX, &n) < 0) {
		err_set(err, 400, "BAD_MULTIPART", NULL,
			"El formulario enviado no es multipart/form-data "
			"válido");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((parts[i].is_file
			     ? add_document(c, &parts[i], err)
			     : add_field(*fields, &parts[i], err)) < 0)
			goto out;
	rc = 0;
out:
	free(parts);
	return rc;
}

static int from_json(struct req *r, json_t **fields, struct inop_err *err)
{
	json_error_t jerr;

	if (r->raw_len > JSON_BODY_MAX)
		return err_set(err, 413, "BODY_TOO_LARGE", NULL,
			       "Un reclamo en JSON admite hasta 64 KiB: "
			       "adjunte los documentos con "
			       "multipart/form-data");
	*fields =
		json_loadb(r->raw, r->raw_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*fields || !json_is_object(*fields))
		return err_set(err, 400, "BAD_JSON", NULL,
			       "El cuerpo de la solicitud no es un objeto "
			       "JSON válido");
	return 0;
}

static int read_fields(json_t *b, struct complaint *c, int platform,
		       struct inop_err *err)
{
	if (body_text(b, "customer_name", 1, COMPLAINT_NAME_CHARS,
		      c->customer_name, sizeof(c->customer_name), err) < 0 ||
	    body_str(b, "document_type", 1, c->document_type,
		     sizeof(c->document_type), err) < 0 ||
	    body_str(b, "document", 1, c->document, sizeof(c->document), err) <
		    0 ||
	    body_str(b, "email", 1, c->email, sizeof(c->email), err) < 0 ||
	    body_str(b, "phone", 0, c->phone, sizeof(c->phone), err) < 0 ||
	    body_text(b, "service", 1, COMPLAINT_SERVICE_CHARS, c->service,
		      sizeof(c->service), err) < 0 ||
	    body_str(b, "matter", 1, c->matter, sizeof(c->matter), err) < 0 ||
	    body_text(b, "description", 1, COMPLAINT_DESCRIPTION_CHARS,
		      c->description, sizeof(c->description), err) < 0)
		return -1;
	/* Only the platform's own reference deduplicates; a public form
	 * cannot name (or probe for) another complaint. */
	if (platform && body_str(b, "external_ref", 0, c->external_ref,
				 sizeof(c->external_ref), err) < 0)
		return -1;
	(void)str_copy(c->source, sizeof(c->source), /* a short constant */
		       platform ? "PLATAFORMA" : "WEB");
	return complaint_validate(c, err);
}

static int parse_intake(struct req *r, struct complaint *c, int platform,
			struct inop_err *err)
{
	const char *ct = http_header(r, "Content-Type");
	json_t *fields = NULL;
	int rc;

	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
		rc = from_multipart(r, &fields, c, err);
	else if (ct && strncasecmp(ct, "application/json", 16) == 0)
		rc = from_json(r, &fields, err);
	else
		rc = err_set(err, 415, "UNSUPPORTED_MEDIA_TYPE", NULL,
			     "Envíe el reclamo como application/json o "
			     "multipart/form-data");
	if (rc == 0)
		rc = read_fields(fields, c, platform, err);
	json_decref(fields);
	return rc;
}

void api_complaints_create(struct req *r)
{
	int platform = intake_source(r);
	struct complaint *c;
	struct complaint_receive rx = {0};
	const struct cal_calendar *cal;
	struct db *db;
	struct inop_err e;

	if (platform < 0)
		return;
	c = api_alloc(r, sizeof(*c));
	if (!c)
		return;
	if (parse_intake(r, c, platform, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	cal = db ? api_calendar(r) : NULL;
	if (!cal)
		return;
	rx = (struct complaint_receive){.c = c,
					.cal = cal,
					.actor = platform ? "plataforma"
							  : "web",
					.client_addr = r->client_addr,
					.now = r->now,
					.after = complaint_mail_received};
	if (store_complaint_receive(db, &rx, &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, rx.existing ? 200 : 201,
			   complaint_public_json(c));
	store_calendar_release(cal);
}

/* ---------- matters ---------- */

void api_complaint_matters_list(struct req *r)
{
	struct db *db = api_db(r);
	struct complaint_matter *m = NULL;
	json_t *items;
	size_t n = 0;

	if (!db)
		return;
	if (store_complaint_matters(db, &m, &n) < 0) {
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			items, json_pack("{ss ss si sb}", "code", m[i].code,
					 "name", m[i].name, "business_days",
					 m[i].business_days, "company_setting",
					 m[i].company_setting));
	free(m);
	reply_json(
		r, 200,
		json_pack("{so sI}", "items", items, "total", (json_int_t)n));
}

void api_complaint_matters_update(struct req *r)
{
	struct complaint_matter m = {0};
	json_t *days = json_object_get(r->body, "business_days");
	struct db *db;
	struct inop_err e;

	/* A cut code names no matter: the lookup then answers 404. */
	(void)str_copy(m.code, sizeof(m.code), r->param[0]);
	if (body_text(r->body, "name", 1, COMPLAINT_NAME_CHARS, m.name,
		      sizeof(m.name), &e) < 0) {
		reply_error(r, &e);
		return;
	}
	if (!json_is_integer(days) || json_integer_value(days) < 1 ||
	    json_integer_value(days) > COMPLAINT_MATTER_DAYS_MAX) {
		err_validation(&e, "business_days",
			       "El plazo debe ser un número entero de días "
			       "hábiles entre 1 y %d",
			       COMPLAINT_MATTER_DAYS_MAX);
		reply_error(r, &e);
		return;
	}
	m.business_days = (int)json_integer_value(days);
	m.company_setting = 1;
	db = api_db(r);
	if (!db)
		return;
	if (store_complaint_matter_update(db, &m, r->actor.username, r->now,
					  &e) < 0) {
		reply_error(r, &e);
		return;
	}
	reply_json(r, 200,
		   json_pack("{ss ss si sb}", "code", m.code, "name", m.name,
			     "business_days", m.business_days,
			     "company_setting", 1));
}

/* ---------- the tray ---------- */

static int list_filter(struct req *r, struct complaint_filter *f,
		       struct inop_err *e)
{
	const char *overdue = http_query(r, "overdue");
	enum complaint_status s;

	f->status = http_query(r, "status");
	f->matter = http_query(r, "matter");
	f->now = r->now;
	if (f->status && !f->status[0])
		f->status = NULL;
	if (f->status && complaint_status_parse(f->status, &s) < 0)
		return err_validation(e, "status",
				      "'status' debe ser RECIBIDO, EN_PROCESO "
				      "o RESUELTO");
	if (f->matter && !f->matter[0])
		f->matter = NULL;
	f->overdue = overdue && strcmp(overdue, "true") == 0;
	return api_page(r, API_LIMIT_DEFAULT, &f->limit, &f->offset, e);
}

void api_complaints_list(struct req *r)
{
	struct complaint_filter f = {0};
	struct complaint *items = NULL;
	struct db *db;
	struct inop_err e;
	int64_t total = 0;
	size_t n = 0;
	json_t *a;

	if (list_filter(r, &f, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_complaints_list(db, &f, &items, &n, &total) < 0) {
		reply_internal(r);
		return;
	}
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, complaint_to_json(&items[i], r->now));
	free(items);
	reply_json(
		r, 200,
		json_pack("{so sI}", "items", a, "total", (json_int_t)total));
}

static json_t *transitions_json(struct db *db, int64_t id)
{
	struct complaint_transition *t = NULL;
	json_t *a = json_array();
	char at[26];
	size_t n = 0;

	if (store_complaint_transitions(db, id, &t, &n) < 0) {
		json_decref(a);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		cal_format_lima(t[i].at, at);
		json_array_append_new(
			a, json_pack("{ss ss ss ss so ss}", "from", t[i].from,
				     "to", t[i].to, "at", at, "by", t[i].by,
				     "by_name", json_opt_str(t[i].by_name),
				     "note", t[i].note));
	}
	free(t);
	return a;
}

/* The complaint page: the object, its moves, and where it may go next. */
static void reply_complaint(struct req *r, struct db *db,
			    const struct complaint *c)
{
	json_t *o = complaint_to_json(c, r->now);
	json_t *moves = transitions_json(db, c->id), *next = json_array();

	if (!moves) {
		json_decref(o);
		json_decref(next);
		reply_internal(r);
		return;
	}
	if (c->status != COMPLAINT_RESUELTO)
		json_array_append_new(next, json_string(complaint_status_code(
						    c->status + 1)));
	json_object_set_new(o, "transitions", moves);
	json_object_set_new(o, "next", next);
	reply_json(r, 200, o);
}

/* The complaint of the path (id or code): 0, or -1 replied. */
static int load(struct req *r, struct db *db, struct complaint *c)
{
	int rc = store_complaint_get(db, r->param[0], c);

	if (rc < 0)
		reply_internal(r);
	else if (rc == 0)
		fail(r, 404, "NOT_FOUND", NULL, "El reclamo no existe");
	return rc == 1 ? 0 : -1;
}

void api_complaints_get(struct req *r)
{
	struct complaint *c = api_alloc(r, sizeof(*c));
	struct db *db = c ? api_db(r) : NULL;

	if (db && load(r, db, c) == 0)
		reply_complaint(r, db, c);
}

void api_complaints_transition(struct req *r)
{
	struct complaint *c = api_alloc(r, sizeof(*c));
	char to[16], note[4 * COMPLAINT_NOTE_CHARS + 1];
	struct db *db;
	struct inop_err e;

	if (!c)
		return;
	if (body_str(r->body, "to", 1, to, sizeof(to), &e) < 0 ||
	    body_text(r->body, "note", 0, COMPLAINT_NOTE_CHARS, note,
		      sizeof(note), &e) < 0) {
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_complaint_transition(
		    db, r->param[0], to, note, r->actor.username, r->now,
		    complaint_mail_resolved, NULL, c, &e) < 0)
		reply_error(r, &e);
	else
		reply_complaint(r, db, c);
}

void api_complaints_document(struct req *r)
{
	struct complaint *c = api_alloc(r, sizeof(*c));
	struct complaint_doc d;
	unsigned char *data = NULL;
	char disposition[COMPLAINT_FILENAME_MAX + 32];
	struct db *db = c ? api_db(r) : NULL;
	const char *ctype;
	int64_t doc_id;
	int rc;

	if (!db || load(r, db, c) < 0)
		return;
	if (strnum_i64(r->param[1], 1, INT64_MAX, &doc_id) < 0 ||
	    (rc = store_complaint_document(db, c->id, doc_id, &d, &data)) ==
		    0) {
		fail(r, 404, "NOT_FOUND", NULL, "El documento no existe");
		goto out;
	}
	if (rc < 0) {
		reply_internal(r);
		goto out;
	}
	(void)str_printf(disposition, sizeof(disposition),
			 "attachment; filename=\"%s\"", d.filename);
	reply_header(r, "Content-Disposition", disposition);
	/* A static string: the reply outlives this function. */
	ctype = complaint_sniff(data, d.len);
	reply_bytes(r, 200, ctype ? ctype : "application/octet-stream",
		    (char *)data, d.len);
	data = NULL;
out:
	free(data);
}

void api_complaints_audit(struct req *r)
{
	struct complaint *c = api_alloc(r, sizeof(*c));
	struct db *db = c ? api_db(r) : NULL;

	if (db && load(r, db, c) == 0)
		reply_audit(r, db, "complaint", c->id);
}
