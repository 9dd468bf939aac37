// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts from a userspace interrupt controller, and the guest timer
 * deadline: KVM's userspace-irqchip ABI (KVM_INTERRUPT,
 * request_interrupt_window, ready_for_interrupt_injection, if_flag),
 * built on VM-entry event injection (SDM Vol. 3C 27.6) and
 * interrupt-window exiting (27.7.5), plus a deadline enforced with the
 * VMX-preemption timer (26.5.1), which needs no host interrupt to end a
 * guest's slice.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>
#include <asm/tsc.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

/* MINIVMM_INTERRUPT: EINVAL, EEXIST, EFAULT (uapi/minivmm.h). */
long vcpu_irq_queue(struct minivmm_vcpu *vcpu,
		    struct minivmm_interrupt __user *argp)
{
	struct minivmm_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq > 255)
		return -EINVAL;
	if (vcpu->irq_queued)
		return -EEXIST;
	vcpu->irq_vector = irq.irq;
	vcpu->irq_queued = true;
	/* Until an entry injects it, nothing more can be queued. */
	WRITE_ONCE(vcpu->run->ready_for_interrupt_injection, 0);
	return 0;
}

/*
 * Whether an external interrupt injected now would be delivered (SDM
 * 27.3.1.5 and the entry checks of 27.2.1.3): RFLAGS.IF set, no STI or
 * MOV-SS blocking, and no event already queued for this entry (an
 * exception, or the event an exit interrupted) or waiting behind one.
 */
static bool vcpu_irq_can_inject(struct minivmm_vcpu *vcpu)
{
	if (!(vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF))
		return false;
	if (vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
	    (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		return false;
	if (vmcs_read(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK)
		return false;
	return !vcpu->deferred_event;
}

/* What userspace sees on every return from MINIVMM_RUN (VMCS loaded). */
void vcpu_irq_report(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	run->if_flag = !!(vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF);
	run->apic_base = vcpu->apic_base;
	run->ready_for_interrupt_injection = !vcpu->irq_queued &&
					     vcpu_irq_can_inject(vcpu);
}

/* The deadline userspace set has passed (0: there is none). */
bool vcpu_timer_expired(struct minivmm_vcpu *vcpu)
{
	u64 deadline = READ_ONCE(vcpu->run->timer_deadline_ns);

	return deadline && ktime_get_ns() >= deadline;
}

/*
 * The slice of this entry: the usual one, or less when the deadline
 * comes sooner. The timer counts TSC >> IA32_VMX_MISC[4:0] (SDM 26.5.1)
 * and starts from the VMCS value at every entry; it is written only when
 * it changes.
 */
static void vcpu_timer_arm(struct minivmm_vcpu *vcpu)
{
	u64 deadline = READ_ONCE(vcpu->run->timer_deadline_ns);
	u32 value = vmx_preempt_slice();
	u64 now, ticks;

	if (!value)
		return;
	if (deadline) {
		now = ktime_get_ns();
		ticks = deadline > now ?
			mul_u64_u32_div(deadline - now, tsc_khz, NSEC_PER_MSEC) : 0;
		ticks >>= minivmm_misc_preempt_shift(vmx_caps.misc);
		value = min_t(u64, value, ticks);
	}
	if (value != vcpu->preempt_value) {
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, value);
		vcpu->preempt_value = value;
	}
}

/*
 * Before an entry, with the VMCS loaded and preemption off. Returns true
 * if the deadline has passed: userspace gets MINIVMM_EXIT_TIMER without
 * an entry. Otherwise a queued vector is injected if the guest can take
 * it; if it cannot, or userspace asked for the window, the entry sets
 * interrupt-window exiting, so the guest exits the moment it can.
 */
bool vcpu_irq_before_entry(struct minivmm_vcpu *vcpu)
{
	bool window;

	if (vcpu_timer_expired(vcpu)) {
		vcpu->run->exit_reason = MINIVMM_EXIT_TIMER;
		vcpu_irq_report(vcpu);
		return true;
	}
	if (vcpu->irq_queued && vcpu_irq_can_inject(vcpu)) {
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, vcpu->irq_vector |
			   INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK);
		vcpu->irq_queued = false;
		vcpu->stats.injected_irqs++;
	}
	window = vcpu->irq_queued || READ_ONCE(vcpu->run->request_interrupt_window);
	vmx_set_intr_window(vcpu, window);
	vcpu_timer_arm(vcpu);
	return false;
}
