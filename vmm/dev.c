// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include <string.h>
#include <sys/mman.h>

#include "uapi/minivmm.h"
#include "accel.h"
#include "dev.h"
#include "errors.h"

static bool dev_kvm;

bool accel_select(const char *name)
{
	if (!strcmp(name, "minivmm"))
		dev_kvm = false;
	else if (!strcmp(name, "kvm"))
		dev_kvm = true;
	else
		return false;
	return true;
}

bool accel_is_kvm(void)
{
	return dev_kvm;
}

const char *accel_name(void)
{
	return dev_kvm ? "kvm" : "minivmm";
}

int __dev_open(const char *path)
{
	int fd;

	/* The default device is minivmm's: KVM's is /dev/kvm. */
	if (dev_kvm)
		return accel_kvm_open(strcmp(path, VMM_DEFAULT_DEVICE) ? path : "/dev/kvm");
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void *dev_map_run(int fd, size_t size)
{
	if (dev_kvm)
		return accel_kvm_map_run(fd, size);
	return mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

int dev_open(const char *path)
{
	int fd = __dev_open(path);

	if (fd < 0) {
		fflush(stdout);
		exit(report_open_error(stderr, path, -fd));
	}
	return fd;
}

int __dev_ioctl(int fd, unsigned long req, unsigned long arg)
{
	int ret;

	if (dev_kvm)
		return accel_kvm_ioctl(fd, req, arg);
	ret = ioctl(fd, req, arg);
	return ret < 0 ? -errno : ret;
}

int _dev_ioctl(int fd, unsigned long req, const char *name, unsigned long arg)
{
	int ret = __dev_ioctl(fd, req, arg);

	if (ret < 0) {
		fflush(stdout);
		exit(report_ioctl_error(stderr, name, req, -ret));
	}
	return ret;
}

int dev_check_api(int fd, const char *path)
{
	int ret = __dev_ioctl(fd, MINIVMM_GET_API_VERSION, 0);
	int status;

	if (ret == MINIVMM_API_VERSION)
		return ret;
	fflush(stdout);
	/* What other drivers (/dev/null, a tty, ...) say to a foreign ioctl. */
	if (ret == -ENOTTY || ret == -EINVAL || ret == -ENOSYS)
		status = report_not_minivmm(stderr, path, -ret);
	else if (ret < 0)
		status = report_ioctl_error(stderr, "MINIVMM_GET_API_VERSION",
					    MINIVMM_GET_API_VERSION, -ret);
	else
		status = report_api_mismatch(stderr, ret, MINIVMM_API_VERSION);
	exit(status);
}
