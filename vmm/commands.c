// SPDX-License-Identifier: GPL-2.0
/*
 * A new command is one file with its handler, its prototype here and
 * its entry in vmm_cmds[].
 */
#include <string.h>

#include "commands.h"

int cmd_info(const struct cli_opts *opts, int argc, char **argv);
int cmd_run(const struct cli_opts *opts, int argc, char **argv);

const struct vmm_cmd vmm_cmds[] = {
	{ "info", cmd_info,
	  "show the module's API version and the CPU's VT-x capabilities" },
	{ "run", cmd_run,
	  "boot a guest image (ELF64 or flat binary) in a new VM" },
	{ NULL, NULL, NULL },
};

const struct vmm_cmd *vmm_cmd_find(const char *name)
{
	const struct vmm_cmd *cmd;

	for (cmd = vmm_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}
