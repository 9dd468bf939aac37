/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses of ./minivmm: the one list, used by the code, by
 * `minivmm --help` and by the tests, so they cannot drift apart.
 *
 * `minivmm run` also exits with the guest's own code: an OUT of N to the
 * debug-exit port 0xf4 ends the run with status N & 0xff. Those codes
 * can overlap the statuses below; VMM-side outcomes of a run therefore
 * sit at 115..124, just below the shell's 126/127/128+N, so a guest that
 * keeps to 0..114 (and does not collide with the 1..11 reported before it
 * starts, with a message on stderr) stays distinguishable. A run stopped
 * by SIGINT or SIGTERM exits with the shell's 128 + N. Every status
 * minivmm itself chooses comes with a one-line reason on stderr; a guest
 * exit code does not.
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
				   "(e.g. kvm_intel): at VM creation or "	\
				   "probe")					\
	X(EXIT_UNSUPPORTED,	9, "the module lacks a capability the "	\
				   "command needs")				\
	X(EXIT_BAD_IMAGE,	10, "run: guest image unreadable, invalid or "	\
				   "too big for guest memory")			\
	X(EXIT_NOT_MINIVMM,	11, "the device is not a minivmm device (e.g. " \
				   "-d /dev/null)")				\
	X(EXIT_GUEST_PANIC,	115, "run: the guest kernel panicked (its "	\
				   "console said \"Kernel panic\"), then "	\
				   "reset or halted")				\
	X(EXIT_GUEST_EXIT_STORM, 116, "run: --timeout expired while the guest "	\
				   "was in an exit storm (see the message)")	\
	X(EXIT_GUEST_EXC_STORM,	117, "run: --timeout expired while the guest "	\
				   "was in an exception loop or storm (#AC, "	\
				   "#DB, ...: see the message)")		\
	X(EXIT_GUEST_HLT,	118, "run: guest HLT with interrupts disabled "	\
				   "(RFLAGS.IF=0): nothing can wake it")	\
	X(EXIT_GUEST_HLT_IF,	119, "run: guest HLT with interrupts enabled "	\
				   "and nothing that could wake it (no timer "	\
				   "armed, no input)")				\
	X(EXIT_GUEST_SHUTDOWN,	120, "run: guest shut down (triple fault)")	\
	X(EXIT_ENTRY_FAILED,	121, "run: VM entry failed (guest state "	\
				   "rejected)")					\
	X(EXIT_INTERNAL_ERROR,	122, "run: an exit the module cannot handle, "	\
				   "or a malformed exit")			\
	X(EXIT_UNKNOWN_EXIT,	123, "run: exit reason unknown to this minivmm") \
	X(EXIT_TIMEOUT,		124, "run: --timeout expired, guest stopped "	\
				   "(as timeout(1))")				\
	X(EXIT_SIGINT,		130, "run: stopped by SIGINT (Ctrl-C): the "	\
				   "guest is stopped as on --timeout, "		\
				   "statistics printed")			\
	X(EXIT_SIGTERM,		143, "run: stopped by SIGTERM, likewise")

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

/* The same, then what `run` adds about the guest's own exit codes. */
void exit_status_print_run_help(FILE *f);

#endif /* VMM_EXIT_STATUS_H */
