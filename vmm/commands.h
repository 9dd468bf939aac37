/* SPDX-License-Identifier: GPL-2.0 */
/* The table of ./minivmm commands. */
#ifndef VMM_COMMANDS_H
#define VMM_COMMANDS_H

struct cli_opts;

struct vmm_cmd {
	const char *name;
	/* argv[0] is the command name; returns the exit status. */
	int (*run)(const struct cli_opts *opts, int argc, char **argv);
	const char *help;	/* one line, for --help */
};

/* Terminated by an entry with a NULL name. */
extern const struct vmm_cmd vmm_cmds[];

const struct vmm_cmd *vmm_cmd_find(const char *name);

#endif /* VMM_COMMANDS_H */
