// SPDX-License-Identifier: GPL-2.0
/*
 * The world switch: one VM entry and exit, with the CPU state VMX does
 * not switch by itself saved, loaded and restored around it.
 */
#include <linux/hw_breakpoint.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/mce.h>
#include <asm/trapnr.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <asm/gsseg.h>			/* load_gs_index() moved here in 6.2 */
#endif
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_ops.h"

static void vmcs_write_if_changed(u64 *cached, unsigned long field, u64 value)
{
	if (*cached != value) {
		vmcs_write(field, value);
		*cached = value;
	}
}

/*
 * A machine check in the guest (#MC intercepted, SDM 26.2) or during VM
 * entry (exit reason 41, SDM 27.8) is the host's: hand it to the host's
 * handler right after the exit, IRQs still off, with a frame that says
 * it did not interrupt the kernel (KVM does the same).
 */
static bool vmx_exit_is_machine_check(const struct minivmm_exit *e)
{
	u32 basic = e->reason & 0xffff;

	if (basic == EXIT_REASON_MCE_DURING_VMENTRY)
		return true;
	return basic == EXIT_REASON_EXCEPTION_NMI &&
	       (e->intr_info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK |
				INTR_INFO_VECTOR_MASK)) ==
	       (INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION | X86_TRAP_MC);
}

static void vcpu_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = {
		.cs = 3,		/* as if from user mode: not the kernel's */
		.flags = X86_EFLAGS_IF,
	};

	do_machine_check(&regs);
#endif
}

/*
 * One guest entry and exit (0; 1 if VMLAUNCH/VMRESUME failed; -EAGAIN if
 * the VMCS was taken away meanwhile), with what VMX does not switch done
 * around it: the guest's FPU/SSE/AVX state and XCR0 (vcpu_fpu.c),
 * MSR_KERNEL_GS_BASE (SWAPGS in the guest changes it without an exit),
 * CR2 (not in the VMCS: the guest's before entry, saved after exit), the
 * L1D flush and machine checks (spec.c, below), the host FS base and,
 * after the exit, the GDTR/
 * IDTR limits, TR's limit, DS/ES, FS/GS selectors and LDTR (SDM Vol. 3C
 * 28.5.2 leaves them null) and IA32_DEBUGCTL (28.5.1 clears it). The
 * SYSCALL MSRs, TSC_AUX and PAT are switched by VMX itself, through the
 * VMCS MSR-load areas and PAT controls (vmx_setup.c). See docs/uapi.md,
 * "What is switched", for the whole list.
 */
int vcpu_enter_exit(struct minivmm_vcpu *vcpu)
{
	struct desc_ptr gdt, idt;
	u64 fs_base, host_kgs, debugctl;
	u16 ds, es, fs, gs, ldt;
	bool guest_drs;
	int failed;

	vcpu_fpu_load(vcpu);
	local_irq_disable();
	/*
	 * An IPI since vcpu_load() (reboot: VMCLEAR and VMXOFF on every CPU)
	 * may have taken our VMCS away; VMLAUNCH would then fault. Retry
	 * from vcpu_load(), which fails cleanly if VMX is off.
	 */
	if (!vcpu_vmcs_is_current(vcpu)) {
		local_irq_enable();
		vcpu_fpu_put(vcpu);
		return -EAGAIN;
	}

	native_store_gdt(&gdt);
	store_idt(&idt);
	savesegment(ds, ds);
	savesegment(es, es);
	/* Non-zero for 32-bit tasks and users of modify_ldt()/TLS slots. */
	savesegment(fs, fs);
	savesegment(gs, gs);
	store_ldt(ldt);
	debugctl = get_debugctlmsr();
	/*
	 * Per task and per CPU (PCID, CR4.TSD...), so checked per entry;
	 * like KVM, written only when they differ from what the VMCS holds.
	 */
	vmcs_write_if_changed(&vcpu->host_cr3, HOST_CR3, __read_cr3());
	vmcs_write_if_changed(&vcpu->host_cr4, HOST_CR4, cr4_read_shadow());
	rdmsrl(MSR_FS_BASE, fs_base);
	vmcs_write_if_changed(&vcpu->host_fs_base, HOST_FS_BASE, fs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, host_kgs);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);

	/* DR7 comes from the VMCS; DR0-3 only matter when it enables them. */
	guest_drs = vcpu_dr7_effective(vcpu) & VCPU_DR7_ENABLES;
	if (guest_drs) {
		/* Host breakpoints must not fire on the guest's addresses. */
		if (hw_breakpoint_active())
			set_debugreg(0, 7);
		set_debugreg(vcpu->bp_on ? vcpu->bp_addr : vcpu->dr[0], 0);
		set_debugreg(vcpu->dr[1], 1);
		set_debugreg(vcpu->dr[2], 2);
		set_debugreg(vcpu->dr[3], 3);
	}

	/*
	 * The guest's CR2, last: a host page fault from here on (an NMI
	 * handler's) restores CR2 itself. Another task's fault address must
	 * never reach the guest, nor the guest's be lost across an exit.
	 */
	if (native_read_cr2() != vcpu->cr2)
		native_write_cr2(vcpu->cr2);

	vcpu_fpu_enter_xcr0(vcpu);
	spec_before_entry();
	/* The exit trace's cost of the last exit: its exit to this entry. */
	if (vcpu->trace) {
		u64 now = rdtsc();

		vcpu->trace_prev_cycles = vcpu->trace_exit_tsc ?
					  now - vcpu->trace_exit_tsc : 0;
	}
	failed = vmx_enter_guest(vcpu->regs, vcpu->launched);
	if (vcpu->trace)
		vcpu->trace_exit_tsc = rdtsc();
	vcpu_fpu_exit_xcr0(vcpu);

	vcpu->cr2 = native_read_cr2();
	if (debugctl)
		update_debugctlmsr(debugctl);

	/*
	 * A VM exit leaves DR7 = 0x400 (SDM 28.5.1): the host's breakpoints
	 * are back only once its debug registers are.
	 */
	if (guest_drs || hw_breakpoint_active())
		hw_breakpoint_restore();

	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);
	load_gdt(&gdt);
	load_idt(&idt);
	invalidate_tss_limit();
	loadsegment(ds, ds);
	loadsegment(es, es);
	/* LDT before the selectors that may point into it. */
	if (ldt)
		asm volatile("lldt %0" : : "rm"(ldt));
	/* The user GS selector; its base is the user's again just below. */
	if (gs)
		load_gs_index(gs);
	wrmsrl(MSR_KERNEL_GS_BASE, host_kgs);
	if (fs) {
		loadsegment(fs, fs);
		wrmsrl(MSR_FS_BASE, fs_base);
	}

	if (!failed) {
		vcpu->exit.reason = vmcs_read(VM_EXIT_REASON);
		/*
		 * Only an entry that succeeded makes the VMCS "launched"; one
		 * that failed loading guest state (bit 31 of the reason, SDM
		 * 27.8) leaves it as it was, and VMRESUME of a clear VMCS is
		 * VM-instruction error 5 (KVM checks the same bit).
		 */
		if (!(vcpu->exit.reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
			vcpu->launched = true;
		vcpu->exit.qualification = vmcs_read(EXIT_QUALIFICATION);
		vcpu->exit.instr_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
		vcpu->exit.gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
		vcpu->exit.intr_info = vmcs_read(VM_EXIT_INTR_INFO);
		vcpu->exit.intr_error = vmcs_read(VM_EXIT_INTR_ERROR_CODE);
		vcpu->exit.idt_vectoring = vmcs_read(IDT_VECTORING_INFO_FIELD);
		vcpu->exit.idt_error = vmcs_read(IDT_VECTORING_ERROR_CODE);
		/*
		 * An NMI that caused the exit was the host's: deliver it to the
		 * host now, before interrupts are enabled (SDM 25.1.2; the
		 * exit consumed it). "int $2" reaches the kernel's NMI handler.
		 */
		if ((vcpu->exit.reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
		    (vcpu->exit.intr_info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			asm volatile("int $2");
		if (vmx_exit_is_machine_check(&vcpu->exit))
			vcpu_machine_check();
	}
	/* A pending host interrupt (exit reason 1) is taken here. */
	local_irq_enable();
	vcpu_fpu_put(vcpu);
	return failed;
}

