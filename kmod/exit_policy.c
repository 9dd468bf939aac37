// SPDX-License-Identifier: GPL-2.0
/*
 * The exit policy (MINIVMM_SET_EXIT_POLICY): which exits the module
 * handles and which go to userspace, per VM, changeable while it runs.
 *
 * Forwarding a class keeps the exit's meaning: the handler in
 * vmx_exit.c decodes the exit as always and, where the policy says so,
 * hands the decoded request to userspace instead of answering it
 * (exit_policy_forward_*()); userspace answers in the run page and the
 * next MINIVMM_RUN applies the answer with the same checks and the same
 * instruction skip the kernel handler would have used
 * (exit_policy_complete()). The reverse, port ranges the module answers
 * itself, is exit_policy_io_ignored().
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

/* Always intercepted (vmx_setup_vmcs()): #DB, #AC, #MC. */
#define EXC_BITMAP_DEFAULT	(BIT(X86_TRAP_DB) | BIT(X86_TRAP_AC) | BIT(X86_TRAP_MC))
/* With exceptions forwarded: every vector but NMI (2), which is not one. */
#define EXC_BITMAP_ALL		(0xffffffffu & ~BIT(X86_TRAP_NMI))

static int exit_policy_check(const struct minivmm_exit_policy *p)
{
	u32 i, j;

	if ((p->to_user & ~MINIVMM_POLICY_ALL) ||
	    (p->to_kernel & ~MINIVMM_POLICY_KERNEL_VMCALL) || p->pad ||
	    p->nr_io_ignore > MINIVMM_POLICY_MAX_IO_IGNORE)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(p->reserved); i++)
		if (p->reserved[i])
			return -EINVAL;
	for (i = 0; i < MINIVMM_POLICY_MAX_IO_IGNORE; i++) {
		const struct minivmm_io_range *r = &p->io_ignore[i];

		if (r->pad)
			return -EINVAL;
		if (i >= p->nr_io_ignore) {
			if (r->port || r->len)	/* unused entries are zero */
				return -EINVAL;
			continue;
		}
		if (!r->len || (u32)r->port + r->len > 0x10000)
			return -EINVAL;
		for (j = 0; j < i; j++) {
			const struct minivmm_io_range *o = &p->io_ignore[j];

			if (r->port < o->port + o->len && o->port < r->port + r->len)
				return -EINVAL;
		}
	}
	return 0;
}

/* MINIVMM_SET_EXIT_POLICY on the VM fd: EINVAL, EFAULT. */
long vm_set_exit_policy(struct minivmm_vm *vm,
			struct minivmm_exit_policy __user *argp)
{
	struct minivmm_exit_policy p;
	int ret;

	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	ret = exit_policy_check(&p);
	if (ret)
		return ret;
	spin_lock(&vm->policy_lock);
	vm->policy = p;
	WRITE_ONCE(vm->policy_gen, vm->policy_gen + 1);
	spin_unlock(&vm->policy_lock);
	return 0;
}

/*
 * Before each entry (VMCS loaded, preemption off): take a new policy and
 * intercept the exceptions it asks for. The exit handlers then read the
 * vCPU's copy, never the VM's, so one exit sees one policy.
 */
void exit_policy_before_entry(struct minivmm_vcpu *vcpu)
{
	struct minivmm_vm *vm = vcpu->vm;
	u32 gen = READ_ONCE(vm->policy_gen);

	if (gen == vcpu->policy_gen)
		return;
	spin_lock(&vm->policy_lock);
	vcpu->policy = vm->policy;
	vcpu->policy_gen = vm->policy_gen;
	spin_unlock(&vm->policy_lock);
	vmcs_write(EXCEPTION_BITMAP, (vcpu->policy.to_user & MINIVMM_POLICY_EXCEPTION) ?
		   EXC_BITMAP_ALL : EXC_BITMAP_DEFAULT);
}

bool exit_policy_to_user(struct minivmm_vcpu *vcpu, u32 class)
{
	return vcpu->policy.to_user & class;
}

bool exit_policy_to_kernel(struct minivmm_vcpu *vcpu, u32 class)
{
	return vcpu->policy.to_kernel & class;
}

/*
 * An IN or OUT (not string I/O) to a port the policy gives the module:
 * handled here as a bus with nothing on it, true if it was.
 */
bool exit_policy_io_ignored(struct minivmm_vcpu *vcpu, u16 port, u32 size,
			    bool in)
{
	const struct minivmm_exit_policy *p = &vcpu->policy;
	u32 i;

	for (i = 0; i < p->nr_io_ignore; i++) {
		const struct minivmm_io_range *r = &p->io_ignore[i];

		if (port < r->port || port >= (u32)r->port + r->len)
			continue;
		if (in) {
			/* A 32-bit IN zero-extends into RAX; smaller ones merge. */
			u64 mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;

			if (size == 4)
				vcpu->regs[VCPU_RAX] = mask;
			else
				vcpu->regs[VCPU_RAX] |= mask;
		}
		return true;
	}
	return false;
}

/* Each forward leaves the instruction where it is: completion moves on. */
int exit_policy_forward_cpuid(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_CPUID;
	run->cpuid.function = vcpu->regs[VCPU_RAX];
	run->cpuid.index = vcpu->regs[VCPU_RCX];
	run->cpuid.eax = run->cpuid.ebx = run->cpuid.ecx = run->cpuid.edx = 0;
	run->cpuid.cr4 = vmx_get_cr4();
	run->cpuid.xcr0 = vcpu->xcr0;
	vcpu->pending_policy = MINIVMM_EXIT_CPUID;
	return 0;
}

int exit_policy_forward_msr(struct minivmm_vcpu *vcpu, bool is_write)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_MSR;
	run->msr.index = vcpu->regs[VCPU_RCX];
	run->msr.is_write = is_write;
	run->msr.error = 0;
	run->msr.pad = 0;
	run->msr.data = is_write ? (u32)vcpu->regs[VCPU_RAX] |
		(vcpu->regs[VCPU_RDX] << 32) : 0;
	vcpu->pending_policy = MINIVMM_EXIT_MSR;
	return 0;
}

/* @old: the register now; @value: what a write brings (the GPR). */
int exit_policy_forward_cr(struct minivmm_vcpu *vcpu, int cr, int access,
			   u64 old, u64 value)
{
	struct minivmm_run *run = vcpu->run;

	run->exit_reason = MINIVMM_EXIT_CR;
	memset(&run->cr, 0, sizeof(run->cr));
	run->cr.cr = cr;
	run->cr.access = access;
	run->cr.old = old;
	run->cr.value = value;
	run->cr.lmsw_source = (vcpu->exit.qualification >> 16) & 0xffff;
	vcpu->pending_policy = MINIVMM_EXIT_CR;
	return 0;
}

int exit_policy_forward_exception(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	u32 info = vcpu->exit.intr_info;

	run->exit_reason = MINIVMM_EXIT_EXCEPTION;
	memset(&run->exception, 0, sizeof(run->exception));
	run->exception.vector = info & INTR_INFO_VECTOR_MASK;
	run->exception.type = (info & INTR_INFO_INTR_TYPE_MASK) >> 8;
	run->exception.has_error = !!(info & INTR_INFO_DELIVER_CODE_MASK);
	run->exception.error_code = vcpu->exit.intr_error;
	run->exception.qualification = vcpu->exit.qualification;
	run->exception.instr_len = vcpu->exit.instr_len;
	vcpu->pending_policy = MINIVMM_EXIT_EXCEPTION;
	return 0;
}

/*
 * The next RUN after a policy exit: apply userspace's answer. What
 * userspace wrote is checked as the guest's own request would be (a CR
 * value goes through the same validity checks), so a VMM can give its
 * guest #GP but never a state the kernel handler would have refused.
 * The exit that was forwarded is still in vcpu->exit.
 */
void exit_policy_complete(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	u32 kind = vcpu->pending_policy;

	vcpu->pending_policy = 0;
	switch (kind) {
	case MINIVMM_EXIT_CPUID:
		vcpu->regs[VCPU_RAX] = READ_ONCE(run->cpuid.eax);
		vcpu->regs[VCPU_RBX] = READ_ONCE(run->cpuid.ebx);
		vcpu->regs[VCPU_RCX] = READ_ONCE(run->cpuid.ecx);
		vcpu->regs[VCPU_RDX] = READ_ONCE(run->cpuid.edx);
		vmx_skip_instruction(vcpu);
		break;
	case MINIVMM_EXIT_MSR:
		if (READ_ONCE(run->msr.error)) {
			vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		} else {
			if (!run->msr.is_write) {
				u64 v = READ_ONCE(run->msr.data);

				vcpu->regs[VCPU_RAX] = (u32)v;
				vcpu->regs[VCPU_RDX] = v >> 32;
			}
			vmx_skip_instruction(vcpu);
		}
		break;
	case MINIVMM_EXIT_CR:
		if (READ_ONCE(run->cr.error) ||
		    vmx_cr_apply(vcpu, READ_ONCE(run->cr.value)))
			vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		else
			vmx_skip_instruction(vcpu);
		break;
	case MINIVMM_EXIT_EXCEPTION:
		if (READ_ONCE(run->exception.reinject))
			vmx_reflect_exception(vcpu);
		break;
	}
}

/* MINIVMM_GET_CPUID (VMCS loaded): the answers the guest would get now. */
static long vcpu_get_cpuid_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct minivmm_cpuid *c = arg;
	u32 i, r[4];

	for (i = 0; i < c->nent; i++) {
		struct minivmm_cpuid_entry *e = &c->entries[i];

		cpuid_guest(vcpu, e->function, e->index, r);
		e->eax = r[0];
		e->ebx = r[1];
		e->ecx = r[2];
		e->edx = r[3];
	}
	return 0;
}

long vcpu_get_cpuid(struct minivmm_vcpu *vcpu, struct minivmm_cpuid __user *argp)
{
	struct minivmm_cpuid *c;
	size_t size;
	long ret;

	c = vcpu_copy_array_in(argp, MINIVMM_MAX_CPUID_ENTRIES,
			       sizeof(c->entries[0]), &size);
	if (IS_ERR(c))
		return PTR_ERR(c);
	ret = vcpu_check_cpuid_entries(c);
	if (!ret)
		ret = vcpu_with_vmcs(vcpu, vcpu_get_cpuid_fn, c);
	if (!ret && copy_to_user(argp, c, size))
		ret = -EFAULT;
	kfree(c);
	return ret;
}

struct msrs_op {
	struct minivmm_msrs *m;
	bool write;
};

static long vcpu_msrs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct msrs_op *op = arg;
	u32 i;

	for (i = 0; i < op->m->nmsrs; i++) {
		struct minivmm_msr_entry *e = &op->m->entries[i];

		if (op->write ? !vmx_msr_write(vcpu, e->index, e->data) :
				!vmx_msr_read(vcpu, e->index, &e->data))
			break;
	}
	return i;
}

/* MINIVMM_GET_MSRS / MINIVMM_SET_MSRS: entries done, E2BIG, EINVAL, EFAULT. */
long vcpu_msrs_ioctl(struct minivmm_vcpu *vcpu, struct minivmm_msrs __user *argp,
		     bool write)
{
	struct msrs_op op = { .write = write };
	size_t size;
	long ret;
	u32 i;

	op.m = vcpu_copy_array_in(argp, MINIVMM_MAX_MSR_ENTRIES,
				  sizeof(op.m->entries[0]), &size);
	if (IS_ERR(op.m))
		return PTR_ERR(op.m);
	for (i = 0; i < op.m->nmsrs; i++) {
		if (op.m->entries[i].reserved) {
			kfree(op.m);
			return -EINVAL;
		}
	}
	ret = vcpu_with_vmcs(vcpu, vcpu_msrs_fn, &op);
	if (ret >= 0 && !write && copy_to_user(argp, op.m, size))
		ret = -EFAULT;
	kfree(op.m);
	return ret;
}
