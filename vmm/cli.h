/* SPDX-License-Identifier: GPL-2.0 */
/* Global options of ./minivmm and dispatch to a command. */
#ifndef VMM_CLI_H
#define VMM_CLI_H

#include <getopt.h>
#include <stdio.h>

enum cli_action {
	CLI_RUN_COMMAND,
	CLI_HELP,
	CLI_VERSION,
};

struct cli_opts {
	enum cli_action action;
	const char *device;
	/* The command and its arguments: argv[0] is the command name. */
	int argc;
	char **argv;
};

/* The global options' getopt_long() table. */
extern const struct option cli_long_opts[];

/*
 * Parse the global options; the device comes from --device, else
 * @env_device (MINIVMM_DEVICE) if non-empty, else /dev/minivmm.
 * Returns 0 or VMM_EXIT_USAGE after a message on @err.
 */
int cli_parse(int argc, char **argv, const char *env_device,
	      struct cli_opts *opts, FILE *err);

void cli_print_usage(FILE *f);
void cli_print_version(FILE *f);

/* Carry out @opts; returns the exit status. */
int cli_run(const struct cli_opts *opts);

#endif /* VMM_CLI_H */
