// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "uapi/minivmm.h"
#include "cli.h"
#include "commands.h"
#include "dev.h"
#include "die.h"
#include "exit_status.h"
#include "options.h"
#include "version.h"

const struct option cli_long_opts[] = {
	{ "device",	required_argument,	NULL, 'd' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL,		0,			NULL, 0 },
};

void cli_print_usage(FILE *f)
{
	const struct vmm_cmd *cmd;

	fprintf(f,
		"Usage: " VMM_PROG " [OPTIONS] COMMAND [ARGS...]\n"
		"\n"
		"Command line of the minivmm VT-x hypervisor (kernel module minivmm.ko).\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH  the minivmm device (default: $MINIVMM_DEVICE, else "
		VMM_DEFAULT_DEVICE ")\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and the UAPI version, and exit\n"
		"\n"
		"Commands:\n");
	for (cmd = vmm_cmds; cmd->name; cmd++)
		fprintf(f, "  %-8s %s\n", cmd->name, cmd->help);
	fprintf(f,
		"\n"
		"Run '" VMM_PROG " help COMMAND' or '" VMM_PROG
		" COMMAND --help' for the options\n"
		"of a command.\n"
		"\n");
	exit_status_print_help(f);
}

void cli_print_version(FILE *f)
{
	fprintf(f, VMM_PROG " %s (UAPI version %d)\n", MINIVMM_CLI_VERSION,
		MINIVMM_API_VERSION);
}

int cli_parse(int argc, char **argv, const char *env_device,
	      struct cli_opts *opts, FILE *err)
{
	struct options o = {
		.argc = argc,
		.argv = argv,
		.optstring = "d:hV",
		.longopts = cli_long_opts,
		.help_cmd = "",
	};
	int c;

	*opts = (struct cli_opts) {
		.action = CLI_RUN_COMMAND,
		.device = env_device && *env_device ? env_device :
			  VMM_DEFAULT_DEVICE,
	};

	options_begin(&o);
	while ((c = options_next(&o, err)) != -1) {
		switch (c) {
		case 'd':
			opts->device = optarg;
			break;
		case 'h':
			opts->action = CLI_HELP;
			return 0;
		case 'V':
			opts->action = CLI_VERSION;
			return 0;
		default:
			return VMM_EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		fprintf(err, VMM_PROG ": no command given; see '" VMM_PROG
			" --help'\n");
		return VMM_EXIT_USAGE;
	}
	opts->argc = argc - optind;
	opts->argv = argv + optind;
	return 0;
}

int cli_run(const struct cli_opts *opts)
{
	const struct vmm_cmd *cmd;

	switch (opts->action) {
	case CLI_HELP:
		cli_print_usage(stdout);
		return VMM_EXIT_OK;
	case CLI_VERSION:
		cli_print_version(stdout);
		return VMM_EXIT_OK;
	case CLI_RUN_COMMAND:
		break;
	}

	cmd = vmm_cmd_find(opts->argv[0]);
	if (!cmd) {
		fprintf(stderr, VMM_PROG ": unknown command '%s'; see '"
			VMM_PROG " --help'\n", opts->argv[0]);
		return VMM_EXIT_USAGE;
	}
	return cmd->run(opts, opts->argc, opts->argv);
}
