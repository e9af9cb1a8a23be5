/*
 * libFuzzer target: a request body as the router parses it (jansson,
 * duplicate keys refused), then every body getter of src/api/body.c on
 * every key the handlers read and every key the body has.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

static const char *const keys[] = {"point",
				   "procedure",
				   "requests",
				   "applications",
				   "scenario",
				   "cause",
				   "mass_failure_id",
				   "started_at",
				   "attest_total",
				   "origin",
				   "manual_form_ref",
				   "description",
				   "username",
				   "password",
				   "name",
				   "email",
				   "roles",
				   "points",
				   "code",
				   "type",
				   "region",
				   "lines",
				   "text",
				   "reason",
				   "note",
				   "until",
				   "date",
				   "comment",
				   "reference",
				   "to",
				   "system_ref",
				   "justification",
				   "closure_reason",
				   "ended_at",
				   "observed_at",
				   "from",
				   NULL};

static void read_all(json_t *body, const char *key)
{
	char s[64], text[4 * 2000 + 1];
	int64_t t, i;
	struct codes c;
	struct inop_err e;
	int b;

	for (int req = 0; req <= 1; req++) {
		body_str(body, key, req, s, sizeof(s), &e);
		body_text(body, key, req, 2000, text, sizeof(text), &e);
		body_time(body, key, req, &t, &e);
		body_codes(body, key, req, &c, &e);
	}
	body_bool(body, key, &b, &e);
	body_int(body, key, &i, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *body, *v;
	const char *key;

	body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			  &jerr);
	if (!body)
		return 0;
	if (json_is_object(body)) {
		for (size_t k = 0; keys[k]; k++)
			read_all(body, keys[k]);
		json_object_foreach(body, key, v) read_all(body, key);
	}
	json_decref(body);
	return 0;
}
