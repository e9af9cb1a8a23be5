#include "domain/codes.h"
#include "util/str.h"

#include <stdio.h>
#include <string.h>

int codes_contains(const struct codes *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], code) == 0)
			return 1;
	return 0;
}

int codes_add(struct codes *c, const char *code)
{
	size_t len = strlen(code);

	if (codes_contains(c, code))
		return 0;
	if (c->n == CODES_MAX || len >= CODE_LEN)
		return -1;
	memcpy(c->v[c->n++], code, len + 1);
	return 0;
}

int codes_from_csv(struct codes *c, const char *csv)
{
	char one[CODE_LEN];

	c->n = 0;
	while (csv && *csv) {
		size_t n = strcspn(csv, ",");

		if (n >= sizeof(one))
			return -1;
		memcpy(one, csv, n);
		one[n] = '\0';
		if (n && codes_add(c, one) < 0)
			return -1;
		csv += n;
		if (*csv == ',')
			csv++;
	}
	return 0;
}

int codes_to_csv(const struct codes *c, char *out, size_t n)
{
	size_t len = 0;

	if (!n)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < c->n; i++) {
		if (str_printf(out + len, n - len, "%s%s", i ? "," : "",
			       c->v[i]) < 0)
			return -1;
		len += strlen(out + len);
	}
	return 0;
}
