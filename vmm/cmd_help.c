// SPDX-License-Identifier: GPL-2.0
/* minivmm help [COMMAND]: the same text as --help, for those who type it. */
#include "cli.h"
#include "commands.h"
#include "die.h"
#include "exit_status.h"
#include "options.h"

const struct option help_long_opts[] = {
	{ "help",	no_argument,	NULL, 'h' },
	{ NULL,		0,		NULL, 0 },
};

void help_print_usage(FILE *f)
{
	fprintf(f,
		"Usage: " VMM_PROG " help [COMMAND]\n"
		"\n"
		"Show the help of " VMM_PROG " (as '" VMM_PROG " --help') or of\n"
		"COMMAND (as '" VMM_PROG " COMMAND --help'), and exit.\n"
		"\n"
		"  -h, --help  show this help and exit\n");
}

int help_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct options o = {
		.argc = argc,
		.argv = argv,
		.optstring = "h",
		.longopts = help_long_opts,
		.help_cmd = "help ",
	};
	const struct vmm_cmd *cmd;
	int c;

	options_begin(&o);
	while ((c = options_next(&o, err)) != -1) {
		switch (c) {
		case 'h':
			help_print_usage(out);
			return VMM_EXIT_OK;
		default:
			return VMM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_print_usage(out);
		return VMM_EXIT_OK;
	}
	if (optind + 1 < argc) {
		fprintf(err, VMM_PROG ": help: unexpected argument '%s'; see '"
			VMM_PROG " help --help'\n", argv[optind + 1]);
		return VMM_EXIT_USAGE;
	}
	cmd = vmm_cmd_find(argv[optind]);
	if (!cmd) {
		fprintf(err, VMM_PROG ": help: unknown command '%s'; see '"
			VMM_PROG " --help'\n", argv[optind]);
		return VMM_EXIT_USAGE;
	}
	cmd->usage(out);
	return VMM_EXIT_OK;
}

int cmd_help(const struct cli_opts *opts, int argc, char **argv)
{
	(void)opts;
	return help_run(argc, argv, stdout, stderr);
}
