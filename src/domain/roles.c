#include "domain/roles.h"

#include <string.h>

#include "util/str.h"

static const char *const role_codes[ROLE_COUNT] = {
	"JEFE",	   "FALLAS",   "SOPORTE",     "CONTROL",  "PROCESOS", "ONLINE",
	"GERENTE", "DIRECTOR", "REGULATORIO", "RECLAMOS", "ADMIN",
};

static const char *const role_names[ROLE_COUNT] = {
	"Jefe / Supervisor de punto",
	"Fallas de Sistemas y Plataforma",
	"Soporte Postventa – Tecnología",
	"Control e Información",
	"Mejora de Procesos",
	"Atención Online",
	"Gerencia",
	"Dirección",
	"Regulatorio",
	"Reclamos",
	"Administración",
};

const char *role_name(const char *code)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (code && strcmp(code, role_codes[i]) == 0)
			return role_names[i];
	return code ? code : "";
}

const char *role_code(int i)
{
	return i >= 0 && i < ROLE_COUNT ? role_codes[i] : NULL;
}

unsigned role_from_code(const char *code)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_codes[i], code) == 0)
			return 1u << i;
	return 0;
}

unsigned roles_from_csv(const char *csv)
{
	unsigned roles = 0;
	char one[32];

	while (csv && *csv) {
		size_t n = strcspn(csv, ",");

		if (n < sizeof(one)) {
			memcpy(one, csv, n);
			one[n] = '\0';
			roles |= role_from_code(one);
		}
		csv += n;
		if (*csv == ',')
			csv++;
	}
	return roles;
}

void roles_to_csv(unsigned roles, char *out, size_t n)
{
	size_t len = 0;

	if (n)
		out[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++) {
		size_t w = strlen(role_codes[i]) + (len ? 1 : 0);

		if (!(roles & (1u << i)) || len + w + 1 > n)
			continue;
		if (len)
			out[len++] = ',';
		memcpy(out + len, role_codes[i], strlen(role_codes[i]) + 1);
		len += strlen(role_codes[i]);
	}
}

int roles_point_scoped(unsigned roles)
{
	return (roles & ROLE_JEFE) && !(roles & ROLES_WIDE_SIGHT);
}

void person_label(const char *name, const char *username, char *out, size_t n)
{
	/* a label longer than out is shown cut: it is only read by people */
	if (name && *name && username && *username)
		(void)str_printf(out, n, "%s (%s)", name, username);
	else
		(void)str_copy(out, n,
			       name && *name ? name
			       : username    ? username
					     : "");
}
