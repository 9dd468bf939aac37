// SPDX-License-Identifier: GPL-2.0
/* minivmm_vmx_derive_features() and the IA32_VMX_BASIC/MISC decoders. */
#include <string.h>
#include <criterion/criterion.h>

#include "minivmm/vmx_caps.h"
#include "helpers.h"

/* What the Bochs fixture allows, worked out by hand from helpers.c. */
#define BOCHS_FEATURES (MINIVMM_VMX_F_TRUE_CTLS | MINIVMM_VMX_F_SECONDARY |	\
	MINIVMM_VMX_F_EPT | MINIVMM_VMX_F_VPID | MINIVMM_VMX_F_UNRESTRICTED |	\
	MINIVMM_VMX_F_PREEMPT_TIMER | MINIVMM_VMX_F_MSR_BITMAP |		\
	MINIVMM_VMX_F_TPR_SHADOW | MINIVMM_VMX_F_APIC_ACCESS |			\
	MINIVMM_VMX_F_EPT_AD | MINIVMM_VMX_F_EPT_2M | MINIVMM_VMX_F_EPT_1G |	\
	MINIVMM_VMX_F_EPT_4LEVEL | MINIVMM_VMX_F_EPT_WB |			\
	MINIVMM_VMX_F_INVEPT | MINIVMM_VMX_F_INVVPID | MINIVMM_VMX_F_RDTSCP |	\
	MINIVMM_VMX_F_SAVE_PREEMPT | MINIVMM_VMX_F_LOAD_EFER)

/* Everything that needs the secondary controls. */
#define SECONDARY_FEATURES (MINIVMM_VMX_F_EPT | MINIVMM_VMX_F_VPID |		\
	MINIVMM_VMX_F_UNRESTRICTED | MINIVMM_VMX_F_APIC_ACCESS |		\
	MINIVMM_VMX_F_APIC_REG_VIRT | MINIVMM_VMX_F_VIRT_INTR_DELIV |		\
	MINIVMM_VMX_F_PML | MINIVMM_VMX_F_VMFUNC | MINIVMM_VMX_F_TSC_SCALING |	\
	MINIVMM_VMX_F_EPT_AD | MINIVMM_VMX_F_EPT_2M | MINIVMM_VMX_F_EPT_1G |	\
	MINIVMM_VMX_F_EPT_4LEVEL | MINIVMM_VMX_F_EPT_WB |			\
	MINIVMM_VMX_F_INVEPT | MINIVMM_VMX_F_INVVPID | MINIVMM_VMX_F_RDTSCP |	\
	MINIVMM_VMX_F_INVPCID | MINIVMM_VMX_F_XSAVES)

#define EPT_FEATURES (MINIVMM_VMX_F_EPT | MINIVMM_VMX_F_EPT_AD |		\
	MINIVMM_VMX_F_EPT_2M | MINIVMM_VMX_F_EPT_1G |				\
	MINIVMM_VMX_F_EPT_4LEVEL | MINIVMM_VMX_F_EPT_WB | MINIVMM_VMX_F_INVEPT)

/* allowed-1 settings live in the high half of a control MSR */
#define ALLOWED1(bits)	((__u64)(bits) << 32)

Test(vmx_decode, bochs_basic_fields)
{
	cr_assert_eq(minivmm_basic_revision(BOCHS_VMX_BASIC), 0x2b);
	cr_assert_eq(minivmm_basic_vmcs_size(BOCHS_VMX_BASIC), 4096);
	cr_assert_eq(minivmm_basic_mem_type(BOCHS_VMX_BASIC), 6, "WB is 6");
	cr_assert(BOCHS_VMX_BASIC & (1ull << 55), "TRUE_* MSRs present");
	cr_assert_eq(minivmm_misc_preempt_shift(BOCHS_VMX_MISC), 0);
}

Test(vmx_decode, preempt_shift_is_misc_bits_4_0)
{
	cr_assert_eq(minivmm_misc_preempt_shift(0x200401e5), 5);
	cr_assert_eq(minivmm_misc_preempt_shift(0xffffffff), 31);
}

Test(vmx_decode, control_msr_halves)
{
	__u64 msr = 0x0000007f00000016ull;

	cr_assert_eq(minivmm_ctl_allowed1(msr), 0x7f);
	cr_assert_eq(minivmm_ctl_allowed0(msr), 0x16);
}

Test(vmx_decode, bochs_features)
{
	struct minivmm_vmx_caps c;

	bochs_caps(&c);
	cr_assert_eq(minivmm_vmx_derive_features(&c), BOCHS_FEATURES,
		     "got %#llx, want %#llx",
		     (unsigned long long)minivmm_vmx_derive_features(&c),
		     (unsigned long long)BOCHS_FEATURES);
}

Test(vmx_decode, bochs_ept_vpid_cap_bits)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	f = minivmm_vmx_derive_features(&c);
	cr_assert(f & MINIVMM_VMX_F_EPT_4LEVEL);
	cr_assert(f & MINIVMM_VMX_F_EPT_WB);
	cr_assert(f & MINIVMM_VMX_F_EPT_2M);
	cr_assert(f & MINIVMM_VMX_F_EPT_1G);
	cr_assert(f & MINIVMM_VMX_F_INVEPT);
	cr_assert(f & MINIVMM_VMX_F_EPT_AD);
	cr_assert(f & MINIVMM_VMX_F_INVVPID);
}

Test(vmx_decode, true_ctls_absent_uses_legacy_msrs)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.basic &= ~(1ull << 55);
	/* Garbage in the TRUE MSRs must not matter any more. */
	c.true_pinbased_ctls = 0;
	c.true_procbased_ctls = 0;
	c.true_exit_ctls = 0;
	c.true_entry_ctls = 0;
	f = minivmm_vmx_derive_features(&c);
	cr_assert_not(f & MINIVMM_VMX_F_TRUE_CTLS);
	cr_assert_eq(f, BOCHS_FEATURES & ~MINIVMM_VMX_F_TRUE_CTLS);
}

Test(vmx_decode, true_ctls_present_ignores_legacy_msrs)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.true_procbased_ctls &= ~ALLOWED1(MINIVMM_PROC_SECONDARY);
	c.true_pinbased_ctls &= ~ALLOWED1(MINIVMM_PIN_PREEMPT_TIMER);
	f = minivmm_vmx_derive_features(&c);
	cr_assert(f & MINIVMM_VMX_F_TRUE_CTLS);
	cr_assert_not(f & MINIVMM_VMX_F_SECONDARY);
	cr_assert_not(f & MINIVMM_VMX_F_EPT);
	cr_assert_not(f & MINIVMM_VMX_F_PREEMPT_TIMER);
}

Test(vmx_decode, no_secondary_controls_means_no_ept)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.true_procbased_ctls &= ~ALLOWED1(MINIVMM_PROC_SECONDARY);
	c.procbased_ctls &= ~ALLOWED1(MINIVMM_PROC_SECONDARY);
	/* Everything allowed in PROCBASED_CTLS2, which must now be ignored. */
	c.procbased_ctls2 = ALLOWED1(0xffffffff);
	f = minivmm_vmx_derive_features(&c);
	cr_assert_not(f & MINIVMM_VMX_F_SECONDARY);
	cr_assert_eq(f & SECONDARY_FEATURES, 0, "left: %#llx",
		     (unsigned long long)(f & SECONDARY_FEATURES));
	/* Primary-control features are unaffected. */
	cr_assert(f & MINIVMM_VMX_F_MSR_BITMAP);
	cr_assert(f & MINIVMM_VMX_F_TPR_SHADOW);
}

Test(vmx_decode, secondary_controls_use_allowed1_half)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	/* EPT|VPID|UG only in the allowed-0 half: may be 0, not may be 1. */
	c.procbased_ctls2 = MINIVMM_PROC2_EPT | MINIVMM_PROC2_VPID |
			    MINIVMM_PROC2_UNRESTRICTED;
	f = minivmm_vmx_derive_features(&c);
	cr_assert(f & MINIVMM_VMX_F_SECONDARY);
	cr_assert_eq(f & SECONDARY_FEATURES, 0);
}

Test(vmx_decode, unrestricted_guest_needs_ept)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.procbased_ctls2 = ALLOWED1(MINIVMM_PROC2_UNRESTRICTED |
				     MINIVMM_PROC2_VPID);
	f = minivmm_vmx_derive_features(&c);
	cr_assert_not(f & MINIVMM_VMX_F_UNRESTRICTED);
	cr_assert_eq(f & EPT_FEATURES, 0,
		     "EPT_VPID_CAP bits count only with EPT");
	cr_assert(f & MINIVMM_VMX_F_VPID);
	cr_assert(f & MINIVMM_VMX_F_INVVPID);
}

Test(vmx_decode, invvpid_needs_its_cap_bit)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.ept_vpid_cap &= ~(1ull << 32);
	f = minivmm_vmx_derive_features(&c);
	cr_assert(f & MINIVMM_VMX_F_VPID);
	cr_assert_not(f & MINIVMM_VMX_F_INVVPID);
	cr_assert(f & MINIVMM_VMX_F_INVEPT);
}

Test(vmx_decode, load_efer_needs_exit_and_entry)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	bochs_caps(&c);
	c.true_entry_ctls &= ~ALLOWED1(MINIVMM_ENTRY_LOAD_EFER);
	f = minivmm_vmx_derive_features(&c);
	cr_assert_not(f & MINIVMM_VMX_F_LOAD_EFER);
	cr_assert(f & MINIVMM_VMX_F_SAVE_PREEMPT);
}

Test(vmx_decode, all_zero_msrs_have_no_features)
{
	struct minivmm_vmx_caps c = { .size = sizeof(c) };

	cr_assert_eq(minivmm_vmx_derive_features(&c), 0);
}

Test(vmx_decode, feature_names_complete_and_unique)
{
	unsigned int i, j;
	const char *p;

	for (i = 0; i < MINIVMM_VMX_F_NR; i++) {
		const char *name = minivmm_vmx_feature_name(i);

		cr_assert_not_null(name, "bit %u has no name", i);
		/* Used as JSON keys: keep them plain identifiers. */
		for (p = name; *p; p++)
			cr_assert((*p >= 'a' && *p <= 'z') ||
				  (*p >= '0' && *p <= '9') || *p == '_',
				  "bad character in '%s'", name);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(name, minivmm_vmx_feature_name(j));
	}
	cr_assert_null(minivmm_vmx_feature_name(MINIVMM_VMX_F_NR));
}
