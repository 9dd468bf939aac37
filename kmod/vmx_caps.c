// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time VT-x checks and the VMX capability MSRs.
 *
 * SDM Vol. 3C 24.6 "Discovering Support for VMX" and 24.7 "Enabling and
 * Entering VMX Operation"; the MSRs are described in Vol. 3D Appendix A.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/atomic.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include "minivmm.h"

struct minivmm_vmx_caps vmx_caps;

static void vmx_caps_count_vmxe(void *busy)
{
	if (__read_cr4() & X86_CR4_VMXE)
		atomic_inc(busy);
}

/*
 * The three reasons VT-x can be unusable, checked in the order a user
 * must fix them. Each prints one line naming the cause and the fix and
 * returns its own errno (documented in docs/uapi.md).
 */
int vmx_caps_check_cpu(void)
{
	atomic_t busy = ATOMIC_INIT(0);
	u64 feat;

	/* CPUID.1:ECX.VMX[bit 5]: raw CPUID, because Linux clears its own
	 * X86_FEATURE_VMX flag when firmware disabled VMX, and that case has
	 * a different fix.
	 */
	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err(MINIVMM_NAME ": no VMX in CPUID: this CPU has no VT-x; use an Intel CPU with VT-x, or enable nested virtualization for this virtual machine\n");
		return -ENODEV;
	}

	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat))
		feat = 0;
	if (!(feat & MINIVMM_FEAT_CTL_LOCKED) ||
	    !(feat & MINIVMM_FEAT_CTL_VMX_OUTSIDE_SMX)) {
		pr_err(MINIVMM_NAME ": VT-x disabled by firmware (IA32_FEATURE_CONTROL=%#llx): enable \"Intel Virtualization Technology\" in the BIOS/UEFI setup and power-cycle\n",
		       feat);
		return -EPERM;
	}

	/* Another hypervisor in VMX operation owns CR4.VMXE on its CPUs. */
	on_each_cpu(vmx_caps_count_vmxe, &busy, 1);
	if (atomic_read(&busy)) {
		pr_err(MINIVMM_NAME ": VT-x is in use by another hypervisor (CR4.VMXE set on %d CPU(s)), e.g. kvm_intel: stop its VMs or run 'rmmod kvm_intel', then retry\n",
		       atomic_read(&busy));
		return -EBUSY;
	}
	return 0;
}

/* An MSR the CPU lacks (e.g. the TRUE_* ones on old CPUs) reads as 0. */
static u64 vmx_caps_rdmsr(u32 msr)
{
	u64 val;

	return rdmsrl_safe(msr, &val) ? 0 : val;
}

void vmx_caps_read(struct minivmm_vmx_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->feature_control = vmx_caps_rdmsr(MSR_IA32_FEAT_CTL);
	c->basic = vmx_caps_rdmsr(MSR_IA32_VMX_BASIC);
	c->pinbased_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	c->procbased_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	c->entry_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = vmx_caps_rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = vmx_caps_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = vmx_caps_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = vmx_caps_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = vmx_caps_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	c->vmcs_enum = vmx_caps_rdmsr(MSR_IA32_VMX_VMCS_ENUM);
	/* Only read MSRs the SDM says exist (Vol. 3D A.3.3, A.10, A.11). */
	if (minivmm_ctl_allowed1(c->procbased_ctls) & MINIVMM_PROC_SECONDARY)
		c->procbased_ctls2 = vmx_caps_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	if (minivmm_ctl_allowed1(c->procbased_ctls2) &
	    (MINIVMM_PROC2_EPT | MINIVMM_PROC2_VPID))
		c->ept_vpid_cap = vmx_caps_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (c->basic & (1ull << 55)) {
		c->true_pinbased_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		c->true_procbased_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		c->true_exit_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		c->true_entry_ctls = vmx_caps_rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	}
	if (minivmm_ctl_allowed1(c->procbased_ctls2) & MINIVMM_PROC2_VMFUNC)
		c->vmfunc = vmx_caps_rdmsr(MSR_IA32_VMX_VMFUNC);
	c->features = minivmm_vmx_derive_features(c);
}

/* One kernel-log line: what this CPU's VT-x can do. */
void vmx_caps_log_summary(const struct minivmm_vmx_caps *c)
{
	char buf[512];
	int len = 0, bit;

	for (bit = 0; bit < MINIVMM_VMX_F_NR; bit++)
		if (c->features & (1ull << bit))
			len += scnprintf(buf + len, sizeof(buf) - len, " %s",
					 minivmm_vmx_feature_name(bit));
	pr_info(MINIVMM_NAME ": VMCS revision %#x, %u bytes, preemption timer TSC>>%u; features:%s\n",
		minivmm_basic_revision(c->basic),
		minivmm_basic_vmcs_size(c->basic),
		minivmm_misc_preempt_shift(c->misc), buf);
}
