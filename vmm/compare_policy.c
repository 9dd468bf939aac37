// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare_policy.h"
#include "die.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "run.h"
#include "vcpu.h"

void compare_policy_write(int fd, const struct exit_trace *t,
			  const struct minivmm_vcpu_stats *st)
{
	struct cost_summary s;
	struct compare_row row;
	unsigned int i;

	for (i = 0; i < MINIVMM_STATS_REASONS; i++) {
		const struct exit_cost *c = t ? &t->cost[i] : NULL;

		if (!exit_reason_seen(t, st, i))
			continue;
		memset(&row, 0, sizeof(row));
		row.reason = i;
		row.count = st->by_reason[i];
		if (c) {
			row.kernel = c->kernel;
			row.user = c->user;
			if (exit_cost_summary(c, &s)) {
				row.has_cost = 1;
				row.min = s.min;
				row.median = s.median;
				row.p99 = s.p99;
				row.max = s.max;
				row.total = exit_cost_cycles(c);
			}
		}
		if (write(fd, &row, sizeof(row)) != sizeof(row))
			die(VMM_EXIT_ERROR, "compare: cannot send the statistics: %s",
			    strerror(errno));
	}
}

struct compare_run {
	struct exit_policy policy;
	char name[128];
	int status;
	struct compare_row rows[MINIVMM_STATS_REASONS];
	unsigned int nr_rows;
	char *out;			/* the guest's output (stdout) */
	size_t out_len;
};

/* The whole of memfd @fd. */
static char *compare_slurp(int fd, size_t *len)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;

	if (size < 0)
		die(VMM_EXIT_ERROR, "compare: lseek: %s", strerror(errno));
	buf = malloc(size + 1);
	if (!buf)
		die(VMM_EXIT_ERROR, "compare: out of memory");
	if (pread(fd, buf, size, 0) != size)
		die(VMM_EXIT_ERROR, "compare: cannot read the guest's output");
	*len = size;
	return buf;
}

static void compare_one(const struct cli_opts *cli, const struct run_opts *opts,
			struct compare_run *r)
{
	struct compare_row row;
	int pfd[2], out, wst;
	ssize_t n;
	pid_t pid;

	out = memfd_create("minivmm-guest-output", MFD_CLOEXEC);
	if (out < 0 || pipe2(pfd, O_CLOEXEC))
		die(VMM_EXIT_ERROR, "compare: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die(VMM_EXIT_ERROR, "compare: fork: %s", strerror(errno));
	if (!pid) {
		struct run_opts o = *opts;

		close(pfd[0]);
		if (dup2(out, STDOUT_FILENO) < 0)
			_exit(VMM_EXIT_ERROR);
		o.compare = false;
		o.policy = r->policy;
		o.stats = true;
		o.stats_json = false;
		o.compare_fd = pfd[1];
		exit(run_guest(cli, &o));
	}
	close(pfd[1]);
	r->nr_rows = 0;
	while ((n = read(pfd[0], &row, sizeof(row))) == sizeof(row))
		if (r->nr_rows < MINIVMM_STATS_REASONS)
			r->rows[r->nr_rows++] = row;
	close(pfd[0]);
	if (waitpid(pid, &wst, 0) < 0)
		die(VMM_EXIT_ERROR, "compare: waitpid: %s", strerror(errno));
	r->status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
	r->out = compare_slurp(out, &r->out_len);
	close(out);
}

static const struct compare_row *compare_find(const struct compare_run *r,
					      unsigned int reason)
{
	unsigned int i;

	for (i = 0; i < r->nr_rows; i++)
		if (r->rows[i].reason == reason)
			return &r->rows[i];
	return NULL;
}

/* count, kernel, user, min, median of one side, or blanks. */
static void compare_cells(FILE *f, const struct compare_row *row)
{
	if (!row) {
		fprintf(f, " %8s %8s %8s %9s %9s", "-", "-", "-", "-", "-");
		return;
	}
	fprintf(f, " %8llu %8llu %8llu", (unsigned long long)row->count,
		(unsigned long long)row->kernel, (unsigned long long)row->user);
	if (row->has_cost)
		fprintf(f, " %9llu %9llu", (unsigned long long)row->min,
			(unsigned long long)row->median);
	else
		fprintf(f, " %9s %9s", "-", "-");
}

static void compare_print(FILE *f, const struct compare_run r[2])
{
	unsigned long long total[2] = { 0, 0 }, exits[2] = { 0, 0 };
	const struct compare_row *a, *b;
	unsigned int reason, i;
	const char *name;

	fprintf(f, VMM_PROG ": compare: A = %s: exit status %d; B = %s: exit status %d\n",
		r[0].name, r[0].status, r[1].name, r[1].status);
	fprintf(f, VMM_PROG ": compare: guest output: %s (A %zu bytes, B %zu bytes)\n",
		r[0].out_len == r[1].out_len && !memcmp(r[0].out, r[1].out, r[0].out_len) ?
		"the same" : "DIFFERENT", r[0].out_len, r[1].out_len);
	fprintf(f, VMM_PROG ": compare: %-3s %-24s |%8s %8s %8s %9s %9s |%8s %8s %8s %9s %9s\n",
		"nr", "exit reason", "A count", "kernel", "user", "min", "median",
		"B count", "kernel", "user", "min", "median");
	for (reason = 0; reason < MINIVMM_STATS_REASONS; reason++) {
		a = compare_find(&r[0], reason);
		b = compare_find(&r[1], reason);
		if (!a && !b)
			continue;
		name = vmx_exit_reason_name(reason);
		fprintf(f, VMM_PROG ": compare: %-3u %-24.24s |", reason, name ? name : "?");
		compare_cells(f, a);
		fprintf(f, " |");
		compare_cells(f, b);
		fputc('\n', f);
	}
	for (i = 0; i < 2; i++) {
		unsigned int k;

		for (k = 0; k < r[i].nr_rows; k++) {
			total[i] += r[i].rows[k].total;
			exits[i] += r[i].rows[k].count;
		}
	}
	fprintf(f, VMM_PROG ": compare: total: A %llu exits, %llu cycles handling them; B %llu exits, %llu cycles",
		exits[0], total[0], exits[1], total[1]);
	if (total[0])
		fprintf(f, " (B/A %.2f)", (double)total[1] / total[0]);
	fprintf(f, "\n" VMM_PROG ": compare: cycles: host TSC from each exit to the next VM entry\n");
}

int compare_policy_run(const struct cli_opts *cli, const struct run_opts *opts)
{
	struct compare_run *r = calloc(2, sizeof(*r));
	int ret;

	if (!r)
		die(VMM_EXIT_ERROR, "compare: out of memory");
	r[0].policy = opts->policy;
	r[1].policy = opts->compare_policy;
	exit_policy_describe(&r[0].policy, r[0].name, sizeof(r[0].name));
	exit_policy_describe(&r[1].policy, r[1].name, sizeof(r[1].name));
	compare_one(cli, opts, &r[0]);
	compare_one(cli, opts, &r[1]);
	/* The guest's output once, as a plain run would print it. */
	fwrite(r[0].out, 1, r[0].out_len, stdout);
	fflush(stdout);
	compare_print(stderr, r);
	if (r[0].status != r[1].status || r[0].out_len != r[1].out_len ||
	    memcmp(r[0].out, r[1].out, r[0].out_len)) {
		fprintf(stderr, VMM_PROG ": compare: the two policies gave different results\n");
		ret = VMM_EXIT_ERROR;
	} else {
		ret = r[1].status;
	}
	free(r[0].out);
	free(r[1].out);
	free(r);
	return ret;
}
