/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses of ./minivmm: the one list, used by the code, by
 * `minivmm --help` and by the tests, so they cannot drift apart.
 */
#ifndef VMM_EXIT_STATUS_H
#define VMM_EXIT_STATUS_H

#include <stdio.h>

/* X(enum name, value, description for --help) */
#define VMM_EXIT_STATUSES(X)						\
	X(EXIT_OK,		0, "success")				\
	X(EXIT_ERROR,		1, "other error (e.g. cannot open the "	\
				   "device for another reason, write error)") \
	X(EXIT_USAGE,		2, "usage error: unknown option or "	\
				   "command, missing argument")		\
	X(EXIT_API_MISMATCH,	3, "the module's API version is not the "	\
				   "one minivmm was built for")		\
	X(EXIT_NO_DEVICE,	4, "device not found: module not loaded") \
	X(EXIT_NO_PERMISSION,	5, "permission denied opening the device") \
	X(EXIT_NO_DRIVER,	6, "device node exists but no driver is "	\
				   "behind it")				\
	X(EXIT_IOCTL,		7, "an ioctl on the device failed")	\
	X(EXIT_VMX_BUSY,	8, "VT-x is in use by another hypervisor "	\
				   "(e.g. kvm_intel)")			\
	X(EXIT_UNSUPPORTED,	9, "the module lacks a capability the "	\
				   "command needs")

#define VMM_EXIT_ENUM(name, value, desc)	VMM_##name = value,
enum vmm_exit_status {
	VMM_EXIT_STATUSES(VMM_EXIT_ENUM)
};
#undef VMM_EXIT_ENUM

struct vmm_exit_status_desc {
	int status;
	const char *name;
	const char *desc;
};

/* All statuses in VMM_EXIT_STATUSES order, terminated by { .name = NULL }. */
extern const struct vmm_exit_status_desc vmm_exit_statuses[];

/* The status for a failed open(2) of the device. */
int exit_status_from_open_errno(int err);

/* The status for ioctl @req failing with @err. */
int exit_status_from_ioctl_errno(unsigned long req, int err);

/* "Exit status:" section of --help. */
void exit_status_print_help(FILE *f);

#endif /* VMM_EXIT_STATUS_H */
