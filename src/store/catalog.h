#ifndef INOP_STORE_CATALOG_H
#define INOP_STORE_CATALOG_H
#include <stdint.h>

#include "db/db.h"
#include "domain/catalog.h"
#include "domain/roles.h"
#include "util/err.h"

/*
 * Section 4 upkeep: the catalogue as every node reads it, and ADMIN's and
 * SOPORTE's changes to causes and closure reasons.  Codes never change
 * and nothing is deleted; every change is audited (entity "catalog") and
 * moves the counter 'catalog-version'.
 */

/*
 * The current catalogue: reloaded when the counter moved (a change made
 * on any node).  Never NULL once `fallback` is given: on a database
 * error the last one read, else `fallback`.  A replaced catalogue stays
 * allocated until exit (changes are rare; readers may still hold it).
 */
/* Frees every catalogue store_catalog_current() loaded (at exit, once no
 * request runs). */
void store_catalog_release_all(void);

const struct catalog *store_catalog_current(struct db *db,
					    const struct catalog *fallback);

/*
 * kind: "cause" (one scenario) or "closure_reason" (one or more);
 * checked by the caller.
 */
int store_catalog_add(struct db *db, const char *kind, const char *code,
		      const char *name, const struct codes *scenarios,
		      const struct actor *who, int64_t now,
		      struct inop_err *err);
/*
 * Renames (name not NULL) and retires or brings back (active 0 or 1; -1
 * keeps it) the entry `code` of `kind`.  For a closure reason,
 * `scenarios` (NULL keeps them) are the scenarios it may be chosen in
 * from now on: a new one is linked, one left out is retired from that
 * scenario (kept, as everything, for the events already closed with it).
 * 404 when there is none.
 */
int store_catalog_update(struct db *db, const char *kind, const char *code,
			 const char *name, int active,
			 const struct codes *scenarios,
			 const struct actor *who, int64_t now,
			 struct inop_err *err);

#endif
