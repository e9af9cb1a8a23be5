/* K1-K2: serials of paper forms and their regularisation. */
#include "domain/manual_form.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>

int manual_form_serial(char out[MANUAL_FORM_SERIAL_LEN],
		       const char *point_code, int64_t seq)
{
	if (seq < 1 || seq > 999999)
		return -1;
	return str_printf(out, MANUAL_FORM_SERIAL_LEN, "FM-%s-%06lld",
			  point_code, (long long)seq);
}

int manual_form_use_check(const struct manual_form *form,
			  const struct event *ev, struct inop_err *err)
{
	if (!form)
		return err_set(err, 422, "MANUAL_FORM_UNKNOWN",
			       "manual_form_ref",
			       "No existe el formato manual '%s': use el "
			       "número impreso en el formato (FM-...)",
			       ev->manual_form_ref);
	if (form->point.id != ev->point.id)
		return err_set(
			err, 422, "MANUAL_FORM_OTHER_POINT", "manual_form_ref",
			"El formato manual %s fue emitido para el punto "
			"%s, no para %s",
			form->serial, form->point.code, ev->point.code);
	if (form->event_id)
		return err_set(
			err, 422, "MANUAL_FORM_USED", "manual_form_ref",
			"El formato manual %s ya fue regularizado en el "
			"evento %s",
			form->serial, form->event_number);
	return 0;
}

int64_t regularisation_delay_s(const struct event *ev)
{
	if (strcmp(ev->origin, "MANUAL") != 0)
		return -1;
	if (ev->registered_at <= ev->started_at)
		return 0;
	return ev->registered_at - ev->started_at;
}
