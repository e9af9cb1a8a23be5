#include "util/err.h"
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct inop_err *e, int status, const char *code,
	    const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->status = status;
	/* codes and field names are short literals; a cut message is fine */
	(void)str_copy(e->code, sizeof(e->code), code);
	(void)str_copy(e->field, sizeof(e->field), field ? field : "");
	va_start(ap, fmt);
	(void)vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}
