/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The serial protocol of the emulator suites (tools/emu/README.md) for C
 * helpers: check() prints "MVTEST: PASS <name>" or "MVTEST: FAIL <name>:
 * <why>" and counts failures for the helper's exit status.
 */
#ifndef MVTEST_H
#define MVTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

__attribute__((format(printf, 3, 4)))
static int check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("MVTEST: %s %s", ok ? "PASS" : "FAIL", name);
	if (!ok) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
	failures += !ok;
	return ok;
}

/* /dev/minivmm, or "MVTEST: FAIL <name>: why" and exit: nothing to test. */
static inline int mv_open_dev(const char *name)
{
	int fd = open("/dev/minivmm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("MVTEST: FAIL %s: /dev/minivmm: %s\n", name, strerror(errno));
		exit(1);
	}
	return fd;
}

#endif /* MVTEST_H */
