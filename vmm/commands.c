// SPDX-License-Identifier: GPL-2.0
/*
 * A new command is one file with its handler, its prototype here and
 * its entry in vmm_cmds[].
 */
#include <string.h>

#include "commands.h"
#include "info.h"
#include "run.h"

int cmd_help(const struct cli_opts *opts, int argc, char **argv);
int cmd_info(const struct cli_opts *opts, int argc, char **argv);
int cmd_run(const struct cli_opts *opts, int argc, char **argv);

const struct vmm_cmd vmm_cmds[] = {
	{ "info", cmd_info, info_print_usage, info_long_opts,
	  "show the module's API version and the CPU's VT-x capabilities" },
	{ "run", cmd_run, run_print_usage, run_long_opts,
	  "boot a guest image (ELF64 or flat binary) in a new VM" },
	{ "help", cmd_help, help_print_usage, help_long_opts,
	  "show the help of minivmm or of a command" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct vmm_cmd *vmm_cmd_find(const char *name)
{
	const struct vmm_cmd *cmd;

	for (cmd = vmm_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}
