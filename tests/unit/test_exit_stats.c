// SPDX-License-Identifier: GPL-2.0
/* exit_stats.c: the storm verdict and the --stats listing. */
#include <criterion/criterion.h>
#include <string.h>

#include "exit_stats.h"
#include "helpers.h"

static struct minivmm_vcpu_stats st;

static void reset(void)
{
	memset(&st, 0, sizeof(st));
}

TestSuite(exit_stats, .init = reset);

Test(exit_stats, host_exits_are_not_the_guests)
{
	st.exits = 5000;
	st.by_reason[1] = 1000;		/* external interrupts */
	st.by_reason[52] = 3990;	/* preemption timer */
	st.by_reason[10] = 10;
	cr_assert_eq(exit_stats_guest_exits(&st), 10);
}

Test(exit_stats, spinning_guest_is_no_storm)
{
	struct storm s;

	st.exits = 100000;
	st.by_reason[52] = 100000;
	exit_stats_classify(&st, 2, &s);
	cr_assert_eq(s.kind, STORM_NONE);
	cr_assert_eq(s.guest_exits, 0);
}

Test(exit_stats, few_exits_are_no_storm)
{
	struct storm s;

	st.exits = STORM_MIN_EXITS - 1;
	st.by_reason[30] = STORM_MIN_EXITS - 1;
	exit_stats_classify(&st, 0.5, &s);
	cr_assert_eq(s.kind, STORM_NONE);
}

Test(exit_stats, slow_exits_are_no_storm)
{
	struct storm s;

	/* 5000 exits in 100 s: 50/s, below STORM_MIN_RATE. */
	st.exits = 5000;
	st.by_reason[30] = 5000;
	exit_stats_classify(&st, 100, &s);
	cr_assert_eq(s.kind, STORM_NONE);
	exit_stats_classify(&st, 10, &s);
	cr_assert_eq(s.kind, STORM_EXIT);
}

Test(exit_stats, exception_storm_names_top_vector)
{
	struct storm s;

	st.exits = 9000;
	st.by_reason[0] = 8000;
	st.exceptions[1] = 7000;
	st.exceptions[13] = 1000;
	st.by_reason[30] = 1000;
	exit_stats_classify(&st, 1, &s);
	cr_assert_eq(s.kind, STORM_EXCEPTION);
	cr_assert_eq(s.vector, 1);
	cr_assert_eq(s.count, 7000);
	cr_assert_eq(s.guest_exits, 9000);
}

Test(exit_stats, exit_storm_names_top_reason)
{
	struct storm s;

	st.exits = 9000;
	st.by_reason[0] = 1000;
	st.exceptions[17] = 1000;
	st.by_reason[10] = 5000;
	st.by_reason[30] = 3000;
	exit_stats_classify(&st, 1, &s);
	cr_assert_eq(s.kind, STORM_EXIT);
	cr_assert_eq(s.reason, 10);
	cr_assert_eq(s.count, 5000);
}

Test(exit_stats, exception_names)
{
	char buf[32];

	cr_assert_str_eq(exception_name(17, buf, sizeof(buf)), "#AC (alignment check)");
	cr_assert_str_eq(exception_name(1, buf, sizeof(buf)), "#DB (debug)");
	cr_assert_str_eq(exception_name(31, buf, sizeof(buf)), "vector 31");
}

Test(exit_stats, print_lists_nonzero_counters)
{
	struct membuf m;
	FILE *f = membuf_open(&m);
	char *out;

	st.exits = 12;
	st.userspace_exits = 2;
	st.by_reason[0] = 10;
	st.exceptions[17] = 10;
	st.by_reason[30] = 2;
	exit_stats_print(f, &st);
	out = membuf_str(&m);
	cr_assert_str_eq(out,
		"minivmm: stats: 12 exits, 2 to userspace, 12 caused by the guest\n"
		"minivmm: stats:         10   0 exception or NMI\n"
		"minivmm: stats:          2  30 I/O instruction\n"
		"minivmm: stats:         10     exception #AC (alignment check)\n");
	free(out);
}
