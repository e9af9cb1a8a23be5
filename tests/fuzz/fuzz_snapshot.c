/*
 * libFuzzer target: reading a frozen report's snapshot back
 * (report_snapshot_rows, src/domain/report.c), which walks the text to
 * its "rows" and parses them one at a time.
 *
 * 1. Every row it accepted reads back from the packed rows.
 * 2. What it accepts is JSON as jansson reads the whole text: an object
 *    whose "rows" has as many rows (else abort).  Inputs with a repeated
 *    key are left out of the comparison: jansson keeps the last "rows",
 *    the walk the first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct report_row *row = malloc(sizeof(*row));
	struct report_rows rows;
	json_t *whole;
	int rc;

	if (!text || !row)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	rc = report_snapshot_rows(text, &rows);
	for (size_t i = 0; rc == 0 && i < rows.n; i++)
		if (strlen(report_rows_get(&rows, i, row)->number) >=
		    sizeof(row->number))
			abort();
	if (rc == 0) {
		whole = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		if (whole &&
		    json_array_size(json_object_get(whole, "rows")) != rows.n)
			abort();
		/* A NUL inside the input ends the text both read. */
		if (!whole)
			whole = json_loads(text, 0, NULL);
		if (!whole)
			abort();
		json_decref(whole);
	}
	report_rows_release(&rows);
	free(row);
	free(text);
	return 0;
}
