#ifndef INOP_STORE_REPORT_CHARTS_H
#define INOP_STORE_REPORT_CHARTS_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/evaluation.h"
#include "domain/event.h"
#include "store/evaluation.h"

/*
 * The impact charts of a frozen report (the PDF annex): drawn once at
 * EN_REVISION from the imports in force and kept in report_charts, so the
 * frozen PDF does not follow later imports or withdrawals.  Only events
 * with imported data get one.
 */

/* Inside the freezing transaction, for each event of the report in its
 * order: the event's chart when it has imported data, at position *pos
 * (then moved on); `memo` as store_evaluation_impact takes it.  0/-1. */
int store_report_chart_add(struct db *db, struct e34_memo *memo,
			   int64_t report_id, const struct event *ev,
			   int64_t now, int64_t *pos);
/* Sent back to BORRADOR: the frozen charts go.  0 or -1. */
int store_report_charts_drop(struct db *db, int64_t report_id);
/* The frozen charts in order; *out malloc'd (NULL when none).  0/-1. */
int store_report_charts_load(struct db *db, int64_t report_id,
			     struct impact_chart **out, size_t *n);

#endif
