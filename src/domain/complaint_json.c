#include "domain/complaint_json.h"

static json_t *lima_or_null(int64_t t)
{
	char s[26];

	if (!t)
		return json_null();
	cal_format_lima(t, s);
	return json_string(s);
}

json_t *complaint_public_json(const struct complaint *c)
{
	return json_pack("{sI ss ss so ss ss ss}", "id", (json_int_t)c->id,
			 "code", c->code, "status",
			 complaint_status_code(c->status), "received_at",
			 lima_or_null(c->received_at), "matter", c->matter,
			 "due_date", c->due_date, "source", c->source);
}

static json_t *docs_json(const struct complaint *c)
{
	json_t *a = json_array();

	for (int i = 0; i < c->n_docs; i++)
		json_array_append_new(
			a, json_pack("{sI ss ss sI}", "id",
				     (json_int_t)c->docs[i].id, "filename",
				     c->docs[i].filename, "content_type",
				     c->docs[i].content_type, "size",
				     (json_int_t)c->docs[i].len));
	return a;
}

json_t *complaint_to_json(const struct complaint *c, int64_t now)
{
	json_t *o = complaint_public_json(c);

	json_object_set_new(o, "status_name",
			    json_string(complaint_status_name(c->status)));
	json_object_set_new(o, "external_ref",
			    c->external_ref[0] ? json_string(c->external_ref)
					       : json_null());
	json_object_set_new(o, "customer_name", json_string(c->customer_name));
	json_object_set_new(o, "document_type", json_string(c->document_type));
	json_object_set_new(o, "document", json_string(c->document));
	json_object_set_new(o, "email", json_string(c->email));
	json_object_set_new(o, "phone", json_string(c->phone));
	json_object_set_new(o, "service", json_string(c->service));
	json_object_set_new(o, "matter_name", json_string(c->matter_name));
	json_object_set_new(o, "business_days",
			    json_integer(c->business_days));
	json_object_set_new(o, "description", json_string(c->description));
	json_object_set_new(o, "overdue",
			    json_boolean(now && complaint_overdue(c, now)));
	json_object_set_new(o, "in_process_at",
			    lima_or_null(c->in_process_at));
	json_object_set_new(o, "resolved_at", lima_or_null(c->resolved_at));
	json_object_set_new(o, "note", json_string(c->note));
	json_object_set_new(o, "documents", docs_json(c));
	return o;
}
