/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend under minivmm: its own module (/dev/minivmm, the default)
 * or KVM (--accel kvm, accel_kvm.c). dev.c sends every open, ioctl and
 * run-page mapping to the chosen one; the rest of minivmm speaks
 * minivmm's ABI either way.
 */
#ifndef VMM_ACCEL_H
#define VMM_ACCEL_H

#include <stdbool.h>
#include <stddef.h>

#define ACCEL_RUN_PAGE_SIZE	4096

/* --accel: "minivmm" or "kvm"; false for anything else. */
bool accel_select(const char *name);
bool accel_is_kvm(void);
const char *accel_name(void);

/* accel_kvm.c: /dev/kvm behind minivmm's ioctls. */
int accel_kvm_open(const char *path);
int accel_kvm_ioctl(int fd, unsigned long req, unsigned long arg);
void *accel_kvm_map_run(int fd, size_t size);

#endif /* VMM_ACCEL_H */
