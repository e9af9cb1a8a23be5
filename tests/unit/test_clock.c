/*
 * clock_wall_s() (util/clock.h): a record's time is never earlier than
 * a precise wall-clock reading made before it.  With glibc's time() in
 * its place this fails on the CI machine within a few thousand rounds
 * (about 1 % of time() calls are a second behind): it is what made a
 * regularised event's delay one minute short (test_contingency's K2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "util/clock.h"

/*
 * time() falls behind only in the timer tick after a second begins, so
 * the loop runs until the precise clock has entered two new seconds:
 * at least one whole boundary, with its tick, is sampled (1-2 s).
 */
static void test_wall_is_never_behind_a_precise_reading_before_it(void **s)
{
	struct timespec before;
	time_t first;
	long behind = 0, rounds = 0;

	(void)s;
	clock_gettime(CLOCK_REALTIME, &before);
	first = before.tv_sec;
	while (before.tv_sec < first + 2) {
		if (clock_wall_s() < (int64_t)before.tv_sec)
			behind++;
		rounds++;
		clock_gettime(CLOCK_REALTIME, &before);
	}
	print_message("%ld rounds over 2 second boundaries\n", rounds);
	assert_int_equal(behind, 0);
}

static void test_wall_is_the_epoch_seconds_of_now(void **s)
{
	struct timespec a, b;
	int64_t t;

	(void)s;
	clock_gettime(CLOCK_REALTIME, &a);
	t = clock_wall_s();
	clock_gettime(CLOCK_REALTIME, &b);
	assert_true(t >= (int64_t)a.tv_sec && t <= (int64_t)b.tv_sec);
}

static void test_mono_ms_follows_the_monotonic_clock(void **s)
{
	struct timespec a, b;
	int64_t t;

	(void)s;
	clock_gettime(CLOCK_MONOTONIC, &a);
	t = clock_mono_ms();
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(t >= (int64_t)a.tv_sec * 1000 + a.tv_nsec / 1000000);
	assert_true(t <= (int64_t)b.tv_sec * 1000 + b.tv_nsec / 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_wall_is_never_behind_a_precise_reading_before_it),
		cmocka_unit_test(test_wall_is_the_epoch_seconds_of_now),
		cmocka_unit_test(test_mono_ms_follows_the_monotonic_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
