#ifndef INOP_UTIL_ERR_H
#define INOP_UTIL_ERR_H

/*
 * The one error type of Inop.  Filled where an error arises, turned into
 * the HTTP error reply (or a CLI message) in one place.  `message` is the
 * Spanish text a user reads; `field` names the input field at fault, or is
 * empty.
 */
struct inop_err {
	int status; /* HTTP status: 400, 401, 403, 404, 409, 413, 422, 500 */
	char code[40];	   /* UPPER_SNAKE, e.g. "DUPLICATE_OPEN_EVENT" */
	char field[64];	   /* "" when no field is at fault */
	char message[512]; /* Spanish, UTF-8 */
};

/* Fills `e` (which may be NULL) and returns -1, so `return err_set(...)`. */
int err_set(struct inop_err *e, int status, const char *code,
	    const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Shorthands for the common statuses. */
#define err_validation(e, field, ...)                                         \
	err_set((e), 422, "VALIDATION", (field), __VA_ARGS__)
#define err_internal(e)                                                       \
	err_set((e), 500, "INTERNAL", NULL, "Error interno del servidor")

#endif
