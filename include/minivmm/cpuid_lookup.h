/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a MINIVMM_SET_CPUID table answers CPUID, shared by minivmm.ko's
 * handler and ./minivmm's (--exit cpuid=user), so both answer alike: the
 * first entry for the leaf whose index matches too where the entry says
 * the index is significant; none: all zeros.
 */
#ifndef MINIVMM_CPUID_LOOKUP_H
#define MINIVMM_CPUID_LOOKUP_H

#include <linux/types.h>
#include "../uapi/minivmm.h"

static inline void minivmm_cpuid_lookup(const struct minivmm_cpuid_entry *e,
					__u32 n, __u32 leaf, __u32 sub, __u32 r[4])
{
	__u32 i;

	r[0] = r[1] = r[2] = r[3] = 0;
	for (i = 0; i < n; i++, e++) {
		if (e->function != leaf ||
		    ((e->flags & MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX) && e->index != sub))
			continue;
		r[0] = e->eax;
		r[1] = e->ebx;
		r[2] = e->ecx;
		r[3] = e->edx;
		return;
	}
}

#endif /* MINIVMM_CPUID_LOOKUP_H */
