/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --compare-policy: the same guest run twice, under the policy given
 * and under the compared one, each in a child process of its own (one
 * after the other, so their costs do not mix); the children send their
 * per-reason counts and costs back through a pipe and their guest output
 * through a memfd, and the parent prints both tables side by side and
 * whether the two runs gave the same result.
 */
#ifndef VMM_COMPARE_POLICY_H
#define VMM_COMPARE_POLICY_H

#include <linux/types.h>

#include "uapi/minivmm.h"

struct cli_opts;
struct exit_trace;
struct run_opts;

/* One exit reason of one run, as the child sends it. */
struct compare_row {
	__u32 reason;
	__u32 has_cost;
	__u64 count, kernel, user;
	__u64 min, median, p99, max, total;
};

/* In a child: every reason with exits, then EOF (the pipe closes at exit). */
void compare_policy_write(int fd, const struct exit_trace *t,
			  const struct minivmm_vcpu_stats *st);
/* In the parent: both runs and the comparison; the exit status. */
int compare_policy_run(const struct cli_opts *cli, const struct run_opts *opts);

/* One run of the guest (cmd_run.c). */
int run_guest(const struct cli_opts *cli, const struct run_opts *opts);

#endif /* VMM_COMPARE_POLICY_H */
