#ifndef INOP_STORE_USERS_H
#define INOP_STORE_USERS_H
#include <stdint.h>

#include "db/db.h"
#include "domain/roles.h"
#include "util/err.h"

/* Users, their roles and (for JEFE) their points; sessions and logins. */
struct user {
	int64_t id;
	char username[64];
	char name[481]; /* 120 characters */
	char email[256];
	char password_hash[128]; /* argon2id string (crypto_pwhash_str) */
	unsigned roles;
	int active;
	char *points; /* comma-separated point codes, malloc'd; may be NULL */
};

void user_release(struct user *u);

/*
 * Inserts `u` (password_hash already set) with its points, by code, and
 * the audit record, in one transaction.  409 ALREADY_EXISTS for a taken
 * username, 422 for an unknown point.  Sets u->id.
 */
int store_user_insert(struct db *db, struct user *u, const char *const *points,
		      size_t n_points, const char *actor, int64_t now,
		      struct inop_err *err);
/* 1 found, 0 not found, -1 error.  u->points is filled. */
int store_user_by_username(struct db *db, const char *username,
			   struct user *u);
/* All users, by username; *out is malloc'd (user_release each). */
int store_users_list(struct db *db, struct user **out, size_t *n);
/* 1 when user_id is assigned to point_id, 0 when not, -1 on error. */
int store_user_has_point(struct db *db, int64_t user_id, int64_t point_id);

/* Sessions: only the token's hash is stored. */
int store_session_create(struct db *db, const char *token_hash,
			 int64_t user_id, int64_t now);
/*
 * The active user of a session idle for less than idle_s, or 0 when there
 * is none.  1 found, 0 not, -1 error.  It runs on the threads that serve
 * every connection, so it never waits for another writer: an expired
 * session is left for store_sessions_expire(), and the record of its last
 * use (every 10 s) is skipped while SQLite's write lock is taken.
 */
int store_session_lookup(struct db *db, const char *token_hash, int64_t now,
			 int64_t idle_s, struct actor *out);
int store_session_delete(struct db *db, const char *token_hash);
/* Removes the sessions last used before `before` (the job
 * sessions-expire).  The number removed, or -1. */
int store_sessions_expire(struct db *db, int64_t before);
/* Session lookups answered from memory (PostgreSQL; /metrics). */
uint64_t store_session_cache_hits(void);

#endif
