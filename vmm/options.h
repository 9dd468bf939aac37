/* SPDX-License-Identifier: GPL-2.0 */
/*
 * getopt_long() as every ./minivmm parser uses it: restartable (tests
 * parse many command lines in one process), stopping at the first
 * non-option (the command, or a stray argument), and with our own error
 * messages instead of getopt's.
 */
#ifndef VMM_OPTIONS_H
#define VMM_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

struct options {
	int argc;
	char **argv;
	const char *optstring;	/* without the leading "+:" */
	const struct option *longopts;
	const char *help_cmd;	/* "" or "info ": where --help is */
	int cur;		/* index of the argument being parsed */
};

/* Start parsing @argv (argv[0] is skipped). */
void options_begin(struct options *o);

/*
 * The next option as getopt_long() returns it (optarg set), or -1 at
 * the first non-option, whose index is then optind. A bad option
 * returns '?' after its message on @err.
 */
int options_next(struct options *o, FILE *err);

#endif /* VMM_OPTIONS_H */
