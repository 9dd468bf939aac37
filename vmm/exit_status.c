// SPDX-License-Identifier: GPL-2.0
/* Mapping of errno values to ./minivmm exit statuses. */
#include <errno.h>
#include <stdio.h>

#include "uapi/minivmm.h"
#include "exit_status.h"

#define VMM_EXIT_DESC(name, value, desc)	{ value, #name, desc },
const struct vmm_exit_status_desc vmm_exit_statuses[] = {
	VMM_EXIT_STATUSES(VMM_EXIT_DESC)
	{ .name = NULL },
};
#undef VMM_EXIT_DESC

int exit_status_from_open_errno(int err)
{
	switch (err) {
	case ENOENT:
		return VMM_EXIT_NO_DEVICE;
	case EACCES:
	case EPERM:
		return VMM_EXIT_NO_PERMISSION;
	case ENODEV:
	case ENXIO:
		return VMM_EXIT_NO_DRIVER;
	default:
		return VMM_EXIT_ERROR;
	}
}

int exit_status_from_ioctl_errno(unsigned long req, int err)
{
	/* Both take VT-x on every CPU; EBUSY means someone else holds it. */
	if ((req == MINIVMM_PROBE_VMX || req == MINIVMM_CREATE_VM) &&
	    err == EBUSY)
		return VMM_EXIT_VMX_BUSY;
	return VMM_EXIT_IOCTL;
}

void exit_status_print_help(FILE *f)
{
	const struct vmm_exit_status_desc *e;

	fprintf(f, "Exit status:\n");
	for (e = vmm_exit_statuses; e->name; e++)
		fprintf(f, "  %3d  %s\n", e->status, e->desc);
}

void exit_status_print_run_help(FILE *f)
{
	exit_status_print_help(f);
	fprintf(f,
		"  N    run: the guest wrote N to the debug-exit port 0xf4 (status N & 0xff;\n"
		"       no message). Guest codes can overlap the statuses above: guests\n"
		"       should keep to 0..114; 1..11 only occur before the guest starts.\n");
}
