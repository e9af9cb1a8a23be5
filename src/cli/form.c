/* inop form manual: the paper form of a point (K1), with a new serial. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "render/manual_form_pdf.h"
#include "store/manual_forms.h"
#include "store/points.h"
#include "store/store.h"
#include "util/clock.h"

#define ARGS_MAX 64

static const char usage[] =
	"usage: inop form manual --db PATH --point CODE -o FILE.pdf\n"
	"         [--mailbox_fallas ADDR] [--mailbox_contingency_cc A,B]\n"
	"Writes the \"Formato Manual de Registro de Inoperatividad\" of the\n"
	"point, to print and keep for when Inop is down.  Each run reserves\n"
	"the point's next form serial (FM-CODE-NNNNNN); the JEFE types the\n"
	"filled form in later as origin MANUAL with that serial.  The\n"
	"contingency mailboxes printed come from the configuration.\n";

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "inop: cannot write '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "inop: cannot write '%s'\n", path);
		if (f)
			remove(path);
		return -1;
	}
	return 0;
}

/* Issues the serial and renders; 0 or -1 (printed). */
static int form_make(struct db *db, const struct config *cfg, const char *code,
		     const char *path)
{
	/* not a user: the forms list shows the username alone */
	static const struct actor cli = {.username = "inop-cli"};
	struct point pt;
	struct manual_form form;
	struct catalog cat = {0};
	struct inop_err e;
	struct manual_form_doc doc;
	char *pdf = NULL;
	size_t len = 0;
	int rc = store_point_by_code(db, code, &pt);

	if (rc <= 0) {
		fprintf(stderr, "inop: unknown point '%s'\n", code);
		return -1;
	}
	if (store_load_catalog(db, &cat, &e) < 0 ||
	    store_manual_form_issue(db, &pt.ref, &cli, clock_wall_s(), &form,
				    &e) < 0) {
		fprintf(stderr, "inop: %s\n", e.message);
		catalog_release(&cat);
		return -1;
	}
	doc = (struct manual_form_doc){
		.form = &form,
		.lines = &pt.lines,
		.cat = &cat,
		.mailbox_fallas = cfg->mailbox_fallas,
		.mailbox_cc = cfg->mailbox_contingency_cc,
		.max_age_days = cfg->manual_max_age_days,
		.generated_at = form.issued_at,
		.generated_by = "inop-cli"};
	rc = render_manual_form_pdf(&doc, &pdf, &len);
	catalog_release(&cat);
	if (rc < 0)
		fprintf(stderr, "inop: cannot render the form\n");
	else
		rc = write_file(path, pdf, len);
	free(pdf);
	if (rc == 0)
		printf("%s: form %s for point %s\n", path, form.serial, code);
	return rc;
}

static int form_manual(int argc, char **argv)
{
	static const char *const extra[] = {"point", "output", NULL};
	char *args[ARGS_MAX];
	struct config cfg;
	struct opts o;
	struct db *db;
	int rc;

	if (cli_wants_help(argc, argv, usage))
		return 0;
	if (argc > ARGS_MAX) {
		fputs(usage, stderr);
		return 2;
	}
	/* -o FILE is the one short option: spelt --output for cli_parse. */
	for (int i = 0; i < argc; i++)
		args[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
	if (cli_parse(argc, args, extra, &cfg, &o) < 0)
		return 2;
	if (!opt_get(&o, "point") || !opt_get(&o, "output")) {
		fputs(usage, stderr);
		return 2;
	}
	db = cli_open_db(&cfg);
	if (!db)
		return 1;
	rc = form_make(db, &cfg, opt_get(&o, "point"), opt_get(&o, "output"));
	db_close(db);
	render_release();
	return rc == 0 ? 0 : 1;
}

int cmd_form(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "manual") == 0)
		return form_manual(argc - 1, argv + 1);
	if (argc >= 1 &&
	    (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}
