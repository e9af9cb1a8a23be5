/* Logging in and out.  Sessions live in the database (any node serves). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "store/login_throttle.h"
#include "store/users.h"
#include "util/config.h"
#include "util/password.h"
#include "util/str.h"

#define LOGIN_MAX_FAILURES    5	 /* one username from one address */
#define LOGIN_MAX_PER_ADDRESS 20 /* any usernames from one address */
#define LOGIN_WINDOW_S	      (15 * 60)

static json_t *csv_array(const char *csv)
{
	json_t *a = json_array();

	while (csv && *csv) {
		size_t n = strcspn(csv, ",");

		json_array_append_new(a, json_stringn(csv, n));
		csv += n;
		if (*csv == ',')
			csv++;
	}
	return a;
}

static json_t *roles_array(unsigned roles)
{
	char csv[256];

	roles_to_csv(roles, csv, sizeof(csv));
	return csv_array(csv);
}

json_t *user_to_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
			 (json_int_t)u->id, "username", u->username, "name",
			 u->name, "email", u->email, "roles",
			 roles_array(u->roles), "points", csv_array(u->points),
			 "active", u->active);
}

static void set_cookie(struct req *r, const char *token, int max_age)
{
	char cookie[256];

	/* the token is fixed-length: no cut */
	(void)str_printf(cookie, sizeof(cookie),
			 "inop_session=%s; Path=/; HttpOnly; SameSite=Strict; "
			 "Max-Age=%d%s",
			 token, max_age,
			 r->app->secure_cookie ? "; Secure" : "");
	reply_header(r, "Set-Cookie", cookie);
}

/*
 * The address a login is counted under: the client's, an IPv6 client's
 * /64 (one host usually holds a whole /64, and could otherwise start
 * afresh from each of its addresses).
 */
static void addr_key(struct req *r, char out[64])
{
	unsigned char a6[16];

	if (http_client_addr(r, out, 64) < 0 || !out[0]) {
		(void)str_printf(out, 64, "unknown");
		return;
	}
	if (strchr(out, ':') && inet_pton(AF_INET6, out, a6) == 1) {
		memset(a6 + 8, 0, 8);
		inet_ntop(AF_INET6, a6, out, 64);
		strncat(out, "/64", 63 - strlen(out));
	}
}

static int too_many(struct req *r, const char *message)
{
	struct inop_err e;

	err_set(&e, 429, "TOO_MANY_ATTEMPTS", NULL, "%s", message);
	reply_error(r, &e);
	reply_header(r, "Retry-After", "900");
	return 1;
}

/*
 * Throttling (README "Login throttling"): from one address, at most
 * login_failures_per_address failures in the window over all usernames
 * (a spray), and LOGIN_MAX_FAILURES for one username.  A username is never
 * locked for everyone: its owner logs in from another address.
 * 1 when refused (replied), 0 when allowed, -1 on error.
 */
static int throttled(struct req *r, struct db *db, const char *addr_k,
		     const char *user_k)
{
	int64_t n;

	if (store_throttle_get(db, addr_k, r->now, LOGIN_WINDOW_S, &n) < 0)
		return -1;
	if (n >= (r->app->cfg ? r->app->cfg->login_failures_per_address : 20))
		return too_many(r, "Demasiados intentos fallidos desde esta "
				   "dirección: espere 15 minutos antes de "
				   "volver a intentar");
	if (store_throttle_get(db, user_k, r->now, LOGIN_WINDOW_S, &n) < 0)
		return -1;
	if (n >= LOGIN_MAX_FAILURES)
		return too_many(r, "Demasiados intentos fallidos: espere 15 "
				   "minutos antes de volver a intentar");
	return 0;
}

/* A failure counts for the address; for the username only if it exists,
 * so made-up usernames add no rows. */
static int record_failure(struct req *r, struct db *db, const char *addr_k,
			  const char *user_k, int user_exists)
{
	if (store_throttle_fail(db, addr_k, r->now, LOGIN_WINDOW_S) < 0)
		return -1;
	if (user_exists &&
	    store_throttle_fail(db, user_k, r->now, LOGIN_WINDOW_S) < 0)
		return -1;
	return 0;
}

void api_session_create(struct req *r)
{
	char username[64], password[1024], token[65], hash[65], csrf[65];
	char addr_k[80], user_k[160], addr[64];
	struct user u = {0};
	struct inop_err e;
	struct db *db = api_db(r);
	int found, rc;

	if (!db)
		return;
	if (body_str(r->body, "username", 1, username, sizeof(username), &e) <
		    0 ||
	    body_str(r->body, "password", 1, password, sizeof(password), &e) <
		    0) {
		reply_error(r, &e);
		return;
	}
	addr_key(r, addr);
	(void)str_printf(addr_k, sizeof(addr_k), "a|%s", addr);
	(void)str_printf(user_k, sizeof(user_k), "u|%s|%s", username, addr);
	rc = throttled(r, db, addr_k, user_k);
	if (rc) {
		if (rc < 0)
			reply_internal(r);
		goto out;
	}
	found = store_user_by_username(db, username, &u);
	if (found < 0) {
		reply_internal(r);
		goto out;
	}
	if (!password_verify(password, found == 1 && u.active ? u.password_hash
							      : NULL)) {
		if (record_failure(r, db, addr_k, user_k, found == 1) < 0) {
			reply_internal(r);
			goto out;
		}
		err_set(&e, 401, "BAD_CREDENTIALS", NULL,
			"Usuario o contraseña incorrectos");
		reply_error(r, &e);
		goto out;
	}
	token_random(token);
	http_token_hash(token, hash);
	if (store_throttle_clear(db, user_k) < 0 ||
	    store_session_create(db, hash, u.id, r->now) < 0) {
		reply_internal(r);
		goto out;
	}
	http_csrf_token(token, csrf);
	set_cookie(r, token, (int)r->app->session_idle_s);
	reply_json(r, 200,
		   json_pack("{s:s, s:s, s:o}", "token", token, "csrf_token",
			     csrf, "user", user_to_json(&u)));
out:
	sodium_memzero(password, sizeof(password));
	user_release(&u);
}

void api_session_get(struct req *r)
{
	struct user u = {0};
	struct db *db = api_db(r);
	char csrf[65];

	if (!db)
		return;
	if (store_user_by_username(db, r->actor.username, &u) != 1) {
		reply_internal(r);
		return;
	}
	http_session_csrf(r, csrf);
	reply_json(r, 200,
		   json_pack("{s:s, s:o}", "csrf_token", csrf, "user",
			     user_to_json(&u)));
	user_release(&u);
}

void api_session_delete(struct req *r)
{
	struct db *db = api_db(r);

	if (!db)
		return;
	if (store_session_delete(db, r->token_hash) < 0) {
		reply_internal(r);
		return;
	}
	set_cookie(r, "", 0);
	reply_bytes(r, 204, NULL, NULL, 0);
}
