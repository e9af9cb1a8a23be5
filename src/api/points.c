#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/event_json.h"
#include "domain/point.h"
#include "store/points.h"

static json_t *point_to_json(const struct point *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:b}", "id",
			 (json_int_t)p->ref.id, "code", p->ref.code, "name",
			 p->ref.name, "type", p->ref.type, "channel",
			 p->ref.channel, "lines", codes_to_json(&p->lines),
			 "region", p->ref.region, "active", p->active);
}

static int parse_point(struct req *r, struct point *p, struct inop_err *e)
{
	memset(p, 0, sizeof(*p));
	if (body_str(r->body, "code", 1, p->ref.code, sizeof(p->ref.code), e) <
		    0 ||
	    body_text(r->body, "name", 1, 120, p->ref.name,
		      sizeof(p->ref.name), e) < 0 ||
	    body_str(r->body, "type", 1, p->ref.type, sizeof(p->ref.type), e) <
		    0 ||
	    body_text(r->body, "region", 1, 80, p->ref.region,
		      sizeof(p->ref.region), e) < 0 ||
	    body_codes(r->body, "lines", 0, &p->lines, e) < 0)
		return -1;
	return point_check(api_cat(r), &p->ref, &p->lines, e);
}

void api_points_create(struct req *r)
{
	struct point p;
	struct inop_err e;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (parse_point(r, &p, &e) < 0 ||
	    store_point_insert(db, &p, r->actor.username, r->now, &e) < 0) {
		reply_error(r, &e);
		return;
	}
	reply_json(r, 201, point_to_json(&p));
}

void api_points_list(struct req *r)
{
	const char *mine = http_query(r, "mine");
	struct point *list;
	size_t n;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (store_points_list(db,
			      mine && strcmp(mine, "1") == 0 ? r->actor.id : 0,
			      &list, &n) < 0) {
		free(list);
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, point_to_json(&list[i]));
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)n));
}
