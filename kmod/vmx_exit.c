// SPDX-License-Identifier: GPL-2.0
/*
 * VM-exit handling: one table indexed by basic exit reason (SDM Vol. 3D
 * Appendix C "VMX Basic Exit Reasons"). A handler returns 1 to resume the
 * guest, 0 to return to userspace with run->exit_reason set, or -1 for
 * an exit it cannot handle: userspace gets MINIVMM_EXIT_INTERNAL_ERROR
 * with the reason, qualification and RIP (vmx_handle_exit()). An exit
 * without a handler is treated as -1.
 */
#include <linux/printk.h>
#include <asm/apicdef.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

/* Exception classes for double faults (SDM Vol. 3A 6.15, Table 6-4). */
static bool vmx_exc_contributory(u8 v)
{
	return v == X86_TRAP_DE || v == X86_TRAP_TS || v == X86_TRAP_NP ||
	       v == X86_TRAP_SS || v == X86_TRAP_GP;
}

/*
 * Queue a hardware exception for the next VM entry (SDM 27.6 "Event
 * Injection"). Real mode has no error codes (SDM 27.2.1.3).
 *
 * An event may already be queued: the one the exit interrupted in
 * mid-delivery (re-queued by vmx_handle_exit()). The two combine as the
 * CPU would combine them (SDM Vol. 3A 6.15, Table 6-5, like KVM's
 * kvm_multiple_exception()): contributory after contributory, or
 * contributory or #PF after #PF, is #DF(0); anything after #DF is a
 * triple fault (the run ends as a shutdown); otherwise the new exception
 * is delivered. Then a hardware exception or software event that was
 * queued is dropped, as the CPU drops it: the guest's handler returns to
 * the instruction, which raises it again. An external interrupt or NMI
 * is not raised again by anything: it is kept in vcpu->deferred_event
 * and injected on a later entry (vmx_inject_deferred()).
 */
void vmx_inject_exception(struct minivmm_vcpu *vcpu, u8 vector,
			  bool has_error, u32 error)
{
	u32 prev = vmcs_read(VM_ENTRY_INTR_INFO_FIELD);
	u32 info;

	if (prev & INTR_INFO_VALID_MASK) {
		u8 first = prev & INTR_INFO_VECTOR_MASK;

		switch (prev & INTR_INFO_INTR_TYPE_MASK) {
		case INTR_TYPE_HARD_EXCEPTION:
			if (first == X86_TRAP_DF) {
				vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
				vcpu->triple_fault = true;
				return;
			}
			if ((vmx_exc_contributory(first) && vmx_exc_contributory(vector)) ||
			    (first == X86_TRAP_PF && (vector == X86_TRAP_PF ||
						      vmx_exc_contributory(vector)))) {
				vector = X86_TRAP_DF;
				has_error = true;
				error = 0;
			}
			break;
		case INTR_TYPE_EXT_INTR:
		case INTR_TYPE_NMI_INTR:
			vcpu->deferred_event = prev;
			break;
		}
	}
	info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;
	if (has_error && (vmcs_read(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, info);
}

/*
 * Before an entry: an external interrupt or NMI that had to wait for an
 * exception (vmx_inject_exception()) is injected once nothing else is
 * queued and the guest can take it (SDM 27.3.1.5: RFLAGS.IF and no STI
 * or MOV-SS blocking for an interrupt, no NMI or MOV-SS blocking for an
 * NMI). Without interrupt-window exiting it waits for the next exit.
 */
void vmx_inject_deferred(struct minivmm_vcpu *vcpu)
{
	u32 ev = vcpu->deferred_event, intr;

	if (!ev || (vmcs_read(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK))
		return;
	intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	if ((ev & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		if (intr & (GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_MOV_SS))
			return;
	} else if (!(vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF) ||
		   (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))) {
		return;
	}
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, ev);
	vcpu->deferred_event = 0;
}

/*
 * What delivering #DB does to the guest's debug registers (SDM Vol. 3B
 * 18.2.3, 18.2.4): the exit qualification has the DR6 bits the CPU did
 * not write (SDM Vol. 3C 28.2.1); B0-B3 are replaced, the rest are
 * sticky; entering the handler clears DR7.GD.
 */
static void vmx_deliver_db(struct minivmm_vcpu *vcpu, u64 dr6_bits)
{
	vcpu->dr6 = (vcpu->dr6 & ~0xfull) | (dr6_bits & VCPU_DR6_GUEST_BITS);
	if (vcpu->dr7 & VCPU_DR7_GD) {
		vcpu->dr7 &= ~VCPU_DR7_GD;
		vmcs_write(GUEST_DR7, vcpu_dr7_effective(vcpu));
	}
}

/*
 * Past an instruction the module emulated, as if the CPU had run it:
 * RIP advanced; the STI / MOV-SS interrupt shadow, which lasts one
 * instruction, is over (SDM 25.4.2; KVM clears it the same way); and
 * with RFLAGS.TF set the single-step trap that instruction would have
 * raised is delivered now: #DB with DR6.BS (SDM Vol. 3B 18.3.1.4), any
 * single step the CPU kept pending for it dropped so it is not taken
 * twice.
 */
static void vmx_advance_rip(struct minivmm_vcpu *vcpu, u64 len)
{
	u32 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + len);
	/* Emulated, it never ran under the monitor trap flag: a step anyway. */
	if (vcpu->singlestep)
		vcpu->step_pending = true;
	/* Its trap from the module's TF is that step: not to be taken again. */
	if (vcpu->tf_set)
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) & ~(u64)VCPU_DR6_BS);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	/* The guest's own TF only: single-stepping's is not the guest's. */
	if ((vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_TF) && !vcpu->tf_set) {
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
		vmx_deliver_db(vcpu, VCPU_DR6_BS);
		vmx_inject_exception(vcpu, X86_TRAP_DB, false, 0);
	}
}

void vmx_skip_instruction(struct minivmm_vcpu *vcpu)
{
	vmx_advance_rip(vcpu, vcpu->exit.instr_len);
}

/*
 * Exit reason 0: an exception the exception bitmap intercepts (SDM
 * 26.2). #AC and #DB are always intercepted so a guest whose handler
 * raises them again cannot keep the CPU inside an endless delivery loop
 * without VM exits (CVE-2015-5307, CVE-2015-8104): each one exits, gets
 * reinjected, and the run loop stays in control. Host NMIs and machine
 * checks (#MC is intercepted too) were handed to the host right after
 * the exit (vcpu_switch.c).
 */
/*
 * Deliver the exception of the current exception exit to the guest, as
 * the CPU would have without the interception: software exceptions
 * (INT3, INTO; ICEBP, SDM 25.9.2) again as what they were, with their
 * length, so the handler sees RIP after them; #DB with its DR6 bits;
 * #PF with CR2, which the CPU leaves alone when #PF exits (SDM 28.1).
 */
void vmx_reflect_exception(struct minivmm_vcpu *vcpu)
{
	u32 info = vcpu->exit.intr_info;
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u8 vector = info & INTR_INFO_VECTOR_MASK;

	if (type == INTR_TYPE_PRIV_SW_EXCEPTION || type == INTR_TYPE_SOFT_EXCEPTION) {
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, vector | type | INTR_INFO_VALID_MASK);
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vcpu->exit.instr_len);
		return;
	}
	if (vector == X86_TRAP_DB)
		vmx_deliver_db(vcpu, vcpu->exit.qualification);
	if (vector == X86_TRAP_PF)
		vcpu->cr2 = vcpu->exit.qualification;
	vmx_inject_exception(vcpu, vector, info & INTR_INFO_DELIVER_CODE_MASK,
			     vcpu->exit.intr_error);
}

/*
 * Exit reason 0: an exception the exception bitmap intercepts (SDM
 * 26.2). #AC and #DB are always intercepted so a guest whose handler
 * raises them again cannot keep the CPU inside an endless delivery loop
 * without VM exits (CVE-2015-5307, CVE-2015-8104): each one exits, gets
 * reinjected, and the run loop stays in control. Host NMIs and machine
 * checks (#MC is intercepted too) were handed to the host right after
 * the exit (vcpu_switch.c). With MINIVMM_POLICY_EXCEPTION every vector
 * is intercepted and goes to userspace, which decides on reinjection.
 */
static int handle_exception_nmi(struct minivmm_vcpu *vcpu)
{
	u32 info = vcpu->exit.intr_info;
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (type == INTR_TYPE_NMI_INTR)
		return 1;
	/* #MC: the host's handler had it right after the exit (vcpu_switch.c). */
	if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC && type == INTR_TYPE_HARD_EXCEPTION)
		return 1;
	if (type != INTR_TYPE_HARD_EXCEPTION && type != INTR_TYPE_SOFT_EXCEPTION &&
	    type != INTR_TYPE_PRIV_SW_EXCEPTION)
		return -1;
	/* The module's own #DBs: its TF's step, userspace's breakpoint. */
	if (type == INTR_TYPE_HARD_EXCEPTION && (info & INTR_INFO_VECTOR_MASK) == X86_TRAP_DB &&
	    ((vcpu->tf_set && (vcpu->exit.qualification & VCPU_DR6_BS)) ||
	     (vcpu->bp_on && (vcpu->exit.qualification & BIT(0)))))
		return vcpu_debug_trap(vcpu, vcpu->exit.qualification);
	if (exit_policy_to_user(vcpu, MINIVMM_POLICY_EXCEPTION))
		return exit_policy_forward_exception(vcpu);
	vmx_reflect_exception(vcpu);
	return 1;
}

/* Each PAT entry is a memory type: 0, 1, 4, 5, 6 or 7 (SDM Vol. 3A 13.12.2). */
static bool vmx_pat_valid(u64 v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		if ((v & 0xf8) || (v & 7) == 2 || (v & 7) == 3)
			return false;
	return true;
}

static bool vmx_canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* The MSRs of the VMCS MSR-load areas (STAR, LSTAR, CSTAR, SFMASK, TSC_AUX). */
static bool vmx_switched_msr_read(struct minivmm_vcpu *vcpu, u32 msr, u64 *v)
{
	int i = vmx_switched_msr(msr);

	if (i < 0)
		return false;
	*v = vcpu->msr_guest[i].value;
	return true;
}

static bool vmx_switched_msr_write(struct minivmm_vcpu *vcpu, u32 msr, u64 v)
{
	int i = vmx_switched_msr(msr);

	if (i < 0)
		return false;
	/* What WRMSR itself refuses with #GP (SDM Vol. 4, Table 2-2). */
	if ((msr == MSR_LSTAR || msr == MSR_CSTAR) && !vmx_canonical(v))
		return false;
	if ((msr == MSR_SYSCALL_MASK || msr == MSR_TSC_AUX) && (v >> 32))
		return false;
	vcpu->msr_guest[i].value = v;	/* loaded by the next VM entry */
	return true;
}

/*
 * Exit reasons 31/32: RDMSR/WRMSR of an MSR the MSR bitmap does not let
 * pass (SDM 26.1.3; vmx_msr_bitmap.c), or of any MSR under
 * MINIVMM_POLICY_MSR; the guest sees a small set, the rest raise #GP(0)
 * (see docs/uapi.md for the list and why).
 */
bool vmx_msr_read(struct minivmm_vcpu *vcpu, u32 msr, u64 *v)
{
	switch (msr) {
	case MSR_EFER:		*v = vmcs_read(GUEST_IA32_EFER); return true;
	case MSR_IA32_TSC:	*v = rdtsc(); return true;
	case MSR_IA32_APICBASE:	*v = vcpu->apic_base; return true;
	/* Fast strings; no BTS or PEBS (Linux's verify_cpu reads it first). */
	case MSR_IA32_MISC_ENABLE:
		*v = MSR_IA32_MISC_ENABLE_FAST_STRING | MSR_IA32_MISC_ENABLE_BTS_UNAVAIL |
		     MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL;
		return true;
	/* No microcode to load in a VM: a revision, writes (the probe) ignored. */
	case MSR_IA32_UCODE_REV: *v = 1ull << 32; return true;
	/* The guest has no branch tracing: DEBUGCTL reads 0, takes only 0. */
	case MSR_IA32_DEBUGCTLMSR: *v = 0; return true;
	case MSR_FS_BASE:	*v = vmcs_read(GUEST_FS_BASE); return true;
	case MSR_GS_BASE:	*v = vmcs_read(GUEST_GS_BASE); return true;
	case MSR_KERNEL_GS_BASE: *v = vcpu->guest_kernel_gs_base; return true;
	case MSR_IA32_SYSENTER_CS: *v = vmcs_read(GUEST_SYSENTER_CS); return true;
	case MSR_IA32_SYSENTER_ESP: *v = vmcs_read(GUEST_SYSENTER_ESP); return true;
	case MSR_IA32_SYSENTER_EIP: *v = vmcs_read(GUEST_SYSENTER_EIP); return true;
	case MSR_IA32_CR_PAT:
		if (!vmx_pat_switched())
			return false;
		*v = vmcs_read(GUEST_IA32_PAT);
		return true;
	default:
		return vmx_switched_msr_read(vcpu, msr, v);
	}
}

/*
 * Addresses: WRMSR takes only canonical ones (SDM Vol. 4, Table 2-2).
 * KERNEL_GS_BASE goes into the host CPU before each entry, where a
 * non-canonical value would fault in the host; the others would fail the
 * VM entry. Checked in vmx_msr_write(), so through MINIVMM_SET_MSRS as
 * through the guest's WRMSR (LSTAR and CSTAR: vmx_switched_msr_write()).
 */
static bool vmx_msr_is_address(u32 msr)
{
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return true;
	default:
		return false;
	}
}

bool vmx_msr_write(struct minivmm_vcpu *vcpu, u32 msr, u64 v)
{
	if (vmx_msr_is_address(msr) && !vmx_canonical(v))
		return false;
	switch (msr) {
	case MSR_EFER:
		/* SCE, LME, NXE; LMA stays the CPU's (SDM 2.2.1). */
		if (v & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
			return false;
		vmcs_write(GUEST_IA32_EFER, (v & ~(u64)EFER_LMA) |
			   (vmcs_read(GUEST_IA32_EFER) & EFER_LMA));
		return true;
	/*
	 * xAPIC only, at its reset address (SDM Vol. 3A 11.4.4): the guest
	 * may clear and set the enable bit (userspace's APIC follows it via
	 * run->apic_base); the BSP flag is read-only; x2APIC mode, a move of
	 * the page and reserved bits #GP.
	 */
	case MSR_IA32_APICBASE:
		if ((v & ~(u64)(MSR_IA32_APICBASE_ENABLE | MSR_IA32_APICBASE_BSP)) !=
		    APIC_DEFAULT_PHYS_BASE)
			return false;
		vcpu->apic_base = (vcpu->apic_base & MSR_IA32_APICBASE_BSP) |
				  (v & MSR_IA32_APICBASE_ENABLE) | APIC_DEFAULT_PHYS_BASE;
		return true;
	case MSR_IA32_MISC_ENABLE: return true;
	case MSR_IA32_UCODE_REV: return true;
	case MSR_IA32_DEBUGCTLMSR: return !v;
	case MSR_FS_BASE:	vmcs_write(GUEST_FS_BASE, v); return true;
	case MSR_GS_BASE:	vmcs_write(GUEST_GS_BASE, v); return true;
	case MSR_KERNEL_GS_BASE: vcpu->guest_kernel_gs_base = v; return true;
	case MSR_IA32_SYSENTER_CS: vmcs_write(GUEST_SYSENTER_CS, v); return true;
	case MSR_IA32_SYSENTER_ESP: vmcs_write(GUEST_SYSENTER_ESP, v); return true;
	case MSR_IA32_SYSENTER_EIP: vmcs_write(GUEST_SYSENTER_EIP, v); return true;
	case MSR_IA32_CR_PAT:
		if (!vmx_pat_switched() || !vmx_pat_valid(v))
			return false;
		vmcs_write(GUEST_IA32_PAT, v);
		return true;
	default:
		return vmx_switched_msr_write(vcpu, msr, v);
	}
}

static int handle_rdmsr(struct minivmm_vcpu *vcpu)
{
	u64 v;

	if (exit_policy_to_user(vcpu, MINIVMM_POLICY_MSR))
		return exit_policy_forward_msr(vcpu, false);
	if (!vmx_msr_read(vcpu, vcpu->regs[VCPU_RCX], &v)) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	vcpu->regs[VCPU_RAX] = (u32)v;
	vcpu->regs[VCPU_RDX] = v >> 32;
	vmx_skip_instruction(vcpu);
	return 1;
}

static int handle_wrmsr(struct minivmm_vcpu *vcpu)
{
	u64 v = (u32)vcpu->regs[VCPU_RAX] | (vcpu->regs[VCPU_RDX] << 32);

	if (exit_policy_to_user(vcpu, MINIVMM_POLICY_MSR))
		return exit_policy_forward_msr(vcpu, true);
	if (!vmx_msr_write(vcpu, vcpu->regs[VCPU_RCX], v)) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	vmx_skip_instruction(vcpu);
	return 1;
}

/* Exit reason 1: the host took the interrupt when it enabled IRQs (SDM 26.2). */
static int handle_external_interrupt(struct minivmm_vcpu *vcpu)
{
	return 1;
}

/* Exit reason 2: triple fault, the guest is dead (SDM 27.1). */
static int handle_triple_fault(struct minivmm_vcpu *vcpu)
{
	vcpu->run->exit_reason = MINIVMM_EXIT_SHUTDOWN;
	return 0;
}

/*
 * Exit reason 10: CPUID always exits (SDM 26.1.2). The answer is the
 * vCPU's SET_CPUID table, or the host's filtered to what minivmm
 * switches and emulates (cpuid.c).
 */
static int handle_cpuid(struct minivmm_vcpu *vcpu)
{
	u32 r[4];

	if (exit_policy_to_user(vcpu, MINIVMM_POLICY_CPUID))
		return exit_policy_forward_cpuid(vcpu);
	cpuid_guest(vcpu, vcpu->regs[VCPU_RAX], vcpu->regs[VCPU_RCX], r);
	vcpu->regs[VCPU_RAX] = r[0];
	vcpu->regs[VCPU_RBX] = r[1];
	vcpu->regs[VCPU_RCX] = r[2];
	vcpu->regs[VCPU_RDX] = r[3];
	vmx_skip_instruction(vcpu);
	return 1;
}

/* Exit reason 12: HLT exiting (SDM 26.1.3); userspace decides what wakes it. */
static int handle_hlt(struct minivmm_vcpu *vcpu)
{
	vmx_skip_instruction(vcpu);
	vcpu->run->exit_reason = MINIVMM_EXIT_HLT;
	return 0;
}

/*
 * Exit reason 18: VMCALL is the hypercall (SDM 26.1.2); RAX = number.
 * Userspace's, unless it has none and lets the module answer -1
 * (MINIVMM_POLICY_KERNEL_VMCALL).
 */
static int handle_vmcall(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;

	if (exit_policy_to_kernel(vcpu, MINIVMM_POLICY_KERNEL_VMCALL)) {
		vcpu->regs[VCPU_RAX] = -1ull;
		vmx_skip_instruction(vcpu);
		return 1;
	}

	run->exit_reason = MINIVMM_EXIT_HYPERCALL;
	run->hypercall.nr = vcpu->regs[VCPU_RAX];
	run->hypercall.args[0] = vcpu->regs[VCPU_RBX];
	run->hypercall.args[1] = vcpu->regs[VCPU_RCX];
	run->hypercall.args[2] = vcpu->regs[VCPU_RDX];
	run->hypercall.args[3] = vcpu->regs[VCPU_RSI];
	run->hypercall.args[4] = vcpu->regs[VCPU_RDI];
	run->hypercall.ret = -1ull;
	vcpu->pending_hypercall = true;
	vmx_skip_instruction(vcpu);
	return 0;
}

/* The bits of a register an instruction with this address size uses. */
static u64 addr_size_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

/* Write @v into the @mask bits of GPR @reg, keeping the others. */
static void vcpu_reg_write_masked(struct minivmm_vcpu *vcpu, int reg, u64 v,
				  u64 mask)
{
	vcpu->regs[reg] = (vcpu->regs[reg] & ~mask) | (v & mask);
}

/*
 * INS/OUTS (SDM Vol. 3C 28.2.5 "Information for VM Exits Due to
 * Instruction Execution"): the exit gives the guest-linear address of the
 * first item and, in the instruction-information field, the address size
 * (bits 9:7: 0=16, 1=32, 2=64 bits). Each exit moves at most one run-page
 * data area, and never past the end of guest memory: a REP instruction
 * stays at its RIP with RCX/RSI/RDI advanced and runs again for the rest,
 * so counts of any size take bounded steps. Nothing to copy at all (the
 * buffer is not guest memory) is an internal error, reported, contained.
 */
static int handle_string_io(struct minivmm_vcpu *vcpu, u32 size, bool in,
			    bool rep)
{
	struct minivmm_run *run = vcpu->run;
	u32 asz = 2u << ((vmcs_read(VMX_INSTRUCTION_INFO) >> 7) & 7);
	u64 amask = addr_size_mask(asz);
	u64 count = rep ? vcpu->regs[VCPU_RCX] & amask : 1;
	u64 gva = vmcs_read(GUEST_LINEAR_ADDRESS);
	bool down = vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_DF;
	int idx = in ? VCPU_RDI : VCPU_RSI;
	u64 n, step, bytes;

	/*
	 * The address size above is only reported where IA32_VMX_BASIC[54]
	 * says so (SDM Vol. 3D A.1); without it, string I/O is an internal
	 * error rather than a guess.
	 */
	if (!(vmx_caps.basic & BIT_ULL(54)))
		return -1;
	if (!count) {			/* REP with RCX=0: a no-op */
		vmx_skip_instruction(vcpu);
		return 1;
	}
	n = min_t(u64, count, MINIVMM_RUN_DATA_SIZE / size);
	/* Backwards (DF=1) copies go one item per exit: simple and bounded. */
	if (down)
		n = 1;
	bytes = n * size;
	if (!in) {
		bytes = vcpu_read_guest_virt(vcpu, gva,
					     (u8 *)run + MINIVMM_RUN_DATA_OFFSET,
					     bytes) / size * size;
		if (!bytes)
			return -1;
		n = bytes / size;
	} else {
		vcpu->pending_ins_gva = gva;
		vcpu->pending_ins_bytes = bytes;
		vcpu->pending_io_in = true;
	}
	step = down ? -(n * size) : n * size;
	vcpu_reg_write_masked(vcpu, idx, vcpu->regs[idx] + step, amask);
	if (rep)
		vcpu_reg_write_masked(vcpu, VCPU_RCX, count - n, amask);
	if (!rep || count == n)
		vmx_skip_instruction(vcpu);
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = in ? MINIVMM_EXIT_IO_IN : MINIVMM_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = vcpu->exit.qualification >> 16;
	run->io.count = n;
	run->io.data_offset = MINIVMM_RUN_DATA_OFFSET;
	return 0;
}

/*
 * Exit reason 30: I/O instruction, qualification per SDM Vol. 3C Table
 * 28-5: size-1 in bits 2:0, IN in bit 3, string in bit 4, REP in bit 5,
 * port in bits 31:16. The data goes through the run page.
 */
static int handle_io(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	u64 q = vcpu->exit.qualification;
	u32 size = (q & 7) + 1;

	if (q & (1 << 4))
		return handle_string_io(vcpu, size, q & (1 << 3), q & (1 << 5));
	if (exit_policy_io_ignored(vcpu, q >> 16, size, q & (1 << 3))) {
		vmx_skip_instruction(vcpu);
		return 1;
	}
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = (q & (1 << 3)) ? MINIVMM_EXIT_IO_IN : MINIVMM_EXIT_IO_OUT;
	run->io.size = size;
	run->io.port = q >> 16;
	run->io.count = 1;
	run->io.data_offset = MINIVMM_RUN_DATA_OFFSET;
	if (run->io.direction == MINIVMM_EXIT_IO_OUT)
		memcpy((u8 *)run + MINIVMM_RUN_DATA_OFFSET, &vcpu->regs[VCPU_RAX], size);
	else
		vcpu->pending_io_in = true;
	vmx_skip_instruction(vcpu);
	return 0;
}

/*
 * Exit reason 28: control-register access (SDM 26.1.3; qualification in
 * Table 28-3: CR number 3:0, type 5:4 (0 MOV to CR, 1 MOV from CR,
 * 2 CLTS, 3 LMSW), GPR 11:8, LMSW source 31:16). CR0/CR4 writes exit only
 * when they touch bits the masks give us; CR8 always exits so the guest
 * TPR stays the guest's. Invalid values raise #GP like the CPU would:
 * reserved CR0 bits, PG without PE, and CR4 bits the guest may not set
 * (VMXE, PKE...: vmx_cr4_guest_allowed()).
 */
int vmx_cr_apply(struct minivmm_vcpu *vcpu, u64 v)
{
	u64 q = vcpu->exit.qualification;
	int cr = q & 15, type = (q >> 4) & 3;

	if (type == 1) {			/* MOV from CR8 */
		vcpu_gpr_set(vcpu, (q >> 8) & 15, v);
		return 0;
	}
	switch (cr) {
	case 0:
		if ((v >> 32) || ((v & X86_CR0_PG) && !(v & X86_CR0_PE)))
			return -1;
		/* LMSW sets PE but never clears it (SDM Vol. 2A LMSW). */
		if (type == 3)
			v |= vmx_get_cr0() & X86_CR0_PE;
		vmx_set_cr0(v);
		return 0;
	case 4:
		if (!vmx_cr4_valid(v))
			return -1;
		vmx_set_cr4(v);
		return 0;
	case 8:
		if (v & ~15ull)
			return -1;
		vcpu->cr8 = v;
		return 0;
	}
	return -1;
}

/*
 * Exit reason 28: control-register access (SDM 26.1.3; qualification in
 * Table 28-3: CR number 3:0, type 5:4 (0 MOV to CR, 1 MOV from CR,
 * 2 CLTS, 3 LMSW), GPR 11:8, LMSW source 31:16). CR0/CR4 writes exit only
 * when they touch bits the masks give us; CR8 always exits so the guest
 * TPR stays the guest's. The new value is computed here and loaded by
 * vmx_cr_apply(), which raises #GP like the CPU would for invalid ones:
 * reserved CR0 bits, PG without PE, and CR4 bits the guest may not set
 * (VMXE, PKE...: vmx_cr4_guest_allowed()). Under MINIVMM_POLICY_CR
 * userspace computes it instead and vmx_cr_apply() loads its answer.
 */
static int handle_cr_access(struct minivmm_vcpu *vcpu)
{
	u64 q = vcpu->exit.qualification;
	int cr = q & 15, type = (q >> 4) & 3;
	u64 old, v;

	if (cr != 0 && cr != 4 && cr != 8)
		return -1;
	if (type == 1 && cr != 8)		/* only CR8 reads exit */
		return -1;
	old = cr == 0 ? vmx_get_cr0() : cr == 4 ? vmx_get_cr4() : vcpu->cr8;
	/* MOV to CR brings the GPR's value; the others start from the CR. */
	v = type == 0 ? vcpu_gpr_get(vcpu, (q >> 8) & 15) : old;
	if (exit_policy_to_user(vcpu, MINIVMM_POLICY_CR))
		return exit_policy_forward_cr(vcpu, cr, type, old, v);
	if (type == 2)				/* CLTS */
		v = old & ~(u64)X86_CR0_TS;
	else if (type == 3)			/* LMSW: PE (set only), MP, EM, TS */
		v = (old & ~0xeull) | ((q >> 16) & 0xf);
	if (vmx_cr_apply(vcpu, v))
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
	else
		vmx_skip_instruction(vcpu);
	return 1;
}

/* Exit reasons 36/39: MWAIT/MONITOR; CPUID hides MONITOR, so #UD (SDM 26.1.3). */
static int handle_monitor_mwait(struct minivmm_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
	return 1;
}

/*
 * Exit reason 52: the guest's time slice is over (SDM 26.5.1). Resuming
 * goes through the run loop, which returns to userspace if a signal is
 * pending; the slice was cut short if userspace's timer deadline came
 * first, and then userspace hears MINIVMM_EXIT_TIMER (vcpu_irq.c).
 */
static int handle_preemption_timer(struct minivmm_vcpu *vcpu)
{
	if (!vcpu_timer_expired(vcpu))
		return 1;
	vcpu->run->exit_reason = MINIVMM_EXIT_TIMER;
	return 0;
}

/*
 * Exit reason 37: monitor trap flag (SDM 26.5.2): the guest ran one
 * instruction while userspace single-steps it (vcpu_debug.c).
 */
static int handle_monitor_trap(struct minivmm_vcpu *vcpu)
{
	vcpu_debug_report(vcpu, VCPU_DR6_BS);
	return 0;
}

/*
 * Exit reason 7: interrupt window (SDM 27.7.5): the guest can take an
 * external interrupt now. A queued vector is injected by the next entry
 * (vcpu_irq_before_entry()); if userspace asked for the window and has
 * nothing queued, it hears that the window is open.
 */
static int handle_interrupt_window(struct minivmm_vcpu *vcpu)
{
	vmx_set_intr_window(vcpu, false);
	if (vcpu->irq_queued || !READ_ONCE(vcpu->run->request_interrupt_window))
		return 1;
	vcpu->run->exit_reason = MINIVMM_EXIT_IRQ_WINDOW_OPEN;
	return 0;
}

/* The guest's code size: 64 if CS.L in IA-32e mode, else CS.D ? 32 : 16. */
static unsigned int vmx_code_mode(void)
{
	u32 ar = vmcs_read(GUEST_CS_AR_BYTES);

	if ((vmcs_read(GUEST_IA32_EFER) & EFER_LMA) && (ar & (1 << 13)))
		return 64;
	return (ar & (1 << 14)) ? 32 : 16;
}

/*
 * Exit reason 29: MOV DR (SDM Vol. 3C 26.1.3; qualification in Table
 * 28-4: register 2:0, bit 4 set for MOV from DR, GPR 11:8). These exits
 * come before the instruction's own checks (SDM 26.1.1), so the CPL,
 * virtual-8086, CR4.DE and DR7.GD checks of MOV DR are done here. DR0-3
 * and DR6 stay in the vCPU: the CPU's are the host's.
 */
static int handle_dr_access(struct minivmm_vcpu *vcpu)
{
	u64 q = vcpu->exit.qualification, v;
	int dr = q & 7, reg = (q >> 8) & 15;
	bool wide = vmx_code_mode() == 64;

	if (((vmcs_read(GUEST_SS_AR_BYTES) >> 5) & 3) ||
	    (vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_VM))
		goto gp;
	if (dr == 4 || dr == 5) {
		if (vmcs_read(GUEST_CR4) & X86_CR4_DE) {
			vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
			return 1;
		}
		dr += 2;			/* aliases of DR6 and DR7 */
	}
	if (vcpu->dr7 & VCPU_DR7_GD) {		/* general detect: #DB instead */
		vmx_deliver_db(vcpu, VCPU_DR6_BD);
		vmx_inject_exception(vcpu, X86_TRAP_DB, false, 0);
		return 1;
	}
	if (q & BIT(4)) {			/* MOV from DR */
		v = dr < 4 ? vcpu->dr[dr] : dr == 6 ? vcpu->dr6 : vcpu->dr7;
		vcpu_gpr_set(vcpu, reg, wide ? v : (u32)v);
	} else {
		v = vcpu_gpr_get(vcpu, reg);
		if (!wide)
			v = (u32)v;
		if (dr < 4) {
			vcpu->dr[dr] = v;
		} else if (v >> 32) {
			goto gp;
		} else if (dr == 6) {
			vcpu->dr6 = (v & VCPU_DR6_GUEST_BITS) | VCPU_DR6_INIT;
		} else {
			vcpu->dr7 = (v & ~VCPU_DR7_RESERVED) | VCPU_DR7_INIT;
			vmcs_write(GUEST_DR7, vcpu_dr7_effective(vcpu));
		}
	}
	vmx_skip_instruction(vcpu);
	return 1;
gp:
	vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
	return 1;
}

static u64 vmx_reg_read(struct minivmm_vcpu *vcpu, const struct mmio_insn *in)
{
	u64 v = vcpu_gpr_get(vcpu, in->reg);

	return in->reg_high8 ? v >> 8 : v;
}

/*
 * Exit reason 48: EPT violation (SDM 28.2.1, qualification in Table 28-7;
 * bit 1 = the access was a write). Outside every slot, or a write to a
 * read-only slot, it is MMIO: decode the instruction (mmio_decode.c),
 * forward address, size, direction and data to userspace, and step past
 * it. A read completes on the next MINIVMM_RUN (vcpu.c).
 */
static int handle_ept_violation(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	struct mmio_insn *in = &vcpu->mmio_insn;
	int flags = vm_gpa_flags(vcpu->vm, vcpu->exit.gpa);
	u64 rip = vmcs_read(GUEST_RIP), data;
	u8 bytes[15];
	int n;

	if (flags >= 0 && !((flags & MINIVMM_MEM_READONLY) &&
			    (vcpu->exit.qualification & 2)))
		return 1;	/* mapped meanwhile (slot changed): retry */
	/*
	 * The guest was delivering an event (its IDT, GDT or stack is not
	 * RAM, SDM 28.2.4): RIP is not an instruction that touched MMIO.
	 * An internal error, with the vectoring info reported.
	 */
	if (vcpu->exit.idt_vectoring & VECTORING_INFO_VALID_MASK)
		return -1;
	n = vcpu_read_guest_virt(vcpu, vmcs_read(GUEST_CS_BASE) + rip, bytes,
				 sizeof(bytes));
	if (mmio_decode(bytes, n, vmx_code_mode(), in) ||
	    in->is_write != !!(vcpu->exit.qualification & 2))
		return -1;	/* internal error: not an instruction we emulate */

	run->exit_reason = MINIVMM_EXIT_MMIO;
	run->mmio.phys_addr = vcpu->exit.gpa;
	run->mmio.len = in->size;
	run->mmio.is_write = in->is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (in->is_write) {
		data = in->src == MMIO_SRC_IMM ? in->imm :
		       in->src == MMIO_SRC_RAX ? vcpu->regs[VCPU_RAX] :
		       vmx_reg_read(vcpu, in);
		memcpy(run->mmio.data, &data, in->size);
		if (in->is_stos) {
			u64 step = vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_DF ?
				   -(u64)in->size : in->size;

			vcpu_reg_write_masked(vcpu, VCPU_RDI, vcpu->regs[VCPU_RDI] + step,
					      addr_size_mask(in->addr_size));
		}
	} else {
		vcpu->pending_mmio_read = true;
	}
	vmx_advance_rip(vcpu, in->len);
	return 0;
}

/*
 * Exit reasons 13 and 54: INVD (always exits, SDM 26.1.2) and WBINVD
 * ("WBINVD exiting", 26.1.3). Guest memory is ordinary write-back host
 * memory with no device of the guest's behind it: there is no cache to
 * write back that matters to the guest, and INVD must never drop the
 * host's dirty lines. Both complete as no-ops.
 */
static int handle_invd_wbinvd(struct minivmm_vcpu *vcpu)
{
	vmx_skip_instruction(vcpu);
	return 1;
}

/*
 * Exit reason 15: RDPMC ("RDPMC exiting", SDM 26.1.3). The guest has no
 * performance counters (CPUID leaf 0xA reads zeros), and must never read
 * the host's: #GP(0), as for a counter that does not exist.
 */
static int handle_rdpmc(struct minivmm_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
	return 1;
}

/*
 * Exit reasons 19-27, 50, 53, 59: VMX instructions in the guest (always
 * exit, SDM 26.1.2). minivmm offers no nested VMX (CPUID hides it):
 * #UD, as on a CPU without VMX.
 */
static int handle_vmx_insn(struct minivmm_vcpu *vcpu)
{
	vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
	return 1;
}

/*
 * Exit reason 55: XSETBV (always exits, SDM 26.1.2); the guest's XCR0 is
 * loaded around each entry (vcpu_fpu.c). The CPU checks CR4.OSXSAVE and
 * CPL before the exit (SDM 26.1.1), checked again here for the case
 * where it did not: #UD, #GP(0); then ECX = 0 and a value the guest may
 * hold (vcpu_fpu_set_xcr0()), else #GP(0) (SDM Vol. 2D, XSETBV).
 */
static int handle_xsetbv(struct minivmm_vcpu *vcpu)
{
	u64 v = (u32)vcpu->regs[VCPU_RAX] | (vcpu->regs[VCPU_RDX] << 32);
	u32 cpl = (vmcs_read(GUEST_SS_AR_BYTES) >> 5) & 3;

	if (!(vmx_get_cr4() & X86_CR4_OSXSAVE)) {
		vmx_inject_exception(vcpu, X86_TRAP_UD, false, 0);
		return 1;
	}
	if (cpl || (u32)vcpu->regs[VCPU_RCX] || !vcpu_fpu_set_xcr0(vcpu, v)) {
		vmx_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	vmx_skip_instruction(vcpu);
	return 1;
}

static int (*const vmx_exit_handlers[])(struct minivmm_vcpu *vcpu) = {
	[EXIT_REASON_EXCEPTION_NMI]		= handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]		= handle_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW]		= handle_interrupt_window,
	[EXIT_REASON_MONITOR_TRAP_FLAG]		= handle_monitor_trap,
	[EXIT_REASON_CPUID]			= handle_cpuid,
	[EXIT_REASON_HLT]			= handle_hlt,
	[EXIT_REASON_VMCALL]			= handle_vmcall,
	[EXIT_REASON_CR_ACCESS]			= handle_cr_access,
	[EXIT_REASON_DR_ACCESS]			= handle_dr_access,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= handle_monitor_mwait,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= handle_monitor_mwait,
	[EXIT_REASON_MSR_READ]			= handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]			= handle_wrmsr,
	[EXIT_REASON_IO_INSTRUCTION]		= handle_io,
	[EXIT_REASON_EPT_VIOLATION]		= handle_ept_violation,
	[EXIT_REASON_PREEMPTION_TIMER]		= handle_preemption_timer,
	[EXIT_REASON_INVD]			= handle_invd_wbinvd,
	[EXIT_REASON_WBINVD]			= handle_invd_wbinvd,
	[EXIT_REASON_RDPMC]			= handle_rdpmc,
	[EXIT_REASON_VMCLEAR]			= handle_vmx_insn,
	[EXIT_REASON_VMLAUNCH]			= handle_vmx_insn,
	[EXIT_REASON_VMPTRLD]			= handle_vmx_insn,
	[EXIT_REASON_VMPTRST]			= handle_vmx_insn,
	[EXIT_REASON_VMREAD]			= handle_vmx_insn,
	[EXIT_REASON_VMRESUME]			= handle_vmx_insn,
	[EXIT_REASON_VMWRITE]			= handle_vmx_insn,
	[EXIT_REASON_VMOFF]			= handle_vmx_insn,
	[EXIT_REASON_VMON]			= handle_vmx_insn,
	[EXIT_REASON_INVEPT]			= handle_vmx_insn,
	[EXIT_REASON_INVVPID]			= handle_vmx_insn,
	[EXIT_REASON_VMFUNC]			= handle_vmx_insn,
	[EXIT_REASON_XSETBV]			= handle_xsetbv,
};

/* MINIVMM_GET_VCPU_STATS: every exit, by reason and exception vector. */
static void vmx_count_exit(struct minivmm_vcpu *vcpu, u32 basic)
{
	struct minivmm_vcpu_stats *st = &vcpu->stats;
	u32 info = vcpu->exit.intr_info;

	st->exits++;
	if (basic < MINIVMM_STATS_REASONS)
		st->by_reason[basic]++;
	if (basic == EXIT_REASON_EXCEPTION_NMI &&
	    (info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_HARD_EXCEPTION)
		st->exceptions[info & INTR_INFO_VECTOR_MASK & 31]++;
}

int vmx_handle_exit(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	u32 basic = vcpu->exit.reason & 0xffff;
	int ret = -1;

	vmx_count_exit(vcpu, basic);

	/* VM-entry failure after the instruction itself succeeded (SDM 27.8). */
	if (vcpu->exit.reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_exit_reason = basic;
		run->fail_entry.qualification = vcpu->exit.qualification;
		pr_info_ratelimited(MINIVMM_NAME ": VM entry failed: exit reason %u (%s), qualification %llu\n",
				    basic, basic == EXIT_REASON_INVALID_STATE ?
				    "invalid guest state" : basic == EXIT_REASON_MSR_LOAD_FAIL ?
				    "MSR loading" : "machine check", vcpu->exit.qualification);
		return 0;
	}
	/*
	 * An event the exit interrupted in mid-delivery (SDM 28.2.4) is
	 * delivered again on the next entry, unless a handler injects
	 * something else.
	 */
	if (vcpu->exit.idt_vectoring & VECTORING_INFO_VALID_MASK) {
		/* Bits 30:12 (NMI unblocking, 12) are reserved on entry (27.2.1.3). */
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, vcpu->exit.idt_vectoring &
			   (VECTORING_INFO_VALID_MASK | VECTORING_INFO_DELIVER_CODE_MASK |
			    VECTORING_INFO_TYPE_MASK | VECTORING_INFO_VECTOR_MASK));
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, vcpu->exit.idt_error);
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vcpu->exit.instr_len);
	}
	if (basic < ARRAY_SIZE(vmx_exit_handlers) && vmx_exit_handlers[basic])
		ret = vmx_exit_handlers[basic](vcpu);
	if (vcpu->triple_fault) {
		/* An exception while delivering #DF (vmx_inject_exception()). */
		vcpu->triple_fault = false;
		run->exit_reason = MINIVMM_EXIT_SHUTDOWN;
		return 0;
	}
	if (ret >= 0)
		return ret;
	run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
	run->internal.exit_reason = basic;
	run->internal.qualification = vcpu->exit.qualification;
	run->internal.rip = vmcs_read(GUEST_RIP);
	run->internal.idt_vectoring_info = vcpu->exit.idt_vectoring &
		VECTORING_INFO_VALID_MASK ? vcpu->exit.idt_vectoring : 0;
	run->internal.idt_vectoring_error = vcpu->exit.idt_error;
	return 0;
}
