/* Frozen impact charts of a report (store/report_charts.h). */
#include "store/report_charts.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/control_json.h"
#include "store/evaluation.h"

static int insert(struct db *db, int64_t report_id, int64_t pos,
		  const struct impact_chart *c)
{
	json_t *o = impact_to_json(c);
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	struct db_stmt *st =
		db_prepare(db, "INSERT INTO report_charts (report_id, "
			       "position, chart) VALUES (?, ?, ?)");
	int rc = -1;

	json_decref(o);
	if (text && st) {
		db_bind_int(st, 1, report_id);
		db_bind_int(st, 2, pos);
		db_bind_text(st, 3, text);
		rc = db_run(st) == DB_DONE ? 0 : -1;
	}
	free(text);
	return rc;
}

int store_report_chart_add(struct db *db, struct e34_memo *memo,
			   int64_t report_id, const struct event *ev,
			   int64_t now, int64_t *pos)
{
	struct impact_chart *c = malloc(sizeof(*c));
	int rc = -1;

	if (c && store_evaluation_impact(db, memo, ev, now, c) == 0) {
		rc = 0;
		if (c->has_day || c->mean_days)
			rc = insert(db, report_id, (*pos)++, c);
	}
	free(c);
	return rc;
}

int store_report_charts_drop(struct db *db, int64_t report_id)
{
	struct db_stmt *st = db_prepare(
		db, "DELETE FROM report_charts WHERE report_id = ?");

	if (!st)
		return -1;
	db_bind_int(st, 1, report_id);
	return db_run(st) == DB_DONE ? 0 : -1;
}

static void chart_row(struct db_stmt *st, void *elem)
{
	json_t *o = json_loads(db_col_text(st, 0), 0, NULL);

	if (!o || impact_from_json(o, elem) < 0)
		memset(elem, 0, sizeof(struct impact_chart));
	json_decref(o);
}

int store_report_charts_load(struct db *db, int64_t report_id,
			     struct impact_chart **out, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT chart FROM report_charts WHERE report_id = ? "
		    "ORDER BY position");

	if (!st)
		return -1;
	db_bind_int(st, 1, report_id);
	return db_list(st, sizeof(**out), chart_row, (void **)out, n);
}
