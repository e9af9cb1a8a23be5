/* T1: critical transactions of an event, and their system reference. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/control_json.h"
#include "domain/critical.h"
#include "store/control.h"
#include "store/events.h"
#include "util/strnum.h"

struct critical_change {
	struct req *r;
	struct critical_tx tx;
	char system_ref[CRITICAL_SYSTEM_REF_MAX * 4 + 1];
};

static int parse_critical(struct req *r, struct critical_tx *tx,
			  struct inop_err *e)
{
	json_t *b = r->body;

	if (body_str(b, "type", 1, tx->type, sizeof(tx->type), e) < 0 ||
	    body_text(b, "customer_ref", 1, CRITICAL_CUSTOMER_REF_MAX,
		      tx->customer_ref, sizeof(tx->customer_ref), e) < 0 ||
	    body_time(b, "attended_at", 1, &tx->attended_at, e) < 0 ||
	    body_text(b, "how", 1, CRITICAL_HOW_MAX, tx->how, sizeof(tx->how),
		      e) < 0 ||
	    body_text(b, "system_ref", 0, CRITICAL_SYSTEM_REF_MAX,
		      tx->system_ref, sizeof(tx->system_ref), e) < 0)
		return -1;
	return 0;
}

static int decide_record(struct db *db, struct event *ev, void *arg,
			 struct inop_err *e)
{
	struct critical_change *c = arg;
	struct rule_ctx ctx;

	if (api_rule_ctx(db, c->r, ev, &ctx, e) < 0 ||
	    critical_record_check(api_cat(c->r), &ctx, ev, &c->tx, e) < 0)
		return -1;
	if (store_critical_insert(db, ev, &c->tx, &c->r->actor, c->r->now) < 0)
		return err_internal(e);
	return 0;
}

/* Runs `fn` on the event of the path and replies the transaction. */
static void change(struct req *r, event_decide_fn fn,
		   struct critical_change *c, int status)
{
	struct db *db = api_db(r);

	if (db && api_event_change(r, db, NULL, fn, c))
		reply_json(r, status, critical_to_json(&c->tx));
}

void api_critical_create(struct req *r)
{
	struct critical_change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	if (parse_critical(r, &c->tx, &e) < 0)
		reply_error(r, &e);
	else
		change(r, decide_record, c, 201);
}

static int decide_reference(struct db *db, struct event *ev, void *arg,
			    struct inop_err *e)
{
	struct critical_change *c = arg;
	struct rule_ctx ctx;
	int64_t id;
	int rc;

	if (strnum_i64(c->r->param[1], 1, INT64_MAX, &id) < 0)
		return err_set(e, 404, "NOT_FOUND", NULL,
			       "No existe la transacción crítica '%s'",
			       c->r->param[1]);
	rc = store_critical_get(db, ev->id, id, &c->tx);
	if (rc < 0)
		return err_internal(e);
	if (rc == 0)
		return err_set(e, 404, "NOT_FOUND", NULL,
			       "El evento %s no tiene la transacción crítica "
			       "%lld",
			       ev->number, (long long)id);
	if (api_rule_ctx(db, c->r, ev, &ctx, e) < 0 ||
	    critical_reference_check(&ctx, ev, &c->tx, c->system_ref, e) < 0)
		return -1;
	if (store_critical_set_ref(db, ev, &c->tx, c->system_ref, &c->r->actor,
				   c->r->now) < 0)
		return err_internal(e);
	return 0;
}

void api_critical_reference(struct req *r)
{
	struct critical_change *c = api_alloc(r, sizeof(*c));
	struct inop_err e;

	if (!c)
		return;
	c->r = r;
	if (body_text(r->body, "system_ref", 1, CRITICAL_SYSTEM_REF_MAX,
		      c->system_ref, sizeof(c->system_ref), &e) < 0)
		reply_error(r, &e);
	else
		change(r, decide_reference, c, 200);
}

json_t *api_critical_json(struct db *db, int64_t event_id)
{
	struct critical_tx *list;
	size_t n;
	json_t *a;

	if (store_critical_list(db, event_id, &list, &n) < 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, critical_to_json(&list[i]));
	free(list);
	return a;
}

void api_critical_list(struct req *r)
{
	struct db *db = api_db(r);
	struct event *ev = db ? api_event(r, db) : NULL;
	json_t *items = ev ? api_critical_json(db, ev->id) : NULL;

	if (!ev)
		return;
	if (!items)
		reply_internal(r);
	else
		reply_json(r, 200,
			   json_pack("{s:I, s:o}", "total",
				     (json_int_t)json_array_size(items),
				     "items", items));
}
