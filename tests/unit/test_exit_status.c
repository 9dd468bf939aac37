// SPDX-License-Identifier: GPL-2.0
/* errno -> exit status mapping and the one-line error messages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "uapi/minivmm.h"
#include "errors.h"
#include "exit_status.h"
#include "helpers.h"

Test(exit_status, distinct_and_documented)
{
	const struct vmm_exit_status_desc *e, *o;

	for (e = vmm_exit_statuses; e->name; e++) {
		cr_assert(e->desc && *e->desc, "%s undocumented", e->name);
		/* Below the shell's 126/127, or the shell's 128 + signal. */
		cr_assert((e->status >= 0 && e->status < 126) ||
			  (e->status == 128 + 2 && e->status == VMM_EXIT_SIGINT) ||
			  (e->status == 128 + 15 && e->status == VMM_EXIT_SIGTERM),
			  "%s = %d is not a plain exit status", e->name, e->status);
		for (o = vmm_exit_statuses; o < e; o++)
			cr_assert_neq(o->status, e->status, "%s and %s share %d",
				      o->name, e->name, e->status);
	}
	cr_assert_eq(VMM_EXIT_OK, 0);
	cr_assert_eq(VMM_EXIT_API_MISMATCH, 3, "the brief fixes this one");
}

Test(exit_status, from_open_errno)
{
	cr_assert_eq(exit_status_from_open_errno(ENOENT), VMM_EXIT_NO_DEVICE);
	cr_assert_eq(exit_status_from_open_errno(EACCES), VMM_EXIT_NO_PERMISSION);
	cr_assert_eq(exit_status_from_open_errno(EPERM), VMM_EXIT_NO_PERMISSION);
	cr_assert_eq(exit_status_from_open_errno(ENODEV), VMM_EXIT_NO_DRIVER);
	cr_assert_eq(exit_status_from_open_errno(ENXIO), VMM_EXIT_NO_DRIVER);
	cr_assert_eq(exit_status_from_open_errno(EISDIR), VMM_EXIT_ERROR);
	cr_assert_eq(exit_status_from_open_errno(EMFILE), VMM_EXIT_ERROR);
}

Test(exit_status, from_ioctl_errno)
{
	cr_assert_eq(exit_status_from_ioctl_errno(MINIVMM_PROBE_VMX, EBUSY),
		     VMM_EXIT_VMX_BUSY);
	cr_assert_eq(exit_status_from_ioctl_errno(MINIVMM_PROBE_VMX, EIO),
		     VMM_EXIT_IOCTL);
	cr_assert_eq(exit_status_from_ioctl_errno(MINIVMM_GET_VMX_CAPS, EBUSY),
		     VMM_EXIT_IOCTL, "EBUSY means VT-x busy only for the probe");
	cr_assert_eq(exit_status_from_ioctl_errno(MINIVMM_GET_API_VERSION, ENOTTY),
		     VMM_EXIT_IOCTL);
}

/* Run @call, which writes to f, into a buffer; check that is one line. */
#define REPORT(status, call) ({						\
	struct membuf m_;						\
	FILE *f = membuf_open(&m_);					\
	char *s_;							\
	status = call;							\
	s_ = membuf_str(&m_);						\
	cr_assert(strlen(s_) > 0 && strchr(s_, '\n') == s_ + strlen(s_) - 1, \
		  "not one line: '%s'", s_);				\
	s_;								\
})

Test(errors, open_enoent)
{
	int status;
	char *s = REPORT(status, report_open_error(f, "/dev/minivmm", ENOENT));

	cr_assert_eq(status, VMM_EXIT_NO_DEVICE);
	cr_assert_str_eq(s, "minivmm: /dev/minivmm not found: module not loaded: run 'sudo insmod kmod/minivmm.ko'\n");
	free(s);
}

Test(errors, open_permission)
{
	int status, err[] = { EACCES, EPERM };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char *s = REPORT(status, report_open_error(f, "/dev/minivmm", err[i]));

		cr_assert_eq(status, VMM_EXIT_NO_PERMISSION);
		cr_assert(starts_with(s, "minivmm: /dev/minivmm: permission denied: "), "%s", s);
		cr_assert_not_null(strstr(s, "0600"), "hint at the mode: %s", s);
		cr_assert_not_null(strstr(s, "group"), "hint at the group: %s", s);
		free(s);
	}
}

Test(errors, open_no_driver)
{
	int status, err[] = { ENODEV, ENXIO };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		char *s = REPORT(status, report_open_error(f, "/x", err[i]));

		cr_assert_eq(status, VMM_EXIT_NO_DRIVER);
		cr_assert(starts_with(s, "minivmm: /x exists but no driver is behind it"), "%s", s);
		cr_assert_not_null(strstr(s, strerror(err[i])), "%s", s);
		free(s);
	}
}

Test(errors, open_other)
{
	char want[128], *s;
	int status;

	s = REPORT(status, report_open_error(f, "/tmp", EISDIR));
	cr_assert_eq(status, VMM_EXIT_ERROR);
	snprintf(want, sizeof(want), "minivmm: cannot open /tmp: %s\n",
		 strerror(EISDIR));
	cr_assert_str_eq(s, want);
	free(s);
}

Test(errors, ioctl_failure_names_ioctl)
{
	char want[128], *s;
	int status;

	s = REPORT(status, report_ioctl_error(f, "MINIVMM_GET_VMX_CAPS",
					      MINIVMM_GET_VMX_CAPS, EFAULT));
	cr_assert_eq(status, VMM_EXIT_IOCTL);
	snprintf(want, sizeof(want), "minivmm: MINIVMM_GET_VMX_CAPS failed: %s\n",
		 strerror(EFAULT));
	cr_assert_str_eq(s, want);
	free(s);
}

Test(errors, probe_busy)
{
	int status;
	char *s = REPORT(status, report_ioctl_error(f, "MINIVMM_PROBE_VMX",
						    MINIVMM_PROBE_VMX, EBUSY));

	cr_assert_eq(status, VMM_EXIT_VMX_BUSY);
	cr_assert_str_eq(s, "minivmm: MINIVMM_PROBE_VMX: VT-x is in use by another hypervisor (e.g. kvm_intel: stop its VMs or 'rmmod kvm_intel', then retry); see the kernel log\n");
	free(s);
}

Test(errors, api_mismatch)
{
	int status;
	char *s = REPORT(status, report_api_mismatch(f, 7, 1));

	cr_assert_eq(status, VMM_EXIT_API_MISMATCH);
	cr_assert(starts_with(s, "minivmm: API version mismatch: the module has 7, this minivmm was built for 1: "), "%s", s);
	free(s);
}
