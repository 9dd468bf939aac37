// SPDX-License-Identifier: GPL-2.0
/* ./minivmm: userspace command line of the minivmm hypervisor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "die.h"
#include "exit_status.h"

int main(int argc, char **argv)
{
	struct cli_opts opts;
	int ret;

	ret = cli_parse(argc, argv, getenv("MINIVMM_DEVICE"), &opts, stderr);
	if (!ret)
		ret = cli_run(&opts);

	/* A truncated report (e.g. disk full) must not exit 0. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, VMM_PROG ": write error: %s\n", strerror(errno));
		return ret ? ret : VMM_EXIT_ERROR;
	}
	return ret;
}
