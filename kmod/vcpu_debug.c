// SPDX-License-Identifier: GPL-2.0
/*
 * Single-stepping the guest for userspace (minivmm run --step): the VMX
 * monitor trap flag (SDM 26.5.2) makes the CPU exit after each
 * instruction it runs (exit reason 37). An instruction the module or
 * userspace emulates instead (CPUID, I/O, MMIO, ...) never runs under
 * the flag, so vmx_advance_rip() marks it as a step of its own, and the
 * run loop reports it before the next entry, as KVM does for nested MTF.
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
	if ((d.flags & ~MINIVMM_GUEST_DEBUG_SINGLESTEP) || d.pad ||
	    d.reserved[0] || d.reserved[1])
		return -EINVAL;
	if ((d.flags & MINIVMM_GUEST_DEBUG_SINGLESTEP) && !vmx_mtf_supported())
		return -EINVAL;
	/* The control itself is written before the next entry. */
	vcpu->singlestep = d.flags & MINIVMM_GUEST_DEBUG_SINGLESTEP;
	vcpu->step_pending = false;
	return 0;
}

/*
 * Before an entry (VMCS loaded): true if an emulated instruction was the
 * last step, reported now as MINIVMM_EXIT_DEBUG without entering.
 */
bool vcpu_step_before_entry(struct minivmm_vcpu *vcpu)
{
	vmx_update_proc_ctls(vcpu);
	if (!vcpu->step_pending)
		return false;
	vcpu->step_pending = false;
	vcpu->run->exit_reason = MINIVMM_EXIT_DEBUG;
	vcpu->run->debug.rip = vmcs_read(GUEST_RIP);
	return true;
}
