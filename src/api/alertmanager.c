/*
 * Monitoring integration: Prometheus Alertmanager's webhook (payload
 * version 4) turns firing alerts that name one of the six applications
 * into PENDING alerts for FALLAS (M1).  It never confirms a mass failure:
 * only FALLAS formalises one (M2).
 *
 * Alertmanager sends `Authorization: Bearer <alertmanager_token>`
 * (http_config.authorization.credentials in its receiver); the route is
 * public for the session check and this handler checks the token.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "calendar/cal.h"
#include "domain/mass_failure.h"
#include "store/store.h"
#include "util/str.h"

#define DESCRIPTION_BYTES 1000

/* Labels that may name the application, in order of preference. */
static const char *const app_labels[] = {"application", "inop_application",
					 "app", NULL};

/* Constant time, and no length leak: compare hashes of the two. */
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

static int authorised(struct req *r)
{
	const char *auth = http_header(r, "Authorization");
	struct inop_err e;

	/* 401 like every /api/v1 route without valid credentials. */
	if (!r->app->alertmanager_token[0]) {
		err_set(&e, 401, "UNAUTHENTICATED", NULL,
			"La integración con Alertmanager no está habilitada "
			"(configure alertmanager_token)");
		reply_error(r, &e);
		return 0;
	}
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0 &&
	    token_ok(r->app->alertmanager_token, auth + 7))
		return 1;
	err_set(&e, 401, "UNAUTHENTICATED", NULL,
		"Token de Alertmanager ausente o incorrecto");
	reply_error(r, &e);
	return 0;
}

/* "siac-unico", "SIAC ÚNICO"... -> the catalogue code, or NULL. */
static const char *app_code(const struct catalog *cat, const char *label)
{
	char norm[CODE_LEN];
	size_t i;

	for (i = 0; i < sizeof(norm) - 1 && label[i]; i++) {
		unsigned char c = (unsigned char)label[i];

		norm[i] = (char)((c == '-' || c == ' ' || c == '.')
					 ? '_'
					 : toupper(c));
	}
	norm[i] = '\0';
	for (size_t k = 0; k < cat->n; k++) {
		const struct cat_item *it = &cat->items[k];

		if (strcmp(it->kind, "application") == 0 &&
		    (strcmp(it->code, norm) == 0 ||
		     strcasecmp(it->name, label) == 0))
			return it->code;
	}
	return NULL;
}

/* The applications named by the alert's labels (comma-separated ok). */
static void alert_apps(const struct catalog *cat, json_t *labels,
		       struct codes *apps)
{
	char one[CODE_LEN * 2];

	apps->n = 0;
	for (int i = 0; app_labels[i] && !apps->n; i++) {
		const char *v = json_string_value(
			json_object_get(labels, app_labels[i]));

		while (v && *v) {
			size_t n = strcspn(v, ",");
			const char *code;

			/* a cut value names no application */
			code = str_printf(one, sizeof(one), "%.*s", (int)n,
					  v) == 0
				       ? app_code(cat, one)
				       : NULL;
			if (code)
				codes_add(apps, code);
			v += n + (v[n] == ',');
		}
	}
}

/* Copies at most max-1 bytes of s without cutting a UTF-8 sequence. */
static void copy_utf8(char *out, size_t max, const char *s)
{
	size_t n = strlen(s);

	if (n >= max) {
		n = max - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

static void alert_text(json_t *al, json_t *labels, char *out, size_t max)
{
	json_t *ann = json_object_get(al, "annotations");
	const char *name =
		json_string_value(json_object_get(labels, "alertname"));
	const char *text = json_string_value(json_object_get(ann, "summary"));
	char buf[DESCRIPTION_BYTES + 200];

	if (!text)
		text = json_string_value(json_object_get(ann, "description"));
	/* display text, cut again to max just below: a cut is fine */
	(void)str_printf(buf, sizeof(buf), "Alertmanager: %s%s%s",
			 name ? name : "alerta", text ? ". " : "",
			 text ? text : "");
	copy_utf8(out, max, buf);
}

/*
 * Alertmanager's fingerprint and the alert's startsAt: the webhook repeats
 * a firing alert every repeat_interval with both unchanged (stored once),
 * while the same alert firing again after resolving has a new startsAt
 * (a new alert for FALLAS).  Without a fingerprint, a hash of the labels.
 */
static void alert_key(json_t *al, json_t *labels, char *out, size_t n)
{
	const char *fp = json_string_value(json_object_get(al, "fingerprint"));
	const char *starts =
		json_string_value(json_object_get(al, "startsAt"));
	unsigned char h[16];
	char hex[33], *dump = NULL;

	if (!fp || !*fp || strlen(fp) > 64) {
		dump = json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS);
		crypto_generichash(h, sizeof(h), (const unsigned char *)dump,
				   dump ? strlen(dump) : 0, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		fp = hex;
	}
	/* 64 + '@' + 40 < sizeof(a->fingerprint): no cut */
	(void)str_printf(out, n, "%s@%.40s", fp, starts ? starts : "");
	free(dump);
}

struct tally {
	int created, duplicates, ignored;
	json_t *ids;
};

/* One alert of the payload: stored (or known), or ignored. */
static int one_alert(struct req *r, struct db *db, json_t *al,
		     const char *group_status, struct mf_alert *a,
		     struct tally *t, struct inop_err *e)
{
	json_t *labels = json_object_get(al, "labels");
	const char *status = json_string_value(json_object_get(al, "status"));
	const char *starts =
		json_string_value(json_object_get(al, "startsAt"));
	int created;

	memset(a, 0, sizeof(*a));
	alert_apps(api_cat(r), labels, &a->applications);
	if (!status)
		status = group_status;
	if (!json_is_object(al) || !status || strcmp(status, "firing") != 0 ||
	    !a->applications.n) {
		t->ignored++;
		return 0;
	}
	(void)str_copy(a->source, sizeof(a->source), "ALERTMANAGER");
	if (!starts || cal_parse_rfc3339(starts, &a->observed_at) < 0 ||
	    a->observed_at > r->now || a->observed_at < r->now - 86400 * 30)
		a->observed_at = r->now;
	alert_text(al, labels, a->description, DESCRIPTION_BYTES);
	alert_key(al, labels, a->fingerprint, sizeof(a->fingerprint));
	if (api_alert_raise(r, db, a, NULL, &created, e) < 0)
		return -1;
	if (created)
		t->created++;
	else
		t->duplicates++;
	json_array_append_new(t->ids, json_integer(a->id));
	return 0;
}

void api_alertmanager(struct req *r)
{
	json_t *alerts = json_object_get(r->body, "alerts"), *al;
	const char *status =
		json_string_value(json_object_get(r->body, "status"));
	struct tally t = {0};
	struct mf_alert *a = NULL;
	struct inop_err e;
	struct db *db;
	size_t i;

	if (!authorised(r))
		return;
	if (!json_is_array(alerts)) {
		err_validation(&e, "alerts",
			       "Se espera la carga del webhook "
			       "de Alertmanager (version 4) con "
			       "la lista 'alerts'");
		reply_error(r, &e);
		return;
	}
	db = api_db(r);
	a = malloc(sizeof(*a));
	if (!db || !a) {
		if (db)
			reply_internal(r);
		free(a);
		return;
	}
	t.ids = json_array();
	json_array_foreach(alerts, i, al) if (one_alert(r, db, al, status, a,
							&t, &e) < 0) break;
	free(a);
	if (i < json_array_size(alerts)) {
		json_decref(t.ids);
		reply_error(r, &e);
		return;
	}
	reply_json(r, 200,
		   json_pack("{s:i, s:i, s:i, s:o}", "created", t.created,
			     "duplicates", t.duplicates, "ignored", t.ignored,
			     "alerts", t.ids));
}
