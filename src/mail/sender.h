#ifndef INOP_MAIL_SENDER_H
#define INOP_MAIL_SENDER_H
#include <stdint.h>

#include "db/db.h"
#include "util/config.h"

/*
 * N1: the mail sender, a job of the background runner (jobs.c).  Each
 * run claims due outbox rows with a lease, delivers each through SMTP
 * (libcurl) and records the attempt: SENT, or PENDING again with an
 * exponential back-off (smtp_retry_seconds, doubling, at most 1 hour).
 * Without smtp_url nothing is sent and the mails wait, PENDING.
 *
 * TLS (smtp_tls): "tls" is TLS from the first byte (smtps://), "starttls"
 * requires STARTTLS on smtp://, "none" sends in clear; unset, an smtps://
 * URL means tls and smtp:// means none.  With TLS required, a server that
 * cannot do it gets no mail (CURLUSESSL_ALL).
 */

/*
 * Takes the SMTP settings from `cfg` (kept, not copied) and reads
 * smtp_password_file.  Call once, before the jobs start.  0, or -1
 * (printed) when the password file cannot be read.
 */
int sender_setup(const struct config *cfg);

/* The job: sends what is due at `now`.  0, or -1 on a database failure. */
int sender_run(struct db *db, int64_t now);

#endif
