#ifndef INOP_DOMAIN_ACCOUNT_H
#define INOP_DOMAIN_ACCOUNT_H
#include <stddef.h>

#include "util/err.h"

#define PASSWORD_MIN_CHARS 12

/*
 * Checks a new user account (SPEC section 3): username of 3 to 60
 * characters [a-z0-9._-], a plausible e-mail address, at least one role,
 * a password of at least PASSWORD_MIN_CHARS characters (422
 * WEAK_PASSWORD).  0, or -1 with a 422 naming the field.
 */
int account_check(const char *username, const char *email, unsigned roles,
		  const char *password, struct inop_err *err);

/* Characters (not bytes) of a UTF-8 string. */
size_t utf8_chars(const char *s);

#endif
