#include "store/control.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/control_json.h"
#include "store/audit.h"
#include "store/processes.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/log.h"
#include "util/str.h"
#include "util/strnum.h"

/* ---------- T1: critical transactions ---------- */

#define CRITICAL_COLS                                                         \
	"SELECT ct.id, ct.event_id, ct.type, ct.customer_ref, "               \
	"ct.attended_at, ct.how, ct.system_ref, ct.system_ref_at, "           \
	"su.username, ct.recorded_at, ru.username, su.name, ru.name FROM "    \
	"critical_transactions ct JOIN users ru ON ru.id = ct.recorded_by "   \
	"LEFT JOIN users su ON su.id = ct.system_ref_by "

static void critical_from_row(struct db_stmt *st, void *elem)
{
	struct critical_tx *tx = elem;

	memset(tx, 0, sizeof(*tx));
	tx->id = db_col_int(st, 0);
	tx->event_id = db_col_int(st, 1);
	db_col_copy(st, 2, tx->type, sizeof(tx->type));
	db_col_copy(st, 3, tx->customer_ref, sizeof(tx->customer_ref));
	tx->attended_at = db_col_int(st, 4);
	db_col_copy(st, 5, tx->how, sizeof(tx->how));
	db_col_copy(st, 6, tx->system_ref, sizeof(tx->system_ref));
	tx->system_ref_at = db_col_int(st, 7);
	db_col_copy(st, 8, tx->system_ref_by, sizeof(tx->system_ref_by));
	tx->recorded_at = db_col_int(st, 9);
	db_col_copy(st, 10, tx->recorded_by, sizeof(tx->recorded_by));
	db_col_copy(st, 11, tx->system_ref_by_name,
		    sizeof(tx->system_ref_by_name));
	db_col_copy(st, 12, tx->recorded_by_name,
		    sizeof(tx->recorded_by_name));
}

int store_critical_insert(struct db *db, const struct event *ev,
			  struct critical_tx *tx, const struct actor *who,
			  int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO critical_transactions (event_id, type, "
		    "customer_ref, attended_at, how, system_ref, "
		    "system_ref_at, system_ref_by, recorded_at, recorded_by) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");

	if (!st)
		return -1;
	tx->event_id = ev->id;
	tx->recorded_at = now;
	/* Usernames are 64 bytes at most, as the *_by fields. */
	(void)str_copy(tx->recorded_by, sizeof(tx->recorded_by),
		       who->username);
	(void)str_copy(tx->recorded_by_name, sizeof(tx->recorded_by_name),
		       who->name);
	db_bind_int(st, 1, ev->id);
	db_bind_text(st, 2, tx->type);
	db_bind_text(st, 3, tx->customer_ref);
	db_bind_int(st, 4, tx->attended_at);
	db_bind_text(st, 5, tx->how);
	if (tx->system_ref[0]) {
		tx->system_ref_at = now;
		(void)str_copy(tx->system_ref_by, sizeof(tx->system_ref_by),
			       who->username);
		(void)str_copy(tx->system_ref_by_name,
			       sizeof(tx->system_ref_by_name), who->name);
		db_bind_text(st, 6, tx->system_ref);
		db_bind_int(st, 7, now);
		db_bind_int(st, 8, who->id);
	}
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, who->id);
	if (db_get_int(st, &tx->id) != 1)
		return -1;
	return audit_append_json(db, "event", ev->id, "event.critical_record",
				 NULL, critical_to_json(tx), who->username,
				 now);
}

int store_critical_get(struct db *db, int64_t event_id, int64_t id,
		       struct critical_tx *tx)
{
	struct db_stmt *st = db_prepare(db, CRITICAL_COLS
					"WHERE ct.event_id = ? AND ct.id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, id);
	return db_get_one(st, critical_from_row, tx);
}

int store_critical_set_ref(struct db *db, const struct event *ev,
			   struct critical_tx *tx, const char *system_ref,
			   const struct actor *who, int64_t now)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE critical_transactions SET system_ref = ?, "
		    "system_ref_at = ?, system_ref_by = ? WHERE id = ? AND "
		    "system_ref IS NULL RETURNING id");
	json_t *before = critical_to_json(tx);

	if (!st) {
		json_decref(before);
		return -1;
	}
	db_bind_text(st, 1, system_ref);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, who->id);
	db_bind_int(st, 4, tx->id);
	/*
	 * A reference longer than tx holds would be audited cut: fail, and
	 * the change's transaction drops the UPDATE.
	 */
	if (db_get_one(st, NULL, NULL) != 1 ||
	    str_copy(tx->system_ref, sizeof(tx->system_ref), system_ref) < 0) {
		json_decref(before);
		return -1;
	}
	tx->system_ref_at = now;
	(void)str_copy(tx->system_ref_by, sizeof(tx->system_ref_by),
		       who->username);
	(void)str_copy(tx->system_ref_by_name, sizeof(tx->system_ref_by_name),
		       who->name);
	return audit_append_json(db, "event", ev->id,
				 "event.critical_reference", before,
				 critical_to_json(tx), who->username, now);
}

int store_critical_list(struct db *db, int64_t event_id,
			struct critical_tx **out, size_t *n)
{
	struct db_stmt *st =
		db_prepare(db, CRITICAL_COLS "WHERE ct.event_id = ? ORDER BY "
					     "ct.attended_at, ct.id");
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	rc = db_list(st, sizeof(**out), critical_from_row, &list, n);
	*out = list;
	return rc;
}

/* ---------- V2: operational-error alerts ---------- */

/* The addresses of the active JEFEs of a point, comma-separated. */
static int point_jefes(struct db *db, int64_t point_id, char *out, size_t n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT u.email FROM users u JOIN user_points up ON "
		    "up.user_id = u.id WHERE up.point_id = ? AND u.active = 1 "
		    "AND (u.role_mask & ?) <> 0 ORDER BY u.username");
	size_t len = 0;
	int rc;

	out[0] = '\0';
	if (!st)
		return -1;
	db_bind_int(st, 1, point_id);
	db_bind_int(st, 2, ROLE_JEFE);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *e = db_col_text(st, 0);

		if (str_printf(out + len, n - len, "%s%s", len ? "," : "",
			       e ? e : "") < 0) {
			out[len] = '\0'; /* keep the addresses that fit */
			continue;
		}
		len += strlen(out + len);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static json_t *alert_json(const struct operational_alert *a)
{
	return json_pack("{s:I, s:s, s:s}", "alert_id", (json_int_t)a->id,
			 "text", a->text, "recipients", a->recipients);
}

int store_alert_insert(struct db *db, const struct event *ev,
		       struct operational_alert *a, const struct actor *who,
		       int64_t now)
{
	struct db_stmt *st;

	if (point_jefes(db, ev->point.id, a->recipients,
			sizeof(a->recipients)) < 0)
		return -1;
	st = db_prepare(db,
			"INSERT INTO operational_alerts (event_id, text, "
			"recipients, created_at, created_by) VALUES (?, ?, "
			"?, ?, ?) RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, ev->id);
	db_bind_text(st, 2, a->text);
	db_bind_text(st, 3, a->recipients);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, who->id);
	if (db_get_int(st, &a->id) != 1)
		return -1;
	a->event_id = ev->id;
	a->created_at = now;
	(void)str_copy(a->created_by, sizeof(a->created_by), who->username);
	(void)str_copy(a->created_by_name, sizeof(a->created_by_name),
		       who->name);
	return audit_append_json(db, "event", ev->id,
				 "event.operational_alert", NULL,
				 alert_json(a), who->username, now);
}

static void operational_alert_from_row(struct db_stmt *st, void *elem)
{
	struct operational_alert *a = elem;

	a->id = db_col_int(st, 0);
	a->event_id = db_col_int(st, 1);
	db_col_copy(st, 2, a->text, sizeof(a->text));
	db_col_copy(st, 3, a->recipients, sizeof(a->recipients));
	a->created_at = db_col_int(st, 4);
	db_col_copy(st, 5, a->created_by, sizeof(a->created_by));
	db_col_copy(st, 6, a->created_by_name, sizeof(a->created_by_name));
}

int store_operational_alerts_list(struct db *db, int64_t event_id,
				  struct operational_alert **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db,
		"SELECT a.id, a.event_id, a.text, a.recipients, "
		"a.created_at, u.username, u.name FROM operational_alerts a "
		"JOIN "
		"users u ON u.id = a.created_by WHERE a.event_id = ? "
		"ORDER BY a.id");
	void *list;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, event_id);
	rc = db_list(st, sizeof(**out), operational_alert_from_row, &list, n);
	*out = list;
	return rc;
}

/* ---------- V1: the facts of one event ---------- */

static void critical_counts_from_row(struct db_stmt *st, void *elem)
{
	struct check_facts *facts = elem;

	facts->critical_total = (int)db_col_int(st, 0);
	facts->critical_missing = (int)db_col_int(st, 1);
}

int store_check_facts(struct db *db, const struct event *ev,
		      struct check_facts *facts, struct processes_request *req)
{
	struct db_stmt *st;
	int rc;

	memset(facts, 0, sizeof(*facts));
	st = db_prepare(
		db,
		"SELECT 1 FROM users u JOIN user_points up ON up.user_id = "
		"u.id WHERE u.id = (SELECT registered_by FROM events WHERE "
		"id = ?) AND up.point_id = ? AND (u.role_mask & ?) <> 0");
	if (!st)
		return -1;
	db_bind_int(st, 1, ev->id);
	db_bind_int(st, 2, ev->point.id);
	db_bind_int(st, 3, ROLE_JEFE);
	rc = db_get_one(st, NULL, NULL);
	if (rc < 0)
		return -1;
	facts->registrant_jefe_of_point = rc == 1;
	st = db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN "
			    "system_ref IS NULL THEN 1 ELSE 0 END), 0) FROM "
			    "critical_transactions WHERE event_id = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, ev->id);
	if (db_get_one(st, critical_counts_from_row, facts) != 1)
		return -1;
	rc = store_processes_get(db, ev->id, req);
	if (rc < 0)
		return -1;
	facts->processes = rc ? req : NULL;
	return 0;
}
