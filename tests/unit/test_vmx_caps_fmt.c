// SPDX-License-Identifier: GPL-2.0
/* vmx_caps_print_table() and vmx_caps_print_json(). */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "minivmm/vmx_caps.h"
#include "helpers.h"
#include "vmx_caps_fmt.h"

static struct minivmm_vmx_caps caps;

static void setup(void)
{
	bochs_caps(&caps);
	caps.features = minivmm_vmx_derive_features(&caps);
}

static char *table_of(const struct minivmm_vmx_caps *c)
{
	struct membuf m;

	vmx_caps_print_table(membuf_open(&m), c);
	return membuf_str(&m);
}

static char *json_of(const struct minivmm_vmx_caps *c)
{
	struct membuf m;

	vmx_caps_print_json(membuf_open(&m), c);
	return membuf_str(&m);
}

static void assert_row(const char *text, const char *label, const char *want)
{
	char *got = table_value(text, label);

	cr_assert_not_null(got, "no row '%s' in:\n%s", label, text);
	cr_assert_str_eq(got, want, "row '%s'", label);
	free(got);
}

Test(vmx_caps_fmt, mem_type_names)
{
	cr_assert_str_eq(vmx_mem_type_name(0), "UC");
	cr_assert_str_eq(vmx_mem_type_name(6), "WB");
	cr_assert_str_eq(vmx_mem_type_name(1), "reserved");
}

Test(vmx_caps_fmt, table_basic_rows, .init = setup)
{
	char *t = table_of(&caps);

	assert_row(t, "VMCS revision id", "0x2b");
	assert_row(t, "VMCS size", "4096 bytes");
	assert_row(t, "VMCS memory type", "6 (WB)");
	assert_row(t, "Preemption timer rate", "TSC >> 0");
	assert_row(t, "Feature control", "locked, VMX outside SMX");
	free(t);
}

Test(vmx_caps_fmt, table_cr_fixed_bits, .init = setup)
{
	char *t = table_of(&caps);

	/* PE, NE and PG must be 1; bits 32-63 must be 0 (FIXED1 is 32-bit). */
	assert_row(t, "CR0 must be 1", "0x0000000080000021");
	assert_row(t, "CR0 must be 0", "0xffffffff00000000");
	assert_row(t, "CR4 must be 1", "0x0000000000002000");
	assert_row(t, "CR4 must be 0", "0xffffffffffc89800");
	free(t);
}

Test(vmx_caps_fmt, table_every_feature_yes_no, .init = setup)
{
	char *t = table_of(&caps);
	unsigned int i;

	for (i = 0; i < MINIVMM_VMX_F_NR; i++)
		assert_row(t, minivmm_vmx_feature_name(i),
			   caps.features & (1ull << i) ? "yes" : "no");
	/* And the ones the brief names, spelled out. */
	assert_row(t, "ept", "yes");
	assert_row(t, "vpid", "yes");
	assert_row(t, "unrestricted_guest", "yes");
	assert_row(t, "pml", "no");
	free(t);
}

Test(vmx_caps_fmt, table_shows_features_field_not_redecoded, .init = setup)
{
	char *t;

	/* The table reports what the module said, even if it is odd. */
	caps.features = MINIVMM_VMX_F_PML;
	t = table_of(&caps);
	assert_row(t, "pml", "yes");
	assert_row(t, "ept", "no");
	free(t);
}

Test(vmx_caps_fmt, table_raw_msrs, .init = setup)
{
	char *t = table_of(&caps);

	assert_row(t, "IA32_VMX_BASIC", "0x480  0x00d810000000002b");
	assert_row(t, "IA32_VMX_EPT_VPID_CAP", "0x48c  0x00000f0106334141");
	assert_row(t, "IA32_VMX_MISC", "0x485  0x00000000200401e0");
	assert_row(t, "IA32_FEATURE_CONTROL", "0x03a  0x0000000000000005");
	assert_row(t, "IA32_VMX_VMFUNC", "0x491  0x0000000000000000");
	free(t);
}

Test(vmx_caps_fmt, table_firmware_disabled_vmx, .init = setup)
{
	char *t;

	caps.feature_control = 0x1;
	t = table_of(&caps);
	assert_row(t, "Feature control",
		   "locked (VT-x disabled by firmware)");
	free(t);
	caps.feature_control = 0x0;
	t = table_of(&caps);
	assert_row(t, "Feature control", "unlocked");
	free(t);
}

Test(vmx_caps_fmt, json_is_valid, .init = setup)
{
	char *j = json_of(&caps);

	cr_assert(json_valid(j), "invalid JSON: %s", j);
	cr_assert_eq(strchr(j, '\n'), j + strlen(j) - 1, "one line: %s", j);
	free(j);
}

Test(vmx_caps_fmt, json_values, .init = setup)
{
	char *j = json_of(&caps);

	ASSERT_JSON(j,
		{ "d['vmcs_revision']", "43" },
		{ "d['vmcs_size']", "4096" },
		{ "d['vmcs_mem_type']", "6" },
		{ "d['vmcs_mem_type_name']", "\"WB\"" },
		{ "d['preemption_timer_shift']", "0" },
		{ "d['feature_control']",
		  "{\"locked\": true, \"vmx_in_smx\": false, \"vmx_outside_smx\": true}" },
		{ "d['cr_fixed']['cr0_must_be_1']", "\"0x0000000080000021\"" },
		{ "d['cr_fixed']['cr4_must_be_0']", "\"0xffffffffffc89800\"" },
		{ "d['features']['ept']", "true" },
		{ "d['features']['vpid']", "true" },
		{ "d['features']['unrestricted_guest']", "true" },
		{ "d['features']['pml']", "false" },
		{ "d['msrs']['basic']", "\"0x00d810000000002b\"" },
		{ "d['msrs']['ept_vpid_cap']", "\"0x00000f0106334141\"" },
		{ "d['msrs']['misc']", "\"0x00000000200401e0\"" },
		{ "len(d['msrs'])", "19" });
	free(j);
}

Test(vmx_caps_fmt, json_features_match_bits, .init = setup)
{
	char *j = json_of(&caps), *want;
	struct membuf m;
	unsigned int i;
	FILE *f;

	/* The names of the set bits, as Python's json.dumps() lists them. */
	f = membuf_open(&m);
	fputc('[', f);
	for (i = 0; i < MINIVMM_VMX_F_NR; i++)
		if (caps.features & (1ull << i))
			fprintf(f, "%s\"%s\"", ftell(f) > 1 ? ", " : "",
				minivmm_vmx_feature_name(i));
	fputc(']', f);
	want = membuf_str(&m);

	{
		char n_features[16], raw[32];

		snprintf(n_features, sizeof(n_features), "%d", MINIVMM_VMX_F_NR);
		snprintf(raw, sizeof(raw), "\"0x%016llx\"",
			 (unsigned long long)caps.features);
		ASSERT_JSON(j,
			{ "[k for k, v in d['features'].items() if v]", want },
			{ "len(d['features'])", n_features },
			{ "d['features_raw']", raw });
	}
	free(want);
	free(j);
}
