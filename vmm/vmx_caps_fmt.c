// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stddef.h>

#include "minivmm/vmx_caps.h"
#include "vmx_caps_fmt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The raw MSRs in struct order; @key is the struct field, used in JSON. */
static const struct vmx_msr_desc {
	const char *name;
	unsigned int index;
	const char *key;
	size_t offset;
} vmx_msrs[] = {
#define MSR(name, index, field) \
	{ name, index, #field, offsetof(struct minivmm_vmx_caps, field) }
	MSR("IA32_FEATURE_CONTROL",		0x03a, feature_control),
	MSR("IA32_VMX_BASIC",			0x480, basic),
	MSR("IA32_VMX_PINBASED_CTLS",		0x481, pinbased_ctls),
	MSR("IA32_VMX_PROCBASED_CTLS",		0x482, procbased_ctls),
	MSR("IA32_VMX_EXIT_CTLS",		0x483, exit_ctls),
	MSR("IA32_VMX_ENTRY_CTLS",		0x484, entry_ctls),
	MSR("IA32_VMX_MISC",			0x485, misc),
	MSR("IA32_VMX_CR0_FIXED0",		0x486, cr0_fixed0),
	MSR("IA32_VMX_CR0_FIXED1",		0x487, cr0_fixed1),
	MSR("IA32_VMX_CR4_FIXED0",		0x488, cr4_fixed0),
	MSR("IA32_VMX_CR4_FIXED1",		0x489, cr4_fixed1),
	MSR("IA32_VMX_VMCS_ENUM",		0x48a, vmcs_enum),
	MSR("IA32_VMX_PROCBASED_CTLS2",		0x48b, procbased_ctls2),
	MSR("IA32_VMX_EPT_VPID_CAP",		0x48c, ept_vpid_cap),
	MSR("IA32_VMX_TRUE_PINBASED_CTLS",	0x48d, true_pinbased_ctls),
	MSR("IA32_VMX_TRUE_PROCBASED_CTLS",	0x48e, true_procbased_ctls),
	MSR("IA32_VMX_TRUE_EXIT_CTLS",		0x48f, true_exit_ctls),
	MSR("IA32_VMX_TRUE_ENTRY_CTLS",		0x490, true_entry_ctls),
	MSR("IA32_VMX_VMFUNC",			0x491, vmfunc),
#undef MSR
};

static __u64 vmx_msr_value(const struct minivmm_vmx_caps *c,
			   const struct vmx_msr_desc *m)
{
	return *(const __u64 *)((const char *)c + m->offset);
}

/*
 * CR bits VMX operation requires at 1 are those set in FIXED0; the ones
 * it requires at 0 are those clear in FIXED1 (SDM A.7, A.8).
 */
static __u64 cr_must_be_1(__u64 fixed0)
{
	return fixed0;
}

static __u64 cr_must_be_0(__u64 fixed1)
{
	return ~fixed1;
}

const char *vmx_mem_type_name(unsigned int type)
{
	/* SDM A.1: only UC and WB are used for the VMCS and related data. */
	switch (type) {
	case 0:
		return "UC";
	case 6:
		return "WB";
	default:
		return "reserved";
	}
}

static bool feature_on(const struct minivmm_vmx_caps *c, unsigned int bit)
{
	return c->features & (1ull << bit);
}

#define ROW	"%-24s "

static void print_feature_control(FILE *f, __u64 fc)
{
	fprintf(f, ROW "%s%s%s%s\n", "Feature control",
		fc & MINIVMM_FEAT_CTL_LOCKED ? "locked" : "unlocked",
		fc & MINIVMM_FEAT_CTL_VMX_IN_SMX ? ", VMX in SMX" : "",
		fc & MINIVMM_FEAT_CTL_VMX_OUTSIDE_SMX ? ", VMX outside SMX" : "",
		(fc & MINIVMM_FEAT_CTL_LOCKED) &&
		!(fc & MINIVMM_FEAT_CTL_VMX_OUTSIDE_SMX) ?
			" (VT-x disabled by firmware)" : "");
}

void vmx_caps_print_table(FILE *f, const struct minivmm_vmx_caps *c)
{
	unsigned int i;

	fprintf(f, ROW "0x%x\n", "VMCS revision id",
		minivmm_basic_revision(c->basic));
	fprintf(f, ROW "%u bytes\n", "VMCS size",
		minivmm_basic_vmcs_size(c->basic));
	fprintf(f, ROW "%u (%s)\n", "VMCS memory type",
		minivmm_basic_mem_type(c->basic),
		vmx_mem_type_name(minivmm_basic_mem_type(c->basic)));
	fprintf(f, ROW "TSC >> %u\n", "Preemption timer rate",
		minivmm_misc_preempt_shift(c->misc));
	print_feature_control(f, c->feature_control);
	fprintf(f, ROW "0x%016" PRIx64 "\n", "CR0 must be 1",
		(uint64_t)cr_must_be_1(c->cr0_fixed0));
	fprintf(f, ROW "0x%016" PRIx64 "\n", "CR0 must be 0",
		(uint64_t)cr_must_be_0(c->cr0_fixed1));
	fprintf(f, ROW "0x%016" PRIx64 "\n", "CR4 must be 1",
		(uint64_t)cr_must_be_1(c->cr4_fixed0));
	fprintf(f, ROW "0x%016" PRIx64 "\n", "CR4 must be 0",
		(uint64_t)cr_must_be_0(c->cr4_fixed1));

	fprintf(f, "Features (0x%" PRIx64 "):\n", (uint64_t)c->features);
	for (i = 0; i < MINIVMM_VMX_F_NR; i++)
		fprintf(f, "  %-22s %s\n", minivmm_vmx_feature_name(i),
			feature_on(c, i) ? "yes" : "no");

	fprintf(f, "MSRs:\n");
	for (i = 0; i < ARRAY_SIZE(vmx_msrs); i++)
		fprintf(f, "  %-28s 0x%03x  0x%016" PRIx64 "\n", vmx_msrs[i].name,
			vmx_msrs[i].index,
			(uint64_t)vmx_msr_value(c, &vmx_msrs[i]));
}

void vmx_caps_json_members(struct json_writer *w,
			   const struct minivmm_vmx_caps *c)
{
	__u64 fc = c->feature_control;
	unsigned int i;

	json_u64(w, "vmcs_revision", minivmm_basic_revision(c->basic));
	json_u64(w, "vmcs_size", minivmm_basic_vmcs_size(c->basic));
	json_u64(w, "vmcs_mem_type", minivmm_basic_mem_type(c->basic));
	json_str(w, "vmcs_mem_type_name",
		 vmx_mem_type_name(minivmm_basic_mem_type(c->basic)));
	json_u64(w, "preemption_timer_shift",
		 minivmm_misc_preempt_shift(c->misc));

	json_object_begin(w, "feature_control");
	json_bool(w, "locked", fc & MINIVMM_FEAT_CTL_LOCKED);
	json_bool(w, "vmx_in_smx", fc & MINIVMM_FEAT_CTL_VMX_IN_SMX);
	json_bool(w, "vmx_outside_smx", fc & MINIVMM_FEAT_CTL_VMX_OUTSIDE_SMX);
	json_object_end(w);

	json_object_begin(w, "cr_fixed");
	json_hex64(w, "cr0_must_be_1", cr_must_be_1(c->cr0_fixed0));
	json_hex64(w, "cr0_must_be_0", cr_must_be_0(c->cr0_fixed1));
	json_hex64(w, "cr4_must_be_1", cr_must_be_1(c->cr4_fixed0));
	json_hex64(w, "cr4_must_be_0", cr_must_be_0(c->cr4_fixed1));
	json_object_end(w);

	json_hex64(w, "features_raw", c->features);
	json_object_begin(w, "features");
	for (i = 0; i < MINIVMM_VMX_F_NR; i++)
		json_bool(w, minivmm_vmx_feature_name(i), feature_on(c, i));
	json_object_end(w);

	json_object_begin(w, "msrs");
	for (i = 0; i < ARRAY_SIZE(vmx_msrs); i++)
		json_hex64(w, vmx_msrs[i].key, vmx_msr_value(c, &vmx_msrs[i]));
	json_object_end(w);
}

void vmx_caps_print_json(FILE *f, const struct minivmm_vmx_caps *c)
{
	struct json_writer w;

	json_init(&w, f);
	json_object_begin(&w, NULL);
	vmx_caps_json_members(&w, c);
	json_object_end(&w);
}
