// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dev.h"
#include "die.h"
#include "errors.h"
#include "exit_status.h"

int report_open_error(FILE *f, const char *path, int err)
{
	int status = exit_status_from_open_errno(err);

	switch (status) {
	case VMM_EXIT_NO_DEVICE:
		/* Only a missing default node means the module is not loaded. */
		if (strcmp(path, VMM_DEFAULT_DEVICE))
			fprintf(f, VMM_PROG ": %s: no such file\n", path);
		else
			fprintf(f, VMM_PROG ": %s not found: module not loaded: run 'sudo insmod kmod/minivmm.ko'\n",
				path);
		break;
	case VMM_EXIT_NO_PERMISSION:
		fprintf(f, VMM_PROG ": %s: permission denied: the device is root-only (mode 0600) by default; run as root, or load the module with dev_mode=0660 and give the device a group (udev rule, see docs/uapi.md)\n",
			path);
		break;
	case VMM_EXIT_NO_DRIVER:
		fprintf(f, VMM_PROG ": %s exists but no driver is behind it (%s): stale node or module unloaded: run 'sudo insmod kmod/minivmm.ko'\n",
			path, strerror(err));
		break;
	default:
		fprintf(f, VMM_PROG ": cannot open %s: %s\n", path, strerror(err));
		break;
	}
	return status;
}

int report_ioctl_error(FILE *f, const char *name, unsigned long req, int err)
{
	int status = exit_status_from_ioctl_errno(req, err);

	if (status == VMM_EXIT_VMX_BUSY)
		fprintf(f, VMM_PROG ": %s: VT-x is in use by another hypervisor (e.g. kvm_intel: stop its VMs or 'rmmod kvm_intel', then retry); see the kernel log\n",
			name);
	else
		fprintf(f, VMM_PROG ": %s failed: %s\n", name, strerror(err));
	return status;
}

int report_api_mismatch(FILE *f, int module_version, int cli_version)
{
	fprintf(f, VMM_PROG ": API version mismatch: the module has %d, this minivmm was built for %d: build and load kmod/minivmm.ko and ./minivmm from the same tree\n",
		module_version, cli_version);
	return VMM_EXIT_API_MISMATCH;
}

int report_not_minivmm(FILE *f, const char *path, int err)
{
	fprintf(f, VMM_PROG ": %s is not a minivmm device (MINIVMM_GET_API_VERSION: %s)\n",
		path, strerror(err));
	return VMM_EXIT_NOT_MINIVMM;
}
