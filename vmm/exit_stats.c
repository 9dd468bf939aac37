// SPDX-License-Identifier: GPL-2.0
/* Exit statistics of a vCPU: --stats, and the storm verdict on --timeout. */
#include <stdio.h>

#include "die.h"
#include "exit_stats.h"
#include "vcpu.h"

#define VMX_REASON_EXCEPTION	0
#define VMX_REASON_EXT_INTR	1
#define VMX_REASON_PREEMPT	52

/* Exception mnemonics and names (SDM Vol. 3A Table 6-1). */
static const char *const exception_names[32] = {
	[0] = "#DE (divide error)",
	[1] = "#DB (debug)",
	[2] = "NMI",
	[3] = "#BP (breakpoint)",
	[4] = "#OF (overflow)",
	[5] = "#BR (BOUND range exceeded)",
	[6] = "#UD (invalid opcode)",
	[7] = "#NM (device not available)",
	[8] = "#DF (double fault)",
	[10] = "#TS (invalid TSS)",
	[11] = "#NP (segment not present)",
	[12] = "#SS (stack fault)",
	[13] = "#GP (general protection)",
	[14] = "#PF (page fault)",
	[16] = "#MF (x87 error)",
	[17] = "#AC (alignment check)",
	[18] = "#MC (machine check)",
	[19] = "#XM (SIMD exception)",
	[20] = "#VE (virtualization exception)",
	[21] = "#CP (control protection)",
};

const char *exception_name(unsigned int vector, char *buf, size_t len)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	snprintf(buf, len, "vector %u", vector);
	return buf;
}

unsigned long long exit_stats_guest_exits(const struct minivmm_vcpu_stats *s)
{
	unsigned long long host = s->by_reason[VMX_REASON_EXT_INTR] +
				  s->by_reason[VMX_REASON_PREEMPT];

	return s->exits > host ? s->exits - host : 0;
}

/* Index of the largest of @n counters (the first of equals). */
static unsigned int top_index(const __u64 *c, unsigned int n)
{
	unsigned int i, top = 0;

	for (i = 1; i < n; i++)
		if (c[i] > c[top])
			top = i;
	return top;
}

void exit_stats_classify(const struct minivmm_vcpu_stats *s, double seconds,
			 struct storm *out)
{
	__u64 guest[MINIVMM_STATS_REASONS];
	unsigned int i;

	*out = (struct storm) { .kind = STORM_NONE };
	out->guest_exits = exit_stats_guest_exits(s);
	if (out->guest_exits < STORM_MIN_EXITS ||
	    (seconds > 0 && out->guest_exits < STORM_MIN_RATE * seconds))
		return;
	for (i = 0; i < MINIVMM_STATS_REASONS; i++)
		guest[i] = s->by_reason[i];
	guest[VMX_REASON_EXT_INTR] = 0;
	guest[VMX_REASON_PREEMPT] = 0;
	out->reason = top_index(guest, MINIVMM_STATS_REASONS);
	out->count = guest[out->reason];
	out->kind = STORM_EXIT;
	if (out->reason == VMX_REASON_EXCEPTION) {
		out->vector = top_index(s->exceptions, 32);
		out->count = s->exceptions[out->vector];
		out->kind = STORM_EXCEPTION;
	}
}

void exit_stats_print(FILE *f, const struct minivmm_vcpu_stats *s)
{
	char buf[32];
	const char *name;
	unsigned int i;

	fprintf(f, VMM_PROG ": stats: %llu exits, %llu to userspace, %llu caused by the guest\n",
		(unsigned long long)s->exits,
		(unsigned long long)s->userspace_exits,
		exit_stats_guest_exits(s));
	for (i = 0; i < MINIVMM_STATS_REASONS; i++) {
		if (!s->by_reason[i])
			continue;
		name = vmx_exit_reason_name(i);
		fprintf(f, VMM_PROG ": stats: %10llu  %2u %s\n",
			(unsigned long long)s->by_reason[i], i,
			name ? name : "?");
	}
	for (i = 0; i < 32; i++)
		if (s->exceptions[i])
			fprintf(f, VMM_PROG ": stats: %10llu     exception %s\n",
				(unsigned long long)s->exceptions[i],
				exception_name(i, buf, sizeof(buf)));
	if (s->vcpu_bytes)
		fprintf(f, VMM_PROG ": stats: module memory: %llu KiB for the vCPU, %llu KiB for the VM (%llu EPT table pages)\n",
			(unsigned long long)(s->vcpu_bytes + 1023) / 1024,
			(unsigned long long)(s->vm_bytes + 1023) / 1024,
			(unsigned long long)s->ept_table_pages);
}
