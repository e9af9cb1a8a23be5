#ifndef INOP_UTIL_PASSWORD_H
#define INOP_UTIL_PASSWORD_H
#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* argon2id (libsodium's crypto_pwhash_str).  0 or -1 (out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 when `password` matches `hash`, else 0.  hash NULL still costs the
 * same time, so unknown users cannot be told apart by timing. */
int password_verify(const char *password, const char *hash);
/* A random token: 32 bytes as 64 hex characters. */
void token_random(char out[65]);

#endif
