// SPDX-License-Identifier: GPL-2.0
/* minivmm info [--json] [--probe] */
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "minivmm/vmx_caps.h"
#include "cli.h"
#include "dev.h"
#include "die.h"
#include "errors.h"
#include "exit_status.h"
#include "info.h"
#include "module_version.h"
#include "options.h"
#include "privs.h"

const struct option info_long_opts[] = {
	{ "help",	no_argument,	NULL, 'h' },
	{ "json",	no_argument,	NULL, 'j' },
	{ "probe",	no_argument,	NULL, 'p' },
	{ NULL,		0,		NULL, 0 },
};

void info_print_usage(FILE *f)
{
	fprintf(f,
		"Usage: " VMM_PROG " [-d DEVICE] info [--json] [--probe]\n"
		"\n"
		"Show the versions of minivmm and of the loaded module (\"unknown\"\n"
		"without " VMM_MODULE_VERSION_PATH "), the module's API version\n"
		"and capabilities and the VT-x capabilities of the CPU the module\n"
		"was loaded on.\n"
		"\n"
		"  -j, --json   print one JSON object instead of a table\n"
		"  -p, --probe  also VMXON/VMXOFF every CPU (MINIVMM_PROBE_VMX)\n"
		"  -h, --help   show this help and exit\n");
}

int info_parse_args(int argc, char **argv, struct info_opts *opts, FILE *err)
{
	struct options o = {
		.argc = argc,
		.argv = argv,
		.optstring = "hjp",
		.longopts = info_long_opts,
		.help_cmd = "info ",
	};
	int c;

	*opts = (struct info_opts) { 0 };
	options_begin(&o);
	while ((c = options_next(&o, err)) != -1) {
		switch (c) {
		case 'h':
			opts->help = true;
			return 0;
		case 'j':
			opts->json = true;
			break;
		case 'p':
			opts->probe = true;
			break;
		default:
			return VMM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(err, VMM_PROG ": info: unexpected argument '%s'; see '"
			VMM_PROG " info --help'\n", argv[optind]);
		return VMM_EXIT_USAGE;
	}
	return 0;
}

static void info_require_cap(const struct info_report *r, int idx,
			     const char *ioctl_name)
{
	if (!r->cap_values[idx])
		die(VMM_EXIT_UNSUPPORTED,
		    "the module does not implement %s (MINIVMM_CHECK_CAP(%s) is 0)",
		    ioctl_name, checked_caps[idx].macro);
}

static void info_read(int fd, const struct info_opts *opts,
		      struct info_report *r, struct minivmm_vmx_probe *probe)
{
	__u64 features, known;
	int i;

	r->api_version = dev_check_api(fd, r->device);

	for (i = 0; i < NR_CHECKED_CAPS; i++)
		r->cap_values[i] = dev_ioctl(fd, MINIVMM_CHECK_CAP,
					     checked_caps[i].nr);

	info_require_cap(r, CHECKED_CAP_VMX_CAPS, "MINIVMM_GET_VMX_CAPS");
	dev_ioctl(fd, MINIVMM_GET_VMX_CAPS, &r->caps);

	/*
	 * Module and CLI decode with the same include/minivmm/vmx_caps.h;
	 * disagreeing on a bit both know means they come from different
	 * trees. Bits only a newer module knows are fine.
	 */
	known = (1ull << MINIVMM_VMX_F_NR) - 1;
	features = minivmm_vmx_derive_features(&r->caps);
	if ((features ^ r->caps.features) & known)
		fprintf(stderr, VMM_PROG ": warning: the module reports features %#" PRIx64 ", minivmm decodes %#" PRIx64 " from the same MSRs: built from different trees?\n",
			(uint64_t)(r->caps.features & known),
			(uint64_t)features);

	if (opts->probe) {
		info_require_cap(r, CHECKED_CAP_PROBE_VMX, "MINIVMM_PROBE_VMX");
		dev_ioctl(fd, MINIVMM_PROBE_VMX, probe);
		r->probe = probe;
	}
}

int cmd_info(const struct cli_opts *cli, int argc, char **argv)
{
	struct minivmm_vmx_probe probe;
	struct info_report report = { .device = cli->device };
	char module_version[64];
	struct info_opts opts;
	int ret, fd;

	ret = info_parse_args(argc, argv, &opts, stderr);
	if (ret)
		return ret;
	if (opts.help) {
		info_print_usage(stdout);
		return VMM_EXIT_OK;
	}

	fd = dev_open(cli->device);
	privs_become_user(NULL);
	privs_drop_all();
	info_read(fd, &opts, &report, &probe);
	close(fd);
	/* The device answered, so the module is loaded: sysfs names it. */
	module_version_read(VMM_MODULE_VERSION_PATH, module_version,
			    sizeof(module_version));
	report.module_version = module_version;

	if (opts.json)
		info_print_json(stdout, &report);
	else
		info_print_table(stdout, &report);
	return VMM_EXIT_OK;
}
