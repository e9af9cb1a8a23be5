#ifndef INOP_STORE_IMPORTS_H
#define INOP_STORE_IMPORTS_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "import/import.h"
#include "util/err.h"

/*
 * Imports (SPEC I1-I3) and the time series E3/E4 read (series_days,
 * day_totals; see 012_interactions.sql).  A withdrawn import stays
 * listed but its rows stop counting.
 */

/* Every point's id and code, for checking rows.  *out malloc'd. */
int store_import_points(struct db *db, struct import_point **out, size_t *n);

/*
 * I3: stores a good import (import_finish() returned 0) with its chunks,
 * day totals and audit record, in one transaction through store_write.
 * 409 ALREADY_IMPORTED when the same content is in force (out->id is the
 * earlier import).  0 or -1.
 */
int store_import_save(struct db *db, const struct import *im,
		      const char *source, const char *actor, int64_t now,
		      struct import_rec *out, struct inop_err *err);

/* Newest first; kind NULL: all.  *out malloc'd. */
int store_imports_list(struct db *db, const char *kind,
		       struct import_rec **out, size_t *n);
/* 1 found, 0 not, -1 error. */
int store_import_get(struct db *db, int64_t id, struct import_rec *out);
/* The import in force with this content: 1, 0, -1. */
int store_import_by_sha(struct db *db, const char *kind, const char *sha256,
			struct import_rec *out);
/* Withdraws (audited): 404 unknown, 409 already withdrawn. 0 or -1. */
int store_import_withdraw(struct db *db, int64_t id, const char *actor,
			  int64_t now, struct import_rec *out,
			  struct inop_err *err);

/*
 * The days [first, last] that have data of one kind ('I', 'S', 'L') in
 * an import in force, read at once, for evaluating many events in one
 * transaction: store_series_windows and store_series_days ask it instead
 * of the database for the days it covers.  has[d - first].
 */
struct import_days {
	char kind;
	int32_t first, last;
	unsigned char *has;
};
int store_import_days_load(struct db *db, char kind, int32_t first,
			   int32_t last, struct import_days *out);
void store_import_days_release(struct import_days *d);

/*
 * E3: the counts of one series kind ('I', 'S', 'L') in n windows of Lima
 * minutes [lo[k], hi[k]), summed over the imports in force (code: the
 * procedure type, PUBLICO or INBOX, "" for ldr -- always given, so that
 * the primary key finds the rows directly).  has[k] is 1 when some import in
 * force has data of that kind on a day the window touches (else counts[k] is 0
 * and means "no data", not zero).  point_id 0 with kind 'S'.  `known`
 * (may be NULL) gives the days with data when it covers the windows.
 * 0 or -1.
 */
int store_series_windows(struct db *db, const struct import_days *known,
			 char kind, int64_t point_id, const char *code,
			 const int64_t *lo, const int64_t *hi, int n,
			 int64_t *counts, int *has);

/*
 * The impact chart: the minute counts of one series on each of the
 * `days` Lima days from first_day, into counts[d * 1440 + minute]
 * (zeroed first), has[d] as above (`known` as there).  0 or -1.
 */
int store_series_days(struct db *db, const struct import_days *known,
		      char kind, int64_t point_id, const char *code,
		      int32_t first_day, int days, uint32_t *counts, int *has);

/*
 * E4: the day totals of kind/code for the `days` Lima days from
 * first_day, with has[] as above.  0 or -1.
 */
int store_day_totals(struct db *db, char kind, const char *code,
		     int32_t first_day, int days, int64_t *counts, int *has);

/*
 * E4: adds the complaints Inop received on each of the `days` Lima days
 * from first_day into counts (marking has[]), from the per-day totals the
 * intake keeps (store_complaints_per_day).  0 or -1.
 */
int store_e4_add_complaints(struct db *db, int32_t first_day, int days,
			    int64_t *counts, int *has);

#endif
