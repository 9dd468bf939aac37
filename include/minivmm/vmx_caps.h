/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the VMX capability MSRs, shared by minivmm.ko and ./minivmm
 * so both report the same features. Pure functions on struct
 * minivmm_vmx_caps; no kernel or libc dependencies.
 *
 * References: SDM Vol. 3D Appendix A (A.1 basic, A.3-A.5 controls,
 * A.6 misc, A.7-A.8 CR fixed bits, A.10 EPT/VPID), and Vol. 3C
 * chapter 25 (24 in older editions) for the control bit positions.
 */
#ifndef MINIVMM_VMX_CAPS_H
#define MINIVMM_VMX_CAPS_H

#include <linux/types.h>
#include "../uapi/minivmm.h"

/* MINIVMM_VMX_F_*: bits of minivmm_vmx_caps.features */
#define MINIVMM_VMX_F_TRUE_CTLS		(1ull << 0)  /* BASIC[55]: TRUE_* MSRs */
#define MINIVMM_VMX_F_SECONDARY		(1ull << 1)  /* secondary controls */
#define MINIVMM_VMX_F_EPT		(1ull << 2)
#define MINIVMM_VMX_F_VPID		(1ull << 3)
#define MINIVMM_VMX_F_UNRESTRICTED	(1ull << 4)  /* unrestricted guest */
#define MINIVMM_VMX_F_PREEMPT_TIMER	(1ull << 5)
#define MINIVMM_VMX_F_POSTED_INTR	(1ull << 6)
#define MINIVMM_VMX_F_MSR_BITMAP	(1ull << 7)
#define MINIVMM_VMX_F_TPR_SHADOW	(1ull << 8)
#define MINIVMM_VMX_F_APIC_ACCESS	(1ull << 9)  /* virtualize APIC accesses */
#define MINIVMM_VMX_F_APIC_REG_VIRT	(1ull << 10)
#define MINIVMM_VMX_F_VIRT_INTR_DELIV	(1ull << 11)
#define MINIVMM_VMX_F_PML		(1ull << 12)
#define MINIVMM_VMX_F_VMFUNC		(1ull << 13)
#define MINIVMM_VMX_F_TSC_SCALING	(1ull << 14)
#define MINIVMM_VMX_F_EPT_AD		(1ull << 15) /* EPT accessed/dirty bits */
#define MINIVMM_VMX_F_EPT_2M		(1ull << 16)
#define MINIVMM_VMX_F_EPT_1G		(1ull << 17)
#define MINIVMM_VMX_F_EPT_4LEVEL	(1ull << 18)
#define MINIVMM_VMX_F_EPT_WB		(1ull << 19)
#define MINIVMM_VMX_F_INVEPT		(1ull << 20)
#define MINIVMM_VMX_F_INVVPID		(1ull << 21)
#define MINIVMM_VMX_F_RDTSCP		(1ull << 22)
#define MINIVMM_VMX_F_INVPCID		(1ull << 23)
#define MINIVMM_VMX_F_XSAVES		(1ull << 24)
#define MINIVMM_VMX_F_SAVE_PREEMPT	(1ull << 25) /* exit ctl: save timer value */
#define MINIVMM_VMX_F_LOAD_EFER		(1ull << 26) /* entry+exit: load EFER */
#define MINIVMM_VMX_F_NR		27

/* Control bit positions (SDM Vol. 3C, "VM-Execution Controls" etc.). */
#define MINIVMM_PIN_PREEMPT_TIMER	(1u << 6)
#define MINIVMM_PIN_POSTED_INTR		(1u << 7)
#define MINIVMM_PROC_TPR_SHADOW		(1u << 21)
#define MINIVMM_PROC_MSR_BITMAP		(1u << 28)
#define MINIVMM_PROC_SECONDARY		(1u << 31)
#define MINIVMM_PROC2_APIC_ACCESS	(1u << 0)
#define MINIVMM_PROC2_EPT		(1u << 1)
#define MINIVMM_PROC2_RDTSCP		(1u << 3)
#define MINIVMM_PROC2_VPID		(1u << 5)
#define MINIVMM_PROC2_UNRESTRICTED	(1u << 7)
#define MINIVMM_PROC2_APIC_REG_VIRT	(1u << 8)
#define MINIVMM_PROC2_VIRT_INTR_DELIV	(1u << 9)
#define MINIVMM_PROC2_INVPCID		(1u << 12)
#define MINIVMM_PROC2_VMFUNC		(1u << 13)
#define MINIVMM_PROC2_PML		(1u << 17)
#define MINIVMM_PROC2_XSAVES		(1u << 20)
#define MINIVMM_PROC2_TSC_SCALING	(1u << 25)
#define MINIVMM_EXIT_SAVE_PREEMPT	(1u << 22)
#define MINIVMM_EXIT_LOAD_EFER		(1u << 21)
#define MINIVMM_ENTRY_LOAD_EFER		(1u << 15)

/* IA32_FEATURE_CONTROL bits (SDM Vol. 3C 24.7 "Enabling and Entering VMX Operation"). */
#define MINIVMM_FEAT_CTL_LOCKED		(1ull << 0)
#define MINIVMM_FEAT_CTL_VMX_IN_SMX	(1ull << 1)
#define MINIVMM_FEAT_CTL_VMX_OUTSIDE_SMX (1ull << 2)

/* A control MSR: low 32 bits = allowed-0 settings, high 32 = allowed-1. */
static inline __u32 minivmm_ctl_allowed1(__u64 msr)
{
	return (__u32)(msr >> 32);
}

static inline __u32 minivmm_ctl_allowed0(__u64 msr)
{
	return (__u32)msr;
}

/* IA32_VMX_BASIC fields (SDM Vol. 3D A.1). */
static inline __u32 minivmm_basic_revision(__u64 basic)
{
	return (__u32)(basic & 0x7fffffff);
}

static inline __u32 minivmm_basic_vmcs_size(__u64 basic)
{
	return (__u32)((basic >> 32) & 0x1fff);
}

static inline __u32 minivmm_basic_mem_type(__u64 basic)
{
	return (__u32)((basic >> 50) & 0xf);
}

/* IA32_VMX_MISC[4:0]: the preemption timer ticks once per 2^N TSC cycles (A.6). */
static inline __u32 minivmm_misc_preempt_shift(__u64 misc)
{
	return (__u32)(misc & 0x1f);
}

/*
 * The control MSRs to trust: the TRUE_* ones when BASIC[55] says they
 * exist (they may allow clearing "default1" bits), else the legacy ones.
 */
static inline __u64 minivmm_caps_pin(const struct minivmm_vmx_caps *c)
{
	return (c->basic & (1ull << 55)) ? c->true_pinbased_ctls : c->pinbased_ctls;
}

static inline __u64 minivmm_caps_proc(const struct minivmm_vmx_caps *c)
{
	return (c->basic & (1ull << 55)) ? c->true_procbased_ctls : c->procbased_ctls;
}

static inline __u64 minivmm_caps_exit(const struct minivmm_vmx_caps *c)
{
	return (c->basic & (1ull << 55)) ? c->true_exit_ctls : c->exit_ctls;
}

static inline __u64 minivmm_caps_entry(const struct minivmm_vmx_caps *c)
{
	return (c->basic & (1ull << 55)) ? c->true_entry_ctls : c->entry_ctls;
}

/* Features usable on this CPU: a control must be allowed to be 1. */
static inline __u64 minivmm_vmx_derive_features(const struct minivmm_vmx_caps *c)
{
	__u32 pin = minivmm_ctl_allowed1(minivmm_caps_pin(c));
	__u32 proc = minivmm_ctl_allowed1(minivmm_caps_proc(c));
	__u32 exit = minivmm_ctl_allowed1(minivmm_caps_exit(c));
	__u32 entry = minivmm_ctl_allowed1(minivmm_caps_entry(c));
	__u32 proc2 = 0;
	__u64 f = 0;

	if (c->basic & (1ull << 55))
		f |= MINIVMM_VMX_F_TRUE_CTLS;
	if (proc & MINIVMM_PROC_SECONDARY) {
		f |= MINIVMM_VMX_F_SECONDARY;
		proc2 = minivmm_ctl_allowed1(c->procbased_ctls2);
	}
	if (pin & MINIVMM_PIN_PREEMPT_TIMER)
		f |= MINIVMM_VMX_F_PREEMPT_TIMER;
	if (pin & MINIVMM_PIN_POSTED_INTR)
		f |= MINIVMM_VMX_F_POSTED_INTR;
	if (proc & MINIVMM_PROC_MSR_BITMAP)
		f |= MINIVMM_VMX_F_MSR_BITMAP;
	if (proc & MINIVMM_PROC_TPR_SHADOW)
		f |= MINIVMM_VMX_F_TPR_SHADOW;
	if (exit & MINIVMM_EXIT_SAVE_PREEMPT)
		f |= MINIVMM_VMX_F_SAVE_PREEMPT;
	if ((exit & MINIVMM_EXIT_LOAD_EFER) && (entry & MINIVMM_ENTRY_LOAD_EFER))
		f |= MINIVMM_VMX_F_LOAD_EFER;
	if (proc2 & MINIVMM_PROC2_EPT)
		f |= MINIVMM_VMX_F_EPT;
	if (proc2 & MINIVMM_PROC2_VPID)
		f |= MINIVMM_VMX_F_VPID;
	/* Unrestricted guest requires EPT (SDM 26.2.1.1). */
	if ((proc2 & MINIVMM_PROC2_UNRESTRICTED) && (proc2 & MINIVMM_PROC2_EPT))
		f |= MINIVMM_VMX_F_UNRESTRICTED;
	if (proc2 & MINIVMM_PROC2_APIC_ACCESS)
		f |= MINIVMM_VMX_F_APIC_ACCESS;
	if (proc2 & MINIVMM_PROC2_APIC_REG_VIRT)
		f |= MINIVMM_VMX_F_APIC_REG_VIRT;
	if (proc2 & MINIVMM_PROC2_VIRT_INTR_DELIV)
		f |= MINIVMM_VMX_F_VIRT_INTR_DELIV;
	if (proc2 & MINIVMM_PROC2_PML)
		f |= MINIVMM_VMX_F_PML;
	if (proc2 & MINIVMM_PROC2_VMFUNC)
		f |= MINIVMM_VMX_F_VMFUNC;
	if (proc2 & MINIVMM_PROC2_TSC_SCALING)
		f |= MINIVMM_VMX_F_TSC_SCALING;
	if (proc2 & MINIVMM_PROC2_RDTSCP)
		f |= MINIVMM_VMX_F_RDTSCP;
	if (proc2 & MINIVMM_PROC2_INVPCID)
		f |= MINIVMM_VMX_F_INVPCID;
	if (proc2 & MINIVMM_PROC2_XSAVES)
		f |= MINIVMM_VMX_F_XSAVES;
	/* IA32_VMX_EPT_VPID_CAP bits (SDM Vol. 3D A.10). */
	if (proc2 & MINIVMM_PROC2_EPT) {
		if (c->ept_vpid_cap & (1ull << 6))
			f |= MINIVMM_VMX_F_EPT_4LEVEL;
		if (c->ept_vpid_cap & (1ull << 14))
			f |= MINIVMM_VMX_F_EPT_WB;
		if (c->ept_vpid_cap & (1ull << 16))
			f |= MINIVMM_VMX_F_EPT_2M;
		if (c->ept_vpid_cap & (1ull << 17))
			f |= MINIVMM_VMX_F_EPT_1G;
		if (c->ept_vpid_cap & (1ull << 20))
			f |= MINIVMM_VMX_F_INVEPT;
		if (c->ept_vpid_cap & (1ull << 21))
			f |= MINIVMM_VMX_F_EPT_AD;
	}
	if ((proc2 & MINIVMM_PROC2_VPID) && (c->ept_vpid_cap & (1ull << 32)))
		f |= MINIVMM_VMX_F_INVVPID;
	return f;
}

/* Short name of MINIVMM_VMX_F_* bit number @bit, or NULL past the last. */
static inline const char *minivmm_vmx_feature_name(unsigned int bit)
{
	static const char *const names[MINIVMM_VMX_F_NR] = {
		"true_ctls", "secondary_ctls", "ept", "vpid",
		"unrestricted_guest", "preemption_timer", "posted_interrupts",
		"msr_bitmap", "tpr_shadow", "apic_access", "apic_reg_virt",
		"virt_intr_delivery", "pml", "vmfunc", "tsc_scaling", "ept_ad",
		"ept_2m", "ept_1g", "ept_4level", "ept_wb", "invept", "invvpid",
		"rdtscp", "invpcid", "xsaves", "save_preemption_timer",
		"load_efer",
	};

	return bit < MINIVMM_VMX_F_NR ? names[bit] : (const char *)0;
}

#endif /* MINIVMM_VMX_CAPS_H */
