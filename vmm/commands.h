/* SPDX-License-Identifier: GPL-2.0 */
/* The table of ./minivmm commands. */
#ifndef VMM_COMMANDS_H
#define VMM_COMMANDS_H

#include <getopt.h>
#include <stdio.h>

struct cli_opts;

struct vmm_cmd {
	const char *name;
	/* argv[0] is the command name; returns the exit status. */
	int (*run)(const struct cli_opts *opts, int argc, char **argv);
	void (*usage)(FILE *f);	/* what `minivmm NAME --help` prints */
	/* Its getopt_long() table: tests check the man page against it. */
	const struct option *longopts;
	const char *help;	/* one line, for --help */
};

/* Terminated by an entry with a NULL name. */
extern const struct vmm_cmd vmm_cmds[];

const struct vmm_cmd *vmm_cmd_find(const char *name);

/* `minivmm help [COMMAND]` (cmd_help.c), here as it is about commands. */
extern const struct option help_long_opts[];
void help_print_usage(FILE *f);
/*
 * argv[0] is "help". Print `minivmm --help`, or `minivmm COMMAND --help`,
 * on @out and return 0; VMM_EXIT_USAGE after a message on @err.
 */
int help_run(int argc, char **argv, FILE *out, FILE *err);

#endif /* VMM_COMMANDS_H */
