/* Reading fields of JSON request bodies, with Spanish errors. */
#include <string.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/account.h"
#include "store/calendar.h"
#include "store/store.h"
#include "util/log.h"
#include "util/strnum.h"

int body_str(json_t *body, const char *key, int required, char *out,
	     size_t size, struct inop_err *err)
{
	json_t *v = json_object_get(body, key);
	const char *s;

	out[0] = '\0';
	if (!v || json_is_null(v)) {
		if (required)
			return err_validation(
				err, key, "El campo '%s' es obligatorio", key);
		return 0;
	}
	if (!json_is_string(v))
		return err_validation(err, key,
				      "El campo '%s' debe ser un texto", key);
	s = json_string_value(v);
	if (json_string_length(v) >= size ||
	    strlen(s) != json_string_length(v))
		return err_validation(err, key,
				      "El campo '%s' admite hasta %zu "
				      "caracteres",
				      key, size - 1);
	memcpy(out, s, json_string_length(v) + 1);
	if (required && !out[0])
		return err_validation(
			err, key, "El campo '%s' no puede estar vacío", key);
	return 0;
}

int body_text(json_t *body, const char *key, int required, size_t max_chars,
	      char *out, size_t size, struct inop_err *err)
{
	if (body_str(body, key, required, out, size, err) < 0)
		return -1;
	if (utf8_chars(out) > max_chars)
		return err_validation(err, key,
				      "El campo '%s' admite hasta %zu "
				      "caracteres",
				      key, max_chars);
	return 0;
}

int body_time(json_t *body, const char *key, int required, int64_t *out,
	      struct inop_err *err)
{
	char s[64];

	*out = 0;
	if (body_str(body, key, required, s, sizeof(s), err) < 0)
		return -1;
	if (!s[0])
		return 0;
	if (cal_parse_rfc3339(s, out) < 0)
		return err_validation(
			err, key,
			"El campo '%s' debe ser una fecha y hora "
			"RFC 3339, p. ej. "
			"2026-11-03T09:15:00-05:00",
			key);
	return 0;
}

int body_codes(json_t *body, const char *key, int required, struct codes *out,
	       struct inop_err *err)
{
	json_t *v = json_object_get(body, key), *item;
	size_t i;

	out->n = 0;
	if (!v || json_is_null(v)) {
		if (required)
			return err_validation(
				err, key, "El campo '%s' es obligatorio", key);
		return 0;
	}
	if (!json_is_array(v))
		return err_validation(err, key,
				      "El campo '%s' debe ser una lista de "
				      "códigos",
				      key);
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item) ||
		    json_string_length(item) >= CODE_LEN)
			return err_validation(err, key,
					      "El campo '%s' debe ser una "
					      "lista de códigos",
					      key);
		if (codes_add(out, json_string_value(item)) < 0)
			return err_validation(
				err, key, "Demasiados elementos en '%s'", key);
	}
	return 0;
}

int body_bool(json_t *body, const char *key, int *out, struct inop_err *err)
{
	json_t *v = json_object_get(body, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return err_validation(
			err, key, "El campo '%s' debe ser true o false", key);
	*out = json_is_true(v);
	return 0;
}

int body_int(json_t *body, const char *key, int64_t *out, struct inop_err *err)
{
	json_t *v = json_object_get(body, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return err_validation(
			err, key,
			"El campo '%s' debe ser un número entero "
			"positivo",
			key);
	*out = json_integer_value(v);
	return 0;
}

void reply_internal(struct req *r)
{
	struct inop_err e;

	err_internal(&e);
	reply_error(r, &e);
}

void *api_alloc(struct req *r, size_t size)
{
	void *p = arena_alloc(&r->arena, size);

	if (!p)
		reply_internal(r);
	return p;
}

int api_query_int(struct req *r, const char *key, int64_t min, int64_t max,
		  int64_t dflt, int64_t *out, struct inop_err *e)
{
	const char *s = http_query(r, key);

	*out = dflt;
	if (!s || !*s)
		return 0;
	if (strnum_i64(s, min, max, out) < 0)
		return err_validation(e, key,
				      "'%s' debe ser un número entre %lld y "
				      "%lld",
				      key, (long long)min, (long long)max);
	return 0;
}

int api_page(struct req *r, int64_t dflt, int64_t *limit, int64_t *offset,
	     struct inop_err *e)
{
	return api_query_int(r, "limit", 1, API_LIMIT_MAX, dflt, limit, e) <
				       0 ||
			       api_query_int(r, "offset", 0, INT32_MAX, 0,
					     offset, e) < 0
		       ? -1
		       : 0;
}

int api_scoped_to_points(const struct actor *a)
{
	return roles_point_scoped(a->roles);
}

int api_path_id(struct req *r, const char *what, int64_t *id)
{
	struct inop_err e;

	if (strnum_i64(r->param[0], 1, INT64_MAX, id) == 0)
		return 0;
	err_set(&e, 404, "NOT_FOUND", NULL, "No existe %s '%s'", what,
		r->param[0]);
	reply_error(r, &e);
	return -1;
}

struct db *api_db(struct req *r)
{
	struct db *db = store_conn();

	if (!db)
		reply_internal(r);
	return db;
}

const struct cal_calendar *api_calendar(struct req *r)
{
	const struct cal_calendar *cal;
	struct db *db = api_db(r);

	if (!db)
		return NULL;
	if (store_calendar_acquire(db, &cal) < 0) {
		reply_internal(r);
		return NULL;
	}
	return cal;
}
