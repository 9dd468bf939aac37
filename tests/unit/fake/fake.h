/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the parts of the fake /dev/minivmm LD_PRELOAD shim. */
#ifndef FAKE_H
#define FAKE_H

#include <stdbool.h>

/* 0 or the errno MINIVMM_FAKE_FAIL asks for ioctl MINIVMM_<name>. */
int fake_injected_errno(const char *name);
/* EPERM while the caller has any capability, else fake_injected_errno(). */
int fake_check(const char *name);

/* fake_vm.c: the VM and vCPU fds, and the device ioctls creating them. */
bool fake_vm_owns(int fd);
int fake_vm_ioctl(int fd, unsigned long req, unsigned long arg);
int fake_create_vm(void);
int fake_vcpu_mmap_size(void);

#endif /* FAKE_H */
