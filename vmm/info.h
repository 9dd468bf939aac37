/* SPDX-License-Identifier: GPL-2.0 */
/* `minivmm info`: what the module and the CPU's VT-x support. */
#ifndef VMM_INFO_H
#define VMM_INFO_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "uapi/minivmm.h"
#include "checked_caps.h"

struct info_opts {
	bool help;
	bool json;
	bool probe;
};

/* Everything `minivmm info` reports, as read from the device. */
struct info_report {
	const char *device;
	const char *module_version;		/* MODULE_VERSION or "unknown" */
	int api_version;			/* the module's */
	int cap_values[NR_CHECKED_CAPS];	/* MINIVMM_CHECK_CAP results */
	struct minivmm_vmx_caps caps;
	const struct minivmm_vmx_probe *probe;	/* NULL without --probe */
};

extern const struct option info_long_opts[];

/* argv[0] is "info". Returns 0 or VMM_EXIT_USAGE (message on @err). */
int info_parse_args(int argc, char **argv, struct info_opts *opts, FILE *err);
void info_print_usage(FILE *f);

void info_print_table(FILE *f, const struct info_report *r);
void info_print_json(FILE *f, const struct info_report *r);

#endif /* VMM_INFO_H */
