/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to /dev/minivmm. __dev_*() return -errno on failure; dev_*()
 * print the one-line message from errors.c and exit with its status.
 */
#ifndef VMM_DEV_H
#define VMM_DEV_H

#include <stddef.h>

#define VMM_DEFAULT_DEVICE	"/dev/minivmm"

int __dev_open(const char *path);
int dev_open(const char *path);

int __dev_ioctl(int fd, unsigned long req, unsigned long arg);
/* The vCPU's run page (mmap of its fd, or the backend's): MAP_FAILED on error. */
void *dev_map_run(int fd, size_t size);
int _dev_ioctl(int fd, unsigned long req, const char *name, unsigned long arg);

/*
 * MINIVMM_GET_API_VERSION on the open @path: returns it if it is ours;
 * otherwise exits, with "not a minivmm device" for a foreign driver.
 */
int dev_check_api(int fd, const char *path);

/* Names the ioctl in error messages, e.g. "MINIVMM_GET_VMX_CAPS failed: ...". */
#define dev_ioctl(fd, req, arg) \
	_dev_ioctl(fd, req, #req, (unsigned long)(arg))

#endif /* VMM_DEV_H */
