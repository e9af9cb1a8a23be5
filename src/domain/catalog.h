#ifndef INOP_DOMAIN_CATALOG_H
#define INOP_DOMAIN_CATALOG_H
#include <stddef.h>

#include "domain/codes.h"

/*
 * The catalogues of SPEC section 4 in memory: loaded from the database by
 * the store, or from the embedded catalog.json for seeding.  Items of all
 * kinds are kept in one array, in display order.
 *
 * kinds: procedure, request (parent = procedure), not_regulated,
 * application (extra = VENTA | POSTVENTA), scenario, cause (parent =
 * scenario), closure_reason, scenario_reason (parent = scenario; the
 * closure reasons allowed for it), critical_transaction, point_type
 * (extra = channel).
 *
 * A cause belongs to one scenario; a closure reason may be allowed in
 * several (the seed's ERROR_USUARIO is allowed in all three), one
 * scenario_reason item per scenario.  A scenario_reason item retired
 * (active 0) takes the reason out of that scenario for new closures
 * while old events keep it.
 */
struct cat_item {
	char kind[24];
	char code[48];
	char name[192];
	char parent[48];
	char extra[24];
	int active; /* 0: retired from new use (kept on old records) */
};

struct catalog {
	struct cat_item *items;
	size_t n;
};

/* Parses the embedded catalog.json.  0 or -1. */
int catalog_from_json(struct catalog *c, const char *json);
void catalog_release(struct catalog *c);
/* Appends an item (copies the strings, truncated to fit).  0 or -1. */
int catalog_add(struct catalog *c, const char *kind, const char *code,
		const char *name, const char *parent, const char *extra);
/* The item, or NULL.  parent NULL matches any parent. */
const struct cat_item *catalog_find(const struct catalog *c, const char *kind,
				    const char *parent, const char *code);

/*
 * Section 4 upkeep: may `code` still be chosen on a new record?  A cause
 * of `scenario`, or a closure reason allowed for `scenario`, that exists
 * and is not retired.  1 or 0.
 */
int catalog_cause_usable(const struct catalog *c, const char *scenario,
			 const char *code);
int catalog_reason_usable(const struct catalog *c, const char *scenario,
			  const char *code);
/* The scenarios closure reason `code` may be chosen in now, in order. */
void catalog_reason_scenarios(const struct catalog *c, const char *code,
			      struct codes *out);

/*
 * Section 4 upkeep: checks a new cause (`kind` "cause") or closure reason
 * ("closure_reason") of `scenario`: the code UPPER_SNAKE (A-Z, 0-9, _),
 * 2 to 47 characters, not taken (409 DUPLICATE_CODE); the name 2 to 120
 * characters; the scenario known (422, field named).  0 or -1.
 */
struct inop_err;
int catalog_entry_check(const struct catalog *c, const char *kind,
			const char *code, const char *name,
			const char *scenario, struct inop_err *err);
/*
 * The scenarios of a closure reason: at least one, each known (422 on
 * field "scenarios").  0 or -1.
 */
int catalog_scenarios_check(const struct catalog *c,
			    const struct codes *scenarios,
			    struct inop_err *err);
/* The name of a renamed entry: 2 to 120 characters (422).  0 or -1. */
int catalog_name_check(const char *name, struct inop_err *err);

#endif
