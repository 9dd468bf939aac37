// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "cpuid_table.h"
#include "die.h"
#include "errors.h"
#include "exit_policy.h"
#include "exit_status.h"
#include "pio.h"

#define X86_CR0_PE	(1ull << 0)
#define X86_CR0_TS	(1ull << 3)
#define X86_CR0_PG	(1ull << 31)
#define X86_CR4_OSXSAVE	(1ull << 18)
#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_OSXSAVE	(1u << 27)

/*
 * The classes --exit knows: where each is handled by default, and the
 * other place it can go (0: nowhere else, with the reason).
 */
struct exit_class {
	const char *name;
	__u32 policy;		/* MINIVMM_POLICY_* moved to userspace */
	bool io;		/* io: ignored ports moved into the module */
	bool vmcall;		/* vmcall: answered -1 by the module */
	const char *fixed;	/* why it cannot move, or NULL */
};

static const struct exit_class exit_classes[] = {
	{ "cpuid",	MINIVMM_POLICY_CPUID,	 false, false, NULL },
	{ "msr",	MINIVMM_POLICY_MSR,	 false, false, NULL },
	{ "cr",		MINIVMM_POLICY_CR,	 false, false, NULL },
	{ "exception",	MINIVMM_POLICY_EXCEPTION, false, false, NULL },
	{ "io",		0,			 true,	false, NULL },
	{ "vmcall",	0,			 false, true,	NULL },
	{ "hlt",	0, false, false, "userspace decides what wakes a halted guest (its timers and devices live there)" },
	{ "mmio",	0, false, false, "the devices behind MMIO live in userspace" },
};

#define NR_EXIT_CLASSES	(sizeof(exit_classes) / sizeof(exit_classes[0]))

int exit_policy_parse(struct exit_policy *p, const char *arg, FILE *err)
{
	const char *eq = strchr(arg, '=');
	const struct exit_class *c = NULL;
	bool user;
	size_t i, n;

	if (!eq)
		goto usage;
	n = eq - arg;
	for (i = 0; i < NR_EXIT_CLASSES; i++)
		if (strlen(exit_classes[i].name) == n &&
		    !strncmp(exit_classes[i].name, arg, n))
			c = &exit_classes[i];
	if (!c) {
		fprintf(err, VMM_PROG ": run: --exit %s: unknown class; see '" VMM_PROG " run --help'\n", arg);
		return VMM_EXIT_USAGE;
	}
	if (!strcmp(eq + 1, "user"))
		user = true;
	else if (!strcmp(eq + 1, "kernel"))
		user = false;
	else
		goto usage;
	if (c->fixed) {
		if (user)
			return 0;	/* where it always is */
		fprintf(err, VMM_PROG ": run: --exit %s: %s exits are always handled in userspace: %s\n",
			arg, c->name, c->fixed);
		return VMM_EXIT_USAGE;
	}
	if (c->io) {
		p->io_kernel = !user;
		return 0;
	}
	if (c->vmcall) {
		p->vmcall_kernel = !user;
		return 0;
	}
	if (user)
		p->to_user |= c->policy;
	else
		p->to_user &= ~c->policy;
	return 0;
usage:
	fprintf(err, VMM_PROG ": run: --exit '%s': want CLASS=user or CLASS=kernel\n", arg);
	return VMM_EXIT_USAGE;
}

void exit_policy_describe(const struct exit_policy *p, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NR_EXIT_CLASSES; i++) {
		const struct exit_class *c = &exit_classes[i];
		const char *where = NULL;

		if (c->policy && (p->to_user & c->policy))
			where = "user";
		else if ((c->io && p->io_kernel) || (c->vmcall && p->vmcall_kernel))
			where = "kernel";
		if (where && off < len)
			off += snprintf(buf + off, len - off, "%s%s=%s",
					off ? "," : "", c->name, where);
	}
	if (!off)
		snprintf(buf, len, "default");
}

void exit_policy_print_help(FILE *f)
{
	size_t i;

	for (i = 0; i < NR_EXIT_CLASSES; i++) {
		const struct exit_class *c = &exit_classes[i];

		fprintf(f, "  %-10s %s\n", c->name,
			c->fixed ? "user only" :
			c->io ? "user (default) or kernel: ports minivmm ignores (port80)" :
			c->vmcall ? "user (default) or kernel: every VMCALL returns -1 there" :
			"kernel (default) or user");
	}
}

int exit_policy_apply(const struct exit_policy *p, struct vcpu *v, int vm_fd)
{
	struct minivmm_exit_policy mp = {
		.to_user = p->to_user,
		.to_kernel = p->vmcall_kernel ? MINIVMM_POLICY_KERNEL_VMCALL : 0,
	};
	int ret;

	if (p->io_kernel) {
		mp.nr_io_ignore = pio__ignored_ranges(mp.io_ignore,
						      MINIVMM_POLICY_MAX_IO_IGNORE);
	}
	ret = v->ioctl(vm_fd, MINIVMM_SET_EXIT_POLICY, (unsigned long)&mp);
	return ret < 0 ? ret : 0;
}

/* An ioctl a policy handler needs failed: the run cannot go on. */
static enum vcpu_action exit_policy_ioctl_failed(struct vcpu *v, int *status,
						 const char *name,
						 unsigned long req, int ret)
{
	*status = report_ioctl_error(v->err, name, req, -ret);
	return VCPU_STOP;
}

/*
 * The standard-format XSAVE area for @xcr0 (SDM Vol. 1 13.4): the legacy
 * region and header (576 bytes), then each enabled component at the
 * offset and size its subleaf of leaf 0xD gives.
 */
static __u32 cpuid_xsave_size(const struct cpuid_table *t, __u64 xcr0)
{
	__u32 size = 576, r[4], i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & (1ull << i)))
			continue;
		cpuid_table_lookup(t, 0xd, i, r);
		if (r[1] + r[0] > size)
			size = r[1] + r[0];
	}
	return size;
}

/*
 * CPUID in userspace: the answer from minivmm's table (the one the
 * module was given, so both agree), with what the CPU (and the module's
 * handler) computes at run time: OSXSAVE mirrors CR4.OSXSAVE, leaf 0xD's
 * EBX is the XSAVE area for the guest's XCR0.
 */
enum vcpu_action exit_policy_cpuid(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	__u32 r[4];

	if (!v->cpuid) {
		fprintf(v->err, VMM_PROG ": CPUID exit without a CPUID table\n");
		*status = VMM_EXIT_INTERNAL_ERROR;
		return VCPU_STOP;
	}
	cpuid_table_lookup(v->cpuid, run->cpuid.function, run->cpuid.index, r);
	if (run->cpuid.function == 1 && (r[2] & CPUID1_ECX_XSAVE)) {
		r[2] &= ~CPUID1_ECX_OSXSAVE;
		if (run->cpuid.cr4 & X86_CR4_OSXSAVE)
			r[2] |= CPUID1_ECX_OSXSAVE;
	}
	if (run->cpuid.function == 0xd && run->cpuid.index == 0 && r[0])
		r[1] = cpuid_xsave_size(v->cpuid, run->cpuid.xcr0);
	run->cpuid.eax = r[0];
	run->cpuid.ebx = r[1];
	run->cpuid.ecx = r[2];
	run->cpuid.edx = r[3];
	return VCPU_CONTINUE;
}

/*
 * RDMSR/WRMSR in userspace: the MSR's state lives in the VMCS and the
 * module's switch lists, so the handler reads or writes it through
 * MINIVMM_GET_MSRS/SET_MSRS; an MSR the guest may not touch (0 entries
 * done) becomes #GP(0), as in the module's handler.
 */
enum vcpu_action exit_policy_msr(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	struct {
		struct minivmm_msrs hdr;
		struct minivmm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = run->msr.index, .e.data = run->msr.data };
	unsigned long req = run->msr.is_write ? MINIVMM_SET_MSRS : MINIVMM_GET_MSRS;
	int ret = v->ioctl(v->fd, req, (unsigned long)&m);

	if (ret < 0)
		return exit_policy_ioctl_failed(v, status, run->msr.is_write ?
						"MINIVMM_SET_MSRS" : "MINIVMM_GET_MSRS",
						req, ret);
	run->msr.error = ret != 1;
	if (ret == 1 && !run->msr.is_write)
		run->msr.data = m.e.data;
	return VCPU_CONTINUE;
}

/*
 * A control-register access in userspace: compute the new value as the
 * CPU defines the instruction (SDM Vol. 2A MOV, CLTS, LMSW) and refuse
 * what raises #GP; the module loads it, checking it once more.
 */
enum vcpu_action exit_policy_cr(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	__u64 old = run->cr.old, val = run->cr.value;

	(void)status;
	switch (run->cr.access) {
	case MINIVMM_CR_WRITE:
		if (run->cr.cr == 0)
			run->cr.error = (val >> 32) ||
					((val & X86_CR0_PG) && !(val & X86_CR0_PE));
		else if (run->cr.cr == 8)
			run->cr.error = val > 15;
		break;
	case MINIVMM_CR_READ:
		run->cr.value = old;
		break;
	case MINIVMM_CR_CLTS:
		run->cr.value = old & ~X86_CR0_TS;
		break;
	case MINIVMM_CR_LMSW:	/* PE, MP, EM, TS from the source; PE never cleared */
		run->cr.value = (old & ~0xfull) | (run->cr.lmsw_source & 0xf) |
				(old & X86_CR0_PE);
		break;
	}
	return VCPU_CONTINUE;
}

/* An exception the guest raised: deliver it to the guest's own handler. */
enum vcpu_action exit_policy_exception(struct vcpu *v, int *status)
{
	(void)status;
	v->run->exception.reinject = 1;
	return VCPU_CONTINUE;
}
