#ifndef INOP_RENDER_MANUAL_FORM_PDF_H
#define INOP_RENDER_MANUAL_FORM_PDF_H
#include <stddef.h>
#include <stdint.h>

#include "domain/catalog.h"
#include "domain/codes.h"
#include "domain/manual_form.h"

/*
 * K1: the printable "Formato Manual de Registro de Inoperatividad" (PDF,
 * A4, two pages) pre-filled for one point: its serial, the point's data,
 * the contingency mailboxes, every field of a registration, its closure
 * and the critical transactions, to be filled in by hand while Inop is
 * down and typed in later (K2).
 */
struct manual_form_doc {
	const struct manual_form *form; /* serial and point */
	const struct codes *lines;	/* the point's call-centre lines */
	const struct catalog *cat;	/* the choices printed */
	const char *mailbox_fallas;	/* "" when not configured */
	const char *mailbox_cc;		/* comma-separated, may be "" */
	int max_age_days;		/* K2 window (0: 30) */
	int64_t generated_at;
	const char *generated_by;
};

/*
 * Renders the form.  On success *out is a malloc'd PDF of *len bytes
 * (the caller frees it) and 0 is returned; -1 on failure.
 */
int render_manual_form_pdf(const struct manual_form_doc *doc, char **out,
			   size_t *len);

/*
 * Frees the font caches pango, cairo and fontconfig keep for the life of
 * the process, so that leak checkers see a clean exit.  Call once, at
 * exit, when no rendering can run any more.
 */
void render_release(void);

#endif
