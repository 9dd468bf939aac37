/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's exit statistics (MINIVMM_GET_VCPU_STATS): printed by
 * `minivmm run --stats`, and used to say why a guest that hit --timeout
 * was not finishing: computing, or stuck in an exception or exit storm.
 */
#ifndef VMM_EXIT_STATS_H
#define VMM_EXIT_STATS_H

#include <stdio.h>

#include "uapi/minivmm.h"

/*
 * A storm: at least this many exits the guest caused, at this rate or
 * more. A guest that computes (or spins) exits only for the host's
 * preemption timer and interrupts; a storm exits thousands of times a
 * second, even in an emulator.
 */
#define STORM_MIN_EXITS		1000
#define STORM_MIN_RATE		100.0	/* per second */

enum storm_kind {
	STORM_NONE,
	STORM_EXCEPTION,	/* mostly one exception vector */
	STORM_EXIT,		/* mostly other exits */
};

struct storm {
	enum storm_kind kind;
	unsigned int reason;		/* STORM_EXIT: top VMX basic exit reason */
	unsigned int vector;		/* STORM_EXCEPTION: top vector */
	unsigned long long count;	/* exits of that reason or vector */
	unsigned long long guest_exits;	/* all exits the guest caused */
};

/* Exits the guest caused: all but host interrupts and preemption-timer ends of slices. */
unsigned long long exit_stats_guest_exits(const struct minivmm_vcpu_stats *s);

/* What the exits of a run lasting @seconds say about it. */
void exit_stats_classify(const struct minivmm_vcpu_stats *s, double seconds,
			 struct storm *out);

/* "#AC (alignment check)" for vector 17, "vector 31" for unnamed ones. */
const char *exception_name(unsigned int vector, char *buf, size_t len);

/* --stats: totals, then each reason and exception vector with exits. */
void exit_stats_print(FILE *f, const struct minivmm_vcpu_stats *s);

#endif /* VMM_EXIT_STATS_H */
