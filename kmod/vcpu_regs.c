// SPDX-License-Identifier: GPL-2.0
/* The register ioctls of a vCPU: GET/SET_REGS and GET/SET_SREGS. */
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_ops.h"

static long vcpu_get_regs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct minivmm_regs *r = arg;
	u64 *g = vcpu->regs;

	*r = (struct minivmm_regs) {
		.rax = g[VCPU_RAX], .rbx = g[VCPU_RBX], .rcx = g[VCPU_RCX],
		.rdx = g[VCPU_RDX], .rsi = g[VCPU_RSI], .rdi = g[VCPU_RDI],
		.rbp = g[VCPU_RBP], .r8 = g[VCPU_R8], .r9 = g[VCPU_R9],
		.r10 = g[VCPU_R10], .r11 = g[VCPU_R11], .r12 = g[VCPU_R12],
		.r13 = g[VCPU_R13], .r14 = g[VCPU_R14], .r15 = g[VCPU_R15],
		.rsp = vmcs_read(GUEST_RSP), .rip = vmcs_read(GUEST_RIP),
		.rflags = vmcs_read(GUEST_RFLAGS),
	};
	/* The TF of single-stepping is the module's, not the guest's. */
	if (vcpu->tf_set)
		r->rflags &= ~(u64)X86_EFLAGS_TF;
	return 0;
}

static long vcpu_set_regs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct minivmm_regs *r = arg;
	u64 *g = vcpu->regs;

	g[VCPU_RAX] = r->rax; g[VCPU_RBX] = r->rbx; g[VCPU_RCX] = r->rcx;
	g[VCPU_RDX] = r->rdx; g[VCPU_RSI] = r->rsi; g[VCPU_RDI] = r->rdi;
	g[VCPU_RBP] = r->rbp; g[VCPU_R8] = r->r8; g[VCPU_R9] = r->r9;
	g[VCPU_R10] = r->r10; g[VCPU_R11] = r->r11; g[VCPU_R12] = r->r12;
	g[VCPU_R13] = r->r13; g[VCPU_R14] = r->r14; g[VCPU_R15] = r->r15;
	vmcs_write(GUEST_RSP, r->rsp);
	vmcs_write(GUEST_RIP, r->rip);
	/* Bit 1 of RFLAGS is always 1; reserved bits are 0 (SDM 27.3.1.4). */
	vmcs_write(GUEST_RFLAGS, (r->rflags & 0x3f7fd7) | X86_EFLAGS_FIXED);
	vcpu->tf_set = false;	/* set again before the next entry if stepping */
	return 0;
}

static long vcpu_get_sregs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	vmx_get_sregs(vcpu, arg);
	return 0;
}

static long vcpu_set_sregs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	return vmx_set_sregs(vcpu, arg);
}

/*
 * SET_SREGS input: the named padding and reserved[] must be zero, so a
 * later ABI can give them a meaning without old callers' garbage being
 * taken for it (include/uapi/minivmm.h). The unnamed tail padding of
 * struct minivmm_segment is not checked: C initializers need not zero it.
 */
static bool sregs_reserved_clear(const struct minivmm_sregs *s)
{
	const struct minivmm_segment *seg;

	for (seg = &s->cs; seg <= &s->ldt; seg++)
		if (memchr_inv(seg->pad, 0, sizeof(seg->pad)))
			return false;
	return !memchr_inv(s->gdt.pad, 0, sizeof(s->gdt.pad)) &&
	       !memchr_inv(s->idt.pad, 0, sizeof(s->idt.pad)) &&
	       !memchr_inv(s->reserved, 0, sizeof(s->reserved));
}


/* MINIVMM_{GET,SET}_{REGS,SREGS}; we hold vcpu->mutex. */
long vcpu_regs_ioctl(struct minivmm_vcpu *vcpu, unsigned int cmd,
		     void __user *argp)
{
	union {
		struct minivmm_regs regs;
		struct minivmm_sregs sregs;
	} u;
	long ret;

	switch (cmd) {
	case MINIVMM_GET_REGS:
		ret = vcpu_with_vmcs(vcpu, vcpu_get_regs_fn, &u.regs);
		if (!ret && copy_to_user(argp, &u.regs, sizeof(u.regs)))
			ret = -EFAULT;
		return ret;
	case MINIVMM_SET_REGS:
		return copy_from_user(&u.regs, argp, sizeof(u.regs)) ? -EFAULT :
		       vcpu_with_vmcs(vcpu, vcpu_set_regs_fn, &u.regs);
	case MINIVMM_GET_SREGS:
		ret = vcpu_with_vmcs(vcpu, vcpu_get_sregs_fn, &u.sregs);
		if (!ret && copy_to_user(argp, &u.sregs, sizeof(u.sregs)))
			ret = -EFAULT;
		return ret;
	case MINIVMM_SET_SREGS:
		if (copy_from_user(&u.sregs, argp, sizeof(u.sregs)))
			return -EFAULT;
		if (!sregs_reserved_clear(&u.sregs))
			return -EINVAL;
		return vcpu_with_vmcs(vcpu, vcpu_set_sregs_fn, &u.sregs);
	default:
		return -ENOTTY;
	}
}
