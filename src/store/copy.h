#ifndef INOP_STORE_COPY_H
#define INOP_STORE_COPY_H
#include <stdio.h>

#include "db/db.h"
#include "util/err.h"

/*
 * Copies a whole register from one store to another (SQLite <->
 * PostgreSQL), every table and every row with its ids, numbers and audit
 * chain unchanged, in one transaction on the target.  The target is
 * a new database (migrated, never `init`ed): it must hold no rows.  Prints one
 * line per table ("table rows") to `out` and checks the row counts match at
 * the end.  0 or -1 with err.
 */
int store_copy(struct db *from, struct db *to, FILE *out,
	       struct inop_err *err);

#endif
