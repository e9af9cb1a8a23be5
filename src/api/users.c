#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/account.h"
#include "store/users.h"
#include "util/password.h"

#define USER_POINTS_MAX 5000

static int parse_roles(json_t *body, unsigned *roles, struct inop_err *e)
{
	json_t *v = json_object_get(body, "roles"), *item;
	size_t i;

	*roles = 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return err_validation(e, "roles", "Indique al menos un rol");
	json_array_foreach(v, i, item)
	{
		unsigned bit =
			json_is_string(item)
				? role_from_code(json_string_value(item))
				: 0;

		if (!bit)
			return err_validation(e, "roles",
					      "Rol desconocido en 'roles'");
		*roles |= bit;
	}
	return 0;
}

/* The point codes of the body (borrowed from it). */
static int parse_points(json_t *body, const char **codes, size_t *n,
			struct inop_err *e)
{
	json_t *v = json_object_get(body, "points"), *item;
	size_t i;

	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > USER_POINTS_MAX)
		return err_validation(e, "points",
				      "'points' debe ser una lista de códigos "
				      "de punto");
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item))
			return err_validation(e, "points",
					      "'points' debe ser una lista de "
					      "códigos de punto");
		codes[(*n)++] = json_string_value(item);
	}
	return 0;
}

static int parse_user(struct req *r, struct user *u, char *password,
		      size_t pw_size, struct inop_err *e)
{
	if (body_str(r->body, "username", 1, u->username, sizeof(u->username),
		     e) < 0 ||
	    body_str(r->body, "password", 1, password, pw_size, e) < 0 ||
	    body_text(r->body, "name", 1, 120, u->name, sizeof(u->name), e) <
		    0 ||
	    body_str(r->body, "email", 1, u->email, sizeof(u->email), e) < 0 ||
	    parse_roles(r->body, &u->roles, e) < 0)
		return -1;
	return account_check(u->username, u->email, u->roles, password, e);
}

void api_users_create(struct req *r)
{
	/* Not thread-local: every thread of the process would zero its
	 * 40 KB at its start (RSS of each). */
	const char **codes = NULL;
	struct user u = {0};
	char password[1024];
	struct inop_err e;
	size_t n;
	struct db *db = api_db(r);

	if (!db)
		return;
	codes = calloc(USER_POINTS_MAX, sizeof(*codes));
	if (!codes) {
		reply_internal(r);
		return;
	}
	if (parse_user(r, &u, password, sizeof(password), &e) < 0 ||
	    parse_points(r->body, codes, &n, &e) < 0)
		goto fail;
	if (password_hash(password, u.password_hash) < 0) {
		reply_internal(r);
		goto out;
	}
	if (store_user_insert(db, &u, codes, n, r->actor.username, r->now,
			      &e) < 0)
		goto fail;
	store_user_by_username(db, u.username, &u);
	u.active = 1;
	reply_json(r, 201, user_to_json(&u));
	goto out;
fail:
	reply_error(r, &e);
out:
	memset(password, 0, sizeof(password));
	user_release(&u);
	free(codes);
}

void api_users_list(struct req *r)
{
	struct user *list;
	size_t n;
	json_t *items;
	struct db *db = api_db(r);

	if (!db)
		return;
	if (store_users_list(db, &list, &n) < 0) {
		reply_internal(r);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(items, user_to_json(&list[i]));
		user_release(&list[i]);
	}
	free(list);
	reply_json(r, 200,
		   json_pack("{s:o, s:I}", "items", items, "total",
			     (json_int_t)n));
}
