#ifndef INOP_RENDER_COMPLAINT_PDF_H
#define INOP_RENDER_COMPLAINT_PDF_H
#include <stddef.h>

#include "domain/complaint.h"

/*
 * Q4: the complaint form the customer receives by e-mail (PDF, A4):
 * code, received time in Lima, every field, the matter with its business
 * days, the due date, the documents attached, and that a complaint does
 * not suspend payment.  Long descriptions continue on further pages.
 *
 * On success *out is a malloc'd PDF of *len bytes (free() it) and 0 is
 * returned; -1 on failure.  Thread-safe (pango with its own layouts).
 */
int render_complaint_pdf(const struct complaint *c, char **out, size_t *len);

#endif
