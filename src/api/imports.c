/*
 * Data brought in (SPEC I1-I3, API.md): file imports streamed from the
 * request's spool, their list and withdrawal, and the social posts
 * Atención Online types in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "import/import.h"
#include "store/imports.h"
#include "util/str.h"

#define READ_CHUNK (1u << 20)

/* Who may import each kind: interactions and ldr CONTROL, social also
 * ONLINE. */
static int may_import(const struct req *r, enum import_kind k)
{
	unsigned need =
		k == IMPORT_SOCIAL ? ROLE_CONTROL | ROLE_ONLINE : ROLE_CONTROL;

	return (r->actor.roles & need) != 0;
}

/* The import as the reply shows it: the actor's name beside what they did
 * (the store knows it from the users table on every later read). */
static json_t *rec_json(const struct req *r, struct import_rec *rec)
{
	if (strcmp(rec->imported_by, r->actor.username) == 0)
		(void)str_copy(rec->imported_by_name,
			       sizeof(rec->imported_by_name), r->actor.name);
	if (rec->withdrawn_at &&
	    strcmp(rec->withdrawn_by, r->actor.username) == 0)
		(void)str_copy(rec->withdrawn_by_name,
			       sizeof(rec->withdrawn_by_name), r->actor.name);
	return import_rec_to_json(rec);
}

static void reply_invalid(struct req *r, const struct import *im)
{
	json_t *lines = json_array();

	for (int i = 0; i < im->n_errors; i++)
		json_array_append_new(
			lines, json_pack("{s:I, s:s}", "line",
					 (json_int_t)im->errors[i].line,
					 "reason", im->errors[i].reason));
	reply_json(
		r, 422,
		json_pack(
			"{s:{s:s, s:s, s:n, s:o, s:I}}", "error", "code",
			"IMPORT_INVALID", "message",
			"El archivo fue rechazado: hay filas con errores y no "
			"se importó nada",
			"field", "lines", lines, "bad_rows",
			(json_int_t)im->bad_rows));
}

static void reply_save_error(struct req *r, const struct inop_err *e,
			     const struct import_rec *prev)
{
	if (e->status != 409 || strcmp(e->code, "ALREADY_IMPORTED") != 0) {
		reply_error(r, e);
		return;
	}
	reply_json(r, 409,
		   json_pack("{s:{s:s, s:s, s:n, s:I, s:o}}", "error", "code",
			     e->code, "message", e->message, "field",
			     "import_id", (json_int_t)prev->id, "import",
			     import_rec_to_json(prev)));
}

/* Feeds the spooled body.  0, or -1 (out of memory or read error). */
static int feed_upload(struct req *r, struct import *im)
{
	FILE *f = r->upload;
	char *buf;
	size_t n;

	if (!f)
		return 0;
	buf = malloc(READ_CHUNK);
	if (!buf)
		return -1;
	while ((n = fread(buf, 1, READ_CHUNK, f)) > 0)
		if (import_feed(im, buf, n) < 0)
			break;
	free(buf);
	return ferror(f) || n > 0 ? -1 : 0;
}

static void import_run(struct req *r, struct db *db, enum import_kind kind)
{
	struct import_point *pts = NULL;
	size_t npts = 0;
	struct import im;
	struct import_rec rec = {0};
	struct inop_err e;
	int rc;

	if (store_import_points(db, &pts, &npts) < 0 ||
	    import_init(&im, kind, pts, npts) < 0) {
		free(pts);
		reply_internal(r);
		return;
	}
	rc = feed_upload(r, &im) < 0 ? -1 : import_finish(&im);
	if (rc < 0)
		reply_internal(r);
	else if (rc == 1)
		reply_invalid(r, &im);
	else if (store_import_save(db, &im, "ARCHIVO", r->actor.username,
				   r->now, &rec, &e) < 0)
		reply_save_error(r, &e, &rec);
	else
		reply_json(r, 201, rec_json(r, &rec));
	import_release(&im);
	free(pts);
}

void api_imports_create(struct req *r)
{
	enum import_kind kind;
	struct inop_err e;
	struct db *db;

	if (import_kind_parse(r->param[0], &kind) < 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"Tipo de importación desconocido: '%.40s' "
			"(interactions, social o ldr)",
			r->param[0]);
		reply_error(r, &e);
		return;
	}
	if (!may_import(r, kind)) {
		err_set(&e, 403, "FORBIDDEN", NULL,
			"Su rol no puede importar '%s'",
			import_kind_name(kind));
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (db)
		import_run(r, db, kind);
}

void api_imports_list(struct req *r)
{
	const char *kind = http_query(r, "kind");
	enum import_kind k;
	struct import_rec *list = NULL;
	size_t n = 0;
	struct inop_err e;
	struct db *db;
	json_t *items;

	if (kind && *kind && import_kind_parse(kind, &k) < 0) {
		err_validation(&e, "kind", "Tipo desconocido: '%.40s'", kind);
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_imports_list(db, kind && *kind ? kind : NULL, &list, &n) <
	    0) {
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, import_rec_to_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)n));
}

void api_imports_withdraw(struct req *r)
{
	struct import_rec rec = {0};
	struct inop_err e;
	int64_t id;
	struct db *db;
	char *end;

	id = strtoll(r->param[0], &end, 10);
	if (*end || id <= 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"No existe la importación '%.40s'", r->param[0]);
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	if (!db)
		return;
	if (store_import_withdraw(db, id, r->actor.username, r->now, &rec,
				  &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, 200, rec_json(r, &rec));
}

void api_imports_audit(struct req *r)
{
	struct import_rec rec = {0};
	struct inop_err e;
	struct db *db = api_db(r);
	char *end;
	int64_t id = strtoll(r->param[0], &end, 10);
	int rc;

	if (!db)
		return;
	rc = *end || id <= 0 ? 0 : store_import_get(db, id, &rec);
	if (rc < 0) {
		reply_internal(r);
	} else if (rc == 0) {
		err_set(&e, 404, "NOT_FOUND", NULL,
			"No existe la importación '%.40s'", r->param[0]);
		reply_error(r, &e);
	} else {
		reply_audit(r, db, "import", id);
	}
}

/* POST /social-posts: {"posted_at","network","kind","count"?}. */
void api_social_posts_create(struct req *r)
{
	char network[64], kind[16];
	int64_t at, count = 1;
	uint32_t minute;
	struct import im;
	struct import_rec rec = {0};
	struct inop_err e;
	struct db *db;

	if (body_time(r->body, "posted_at", 1, &at, &e) < 0 ||
	    body_str(r->body, "network", 1, network, sizeof(network), &e) <
		    0 ||
	    body_str(r->body, "kind", 1, kind, sizeof(kind), &e) < 0 ||
	    (json_object_get(r->body, "count") &&
	     body_int(r->body, "count", &count, &e) < 0))
		goto fail;
	if (strcmp(kind, "PUBLICO") != 0 && strcmp(kind, "INBOX") != 0) {
		err_validation(&e, "kind", "kind debe ser PUBLICO o INBOX");
		goto fail;
	}
	if (count < 1 || count > 100000) {
		err_validation(&e, "count",
			       "count debe estar entre 1 y 100000");
		goto fail;
	}
	if (at > r->now + 300) {
		err_validation(&e, "posted_at", "posted_at está en el futuro");
		goto fail;
	}
	minute = (uint32_t)((at - 5 * 3600) / 60);
	db = api_db(r);
	if (!db)
		return;
	if (import_init(&im, IMPORT_SOCIAL, NULL, 0) < 0) {
		reply_internal(r);
		return;
	}
	if (import_add_social(&im, network, strcmp(kind, "INBOX") == 0, minute,
			      count) < 0) {
		import_release(&im);
		err_validation(
			&e, "network",
			"Red inválida: letras, números, espacio, _ . -");
		goto fail;
	}
	if (import_finish_typed(&im) < 0)
		reply_internal(r);
	else if (store_import_save(db, &im, "DIGITADO", r->actor.username,
				   r->now, &rec, &e) < 0)
		reply_error(r, &e);
	else
		reply_json(r, 201, rec_json(r, &rec));
	import_release(&im);
	return;
fail:
	reply_error(r, &e);
}
