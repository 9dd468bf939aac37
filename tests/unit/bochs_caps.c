// SPDX-License-Identifier: GPL-2.0
/* A Bochs-like CPU's VMX MSRs; no criterion here: fake/ uses it too. */
#include "bochs_caps.h"

void bochs_caps(struct minivmm_vmx_caps *c)
{
	*c = (struct minivmm_vmx_caps) {
		.size			= sizeof(*c),
		/* Measured in Bochs. */
		.basic			= BOCHS_VMX_BASIC,
		.ept_vpid_cap		= BOCHS_VMX_EPT_VPID_CAP,
		.misc			= BOCHS_VMX_MISC,
		/*
		 * Typical values, not measured: allowed-1 in the high half.
		 * pin: preemption timer (6) but no posted interrupts (7);
		 * proc: TPR shadow (21), MSR bitmap (28), secondary (31);
		 * exit: load EFER (21), save preemption timer (22);
		 * entry: load EFER (15);
		 * proc2: APIC access (0), EPT (1), RDTSCP (3), VPID (5),
		 * unrestricted guest (7); no PML, VMFUNC, XSAVES...
		 */
		.feature_control	= 0x5,
		.pinbased_ctls		= 0x0000007f00000016ull,
		.true_pinbased_ctls	= 0x0000007f00000016ull,
		.procbased_ctls		= 0xfff9fffe0401e172ull,
		.true_procbased_ctls	= 0xfff9fffe04006172ull,
		.exit_ctls		= 0x007fffff00036dffull,
		.true_exit_ctls		= 0x007fffff00036dfbull,
		.entry_ctls		= 0x0000ffff000011ffull,
		.true_entry_ctls	= 0x0000ffff000011fbull,
		.procbased_ctls2	= 0x000000ab00000000ull,
		.cr0_fixed0		= 0x80000021ull,
		.cr0_fixed1		= 0xffffffffull,
		.cr4_fixed0		= 0x2000ull,
		.cr4_fixed1		= 0x3767ffull,
		.vmcs_enum		= 0x2eull,
	};
}
