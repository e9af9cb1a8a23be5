#include <stdlib.h>
#include <string.h>

#include "api/api.h"

/* docs/openapi.yaml as JSON, generated at build time (tools/openapi2c.py). */
extern const char inop_openapi_json[];
extern const size_t inop_openapi_json_len;

void api_openapi(struct req *r)
{
	char *copy = malloc(inop_openapi_json_len + 1);

	if (!copy) {
		reply_json(r, 500, json_pack("{s:s}", "status", "error"));
		return;
	}
	memcpy(copy, inop_openapi_json, inop_openapi_json_len + 1);
	reply_bytes(r, 200, "application/json; charset=utf-8", copy,
		    inop_openapi_json_len);
}
