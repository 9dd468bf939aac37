// SPDX-License-Identifier: GPL-2.0
/*
 * Single-stepping the guest for userspace (minivmm run --step): the VMX
 * monitor trap flag (SDM 26.5.2) makes the CPU exit after each
 * instruction it runs (exit reason 37). Where the CPU has no monitor
 * trap flag (Bochs' Haswell and Broadwell models, for one), the module
 * sets the guest's RFLAGS.TF instead, as KVM does for
 * KVM_GUESTDBG_SINGLESTEP: each instruction ends in a single-step #DB
 * (SDM Vol. 3B 18.3.1.4), which exits because #DB is intercepted, and
 * GET_REGS hides the flag. The guest can see it in a PUSHF or an
 * exception frame, and its own use of TF is not supported meanwhile.
 *
 * An instruction the module or userspace emulates instead (CPUID, I/O,
 * MMIO, ...) never runs under either, so vmx_advance_rip() marks it as
 * a step of its own, and the run loop reports it before the next entry,
 * as KVM does for nested MTF.
 */
#include <linux/uaccess.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

/* MINIVMM_SET_GUEST_DEBUG (vcpu->mutex held): EINVAL, EFAULT. */
long vcpu_set_guest_debug(struct minivmm_vcpu *vcpu,
			  struct minivmm_guest_debug __user *argp)
{
	struct minivmm_guest_debug d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if ((d.flags & ~(MINIVMM_GUEST_DEBUG_SINGLESTEP | MINIVMM_GUEST_DEBUG_BREAKPOINT)) ||
	    d.pad || d.reserved[0])
		return -EINVAL;
	/* DR0 takes only canonical addresses (WRMSR-like #GP otherwise). */
	if ((d.flags & MINIVMM_GUEST_DEBUG_BREAKPOINT) &&
	    (u64)((s64)(d.breakpoint << 16) >> 16) != d.breakpoint)
		return -EINVAL;
	vcpu->bp_on = d.flags & MINIVMM_GUEST_DEBUG_BREAKPOINT;
	vcpu->bp_addr = vcpu->bp_on ? d.breakpoint : 0;
	vcpu->dr7_dirty = true;
	/* The control or TF itself is written before the next entry. */
	vcpu->singlestep = d.flags & MINIVMM_GUEST_DEBUG_SINGLESTEP;
	vcpu->step_tf = vcpu->singlestep && !vmx_mtf_supported();
	vcpu->step_pending = false;
	return 0;
}

/*
 * TF stepping: TF in GUEST_RFLAGS while stepping, out of it after. A VM
 * entry with TF set in an STI or MOV-SS shadow must have the single
 * step pending in the VMCS (SDM 27.3.1.5), or it fails.
 */
static void vcpu_step_sync_tf(struct minivmm_vcpu *vcpu)
{
	bool want = vcpu->singlestep && vcpu->step_tf;
	u64 rflags = vmcs_read(GUEST_RFLAGS);

	if (want && !(rflags & X86_EFLAGS_TF)) {
		vmcs_write(GUEST_RFLAGS, rflags | X86_EFLAGS_TF);
		vcpu->tf_set = true;
	} else if (!want && vcpu->tf_set) {
		/* Stepping is over: no trap of the module's TF left pending. */
		vmcs_write(GUEST_RFLAGS, rflags & ~(u64)X86_EFLAGS_TF);
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) & ~(u64)VCPU_DR6_BS);
		vcpu->tf_set = false;
	}
	if (vcpu->tf_set && (vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
			     (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) | VCPU_DR6_BS);
}

/*
 * Report a step or a breakpoint hit as MINIVMM_EXIT_DEBUG. A step that
 * lands on the breakpoint is that hit too, so resuming does not stop
 * there again. The breakpoint is a fault: RF lets the instruction run
 * on resume (SDM Vol. 3B 18.3.1.1).
 */
void vcpu_debug_report(struct minivmm_vcpu *vcpu, u64 dr6)
{
	u64 rip = vmcs_read(GUEST_RIP);

	dr6 &= VCPU_DR6_BS | BIT(0);
	if (vcpu->bp_on && vmcs_read(GUEST_CS_BASE) + rip == vcpu->bp_addr)
		dr6 |= BIT(0);
	if (dr6 & BIT(0))
		vmcs_write(GUEST_RFLAGS, vmcs_read(GUEST_RFLAGS) | X86_EFLAGS_RF);
	vcpu->run->exit_reason = MINIVMM_EXIT_DEBUG;
	vcpu->run->debug.rip = rip;
	vcpu->run->debug.dr6 = dr6;
}

/* A #DB of the module's own (handle_exception_nmi()): its TF's step or the breakpoint. */
int vcpu_debug_trap(struct minivmm_vcpu *vcpu, u64 dr6)
{
	vcpu_debug_report(vcpu, dr6);
	return 0;
}

/*
 * Before an entry (VMCS loaded): true if an emulated instruction was the
 * last step, reported now as MINIVMM_EXIT_DEBUG without entering.
 */
bool vcpu_step_before_entry(struct minivmm_vcpu *vcpu)
{
	vmx_update_proc_ctls(vcpu);
	if (vcpu->step_tf || vcpu->tf_set)
		vcpu_step_sync_tf(vcpu);
	if (vcpu->dr7_dirty) {
		vmcs_write(GUEST_DR7, vcpu_dr7_effective(vcpu));
		vcpu->dr7_dirty = false;
	}
	if (!vcpu->step_pending)
		return false;
	vcpu->step_pending = false;
	vcpu_debug_report(vcpu, VCPU_DR6_BS);
	return true;
}
