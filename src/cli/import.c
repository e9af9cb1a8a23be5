/*
 * inop import interactions|social|ldr --db PATH FILE: the same checks
 * and storage as POST /api/v1/imports/{kind}, with a progress bar on
 * standard error when it is a terminal.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "import/import.h"
#include "store/imports.h"
#include "util/clock.h"

#define READ_CHUNK (1u << 20)

static const char usage[] =
	"usage: inop import interactions|social|ldr --db PATH [--actor NAME] "
	"FILE\n"
	"Imports a CSV file (or .gz) all-or-nothing: a bad row rejects the "
	"whole file\nand its first 100 bad lines are printed.  FILE '-' is "
	"standard input.\n";

struct progress {
	int on;
	int64_t size; /* 0: unknown */
	struct timespec start, last;
};

static double secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_show(struct progress *p, const struct import *im,
			  int last)
{
	struct timespec now;
	double t, mbs, frac = 0;
	char bar[31];

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!last && secs(&p->last, &now) < 0.2)
		return;
	p->last = now;
	t = secs(&p->start, &now);
	mbs = t > 0 ? (double)im->bytes_in / 1e6 / t : 0;
	if (p->size > 0)
		frac = (double)im->bytes_in / (double)p->size;
	if (frac > 1)
		frac = 1;
	for (int i = 0; i < 30; i++)
		bar[i] = i < (int)(frac * 30) ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %3.0f%%  %lld filas  %.1f MB/s  ETA %.0f s ",
		bar, frac * 100, (long long)im->rows + (long long)im->bad_rows,
		mbs, frac > 0 && frac < 1 ? t / frac - t : 0.0);
	if (last)
		fputc('\n', stderr);
}

static int read_file(FILE *f, struct import *im, struct progress *p)
{
	char *buf = malloc(READ_CHUNK);
	size_t n;

	if (!buf)
		return -1;
	while ((n = fread(buf, 1, READ_CHUNK, f)) > 0) {
		if (import_feed(im, buf, n) < 0) {
			free(buf);
			return -1;
		}
		progress_show(p, im, 0);
	}
	free(buf);
	progress_show(p, im, 1);
	return ferror(f) ? -1 : 0;
}

static void print_errors(const struct import *im)
{
	fprintf(stderr,
		"inop: el archivo fue rechazado (%lld filas con errores); "
		"no se importó nada:\n",
		(long long)im->bad_rows);
	for (int i = 0; i < im->n_errors; i++)
		fprintf(stderr, "  línea %lld: %s\n",
			(long long)im->errors[i].line, im->errors[i].reason);
}

/* Splits FILE (the one argument that is not an --option pair). */
static int positional(int argc, char **argv, char **rest, int *nrest,
		      const char **file)
{
	*nrest = 0;
	*file = NULL;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0 && i + 1 < argc) {
			rest[(*nrest)++] = argv[i];
			rest[(*nrest)++] = argv[++i];
		} else if (!*file) {
			*file = argv[i];
		} else {
			return -1;
		}
	}
	return *file ? 0 : -1;
}

static int run(struct db *db, enum import_kind kind, FILE *f, int64_t size,
	       const char *actor)
{
	struct import_point *pts = NULL;
	size_t npts = 0;
	struct import im;
	struct progress p = {.on = isatty(2), .size = size};
	struct import_rec rec = {0};
	struct inop_err e;
	int rc = 1;

	clock_gettime(CLOCK_MONOTONIC, &p.start);
	p.last = p.start;
	if (store_import_points(db, &pts, &npts) < 0 ||
	    import_init(&im, kind, pts, npts) < 0) {
		fprintf(stderr, "inop: cannot read the points\n");
		free(pts);
		return 1;
	}
	if (read_file(f, &im, &p) < 0) {
		fprintf(stderr, "inop: cannot read the file\n");
		goto out;
	}
	switch (import_finish(&im)) {
	case 0:
		break;
	case 1:
		print_errors(&im);
		goto out;
	default:
		fprintf(stderr, "inop: out of memory\n");
		goto out;
	}
	if (store_import_save(db, &im, "ARCHIVO", actor, clock_wall_s(), &rec,
			      &e) < 0) {
		fprintf(stderr, "inop: %s\n", e.message);
		goto out;
	}
	{
		json_t *o = import_rec_to_json(&rec);
		char *s = json_dumps(o, JSON_COMPACT);

		puts(s ? s : "{}");
		free(s);
		json_decref(o);
	}
	rc = 0;
out:
	import_release(&im);
	free(pts);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	static const char *const extra[] = {"actor", NULL};
	char *rest[64];
	int nrest, rc;
	const char *path;
	enum import_kind kind;
	struct config cfg;
	struct opts o;
	struct db *db;
	struct stat sb;
	FILE *f;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc < 1 || import_kind_parse(argv[0], &kind) < 0 || argc > 64 ||
	    positional(argc - 1, argv + 1, rest, &nrest, &path) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_parse(nrest, rest, extra, &cfg, &o) < 0)
		return 2;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "inop: cannot open '%s'\n", path);
		return 1;
	}
	db = cli_open_db(&cfg);
	if (!db) {
		if (f != stdin)
			fclose(f);
		return 1;
	}
	rc = run(db, kind, f,
		 fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)
			 ? (int64_t)sb.st_size
			 : 0,
		 opt_get(&o, "actor") ? opt_get(&o, "actor") : "cli");
	if (f != stdin)
		fclose(f);
	db_close(db);
	return rc;
}
