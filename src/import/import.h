#ifndef INOP_IMPORT_IMPORT_H
#define INOP_IMPORT_IMPORT_H
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "import/csv.h"
#include "import/series.h"

/*
 * One import of a CSV file (SPEC I1-I3, API.md "Data brought in"): the
 * raw bytes in (gzip or not, found from the first two bytes), checked row
 * by row, counted per series and minute, and encoded into day chunks.
 * No I/O and no database: the caller feeds bytes and stores the chunks
 * (store/imports.c) only when the whole file was good (I3).
 *
 * Series: interactions, point x procedure type (point index * 4 + type);
 * ldr, the point index; social, network index * 2 + (PUBLICO 0, INBOX 1).
 */

enum import_kind { IMPORT_INTERACTIONS, IMPORT_SOCIAL, IMPORT_LDR };

#define IMPORT_ERRORS_MAX   100
#define IMPORT_NETWORKS_MAX 64
#define IMPORT_TYPES	    4

/* "interactions", "social", "ldr"; and back (0, or -1 unknown). */
const char *import_kind_name(enum import_kind k);
int import_kind_parse(const char *s, enum import_kind *out);
/* "RECLAMOS", "ALTAS", "BAJAS", "CONSULTAS" by index; index or -1. */
const char *import_type_name(int t);
int import_type_index(const char *s, size_t n);

struct import_point {
	int64_t id;
	char code[32];
};

struct import_error {
	int64_t line;
	char reason[200]; /* Spanish */
};

struct import {
	enum import_kind kind;
	const struct import_point *points;
	size_t n_points;
	uint32_t *hash;	   /* point index + 1, open addressing */
	uint8_t *code_len; /* strlen of each point's code */
	size_t hash_cap;
	char networks[IMPORT_NETWORKS_MAX][33];
	int n_networks;

	struct csv csv;
	struct agg agg;
	struct agg_out out;

	int gz; /* 0 not known yet, 1 gzip, 2 plain */
	int z_open, z_end;
	z_stream z;
	unsigned char *zbuf;
	struct evp_md_ctx_st *sha; /* SHA-256 (OpenSSL: SHA-NI where the CPU
				    * has it, 5x libsodium's portable code) */
	char sha256[65];

	int header_seen;
	int col[4]; /* fields: time, point|network, type, -1 absent */
	int ncols_needed;
	int64_t rows, bad_rows;
	int64_t bytes_in; /* raw bytes fed */
	int32_t day_min, day_max;
	struct import_error errors[IMPORT_ERRORS_MAX];
	int n_errors;
	int fatal; /* a problem that stops reading (header, gzip) */
	int oom;
};

/* An import as recorded (store/imports.c). */
struct import_rec {
	int64_t id;
	char kind[16];
	char source[16]; /* ARCHIVO | DIGITADO */
	char sha256[65];
	int64_t rows, bytes, series_bytes;
	int32_t first_day, last_day; /* Lima day numbers */
	int64_t imported_at;
	char imported_by[64];
	char imported_by_name[481]; /* the person's name; "": not a user */
	int64_t withdrawn_at;	    /* 0: in force */
	char withdrawn_by[64];
	char withdrawn_by_name[481];
};

/* The API's import object: {"id","kind","rows","from","to","sha256",
 * "imported_at","imported_by",...}. */
struct json_t;
struct json_t *import_rec_to_json(const struct import_rec *r);

/* `points` must outlive the import. */
int import_init(struct import *im, enum import_kind kind,
		const struct import_point *points, size_t n_points);
/* Raw bytes of the file.  0, or -1 out of memory. */
int import_feed(struct import *im, const void *buf, size_t len);
/*
 * The end of the file.  0: good, im->out holds the chunks and im->sha256
 * the hash of the (uncompressed) content; 1: rejected, im->errors lists
 * the first lines and reasons, im->bad_rows counts them; -1 out of
 * memory.
 */
int import_finish(struct import *im);
void import_release(struct import *im);

/* What series `s` stands for: the point id (0 for social), the code
 * (procedure type, PUBLICO|INBOX, or "") and network ("" but social). */
void import_series_key(const struct import *im, int32_t s, int64_t *point_id,
		       const char **code, const char **network);

/*
 * Parses a time of the file, Lima time: "YYYY-MM-DD HH:MM[:SS]" or
 * "DD/MM/YYYY HH:MM[:SS]" (a 'T' instead of the space is accepted).
 * 0 with *minute = Lima minutes since 1970-01-01 00:00, or -1.
 */
int import_parse_time(const char *s, size_t n, uint32_t *minute);

/*
 * Typed-in social posts (not from a file): import_add_social() for each,
 * then import_finish_typed(), which gives the import a random content
 * hash (typed posts are never "the same file again").  0 or -1.
 */
int import_add_social(struct import *im, const char *network, int inbox,
		      uint32_t minute, int64_t count);
int import_finish_typed(struct import *im);

#endif
