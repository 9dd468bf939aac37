// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "die.h"
#include "options.h"

void options_begin(struct options *o)
{
	optind = 0;	/* glibc: reinitialise fully */
	opterr = 0;
	o->cur = 1;
}

/* getopt_long() returned @c, '?' or ':', at argument @arg. */
static void options_report_bad(const struct options *o, int c,
			       const char *arg, FILE *err)
{
	/* "--name=value": name the option without its value. */
	int len = strcspn(arg, "=");

	fprintf(err, VMM_PROG ": ");
	if (strncmp(arg, "--", 2)) {
		/* A short option, possibly inside a cluster like -jx. */
		if (c == ':')
			fprintf(err, "option '-%c' needs an argument", optopt);
		else
			fprintf(err, "unknown option '-%c'", optopt);
	} else if (c == ':') {
		fprintf(err, "option '%.*s' needs an argument", len, arg);
	} else if (optopt) {	/* a known long option given a value */
		fprintf(err, "option '%.*s' takes no argument", len, arg);
	} else {
		fprintf(err, "unknown option '%.*s'", len, arg);
	}
	fprintf(err, "; see '" VMM_PROG " %s--help'\n", o->help_cmd);
}

int options_next(struct options *o, FILE *err)
{
	char optstring[32] = "+:";
	int c;

	/* "+": stop at the first non-option; ":": report missing arguments. */
	strncat(optstring, o->optstring, sizeof(optstring) - 3);
	/* Before the first call optind is 0, meaning argument 1. */
	o->cur = optind ? optind : 1;
	c = getopt_long(o->argc, o->argv, optstring, o->longopts, NULL);
	if (c == '?' || c == ':') {
		options_report_bad(o, c, o->argv[o->cur], err);
		return '?';
	}
	return c;
}
