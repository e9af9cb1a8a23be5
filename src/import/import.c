/*
 * Checking and counting the rows of an import (import.h).  The hot path
 * (one interaction row) is a memchr split, a fixed-format date parse
 * with a one-entry day cache, a hash probe for the point and a 4-byte
 * append: no allocation per row.
 */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "calendar/cal.h"

#define ZCHUNK (256u * 1024)

static const char *const kind_names[] = {"interactions", "social", "ldr"};
static const char *const type_names[IMPORT_TYPES] = {"RECLAMOS", "ALTAS",
						     "BAJAS", "CONSULTAS"};

const char *import_kind_name(enum import_kind k)
{
	return kind_names[k];
}

int import_kind_parse(const char *s, enum import_kind *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum import_kind)i;
			return 0;
		}
	return -1;
}

const char *import_type_name(int t)
{
	return t >= 0 && t < IMPORT_TYPES ? type_names[t] : "";
}

int import_type_index(const char *s, size_t n)
{
	static const uint8_t len[IMPORT_TYPES] = {8, 5, 5, 9};

	for (int i = 0; i < IMPORT_TYPES; i++)
		if (len[i] == n && (memcmp(s, type_names[i], n) == 0 ||
				    strncasecmp(s, type_names[i], n) == 0))
			return i;
	return -1;
}

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int build_hash(struct import *im)
{
	im->hash_cap = 16;
	while (im->hash_cap < im->n_points * 2)
		im->hash_cap *= 2;
	im->hash = calloc(im->hash_cap, sizeof(*im->hash));
	im->code_len = malloc(im->n_points ? im->n_points : 1);
	if (!im->hash || !im->code_len)
		return -1;
	for (size_t i = 0; i < im->n_points; i++) {
		const char *c = im->points[i].code;
		size_t h = fnv(c, strlen(c)) & (im->hash_cap - 1);

		im->code_len[i] = (uint8_t)strlen(c);
		while (im->hash[h])
			h = (h + 1) & (im->hash_cap - 1);
		im->hash[h] = (uint32_t)i + 1;
	}
	return 0;
}

static int find_point(const struct import *im, const char *s, size_t n)
{
	size_t h = fnv(s, n) & (im->hash_cap - 1);

	while (im->hash[h]) {
		uint32_t i = im->hash[h] - 1;

		if (im->code_len[i] == n &&
		    memcmp(im->points[i].code, s, n) == 0)
			return (int)i;
		h = (h + 1) & (im->hash_cap - 1);
	}
	return -1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int import_parse_time(const char *s, size_t n, uint32_t *minute)
{
	static __thread char last[10];
	static __thread int32_t last_day = -1;
	struct cal_date d;
	int hh, mm, ss = 0;
	int32_t day;

	if ((n != 16 && n != 19) || (s[10] != ' ' && s[10] != 'T') ||
	    s[13] != ':' || (n == 19 && s[16] != ':'))
		return -1;
	if (digits(s + 11, 2, &hh) < 0 || digits(s + 14, 2, &mm) < 0 ||
	    (n == 19 && digits(s + 17, 2, &ss) < 0) || hh > 23 || mm > 59 ||
	    ss > 59)
		return -1;
	if (last_day >= 0 && memcmp(s, last, 10) == 0) {
		day = last_day;
	} else {
		if (s[4] == '-' && s[7] == '-') {
			if (digits(s, 4, &d.y) < 0 ||
			    digits(s + 5, 2, &d.m) < 0 ||
			    digits(s + 8, 2, &d.d) < 0)
				return -1;
		} else if (s[2] == '/' && s[5] == '/') {
			if (digits(s, 2, &d.d) < 0 ||
			    digits(s + 3, 2, &d.m) < 0 ||
			    digits(s + 6, 4, &d.y) < 0)
				return -1;
		} else {
			return -1;
		}
		if (d.y < 1970 || d.y > 2100 || !cal_date_valid(d))
			return -1;
		day = cal_day_number(d);
		memcpy(last, s, 10);
		last_day = day;
	}
	*minute =
		(uint32_t)day * SERIES_DAY_MINUTES + (uint32_t)(hh * 60 + mm);
	return 0;
}

/* Records a bad row: the first IMPORT_ERRORS_MAX with their reason. */
__attribute__((format(printf, 3, 4))) static int
bad(struct import *im, int64_t line, const char *fmt, ...)
{
	va_list ap;

	im->bad_rows++;
	if (im->n_errors < IMPORT_ERRORS_MAX) {
		struct import_error *e = &im->errors[im->n_errors++];

		e->line = line;
		va_start(ap, fmt);
		(void)vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
		va_end(ap);
	}
	if (im->bad_rows == 1) /* nothing of the file will be kept */
		agg_release(&im->agg);
	return 0;
}

/* A value quoted back in a reason: printable ASCII only, cut. */
static const char *shown(const char *s, size_t n)
{
	static __thread char out[48];
	size_t o = 0;

	for (size_t i = 0; i < n && o < sizeof(out) - 4; i++)
		out[o++] = (char)((s[i] >= 0x20 && s[i] < 0x7F) ? s[i] : '?');
	if (n > sizeof(out) - 4)
		out[o++] = '.', out[o++] = '.', out[o++] = '.';
	out[o] = '\0';
	return out;
}

static const char *const col_names[3][4] = {
	{"fecha_hora", "punto", "tipo_tramite", NULL},
	{"fecha_hora", "red", "tipo", NULL},
	{"fecha_hora", "punto", NULL, NULL},
};

static int header(struct import *im, const struct csv_record *rec)
{
	const char *const *want = col_names[im->kind];

	im->header_seen = 1;
	for (int k = 0; k < 4; k++)
		im->col[k] = -1;
	for (int i = 0; i < rec->nf; i++) {
		const char *s = rec->f[i].s;
		size_t n = rec->f[i].len;

		trim(&s, &n);
		for (int k = 0; want[k]; k++)
			if (strlen(want[k]) == n &&
			    strncasecmp(want[k], s, n) == 0 && im->col[k] < 0)
				im->col[k] = i;
	}
	for (int k = 0; want[k]; k++) {
		if (im->col[k] < 0) {
			im->fatal = 1;
			return bad(im, rec->line,
				   "Falta la columna '%s' en la cabecera",
				   want[k]);
		}
		if (im->col[k] + 1 > im->ncols_needed)
			im->ncols_needed = im->col[k] + 1;
	}
	return 0;
}

static int network_index(struct import *im, const char *s, size_t n)
{
	char up[33];

	if (n == 0 || n > 32)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-' || ch == '.' || ch == ' '))
			return -1;
		up[i] = ch;
	}
	up[n] = '\0';
	for (int i = 0; i < im->n_networks; i++)
		if (strcmp(im->networks[i], up) == 0)
			return i;
	if (im->n_networks == IMPORT_NETWORKS_MAX)
		return -2;
	memcpy(im->networks[im->n_networks], up, n + 1);
	return im->n_networks++;
}

static int tipo_social(const char *s, size_t n)
{
	if (n == 7 && strncasecmp(s, "PUBLICO", 7) == 0)
		return 0;
	if (n == 5 && strncasecmp(s, "INBOX", 5) == 0)
		return 1;
	return -1;
}

/* The series of a row (field 1 and 2 already trimmed), or -1 (bad). */
static int32_t row_series(struct import *im, int64_t line, const char *a,
			  size_t an, const char *b, size_t bn)
{
	int p, t;

	switch (im->kind) {
	case IMPORT_INTERACTIONS:
		p = find_point(im, a, an);
		if (p < 0)
			return bad(im, line, "Punto desconocido: '%s'",
				   shown(a, an)),
			       -1;
		t = import_type_index(b, bn);
		if (t < 0)
			return bad(im, line,
				   "tipo_tramite desconocido: '%s' (RECLAMOS, "
				   "ALTAS, BAJAS o CONSULTAS)",
				   shown(b, bn)),
			       -1;
		return p * IMPORT_TYPES + t;
	case IMPORT_LDR:
		p = find_point(im, a, an);
		if (p < 0)
			return bad(im, line, "Punto desconocido: '%s'",
				   shown(a, an)),
			       -1;
		return p;
	default:
		p = network_index(im, a, an);
		if (p < 0)
			return bad(im, line,
				   p == -2 ? "Demasiadas redes distintas: '%s'"
					   : "Red inválida: '%s'",
				   shown(a, an)),
			       -1;
		t = tipo_social(b, bn);
		if (t < 0)
			return bad(im, line,
				   "tipo inválido: '%s' (PUBLICO o INBOX)",
				   shown(b, bn)),
			       -1;
		return p * 2 + t;
	}
}

static void field(const struct csv_record *rec, int col, const char **s,
		  size_t *n)
{
	*s = rec->f[col].s;
	*n = rec->f[col].len;
	trim(s, n);
}

static int on_row(void *ctx, const struct csv_record *rec)
{
	struct import *im = ctx;
	const char *t, *a, *b = "";
	size_t tn, an, bn = 0;
	uint32_t minute;
	int32_t s;

	if (!im->header_seen)
		return header(im, rec), im->fatal;
	if (rec->bad_encoding)
		return bad(im, rec->line,
			   "Codificación inválida: el texto no es UTF-8 ni "
			   "Windows-1252");
	if (rec->open_quote)
		return bad(im, rec->line, "Comillas sin cerrar");
	if (rec->nf < im->ncols_needed)
		return bad(im, rec->line, "Faltan columnas: %d de al menos %d",
			   rec->nf, im->ncols_needed);
	field(rec, im->col[0], &t, &tn);
	field(rec, im->col[1], &a, &an);
	if (im->col[2] >= 0)
		field(rec, im->col[2], &b, &bn);
	if (import_parse_time(t, tn, &minute) < 0)
		return bad(im, rec->line,
			   "fecha_hora inválida: '%s' (AAAA-MM-DD HH:MM[:SS] "
			   "o DD/MM/AAAA HH:MM[:SS])",
			   shown(t, tn));
	s = row_series(im, rec->line, a, an, b, bn);
	if (s < 0 || im->bad_rows)
		return 0;
	im->rows++;
	if (agg_add(&im->agg, s, minute) < 0) {
		im->oom = 1;
		return 1;
	}
	return 0;
}

int import_init(struct import *im, enum import_kind kind,
		const struct import_point *points, size_t n_points)
{
	memset(im, 0, sizeof(*im));
	im->kind = kind;
	im->points = points;
	im->n_points = n_points;
	im->day_min = INT32_MAX;
	im->day_max = INT32_MIN;
	csv_init(&im->csv, on_row, im);
	agg_init(&im->agg);
	im->sha = EVP_MD_CTX_new();
	if (!im->sha || EVP_DigestInit_ex(im->sha, EVP_sha256(), NULL) != 1)
		return -1;
	return build_hash(im);
}

static int feed_plain(struct import *im, const void *buf, size_t len)
{
	EVP_DigestUpdate(im->sha, buf, len);
	if (im->fatal || im->oom)
		return im->oom ? -1 : 0;
	if (csv_feed(&im->csv, buf, len) < 0 && !im->fatal) {
		if (im->oom)
			return -1;
		im->fatal = 1;
		if (im->csv.overlong)
			bad(im, im->csv.line,
			    "Línea demasiado larga (más de 1 MiB): ¿comillas "
			    "sin cerrar?");
	}
	return 0;
}

static int gz_fail(struct import *im)
{
	im->fatal = 1;
	im->z_end = 1;
	return bad(im, im->csv.line,
		   "Archivo gzip truncado o dañado (tras la línea %lld)",
		   (long long)im->csv.line - 1);
}

static int feed_gz(struct import *im, const void *buf, size_t len)
{
	im->z.next_in = (Bytef *)buf; /* zlib reads it only */
	im->z.avail_in = (uInt)len;
	while (im->z.avail_in > 0 && !im->z_end) {
		int rc;

		im->z.next_out = im->zbuf;
		im->z.avail_out = ZCHUNK;
		rc = inflate(&im->z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return gz_fail(im);
		if (feed_plain(im, im->zbuf, ZCHUNK - im->z.avail_out) < 0)
			return -1;
		if (rc == Z_STREAM_END) {
			if (im->z.avail_in == 0) {
				im->z_end = 1;
				break;
			}
			inflateReset(&im->z); /* concatenated members */
		}
	}
	return 0;
}

int import_feed(struct import *im, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	im->bytes_in += (int64_t)len;
	if (len == 0)
		return 0;
	if (!im->gz) {
		im->gz = len >= 2 && p[0] == 0x1f && p[1] == 0x8b ? 1 : 2;
		if (im->gz == 1) {
			im->zbuf = malloc(ZCHUNK);
			if (!im->zbuf || inflateInit2(&im->z, 15 + 32) != Z_OK)
				return -1;
			im->z_open = 1;
		}
	}
	if (im->gz == 1) {
		if (im->z_end) {
			if (!im->fatal) /* bytes after the gzip stream */
				gz_fail(im);
			return 0;
		}
		return feed_gz(im, buf, len);
	}
	return feed_plain(im, buf, len);
}

static void day_span(struct import *im)
{
	for (size_t i = 0; i < im->out.n; i++) {
		if (im->out.chunks[i].day < im->day_min)
			im->day_min = im->out.chunks[i].day;
		if (im->out.chunks[i].day > im->day_max)
			im->day_max = im->out.chunks[i].day;
	}
}

int import_finish(struct import *im)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;

	if (im->gz == 1 && !im->z_end && !im->fatal)
		gz_fail(im);
	if (!im->fatal && csv_finish(&im->csv) < 0 && im->oom)
		return -1;
	if (!im->header_seen && !im->fatal)
		bad(im, 1, "El archivo está vacío");
	else if (im->rows == 0 && im->bad_rows == 0)
		bad(im, 2, "El archivo no tiene filas de datos");
	if (im->bad_rows)
		return 1;
	EVP_DigestFinal_ex(im->sha, h, &hlen);
	sodium_bin2hex(im->sha256, sizeof(im->sha256), h, hlen);
	if (agg_finish(&im->agg, &im->out) < 0)
		return -1;
	day_span(im);
	return 0;
}

void import_release(struct import *im)
{
	csv_release(&im->csv);
	agg_release(&im->agg);
	agg_out_release(&im->out);
	if (im->z_open)
		inflateEnd(&im->z);
	free(im->zbuf);
	free(im->hash);
	free(im->code_len);
	im->code_len = NULL;
	EVP_MD_CTX_free(im->sha);
	im->sha = NULL;
	im->hash = NULL;
	im->zbuf = NULL;
	im->z_open = 0;
}

void import_series_key(const struct import *im, int32_t s, int64_t *point_id,
		       const char **code, const char **network)
{
	*point_id = 0;
	*code = "";
	*network = "";
	switch (im->kind) {
	case IMPORT_INTERACTIONS:
		*point_id = im->points[s / IMPORT_TYPES].id;
		*code = type_names[s % IMPORT_TYPES];
		break;
	case IMPORT_LDR:
		*point_id = im->points[s].id;
		break;
	default:
		*code = s % 2 ? "INBOX" : "PUBLICO";
		*network = im->networks[s / 2];
	}
}

int import_add_social(struct import *im, const char *network, int inbox,
		      uint32_t minute, int64_t count)
{
	int n = network_index(im, network, strlen(network));

	if (n < 0)
		return -1;
	for (int64_t i = 0; i < count; i++)
		if (agg_add(&im->agg, n * 2 + (inbox ? 1 : 0), minute) < 0)
			return -1;
	im->rows += count;
	return 0;
}

int import_finish_typed(struct import *im)
{
	unsigned char h[32];

	randombytes_buf(h, sizeof(h));
	sodium_bin2hex(im->sha256, sizeof(im->sha256), h, sizeof(h));
	if (agg_finish(&im->agg, &im->out) < 0)
		return -1;
	day_span(im);
	return 0;
}
