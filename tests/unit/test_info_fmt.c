// SPDX-License-Identifier: GPL-2.0
/* The whole `minivmm info` report: table and JSON, with and without probe. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "minivmm/vmx_caps.h"
#include "helpers.h"
#include "info.h"
#include "version.h"

static struct info_report report;
static struct minivmm_vmx_probe probe;

static void setup(void)
{
	unsigned int i;

	memset(&report, 0, sizeof(report));
	report.device = "/dev/minivmm";
	report.module_version = "9.8.7";
	report.api_version = MINIVMM_API_VERSION;
	for (i = 0; i < NR_CHECKED_CAPS; i++)
		report.cap_values[i] = i + 1;	/* distinct, to catch mix-ups */
	bochs_caps(&report.caps);
	report.caps.features = minivmm_vmx_derive_features(&report.caps);

	/* CPU 0 did it all; CPU 1 went through VMXON only; CPU 2 offline. */
	memset(&probe, 0, sizeof(probe));
	probe.nr_cpus = 3;
	probe.nr_online = 2;
	probe.vmcs_revision = 0x2b;
	probe.cpu[0] = (struct minivmm_vmx_probe_cpu) { 0,
		MINIVMM_PROBE_CPU_ONLINE | MINIVMM_PROBE_CPU_VMXON |
		MINIVMM_PROBE_CPU_VMCS | MINIVMM_PROBE_CPU_VMXOFF, 7 };
	probe.cpu[1] = (struct minivmm_vmx_probe_cpu) { 1,
		MINIVMM_PROBE_CPU_ONLINE | MINIVMM_PROBE_CPU_VMXON, 1ull << 40 };
	probe.cpu[2] = (struct minivmm_vmx_probe_cpu) { 2, 0, 0 };
}

static char *table(void)
{
	struct membuf m;

	info_print_table(membuf_open(&m), &report);
	return membuf_str(&m);
}

static char *json(void)
{
	struct membuf m;

	info_print_json(membuf_open(&m), &report);
	return membuf_str(&m);
}

static void assert_row(const char *text, const char *label, const char *want)
{
	char *got = table_value(text, label);

	cr_assert_not_null(got, "no row '%s' in:\n%s", label, text);
	cr_assert_str_eq(got, want, "row '%s'", label);
	free(got);
}

Test(info_fmt, table_versions_and_caps, .init = setup)
{
	char *t, want[16];
	unsigned int i;

	report.api_version = MINIVMM_API_VERSION + 5;
	t = table();
	snprintf(want, sizeof(want), "%d", MINIVMM_API_VERSION + 5);
	assert_row(t, "API version (module)", want);
	snprintf(want, sizeof(want), "%d", MINIVMM_API_VERSION);
	assert_row(t, "API version (CLI)", want);
	assert_row(t, "Device", "/dev/minivmm");
	assert_row(t, "Version (module)", "9.8.7");
	assert_row(t, "Version (CLI)", MINIVMM_CLI_VERSION);
	for (i = 0; i < NR_CHECKED_CAPS; i++) {
		snprintf(want, sizeof(want), "%d", report.cap_values[i]);
		assert_row(t, checked_caps[i].name, want);
	}
	/* The caps table is included. */
	assert_row(t, "VMCS revision id", "0x2b");
	cr_assert_null(strstr(t, "Probe"), "no probe was asked for");
	free(t);
}

Test(info_fmt, table_probe_rows, .init = setup)
{
	char *t, *line;

	report.probe = &probe;
	t = table();
	cr_assert_not_null(strstr(t, "Probe (MINIVMM_PROBE_VMX): 3 CPU slots, 2 CPUs online, VMCS revision 0x2b\n"), "%s", t);
	line = strstr(t, "    0  yes     yes    yes   yes     7\n");
	cr_assert_not_null(line, "%s", t);
	line = strstr(t, "    1  yes     yes    no    no      1099511627776\n");
	cr_assert_not_null(line, "%s", t);
	line = strstr(t, "    2  no      no     no    no      0\n");
	cr_assert_not_null(line, "%s", t);
	free(t);
}

Test(info_fmt, json_top_level, .init = setup)
{
	char *j = json(), want[32];

	cr_assert(json_valid(j), "%s", j);
	snprintf(want, sizeof(want), "%d", MINIVMM_API_VERSION);
	ASSERT_JSON(j,
		{ "d['api_version']", want },
		{ "d['cli_api_version']", want },
		{ "d['cli_version']", "\"" MINIVMM_CLI_VERSION "\"" },
		{ "d['module_version']", "\"9.8.7\"" },
		{ "d['device']", "\"/dev/minivmm\"" },
		{ "d['vmcs_revision']", "43" },
		{ "d['vmcs_size']", "4096" },
		{ "d['features']['ept']", "true" },
		{ "d['msrs']['basic']", "\"0x00d810000000002b\"" },
		{ "d['probe']", "null" });
	free(j);
}

Test(info_fmt, json_check_cap_values, .init = setup)
{
	struct json_check checks[NR_CHECKED_CAPS + 1];
	char exprs[NR_CHECKED_CAPS][64], wants[NR_CHECKED_CAPS + 1][16];
	char *j = json();
	unsigned int i;

	for (i = 0; i < NR_CHECKED_CAPS; i++) {
		snprintf(exprs[i], sizeof(exprs[i]), "d['check_cap']['%s']",
			 checked_caps[i].name);
		snprintf(wants[i], sizeof(wants[i]), "%d", report.cap_values[i]);
		checks[i] = (struct json_check) { exprs[i], wants[i] };
	}
	snprintf(wants[i], sizeof(wants[i]), "%d", NR_CHECKED_CAPS);
	checks[i] = (struct json_check) { "len(d['check_cap'])", wants[i] };
	assert_json(j, checks, NR_CHECKED_CAPS + 1);
	free(j);
}

Test(info_fmt, json_probe, .init = setup)
{
	char *j;

	report.probe = &probe;
	j = json();
	cr_assert(json_valid(j), "%s", j);
	ASSERT_JSON(j,
		{ "d['probe']['nr_cpus']", "3" },
		{ "d['probe']['nr_online']", "2" },
		{ "d['probe']['vmcs_revision']", "43" },
		{ "d['probe']['cpus'][0]",
		  "{\"cpu\": 0, \"online\": true, \"vmxon\": true, \"vmcs\": true, \"vmxoff\": true, \"vmxon_count\": 7}" },
		{ "d['probe']['cpus'][1]['vmcs']", "false" },
		{ "d['probe']['cpus'][1]['vmxon_count']", "1099511627776" },
		{ "d['probe']['cpus'][2]['online']", "false" });
	free(j);
}

Test(info_fmt, probe_nr_cpus_clamped, .init = setup)
{
	char *j, want[16];

	probe.nr_cpus = 100000;		/* a module bug must not overrun cpu[] */
	report.probe = &probe;
	j = json();
	snprintf(want, sizeof(want), "%d", MINIVMM_PROBE_MAX_CPUS);
	ASSERT_JSON(j,
		{ "len(d['probe']['cpus'])", want },
		{ "d['probe']['nr_cpus']", want });
	free(j);
}

Test(info_fmt, json_device_escaped, .init = setup)
{
	char *j;

	report.device = "/tmp/a \"b\"\\c";
	j = json();
	ASSERT_JSON(j, { "d['device'] == '/tmp/a \"b\"\\\\c'", "true" });
	free(j);
}
