#include "util/embed.h"

#include <string.h>

const struct inop_embedded *embed_find(const char *path)
{
	for (const struct inop_embedded *e = inop_embedded; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}
