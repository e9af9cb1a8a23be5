#ifndef INOP_DOMAIN_POINT_H
#define INOP_DOMAIN_POINT_H

#include "domain/catalog.h"
#include "domain/codes.h"
#include "domain/event.h"
#include "util/err.h"

/*
 * Checks a new attention point (SPEC section 4) and derives its channel
 * from its type: code of upper-case letters, digits, '-' and '_'; a known
 * type; lines ("123", "135") for a call centre, and only there.  0, or -1 with
 * a 422 naming the field.
 */
int point_check(const struct catalog *cat, struct point_ref *p,
		const struct codes *lines, struct inop_err *err);

#endif
