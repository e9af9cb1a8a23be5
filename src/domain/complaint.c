/* Complaints (SPEC Q1-Q5): the rules, pure. */
#include "domain/complaint.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "util/str.h"

static const char *const status_codes[] = {"RECIBIDO", "EN_PROCESO",
					   "RESUELTO"};
static const char *const status_names[] = {"Recibido", "En proceso",
					   "Resuelto"};

const char *complaint_status_code(enum complaint_status s)
{
	return (unsigned)s < 3 ? status_codes[s] : "";
}

const char *complaint_status_name(enum complaint_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "";
}

int complaint_status_parse(const char *code, enum complaint_status *out)
{
	for (int i = 0; i < 3; i++)
		if (code && strcmp(code, status_codes[i]) == 0) {
			*out = (enum complaint_status)i;
			return 0;
		}
	return -1;
}

static int all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int alnum_between(const char *s, size_t lo, size_t hi)
{
	size_t n = strlen(s);

	if (n < lo || n > hi)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

int complaint_ruc_check_digit_ok(const char *ruc)
{
	static const int w[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
	int sum = 0, check;

	if (!all_digits(ruc, 11))
		return 0;
	for (int i = 0; i < 10; i++)
		sum += (ruc[i] - '0') * w[i];
	check = 11 - sum % 11;
	if (check == 10)
		check = 0;
	else if (check == 11)
		check = 1;
	return check == ruc[10] - '0';
}

static int ruc_prefix_ok(const char *ruc)
{
	static const char *const prefixes[] = {"10", "15", "16", "17", "20"};

	for (size_t i = 0; i < 5; i++)
		if (strncmp(ruc, prefixes[i], 2) == 0)
			return 1;
	return 0;
}

int complaint_check_document(const char *type, const char *document,
			     struct inop_err *err)
{
	if (strcmp(type, "DNI") == 0) {
		if (!all_digits(document, 8))
			return err_validation(err, "document",
					      "El DNI debe tener 8 dígitos");
	} else if (strcmp(type, "RUC") == 0) {
		if (!all_digits(document, 11) || !ruc_prefix_ok(document))
			return err_validation(err, "document",
					      "El RUC debe tener 11 dígitos y "
					      "empezar con 10, 15, 16, 17 o "
					      "20");
		if (!complaint_ruc_check_digit_ok(document))
			return err_validation(err, "document",
					      "El RUC no es válido: su dígito "
					      "verificador no corresponde");
	} else if (strcmp(type, "CE") == 0) {
		if (!alnum_between(document, 8, 12))
			return err_validation(err, "document",
					      "El carné de extranjería debe "
					      "tener de 8 a 12 letras o "
					      "dígitos");
	} else if (strcmp(type, "PASAPORTE") == 0) {
		if (!alnum_between(document, 6, 12))
			return err_validation(err, "document",
					      "El pasaporte debe tener de 6 a "
					      "12 letras o dígitos");
	} else {
		return err_validation(err, "document_type",
				      "El tipo de documento debe ser DNI, CE, "
				      "RUC o PASAPORTE");
	}
	return 0;
}

static int label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int complaint_email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *d, *dot;
	size_t n = strlen(s);

	if (!at || at == s || at - s > 64 || n > COMPLAINT_EMAIL_MAX ||
	    strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("\"(),:;<>[\\]", *p))
			return 0;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return 0;
	d = at + 1;
	if (!strchr(d, '.'))
		return 0;
	while ((dot = strchr(d, '.')) != NULL) {
		if (!label_ok(d, (size_t)(dot - d)))
			return 0;
		d = dot + 1;
	}
	/* The top-level domain: letters only, at least two. */
	if (!label_ok(d, strlen(d)) || strlen(d) < 2)
		return 0;
	for (const char *p = d; *p; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	return 1;
}

static int required(const char *v, const char *field, struct inop_err *err)
{
	if (!v[0])
		return err_validation(err, field,
				      "El campo '%s' es obligatorio", field);
	return 0;
}

static int chars_max(const char *v, const char *field, size_t max,
		     struct inop_err *err)
{
	if (utf8_chars(v) > max)
		return err_validation(err, field,
				      "El campo '%s' admite hasta %zu "
				      "caracteres",
				      field, max);
	return 0;
}

static int phone_ok(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !strchr("+ -()", *s))
			return 0;
	return 1;
}

int complaint_validate(const struct complaint *c, struct inop_err *err)
{
	if (required(c->customer_name, "customer_name", err) < 0 ||
	    chars_max(c->customer_name, "customer_name", COMPLAINT_NAME_CHARS,
		      err) < 0 ||
	    required(c->document_type, "document_type", err) < 0 ||
	    required(c->document, "document", err) < 0 ||
	    complaint_check_document(c->document_type, c->document, err) < 0)
		return -1;
	if (!c->email[0])
		return err_validation(err, "email",
				      "El correo electrónico es obligatorio: "
				      "le enviaremos el código del reclamo");
	if (!complaint_email_ok(c->email))
		return err_validation(err, "email",
				      "El correo electrónico no es válido");
	if (!phone_ok(c->phone))
		return err_validation(err, "phone",
				      "El teléfono admite solo dígitos, "
				      "espacios y + - ( )");
	if (required(c->service, "service", err) < 0 ||
	    chars_max(c->service, "service", COMPLAINT_SERVICE_CHARS, err) <
		    0 ||
	    required(c->matter, "matter", err) < 0 ||
	    required(c->description, "description", err) < 0 ||
	    chars_max(c->description, "description",
		      COMPLAINT_DESCRIPTION_CHARS, err) < 0)
		return -1;
	if (c->n_docs > COMPLAINT_DOCS_MAX)
		return err_validation(err, "documents",
				      "Puede adjuntar hasta %d documentos",
				      COMPLAINT_DOCS_MAX);
	return 0;
}

const char *complaint_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1a, '\n'};

	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, png, 8) == 0)
		return "image/png";
	return NULL;
}

static const char *extension(const char *type)
{
	if (strcmp(type, "application/pdf") == 0)
		return ".pdf";
	return strcmp(type, "image/png") == 0 ? ".png" : ".jpg";
}

/* ASCII letters, digits, '.', '-' and '_' survive; the rest becomes '_'
 * (the name goes into mail headers and Content-Disposition). */
static void clean_name(const char *name, const char *type, char *out,
		       size_t size)
{
	size_t j = 0, cap = size - 5; /* room for an extension */

	for (const char *p = name ? name : ""; *p && j < cap; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '/' || ch == '\\')
			j = 0; /* a path: keep its last part */
		else
			out[j++] = isalnum(ch) || ch == '.' || ch == '-'
					   ? (char)ch
					   : '_';
	}
	while (j && out[0] == '.') /* no hidden files */
		memmove(out, out + 1, j--);
	out[j] = '\0';
	if (!j)
		(void)str_copy(out, size, "documento"); /* a display name */
	if (!strrchr(out, '.'))
		(void)str_copy(out + strlen(out), size - strlen(out),
			       extension(type));
}

int complaint_doc_accept(struct complaint_doc *d, const char *name,
			 struct inop_err *err)
{
	const char *type;

	if (d->len == 0)
		return err_validation(err, "documents",
				      "El documento '%s' está vacío",
				      name ? name : "");
	if (d->len > COMPLAINT_DOC_BYTES_MAX)
		return err_set(err, 413, "DOCUMENT_TOO_LARGE", "documents",
			       "Cada documento admite hasta 5 MiB");
	type = complaint_sniff(d->data, d->len);
	if (!type)
		return err_validation(err, "documents",
				      "Solo se aceptan documentos PDF, JPEG o "
				      "PNG");
	(void)str_copy(d->content_type, sizeof(d->content_type),
		       type); /* one of three short constants */
	clean_name(name, type, d->filename, sizeof(d->filename));
	return 0;
}

int complaint_code_format(char out[24], int year, int64_t seq)
{
	if (seq < 1 || seq > 9999999 || year < 1970 || year > 9999)
		return -1;
	(void)str_printf(out, 24, "REC-%04d-%07lld", year, (long long)seq);
	return 0;
}

struct cal_date complaint_due(int64_t received_at, int days,
			      const struct cal_calendar *cal)
{
	return cal_add_business_days(cal_lima_date(received_at), days, cal);
}

int complaint_overdue(const struct complaint *c, int64_t now)
{
	char today[11];

	if (c->status == COMPLAINT_RESUELTO)
		return 0;
	cal_format_date(cal_lima_date(now), today);
	return strcmp(c->due_date, today) < 0;
}

int complaint_transition_check(enum complaint_status from, const char *to,
			       enum complaint_status *out,
			       struct inop_err *err)
{
	if (complaint_status_parse(to, out) < 0 || *out == COMPLAINT_RECIBIDO)
		return err_validation(err, "to",
				      "El estado destino debe ser EN_PROCESO "
				      "o RESUELTO");
	if (*out != from + 1)
		return err_set(err, 409, "INVALID_TRANSITION", "to",
			       "Un reclamo %s no puede pasar a %s: el orden "
			       "es Recibido, En proceso, Resuelto",
			       complaint_status_name(from),
			       complaint_status_name(*out));
	return 0;
}

size_t complaint_mail_estimate(const struct complaint *c, size_t form_bytes)
{
	size_t raw = form_bytes;

	for (int i = 0; i < c->n_docs; i++)
		raw += c->docs[i].len;
	/* base64 with CRLF every 76 characters, plus headers and text. */
	return raw / 57 * 78 + 78 + 64 * 1024;
}
