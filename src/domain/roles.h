#ifndef INOP_DOMAIN_ROLES_H
#define INOP_DOMAIN_ROLES_H
#include <stddef.h>
#include <stdint.h>

/* The roles of SPEC section 3, as bits: a user may hold several. */
enum role {
	ROLE_JEFE = 1u << 0,
	ROLE_FALLAS = 1u << 1,
	ROLE_SOPORTE = 1u << 2,
	ROLE_CONTROL = 1u << 3,
	ROLE_PROCESOS = 1u << 4,
	ROLE_ONLINE = 1u << 5,
	ROLE_GERENTE = 1u << 6,
	ROLE_DIRECTOR = 1u << 7,
	ROLE_REGULATORIO = 1u << 8,
	ROLE_RECLAMOS = 1u << 9,
	ROLE_ADMIN = 1u << 10,
};
#define ROLE_ANY   0xffffffffu
#define ROLE_COUNT 11

/* The code of bit i (0..ROLE_COUNT-1), e.g. "JEFE". */
const char *role_code(int i);
/* The Spanish name of a role code ("Gerencia"), or the code itself. */
const char *role_name(const char *code);
/* The bit of a role code, or 0 when unknown. */
unsigned role_from_code(const char *code);
/* "JEFE,CONTROL" -> bits; unknown codes are skipped. */
unsigned roles_from_csv(const char *csv);
/* bits -> "JEFE,CONTROL" into out (always NUL-terminated). */
void roles_to_csv(unsigned roles, char *out, size_t n);

/*
 * Point scope.  A JEFE sees only the events, alerts and critical
 * transactions of own points, whatever else the user holds, unless one of
 * these roles — whose work is every point's — grants wider sight on
 * purpose.  ONLINE and RECLAMOS do not: holding them does not widen a
 * JEFE's sight.  (README, "Who sees which points".)
 */
#define ROLES_WIDE_SIGHT                                                      \
	(ROLE_FALLAS | ROLE_SOPORTE | ROLE_CONTROL | ROLE_PROCESOS |          \
	 ROLE_GERENTE | ROLE_DIRECTOR | ROLE_REGULATORIO | ROLE_ADMIN)
/* 1 when `roles` see only own points: JEFE without a wide-sight role. */
int roles_point_scoped(unsigned roles);

/*
 * users.name: 120 characters of UTF-8.  Wherever a record says who did
 * something it keeps the username (the contract's field) and, beside it,
 * the person's name (the `*_name` fields), which is what screens, mails
 * and reports show.
 */
#define PERSON_NAME_BYTES 481

/* Who is asking: filled by authentication for every request. */
struct actor {
	int64_t id;
	char username[64];
	char name[PERSON_NAME_BYTES];
	unsigned roles;
};

/*
 * "Rosa Quispe (jefe.lima)" into out (always NUL-terminated, cut to fit);
 * the username alone when the name is empty, "" when both are.
 */
void person_label(const char *name, const char *username, char *out, size_t n);

#endif
