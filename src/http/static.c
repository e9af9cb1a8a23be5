/*
 * The web UI, embedded at build time (web/ in the source tree).  "/" is
 * the application page; "/assets/NAME" is web/NAME.  Assets are cached by
 * the browser and revalidated with an ETag (the content's hash), so a new
 * binary is picked up at once.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/embed.h"
#include "util/str.h"

static const char *mime_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".json", "application/json; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static void etag_of(const struct inop_embedded *f, char out[40])
{
	unsigned char h[16];
	char hex[33];

	crypto_generichash(h, sizeof(h), f->data, f->size, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	(void)str_printf(out, 40, "\"%s\"", hex); /* 32 + 2 < 40 */
}

int static_serve(struct req *r)
{
	char path[256], etag[40];
	const struct inop_embedded *f;
	const char *inm;
	char *copy;

	if (strcmp(r->path, "/") == 0 || strcmp(r->path, "/index.html") == 0)
		(void)str_copy(path, sizeof(path), "web/index.html");
	else if (strcmp(r->path, "/reclamos") == 0) /* Q1: no login */
		(void)str_copy(path, sizeof(path), "web/reclamos.html");
	else if (strncmp(r->path, "/assets/", 8) == 0 &&
		 !strstr(r->path, "..") &&
		 str_printf(path, sizeof(path), "web/%s", r->path + 8) == 0)
		;
	else
		return 0;
	f = embed_find(path);
	if (!f)
		return 0;
	etag_of(f, etag);
	reply_header(r, "ETag", etag);
	reply_header(r, "Cache-Control", "no-cache");
	inm = http_header(r, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		reply_bytes(r, 304, NULL, NULL, 0);
		return 1;
	}
	copy = malloc(f->size + 1);
	if (!copy)
		return 0;
	memcpy(copy, f->data, f->size);
	reply_bytes(r, 200, mime_of(path), copy, f->size);
	return 1;
}
