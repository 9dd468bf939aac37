/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --exit CLASS=user|kernel: where each class of exit is handled
 * (MINIVMM_SET_EXIT_POLICY, docs/uapi.md "Exit policy"), and the
 * userspace handlers that do the kernel's job for the classes moved to
 * userspace: CPUID from minivmm's table, RDMSR/WRMSR through
 * MINIVMM_GET_MSRS/SET_MSRS, CR accesses computed here, exceptions
 * reflected into the guest. io=kernel is the reverse: ports registered
 * with pio__register_ignore() are answered by the module itself.
 */
#ifndef VMM_EXIT_POLICY_H
#define VMM_EXIT_POLICY_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "vcpu.h"

struct exit_policy {
	__u32 to_user;		/* MINIVMM_POLICY_* */
	bool io_kernel;		/* --exit io=kernel */
	bool vmcall_kernel;	/* --exit vmcall=kernel */
};

/* One --exit CLASS=user|kernel onto @p: 0 or VMM_EXIT_USAGE (message on @err). */
int exit_policy_parse(struct exit_policy *p, const char *arg, FILE *err);
/* "cpuid=user,io=kernel" for messages; "default" if nothing moved. */
void exit_policy_describe(const struct exit_policy *p, char *buf, size_t len);
/* The classes and where they can go, for `run --help`. */
void exit_policy_print_help(FILE *f);
/* Give the module @p for @vm_fd: 0 or -errno. */
int exit_policy_apply(const struct exit_policy *p, struct vcpu *v, int vm_fd);

/* The vcpu exit table's handlers for the policy exits. */
enum vcpu_action exit_policy_cpuid(struct vcpu *v, int *status);
enum vcpu_action exit_policy_msr(struct vcpu *v, int *status);
enum vcpu_action exit_policy_cr(struct vcpu *v, int *status);
enum vcpu_action exit_policy_exception(struct vcpu *v, int *status);

#endif /* VMM_EXIT_POLICY_H */
