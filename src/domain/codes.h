#ifndef INOP_DOMAIN_CODES_H
#define INOP_DOMAIN_CODES_H
#include <stddef.h>

/*
 * A small set of catalogue codes (requests, applications, lines), kept in
 * insertion order without duplicates.  Fixed size: the largest list in the
 * catalogue (CONSULTAS) has 17 requests.
 */
#define CODES_MAX 24
#define CODE_LEN  48

struct codes {
	size_t n;
	char v[CODES_MAX][CODE_LEN];
};

int codes_contains(const struct codes *c, const char *code);
/* Adds code unless present.  -1 when full or code too long. */
int codes_add(struct codes *c, const char *code);
/* "A,B" -> set.  -1 when an item does not fit. */
int codes_from_csv(struct codes *c, const char *csv);
/* set -> "A,B" (out always NUL-terminated); -1 when truncated. */
int codes_to_csv(const struct codes *c, char *out, size_t n);

#endif
