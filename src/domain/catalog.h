#ifndef INOP_DOMAIN_CATALOG_H
#define INOP_DOMAIN_CATALOG_H
#include <stddef.h>

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
 */
struct cat_item {
	char kind[24];
	char code[48];
	char name[192];
	char parent[48];
	char extra[24];
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

#endif
