// SPDX-License-Identifier: GPL-2.0
/*
 * Speculative-execution defences around VM entry and exit, following
 * KVM: what the kernel's own mitigation choices ask for (its
 * X86_FEATURE_* flags), done with exported interfaces only.
 *
 *   Spectre v2 / RSB   RSB refilled right after every exit (vmx_entry.S)
 *   MDS, TAA, MMIO stale data, RFDS
 *                      VERW right before every entry (vmx_entry.S)
 *   L1TF               L1D flushed before every entry (spec_before_entry())
 *   cross-VM BTB       IBPB when a CPU goes from one VM's vCPU to another
 *                      VM's (spec_vm_switch())
 *   SPEC_CTRL          not given to the guest (CPUID hides IBRS/STIBP/SSBD,
 *                      its MSRs #GP), so the host's value is in force in
 *                      the guest
 *
 * What is not done (KVM's untraining of return predictions after exit for
 * Retbleed/SRSO, BHI clearing, IBPB on exit for VMSCAPE...) is named by
 * one line at load on CPUs that have those bugs: guests there must be
 * trusted.
 */
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include "minivmm.h"
#include "vm.h"

static DEFINE_PER_CPU(u64, spec_last_vm);
static atomic64_t spec_vm_serial = ATOMIC64_INIT(0);

/* A number no other VM of this module load has had, for spec_vm_switch(). */
u64 spec_new_vm_serial(void)
{
	return atomic64_inc_return(&spec_vm_serial);
}

/* Preemption off: @serial's vCPU is about to run on this CPU. */
void spec_vm_switch(u64 serial)
{
	if (__this_cpu_read(spec_last_vm) == serial)
		return;
	__this_cpu_write(spec_last_vm, serial);
	if (boot_cpu_has(X86_FEATURE_IBPB))
		indirect_branch_prediction_barrier();
}

/* IRQs off, just before entry. */
void spec_before_entry(void)
{
	if (boot_cpu_has_bug(X86_BUG_L1TF) && boot_cpu_has(X86_FEATURE_FLUSH_L1D))
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
}

/* At load: one line naming the CPU bugs a guest could still exploit. */
void spec_log_unmitigated(void)
{
	bool verw = boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM);
	char buf[160] = "";
	size_t n = 0;

#define SPEC_GAP(bug, name, mitigated)					\
	do {								\
		if (boot_cpu_has_bug(bug) && !(mitigated))		\
			n += scnprintf(buf + n, sizeof(buf) - n, " %s", name); \
	} while (0)
	SPEC_GAP(X86_BUG_SPECTRE_V2, "SPECTRE_V2",
		 boot_cpu_has(X86_FEATURE_RSB_VMEXIT) ||
		 boot_cpu_has(X86_FEATURE_RSB_VMEXIT_LITE));
	SPEC_GAP(X86_BUG_L1TF, "L1TF", boot_cpu_has(X86_FEATURE_FLUSH_L1D));
	SPEC_GAP(X86_BUG_MDS, "MDS", verw);
	SPEC_GAP(X86_BUG_TAA, "TAA", verw);
	SPEC_GAP(X86_BUG_MMIO_STALE_DATA, "MMIO_STALE_DATA", verw);
	SPEC_GAP(X86_BUG_RFDS, "RFDS", verw);
	SPEC_GAP(X86_BUG_RETBLEED, "RETBLEED", false);
	SPEC_GAP(X86_BUG_SRSO, "SRSO", false);
	SPEC_GAP(X86_BUG_BHI, "BHI", false);
	SPEC_GAP(X86_BUG_VMSCAPE, "VMSCAPE", false);
#undef SPEC_GAP
	if (n)
		pr_warn(MINIVMM_NAME ": CPU bugs not mitigated for guests:%s: trusted guests only (docs/uapi.md, \"What is switched\")\n",
			buf);
}
