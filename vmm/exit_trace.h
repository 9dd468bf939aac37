/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the module's exit trace (MINIVMM_SET_TRACE / READ_TRACE):
 * every exit of the vCPU, kernel-handled or not, in order. Each record
 * is printed (--trace) once the next one says what handling it cost,
 * and its cost is kept per exit reason (--stats): min, median, p99 and
 * max cycles from the exit to the next entry.
 */
#ifndef VMM_EXIT_TRACE_H
#define VMM_EXIT_TRACE_H

#include <stdbool.h>
#include <stdio.h>

#include "uapi/minivmm.h"

struct vcpu;

#define EXIT_TRACE_RING_DEFAULT	16384	/* records: 1.25 MiB in the module */
#define EXIT_TRACE_READ_BATCH	256

struct exit_cost {
	unsigned long long *cycles;	/* one sample per traced exit with a cost */
	size_t n, cap;
	unsigned long long kernel, user;	/* traced exits by where they went */
};

struct exit_trace {
	FILE *out;		/* trace lines, or NULL (costs only) */
	bool json;
	unsigned int vcpu;
	bool have_pending;
	struct minivmm_trace_record pending;
	unsigned long long records, lost;
	struct exit_cost cost[MINIVMM_STATS_REASONS];
};

/*
 * Turn the module's trace on for @v with a ring of @nr records: 0 or
 * -errno (-ENOTTY or -EINVAL from a module without it).
 */
int exit_trace_start(struct exit_trace *t, struct vcpu *v, unsigned int nr);
/*
 * Set by minivmm, never by the module, in a record it keeps: value holds
 * the data userspace answered or took (an IN's, an MMIO read's or
 * write's), and for MMIO intr_error its length.
 */
#define EXIT_TRACE_F_ANSWER	(1u << 31)

/*
 * After minivmm handled the exit in @run: its answer joins the record of
 * that exit (the last one read), so the trace shows what an IN or an MMIO
 * read returned and what an MMIO write wrote.
 */
void exit_trace_note_answer(struct exit_trace *t, const struct minivmm_run *run,
			    size_t run_size);
/* Read what the ring holds, printing and counting: 0 or -errno. */
int exit_trace_drain(struct exit_trace *t, struct vcpu *v);
/* Feed records as the module gave them (exit_trace_drain(), tests). */
void exit_trace_feed(struct exit_trace *t, const struct minivmm_trace_record *r,
		     unsigned int n, unsigned long long lost);
/* The ring was cut short: the pending record, whose cost nobody will tell. */
void exit_trace_flush(struct exit_trace *t);
/* The run is over: flush, and sort the costs for the summaries below. */
void exit_trace_finish(struct exit_trace *t);

struct cost_summary {
	unsigned long long min, median, p99, max;
};

/* @c's order statistics once finished: false if it has no samples. */
bool exit_cost_summary(const struct exit_cost *c, struct cost_summary *s);
/* The cycles of all @c's samples: what handling its exits cost in all. */
unsigned long long exit_cost_cycles(const struct exit_cost *c);
/* Reason @i had exits: counted by the module (@st) or traced (@t, may be NULL). */
bool exit_reason_seen(const struct exit_trace *t,
		      const struct minivmm_vcpu_stats *st, unsigned int i);
void exit_trace_free(struct exit_trace *t);

/* After exit_trace_finish(): the cost table, per reason with exits (@st: the module's exact counts). */
void exit_trace_print_costs(FILE *f, const struct exit_trace *t,
			    const struct minivmm_vcpu_stats *st);
/* --stats=json: counts and costs as one JSON object (@t may be NULL). */
void exit_stats_print_json(FILE *f, const struct exit_trace *t,
			   const struct minivmm_vcpu_stats *st);

#endif /* VMM_EXIT_TRACE_H */
