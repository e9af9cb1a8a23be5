#ifndef INOP_UTIL_DLIB_H
#define INOP_UTIL_DLIB_H
#include <stddef.h>

/*
 * A shared library loaded when first needed, not at every start: libpq
 * (db/postgres.c) and libcurl (mail/sender.c) and the libraries only they
 * pull in, which a SQLite node sending no mail never needs (bench/README,
 * stop 17: 18 of the 75 libraries the dynamic loader mapped at each start).
 *
 * The functions used are members of a struct, each of the type of the
 * library's own declaration (DLIB_MEMBER), so every call through them is
 * checked against the library's header.  An X-macro lists the names once;
 * see PQ_FUNCS in db/postgres.c.  dlib_load() fills the members: `names`
 * and `slots` (the members' addresses) in the same order.  0 when the
 * library and every name were found; -1, with the reason in `why`, when
 * not (no slot is to be used then).
 */
int dlib_load(const char *soname, const char *const *names, void *const *slots,
	      size_t n, char *why, size_t why_size);

/* `f` is a name, declared here: it cannot be parenthesised. */
// NOLINTNEXTLINE(bugprone-macro-parentheses)
#define DLIB_MEMBER(f) __typeof__(f) *f;
/* The names, in the list's order: static const char *const n[] = {
 * LIST(DLIB_NAME)}; the slots are &struct.f, also in that order. */
#define DLIB_NAME(f) #f,

#endif
