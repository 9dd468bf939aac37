/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID table a Linux guest gets (MINIVMM_SET_CPUID): the host's
 * vendor, family, model and brand, and of its features only those
 * minivmm switches or emulates (docs/linux-guest.md has the list and
 * why); the hypervisor bit without a hypervisor signature (no kvmclock,
 * no paravirt MSRs); the TSC frequency in leaves 0x15/0x16 so the kernel
 * never calibrates it against a timer.
 */
#ifndef VMM_CPUID_LINUX_H
#define VMM_CPUID_LINUX_H

#include <linux/types.h>

#include "uapi/minivmm.h"

#define CPUID_LINUX_MAX_ENTRIES	24

struct cpuid_linux_table {
	struct minivmm_cpuid hdr;
	struct minivmm_cpuid_entry e[CPUID_LINUX_MAX_ENTRIES];
};

/*
 * Fill @t from the host's CPUID (through @cpuid, the instruction in the
 * binary, a fake in tests) for a TSC of @tsc_khz (0: leave 0x15/0x16 out).
 */
void cpuid_linux_table(struct cpuid_linux_table *t, __u32 tsc_khz,
		       void (*cpuid)(__u32 leaf, __u32 sub, __u32 r[4]));

/* The host CPU's answer (the cpuid instruction). */
void cpuid_host(__u32 leaf, __u32 sub, __u32 r[4]);

#endif /* VMM_CPUID_LINUX_H */
