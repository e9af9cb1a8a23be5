/*
 * config_cpu_quota() (util/config.h): the CPU quota of the process's
 * cgroups, read from a cgroup tree made here in a temporary directory --
 * the same files, at the same places, as under /sys/fs/cgroup.
 */
/* nftw: X/Open. */
// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/config.h"

struct tree {
	char root[64];
};

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	(void)snprintf(t->root, sizeof(t->root), "/tmp/inop-cgroup-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	*state = t;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct tree *t = *state;

	assert_int_equal(nftw(t->root, remove_one, 8, FTW_DEPTH | FTW_PHYS),
			 0);
	free(t);
	return 0;
}

/* Writes `text` to ROOT/REL, making its directories. */
static void put(const struct tree *t, const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	for (char *s = path + strlen(t->root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		(void)mkdir(path, 0700);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void test_v2_quota_of_the_service_is_rounded_up(void **state)
{
	struct tree *t = *state;

	put(t, "cpu.max", "max 100000\n");
	put(t, "system.slice/cpu.max", "max 100000\n");
	put(t, "system.slice/inop.service/cpu.max", "150000 100000\n");
	assert_int_equal(
		config_cpu_quota("0::/system.slice/inop.service\n", t->root),
		2);
}

static void test_v2_a_parent_s_tighter_quota_wins(void **state)
{
	struct tree *t = *state;

	put(t, "system.slice/cpu.max", "50000 100000\n");
	put(t, "system.slice/inop.service/cpu.max", "300000 100000\n");
	assert_int_equal(
		config_cpu_quota("0::/system.slice/inop.service\n", t->root),
		1);
}

static void test_v2_max_is_no_quota(void **state)
{
	struct tree *t = *state;

	put(t, "cpu.max", "max 100000\n");
	put(t, "a/cpu.max", "max 100000\n");
	assert_int_equal(config_cpu_quota("0::/a\n", t->root), 0);
	assert_int_equal(config_cpu_quota("0::/\n", t->root), 0);
}

static void test_v1_cpu_controller_quota(void **state)
{
	struct tree *t = *state;
	static const char lines[] = "9:name=systemd:/\n"
				    "4:memory:/a\n"
				    "2:cpu,cpuacct:/a\n"
				    "1:cpuset:/\n";

	put(t, "cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
	put(t, "cpu,cpuacct/cpu.cfs_period_us", "100000\n");
	put(t, "cpu,cpuacct/a/cpu.cfs_quota_us", "250000\n");
	put(t, "cpu,cpuacct/a/cpu.cfs_period_us", "100000\n");
	assert_int_equal(config_cpu_quota(lines, t->root), 3);
	/* -1 is v1's "no quota" */
	put(t, "cpu,cpuacct/a/cpu.cfs_quota_us", "-1\n");
	assert_int_equal(config_cpu_quota(lines, t->root), 0);
}

static void test_no_files_or_no_cgroup_line_is_no_quota(void **state)
{
	struct tree *t = *state;

	assert_int_equal(config_cpu_quota("0::/x/y\n", t->root), 0);
	assert_int_equal(config_cpu_quota("", t->root), 0);
	assert_int_equal(config_cpu_quota("garbage without colons", t->root),
			 0);
}

static void test_config_cpus_is_at_least_one(void **state)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	(void)state;
	assert_true(config_cpus() >= 1);
	assert_true(config_cpus() <= (online > 256 ? 256 : online));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_v2_quota_of_the_service_is_rounded_up, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_v2_a_parent_s_tighter_quota_wins, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_v2_max_is_no_quota, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v1_cpu_controller_quota,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_no_files_or_no_cgroup_line_is_no_quota, setup,
			teardown),
		cmocka_unit_test(test_config_cpus_is_at_least_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
