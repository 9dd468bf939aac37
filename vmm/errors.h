/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-line error messages for device failures. Each writes
 * "minivmm: ...\n" to @f and returns the exit status to use, so the
 * wording and the status are decided in one place and testable.
 */
#ifndef VMM_ERRORS_H
#define VMM_ERRORS_H

#include <stdio.h>

int report_open_error(FILE *f, const char *path, int err);
int report_ioctl_error(FILE *f, const char *name, unsigned long req, int err);
int report_api_mismatch(FILE *f, int module_version, int cli_version);
/* @path opened, but its driver does not know MINIVMM_GET_API_VERSION. */
int report_not_minivmm(FILE *f, const char *path, int err);

#endif /* VMM_ERRORS_H */
