/*
 * N1/N2: notifications are queued in the outbox, in the caller's
 * transaction, to the recipients of their trigger.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "db/db.h"
#include "mail/notify.h"
#include "store/points.h"
#include "store/store.h"
#include "store/users.h"

static char path[64];
static struct db *db;
static struct config cfg;
static int64_t point_a, point_b;

static int64_t add_point(const char *code, const char *type)
{
	struct point p = {0};
	struct inop_err e;

	snprintf(p.ref.code, sizeof(p.ref.code), "%s", code);
	snprintf(p.ref.name, sizeof(p.ref.name), "Punto %s", code);
	snprintf(p.ref.type, sizeof(p.ref.type), "%s", type);
	snprintf(p.ref.channel, sizeof(p.ref.channel), "PRESENCIAL");
	snprintf(p.ref.region, sizeof(p.ref.region), "Lima");
	assert_int_equal(store_point_insert(db, &p, "t", 1, &e), 0);
	return p.ref.id;
}

static void add_user(const char *name, unsigned roles, const char *point)
{
	struct user u = {0};
	struct inop_err e;
	const char *points[] = {point};

	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.email, sizeof(u.email), "%s@x.pe", name);
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.roles = roles;
	assert_int_equal(
		store_user_insert(db, &u, points, point ? 1 : 0, "t", 1, &e),
		0);
}

static int setup(void **state)
{
	struct inop_err e;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/inop-notify-XXXXXX");
	fd = mkstemp(path);
	close(fd);
	assert_int_equal(db_open(path, &db, &e), 0);
	assert_int_equal(store_migrate(db, &e), 0);
	point_a = add_point("CAC-A", "CAC");
	point_b = add_point("CAC-B", "CAC");
	add_user("jefe.a", ROLE_JEFE, "CAC-A");
	add_user("jefe.b", ROLE_JEFE, "CAC-B");
	add_user("soporte1", ROLE_SOPORTE, NULL);
	add_user("soporte2", ROLE_SOPORTE | ROLE_CONTROL, NULL);
	add_user("control1", ROLE_CONTROL, NULL);
	config_defaults(&cfg);
	snprintf(cfg.mailbox_control, sizeof(cfg.mailbox_control),
		 "control@x.pe");
	snprintf(cfg.base_url, sizeof(cfg.base_url), "https://inop.x.pe");
	notify_setup(&cfg);
	return 0;
}

static int teardown(void **state)
{
	char p[80];

	(void)state;
	db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	return 0;
}

/* The last queued mail's recipients/subject/text; 0 when none. */
static int last_mail(char *to, char *subject, char *text, size_t n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT recipients, subject, body_text FROM outbox "
		    "ORDER BY id DESC LIMIT 1");
	int rc = db_step(st);

	if (rc == DB_ROW) {
		snprintf(to, n, "%s", db_col_text(st, 0));
		snprintf(subject, n, "%s", db_col_text(st, 1));
		snprintf(text, n, "%s", db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_ROW;
}

static int64_t mail_count(void)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM outbox");
	int64_t n;

	db_step(st);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void test_n2_event_registered_goes_to_control_and_soporte(void **s)
{
	struct notify_args a = {.ref = "INOP-2026-000007",
				.link = "/#/eventos/INOP-2026-000007",
				.detail = "Punto: CAC-A"};
	char to[512], subject[512], text[2048];

	(void)s;
	assert_int_equal(notify(db, NOTIFY_EVENT_REGISTERED, &a, 100), 0);
	assert_true(last_mail(to, subject, text, sizeof(to)));
	assert_string_equal(to, "control@x.pe,soporte1@x.pe,soporte2@x.pe");
	assert_non_null(strstr(subject, "INOP-2026-000007"));
	assert_non_null(strstr(text, "Punto: CAC-A"));
	assert_non_null(
		strstr(text, "https://inop.x.pe/#/eventos/INOP-2026-000007"));
}

static void test_n2_operational_error_goes_to_the_point_jefes(void **s)
{
	struct notify_args a = {
		.ref = "INOP-2026-000008", .link = "/", .point_id = 0};
	char to[512], subject[512], text[2048];

	(void)s;
	a.point_id = point_b;
	assert_int_equal(notify(db, NOTIFY_OPERATIONAL_ERROR, &a, 100), 0);
	assert_true(last_mail(to, subject, text, sizeof(to)));
	assert_string_equal(to, "jefe.b@x.pe");
	(void)point_a;
}

static void test_n2_dedupe_key_queues_once(void **s)
{
	struct notify_args a = {.ref = "INOP-2026-000009",
				.link = "/",
				.dedupe_key = "report-due:9"};
	int64_t before = mail_count();

	(void)s;
	assert_int_equal(notify(db, NOTIFY_REPORT_DUE, &a, 100), 0);
	assert_int_equal(notify(db, NOTIFY_REPORT_DUE, &a, 200), 0);
	assert_int_equal(mail_count(), before + 1);
}

static void test_n2_no_recipient_queues_nothing(void **s)
{
	struct notify_args a = {.ref = "X", .link = "/"};
	int64_t before = mail_count();

	(void)s;
	/* mailbox_fallas is not configured. */
	assert_int_equal(notify(db, NOTIFY_ALERT_RAISED, &a, 100), 0);
	assert_int_equal(mail_count(), before);
}

static void test_n1_mail_rolls_back_with_its_cause(void **s)
{
	struct notify_args a = {.ref = "INOP-2026-000010", .link = "/"};
	int64_t before = mail_count();

	(void)s;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(notify(db, NOTIFY_EVENT_CLOSED, &a, 100), 0);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(mail_count(), before);
}

static void test_n1_hundreds_of_recipients_split_in_mails_of_50(void **s)
{
	struct notify_args a = {
		.ref = "N.º 1", .link = "/#/fallas/1", .dedupe_key = "many:1"};
	struct db_stmt *st;
	char name[32];
	int64_t before = mail_count(), n = 0, total = 0;

	(void)s;
	for (int i = 0; i < 110; i++) {
		snprintf(name, sizeof(name), "jefe.many%03d", i);
		add_user(name, ROLE_JEFE, "CAC-A");
	}
	a.point_id = point_a;
	assert_int_equal(notify(db, NOTIFY_OPERATIONAL_ERROR, &a, 100), 0);
	assert_int_equal(mail_count(), before + 3);
	st = db_prepare(db, "SELECT recipients FROM outbox WHERE id > ? "
			    "ORDER BY id");
	db_bind_int(st, 1, before);
	while (db_step(st) == DB_ROW) {
		const char *to = db_col_text(st, 0);
		int64_t k = 1;

		for (const char *p = to; *p; p++)
			k += *p == ',';
		assert_true(k <= 50);
		total += k;
		n++;
	}
	db_reset(st);
	assert_int_equal(n, 3);
	assert_int_equal(total, 111); /* jefe.a and the 110 */
	/* The dedupe key covers every part: queued again, nothing added. */
	assert_int_equal(notify(db, NOTIFY_OPERATIONAL_ERROR, &a, 200), 0);
	assert_int_equal(mail_count(), before + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_n2_event_registered_goes_to_control_and_soporte),
		cmocka_unit_test(
			test_n2_operational_error_goes_to_the_point_jefes),
		cmocka_unit_test(test_n2_dedupe_key_queues_once),
		cmocka_unit_test(test_n2_no_recipient_queues_nothing),
		cmocka_unit_test(test_n1_mail_rolls_back_with_its_cause),
		cmocka_unit_test(
			test_n1_hundreds_of_recipients_split_in_mails_of_50),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
