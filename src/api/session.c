/* Logging in and out.  Sessions live in the database (any node serves). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "store/users.h"
#include "util/password.h"
#include "util/str.h"

#define LOGIN_MAX_FAILURES 5
#define LOGIN_WINDOW_S	   (15 * 60)

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

static int throttled(struct req *r, struct db *db, const char *username)
{
	struct inop_err e;
	int64_t failures;

	if (store_login_failures(db, username, r->now, LOGIN_WINDOW_S,
				 &failures) < 0)
		return -1;
	if (failures < LOGIN_MAX_FAILURES)
		return 0;
	err_set(&e, 429, "TOO_MANY_ATTEMPTS", NULL,
		"Demasiados intentos fallidos: espere 15 minutos antes de "
		"volver a intentar");
	reply_error(r, &e);
	return 1;
}

void api_session_create(struct req *r)
{
	char username[64], password[1024], token[65], hash[65], csrf[65];
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
	rc = throttled(r, db, username);
	if (rc)
		goto out;
	found = store_user_by_username(db, username, &u);
	if (found < 0) {
		reply_internal(r);
		goto out;
	}
	if (!password_verify(password, found == 1 && u.active ? u.password_hash
							      : NULL)) {
		if (store_login_result(db, username, 0, r->now,
				       LOGIN_WINDOW_S) < 0) {
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
	if (store_login_result(db, username, 1, r->now, LOGIN_WINDOW_S) < 0 ||
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

	if (!db)
		return;
	if (store_user_by_username(db, r->actor.username, &u) != 1) {
		reply_internal(r);
		return;
	}
	reply_json(r, 200,
		   json_pack("{s:s, s:o}", "csrf_token", r->csrf, "user",
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
