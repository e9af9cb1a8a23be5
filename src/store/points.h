#ifndef INOP_STORE_POINTS_H
#define INOP_STORE_POINTS_H
#include <stdint.h>

#include "db/db.h"
#include "domain/codes.h"
#include "domain/event.h"
#include "util/err.h"

/* Attention points (SPEC section 4). */
struct point {
	struct point_ref ref; /* id, code, name, type, channel, region */
	struct codes lines;   /* call centre lines: "123", "135" */
	int active;
};

/*
 * Inserts the point and its audit record in one transaction; sets
 * p->ref.id.  409 ALREADY_EXISTS when the code is taken.
 */
int store_point_insert(struct db *db, struct point *p, const char *actor,
		       int64_t now, struct inop_err *err);
/* 1 found, 0 not, -1 error. */
int store_point_by_code(struct db *db, const char *code, struct point *p);
/* The same, and *assigned: is the point one of `user_id`'s (user_points). */
int store_point_for_user(struct db *db, const char *code, int64_t user_id,
			 struct point *p, int *assigned);
/* 1: store_point_for_user() keeps what it found, for a serving process
 * with one database (store/points.c says why that holds); 0: forgets it
 * and keeps nothing (the default). */
void store_points_keep(int on);
/* Points by code; *out malloc'd.  jefe_user_id > 0: only that JEFE's. */
int store_points_list(struct db *db, int64_t jefe_user_id, struct point **out,
		      size_t *n);

#endif
