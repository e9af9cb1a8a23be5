/* Who is at the other end of a request's connection. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "http/http.h"
#include "util/config.h"

static const struct sockaddr *peer_of(struct req *r)
{
	const union MHD_ConnectionInfo *ci;

	if (!r->conn)
		return NULL;
	ci = MHD_get_connection_info(r->conn,
				     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ci ? ci->client_addr : NULL;
}

int http_client_ip(struct req *r, char *out, size_t n)
{
	const struct sockaddr *sa = peer_of(r);
	const void *addr;

	out[0] = '\0';
	if (!sa)
		return -1;
	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)(const void *)sa)
				->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)(const void *)sa)
				->sin6_addr;
	else
		return -1;
	return inet_ntop(sa->sa_family, addr, out, (socklen_t)n) ? 0 : -1;
}

int http_client_is_loopback(struct req *r)
{
	const struct sockaddr *sa = peer_of(r);
	const struct sockaddr_in6 *s6;
	const uint8_t *b;

	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)
				      ->sin_addr.s_addr) >>
			24) == 127;
	if (sa->sa_family != AF_INET6)
		return 0;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		return 1;
	/* ::ffff:127.x.x.x */
	b = s6->sin6_addr.s6_addr;
	return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && b[12] == 127;
}

/* 1 when `ip` is listed in the comma-separated `list`. */
static int listed(const char *list, const char *ip)
{
	size_t n = strlen(ip);

	while (list && *list) {
		size_t len = strcspn(list, ",");
		const char *p = list;

		while (len && *p == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, ip, n) == 0)
			return 1;
		list += strcspn(list, ",");
		if (*list == ',')
			list++;
	}
	return 0;
}

int http_client_addr(struct req *r, char *out, size_t n)
{
	const char *trusted =
		r->app && r->app->cfg ? r->app->cfg->trusted_proxies : "";
	const char *xff, *last;
	size_t len;

	if (http_client_ip(r, out, n) < 0)
		return -1;
	if (!trusted[0] || !listed(trusted, out))
		return 0;
	/* Behind a trusted proxy: the address it saw, the last one of
	 * X-Forwarded-For (the ones before it are the client's to invent). */
	xff = http_header(r, "X-Forwarded-For");
	if (!xff || !*xff)
		return 0;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	len = strcspn(last, " ");
	if (len == 0 || len >= n || len > 45)
		return 0;
	memcpy(out, last, len);
	out[len] = '\0';
	return 0;
}
