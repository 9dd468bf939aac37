// SPDX-License-Identifier: GPL-2.0
#include "info.h"
#include "probe_fmt.h"
#include "version.h"
#include "vmx_caps_fmt.h"

static const char *module_version(const struct info_report *r)
{
	return r->module_version ? r->module_version : "unknown";
}

void info_print_table(FILE *f, const struct info_report *r)
{
	unsigned int i;

	fprintf(f, "%-24s %s\n", "Device", r->device);
	fprintf(f, "%-24s %s\n", "Version (module)", module_version(r));
	fprintf(f, "%-24s %s\n", "Version (CLI)", MINIVMM_CLI_VERSION);
	fprintf(f, "%-24s %d\n", "API version (module)", r->api_version);
	fprintf(f, "%-24s %d\n", "API version (CLI)", MINIVMM_API_VERSION);
	fprintf(f, "Capabilities (MINIVMM_CHECK_CAP):\n");
	for (i = 0; i < NR_CHECKED_CAPS; i++)
		fprintf(f, "  %-22s %d\n", checked_caps[i].name,
			r->cap_values[i]);
	vmx_caps_print_table(f, &r->caps);
	if (r->probe)
		probe_print_table(f, r->probe);
}

void info_print_json(FILE *f, const struct info_report *r)
{
	struct json_writer w;
	unsigned int i;

	json_init(&w, f);
	json_object_begin(&w, NULL);
	json_str(&w, "device", r->device);
	json_str(&w, "module_version", module_version(r));
	json_str(&w, "cli_version", MINIVMM_CLI_VERSION);
	json_u64(&w, "api_version", r->api_version);
	json_u64(&w, "cli_api_version", MINIVMM_API_VERSION);
	json_object_begin(&w, "check_cap");
	for (i = 0; i < NR_CHECKED_CAPS; i++)
		json_u64(&w, checked_caps[i].name, r->cap_values[i]);
	json_object_end(&w);
	vmx_caps_json_members(&w, &r->caps);
	/* Always present, so consumers can rely on the key. */
	if (r->probe)
		probe_json(&w, "probe", r->probe);
	else
		json_null(&w, "probe");
	json_object_end(&w);
}
