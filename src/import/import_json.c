/* The JSON of an import, shared by the API and the command line. */
#include <jansson.h>

#include "calendar/cal.h"
#include "import/import.h"

static json_t *day_json(int32_t day)
{
	struct cal_date d = cal_from_day_number(day);
	char s[16];

	(void)snprintf(s, sizeof(s), "%04d-%02d-%02d", d.y, d.m, d.d);
	return json_string(s);
}

json_t *import_rec_to_json(const struct import_rec *r)
{
	char at[26], wat[26];

	cal_format_lima(r->imported_at, at);
	if (r->withdrawn_at)
		cal_format_lima(r->withdrawn_at, wat);
	return json_pack(
		"{s:I, s:s, s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:I, s:I, "
		"s:o, s:o, s:o}",
		"id", (json_int_t)r->id, "kind", r->kind, "source", r->source,
		"rows", (json_int_t)r->rows, "from", day_json(r->first_day),
		"to", day_json(r->last_day), "sha256", r->sha256,
		"imported_at", at, "imported_by", r->imported_by,
		"imported_by_name",
		r->imported_by_name[0] ? json_string(r->imported_by_name)
				       : json_null(),
		"bytes", (json_int_t)r->bytes, "stored_bytes",
		(json_int_t)r->series_bytes, "withdrawn_at",
		r->withdrawn_at ? json_string(wat) : json_null(),
		"withdrawn_by",
		r->withdrawn_at ? json_string(r->withdrawn_by) : json_null(),
		"withdrawn_by_name",
		r->withdrawn_at && r->withdrawn_by_name[0]
			? json_string(r->withdrawn_by_name)
			: json_null());
}
