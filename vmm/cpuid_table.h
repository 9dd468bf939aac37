/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID table minivmm owns when it answers CPUID itself
 * (--exit cpuid=user) or changes leaves (--cpuid): the module's own
 * answers (MINIVMM_GET_CPUID) for the leaves a guest can ask about, with
 * the --cpuid entries on top, given to the module with MINIVMM_SET_CPUID
 * so both handlers answer from the same table.
 */
#ifndef VMM_CPUID_TABLE_H
#define VMM_CPUID_TABLE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "uapi/minivmm.h"

struct vcpu;

struct cpuid_table {
	struct minivmm_cpuid hdr;
	struct minivmm_cpuid_entry e[MINIVMM_MAX_CPUID_ENTRIES];
};

/* One --cpuid LEAF[.SUB]=EAX:EBX:ECX:EDX. */
struct cpuid_override {
	__u32 leaf, sub;
	bool has_sub;
	__u32 r[4];
};

/* Parse --cpuid's argument: 0 or VMM_EXIT_USAGE (message on @err). */
int cpuid_override_parse(const char *arg, struct cpuid_override *o, FILE *err);

/*
 * Fill @t with the module's answers (MINIVMM_GET_CPUID) for leaf 0 up to
 * the highest basic leaf and 0x80000000 up to the highest extended one,
 * subleaves of 4, 7, 0xb and 0xd included: 0 or -errno.
 */
int cpuid_table_from_module(struct cpuid_table *t, struct vcpu *v);
/* Replace or add @o's entry: 0 or -ENOSPC. */
int cpuid_table_set(struct cpuid_table *t, const struct cpuid_override *o);
/* What the module answers from a SET_CPUID table: the first match, else zeros. */
void cpuid_table_lookup(const struct cpuid_table *t, __u32 leaf, __u32 sub,
			__u32 r[4]);

#endif /* VMM_CPUID_TABLE_H */
