// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS contents: execution controls, host state, guest state.
 *
 * Controls are negotiated once at load against the capability MSRs (SDM
 * Vol. 3D A.3-A.5): bits the CPU requires are ORed in, and a control
 * minivmm needs but the CPU lacks fails the load with its name.
 * Host state: SDM Vol. 3C 25.5; guest state: 25.4; checks on both: 27.2-27.3.
 */
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/trapnr.h>
#include <asm/tsc.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

static struct {
	u32 pin, proc, proc2, exit, entry;
	u32 preempt_timer;	/* VMX-preemption timer start value, 0: none */
} vmx_ctls;

/*
 * MSRs the guest owns but VMX does not switch: loaded from the VM-entry
 * MSR-load area, the host's back from the VM-exit one (SDM 26.4, 28.6).
 * The guest can only change them by WRMSR, which always exits, so there
 * is no VM-exit MSR-store area. The SYSCALL MSRs: a guest SYSCALL must
 * enter the guest's handler, never the host's entry point; TSC_AUX:
 * RDTSCP/RDPID read it, and the host's paranoid entry code relies on its
 * own value, so it is switched atomically with the exit, not lazily.
 */
static u32 vmx_switched_msrs[VMX_MAX_SWITCHED_MSRS];
static unsigned int vmx_nr_switched_msrs;

/* Guest PAT through the VMCS (SDM 25.7.1, 25.8.1), when the CPU can. */
static bool vmx_pat;

#define VMX_PAT_DEFAULT		0x0007040600070406ull	/* SDM Vol. 3A 13.12.4 */
#define VCPU_MSR_HOST_OFFSET	(PAGE_SIZE / 2)

/* How long a guest may run before the host looks at signals again. */
#define VMX_TIME_SLICE_MS	10

/* want | required-1 bits, and every wanted bit must be allowed. */
static int vmx_adjust(const char *what, u64 msr, u32 want, u32 *out)
{
	u32 missing = want & ~minivmm_ctl_allowed1(msr);

	if (missing) {
		pr_err(MINIVMM_NAME ": the CPU lacks %s control bit(s) %#x that minivmm needs\n",
		       what, missing);
		return -EOPNOTSUPP;
	}
	*out = (want | minivmm_ctl_allowed0(msr)) & minivmm_ctl_allowed1(msr);
	return 0;
}

int vmx_setup_controls(void)
{
	const struct minivmm_vmx_caps *c = &vmx_caps;
	int ret;

	/* Host interrupts and NMIs always leave the guest (SDM 25.6.1). */
	ret = vmx_adjust("pin-based", minivmm_caps_pin(c),
			 PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
			 &vmx_ctls.pin);
	/*
	 * HLT and every port access exit; MSR accesses exit except what the
	 * MSR bitmap lets pass (vmx_msr_bitmap.c).
	 * CR8 accesses exit: without a TPR shadow, a guest MOV CR8 would set
	 * the host CPU's own APIC TPR. MONITOR/MWAIT exit (and raise #UD):
	 * a guest must not park the physical CPU. MOV DR exits: DR0-3 and
	 * DR6 are not switched by VMX, and they are the host's. RDPMC exits
	 * (and raises #GP): the counters are the host's.
	 */
	ret = ret ?: vmx_adjust("primary processor-based", minivmm_caps_proc(c),
				CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
				CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
				CPU_BASED_MWAIT_EXITING | CPU_BASED_MONITOR_EXITING |
				CPU_BASED_MOV_DR_EXITING | CPU_BASED_RDPMC_EXITING |
				CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
				&vmx_ctls.proc);
	/* EPT and unrestricted guest: real- and protected-mode guests start
	 * without a BIOS (SDM 26.6 "Unrestricted Guests").
	 */
	ret = ret ?: vmx_adjust("secondary processor-based", c->procbased_ctls2,
				SECONDARY_EXEC_ENABLE_EPT |
				SECONDARY_EXEC_UNRESTRICTED_GUEST, &vmx_ctls.proc2);
	ret = ret ?: vmx_adjust("VM-exit", minivmm_caps_exit(c),
				VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_DEBUG_CONTROLS |
				VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER,
				&vmx_ctls.exit);
	ret = ret ?: vmx_adjust("VM-entry", minivmm_caps_entry(c),
				VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_LOAD_IA32_EFER,
				&vmx_ctls.entry);
	if (ret)
		return ret;
	/*
	 * What ept.c relies on (SDM Vol. 3D A.10): a 4-level walk, write-back
	 * paging structures, and all-context INVEPT (the only type it uses).
	 */
	if ((c->ept_vpid_cap & (BIT_ULL(6) | BIT_ULL(14) | BIT_ULL(20) | BIT_ULL(26))) !=
	    (BIT_ULL(6) | BIT_ULL(14) | BIT_ULL(20) | BIT_ULL(26))) {
		pr_err(MINIVMM_NAME ": EPT lacks what minivmm needs (4-level walk, write-back, all-context INVEPT): IA32_VMX_EPT_VPID_CAP %#llx\n",
		       c->ept_vpid_cap);
		return -EOPNOTSUPP;
	}

	/* WBINVD in the guest must not flush the host's caches (a storm of
	 * them would slow every other task): it exits and is a no-op.
	 */
	if (minivmm_ctl_allowed1(c->procbased_ctls2) & SECONDARY_EXEC_WBINVD_EXITING)
		vmx_ctls.proc2 |= SECONDARY_EXEC_WBINVD_EXITING;
	/* MSRs the CPU switches pass through (vmx_msr_bitmap.c). */
	if (minivmm_ctl_allowed1(minivmm_caps_proc(c)) & CPU_BASED_USE_MSR_BITMAPS)
		vmx_ctls.proc |= CPU_BASED_USE_MSR_BITMAPS;
	vmx_nr_switched_msrs = 0;
	vmx_switched_msrs[vmx_nr_switched_msrs++] = MSR_STAR;
	vmx_switched_msrs[vmx_nr_switched_msrs++] = MSR_LSTAR;
	vmx_switched_msrs[vmx_nr_switched_msrs++] = MSR_CSTAR;
	vmx_switched_msrs[vmx_nr_switched_msrs++] = MSR_SYSCALL_MASK;
	/* TSC_AUX exists with RDTSCP or RDPID; the guest gets RDTSCP only
	 * when its own TSC_AUX is what it reads.
	 */
	if (boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID)) {
		vmx_switched_msrs[vmx_nr_switched_msrs++] = MSR_TSC_AUX;
		if (minivmm_ctl_allowed1(c->procbased_ctls2) & SECONDARY_EXEC_ENABLE_RDTSCP)
			vmx_ctls.proc2 |= SECONDARY_EXEC_ENABLE_RDTSCP;
	}
	vmx_pat = (minivmm_ctl_allowed1(minivmm_caps_exit(c)) &
		   (VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)) ==
		  (VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT) &&
		  (minivmm_ctl_allowed1(minivmm_caps_entry(c)) & VM_ENTRY_LOAD_IA32_PAT);
	if (vmx_pat) {
		vmx_ctls.exit |= VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT;
		vmx_ctls.entry |= VM_ENTRY_LOAD_IA32_PAT;
	}
	/*
	 * The VMX-preemption timer (SDM 26.5.1) bounds every guest slice, so
	 * a guest that never exits on its own still returns to the run loop,
	 * which checks for signals: host interrupts alone are not enough
	 * (Bochs 2.7 delivers no external-interrupt exit to a guest entered
	 * with IF=0). It counts TSC >> IA32_VMX_MISC[4:0] and restarts from
	 * this value at each entry (its value is not saved on exit).
	 */
	/* Set per entry while a queued interrupt waits (vcpu_irq.c). */
	if (!(minivmm_ctl_allowed1(minivmm_caps_proc(c)) & CPU_BASED_INTR_WINDOW_EXITING)) {
		pr_err(MINIVMM_NAME ": the CPU lacks interrupt-window exiting, which interrupt injection needs\n");
		return -EOPNOTSUPP;
	}
	/*
	 * VPID is an optimisation: used when the CPU has it and INVVPID with
	 * a type vpid_flush() can use (single- or all-context, bits 41/42).
	 */
	if ((c->features & MINIVMM_VMX_F_VPID) && (c->features & MINIVMM_VMX_F_INVVPID) &&
	    (c->ept_vpid_cap & (BIT_ULL(41) | BIT_ULL(42))))
		vmx_ctls.proc2 |= SECONDARY_EXEC_ENABLE_VPID;
	if (minivmm_ctl_allowed1(minivmm_caps_pin(c)) & PIN_BASED_VMX_PREEMPTION_TIMER) {
		u64 ticks = ((u64)tsc_khz * VMX_TIME_SLICE_MS) >>
			    minivmm_misc_preempt_shift(c->misc);

		vmx_ctls.pin |= PIN_BASED_VMX_PREEMPTION_TIMER;
		vmx_ctls.preempt_timer = clamp_t(u64, ticks, 1, U32_MAX);
	} else {
		pr_warn(MINIVMM_NAME ": no VMX-preemption timer: a guest that never exits can only be stopped by host interrupts\n");
	}
	return 0;
}

int vmx_switched_msr(u32 msr)
{
	unsigned int i;

	for (i = 0; i < vmx_nr_switched_msrs; i++)
		if (vmx_switched_msrs[i] == msr)
			return i;
	return -1;
}

bool vmx_pat_switched(void)
{
	return vmx_pat;
}

/* The slice every entry gets (in preemption-timer units), 0: no timer. */
u32 vmx_preempt_slice(void)
{
	return vmx_ctls.preempt_timer;
}

/*
 * The processor-based controls that change per vCPU and per entry:
 * interrupt-window exiting (SDM 26.2, exit reason 7) while a queued
 * interrupt or userspace waits for the window, the monitor trap flag
 * (26.5.2, exit reason 37) while single-stepping. Written on change only.
 */
void vmx_update_proc_ctls(struct minivmm_vcpu *vcpu)
{
	u32 ctls = vmx_ctls.proc |
		   (vcpu->intr_window ? CPU_BASED_INTR_WINDOW_EXITING : 0) |
		   (vcpu->singlestep && !vcpu->step_tf ? CPU_BASED_MONITOR_TRAP_FLAG : 0);

	/* Every MSR access is userspace's to see under MINIVMM_POLICY_MSR. */
	if (vcpu->policy.to_user & MINIVMM_POLICY_MSR)
		ctls &= ~CPU_BASED_USE_MSR_BITMAPS;

	if (ctls == vcpu->proc_ctls)
		return;
	vcpu->proc_ctls = ctls;
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, ctls);
}

void vmx_set_intr_window(struct minivmm_vcpu *vcpu, bool on)
{
	vcpu->intr_window = on;
	vmx_update_proc_ctls(vcpu);
}

/* Whether the CPU has the monitor trap flag (MINIVMM_CAP_SINGLE_STEP). */
bool vmx_mtf_supported(void)
{
	return minivmm_ctl_allowed1(minivmm_caps_proc(&vmx_caps)) & CPU_BASED_MONITOR_TRAP_FLAG;
}

bool vmx_rdtscp_enabled(void)
{
	return vmx_ctls.proc2 & SECONDARY_EXEC_ENABLE_RDTSCP;
}

/* The MSR page of a new vCPU: indices in both areas, guest values 0. */
void vmx_init_msr_areas(struct minivmm_vcpu *vcpu)
{
	unsigned int i;

	vcpu->msr_host = (void *)vcpu->msr_guest + VCPU_MSR_HOST_OFFSET;
	for (i = 0; i < vmx_nr_switched_msrs; i++) {
		vcpu->msr_guest[i].index = vmx_switched_msrs[i];
		vcpu->msr_host[i].index = vmx_switched_msrs[i];
	}
}

/* The host's values, on the CPU the VMCS just moved to (TSC_AUX differs). */
void vmx_capture_host_msrs(struct minivmm_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < vmx_nr_switched_msrs; i++)
		rdmsrl(vcpu->msr_host[i].index, vcpu->msr_host[i].value);
}

/* The base of the segment whose selector is @sel in the GDT at @gdt. */
static unsigned long vmx_gdt_segment_base(unsigned long gdt, u16 sel)
{
	struct desc_struct *d = (struct desc_struct *)(gdt + (sel & ~7));
	unsigned long base = get_desc_base(d);

	/* System descriptors (the TSS) are 16 bytes in long mode. */
	if (!d->s)
		base |= (unsigned long)((struct ldttss_desc *)d)->base3 << 32;
	return base;
}

/* Host state that differs per CPU: written whenever the VMCS moves. */
void vmx_set_host_per_cpu_state(int cpu)
{
	struct desc_ptr gdt, idt;
	u64 v;

	native_store_gdt(&gdt);
	store_idt(&idt);
	vmcs_write(HOST_GDTR_BASE, gdt.address);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	vmcs_write(HOST_TR_BASE, vmx_gdt_segment_base(gdt.address, GDT_ENTRY_TSS * 8));
	rdmsrl(MSR_GS_BASE, v);
	vmcs_write(HOST_GS_BASE, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_IA32_SYSENTER_ESP, v);
}

static void vmx_setup_host_state(void)
{
	u64 v;

	/*
	 * HOST_CR3, HOST_CR4 and HOST_FS_BASE are written per entry when
	 * they change (vcpu.c), against a cache that starts at 0: make the
	 * VMCS hold 0 too, so a task whose FS base is 0 is still right.
	 */
	vmcs_write(HOST_FS_BASE, 0);
	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_ES_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_RIP, (unsigned long)vmx_vmexit);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	vmcs_write(HOST_IA32_EFER, v);
	if (vmx_pat) {
		rdmsrl(MSR_IA32_CR_PAT, v);
		vmcs_write(HOST_IA32_PAT, v);
	}
}

/* Segment access rights in the VMCS layout (SDM Vol. 3C Table 25-2). */
static u32 vmx_seg_ar(const struct minivmm_segment *s)
{
	if (s->unusable)
		return 1u << 16;
	return (s->type & 15) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
	       (s->present & 1) << 7 | (s->avl & 1) << 12 | (s->l & 1) << 13 |
	       (s->db & 1) << 14 | (s->g & 1) << 15;
}

static void vmx_ar_to_seg(u32 ar, struct minivmm_segment *s)
{
	s->type = ar & 15;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->present = (ar >> 7) & 1;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
	s->unusable = (ar >> 16) & 1;
}

/* Field encodings of one segment register: selector, base, limit, AR. */
struct vmx_seg_fields {
	u32 sel, base, limit, ar;
};

#define SEG_FIELDS(seg) { GUEST_##seg##_SELECTOR, GUEST_##seg##_BASE, \
			  GUEST_##seg##_LIMIT, GUEST_##seg##_AR_BYTES }

static const struct vmx_seg_fields vmx_segs[8] = {
	SEG_FIELDS(CS), SEG_FIELDS(DS), SEG_FIELDS(ES), SEG_FIELDS(FS),
	SEG_FIELDS(GS), SEG_FIELDS(SS), SEG_FIELDS(TR), SEG_FIELDS(LDTR),
};

/* struct minivmm_sregs holds cs, ds, es, fs, gs, ss, tr, ldt in this order. */
static struct minivmm_segment *sregs_seg(struct minivmm_sregs *s, int i)
{
	return &s->cs + i;
}

/*
 * CR0/CR4 as the guest runs them: the bits VMX requires (FIXED0/FIXED1,
 * SDM Vol. 3D A.7-A.8) are forced, except PE/PG under unrestricted guest;
 * the guest/host masks make the guest read its own values from the read
 * shadows, and trap its writes to the forced bits.
 */
static u64 vmx_cr0_forced(void)
{
	return vmx_caps.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
}

/* The guest's view of CR0: its read shadow for the bits we own. */
u64 vmx_get_cr0(void)
{
	u64 mask = vmcs_read(CR0_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR0) & ~mask) | (vmcs_read(CR0_READ_SHADOW) & mask);
}

/* Guest CR0 write: the value it runs with, its shadow, and IA-32e mode. */
void vmx_set_cr0(u64 cr0)
{
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	u32 entry = vmcs_read(VM_ENTRY_CONTROLS);

	/* Paging on with EFER.LME activates IA-32e mode (SDM 10.8.5); VMX
	 * leaves that to the VMM through EFER.LMA and the entry control.
	 */
	if ((cr0 & X86_CR0_PG) && (efer & EFER_LME))
		efer |= EFER_LMA;
	else if (!(cr0 & X86_CR0_PG))
		efer &= ~(u64)EFER_LMA;
	vmcs_write(GUEST_IA32_EFER, efer);
	vmcs_write(VM_ENTRY_CONTROLS, (efer & EFER_LMA) ? entry | VM_ENTRY_IA32E_MODE :
		   entry & ~VM_ENTRY_IA32E_MODE);
	vmcs_write(GUEST_CR0, (cr0 | vmx_cr0_forced()) & vmx_caps.cr0_fixed1);
	vmcs_write(CR0_READ_SHADOW, cr0);
}

/*
 * The CR4 bits a guest may set: those whose state is the guest's or
 * emulated. Not VMXE (no nested VMX), PKE (PKRU is not switched), CET,
 * LA57 or anything newer: writes of these exit and get #GP, like
 * reserved bits (SDM Vol. 3A 2.5), and SET_SREGS refuses them.
 */
static u64 vmx_cr4_guest_allowed(void)
{
	u64 ok = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		 X86_CR4_UMIP | X86_CR4_FSGSBASE | X86_CR4_PCIDE |
		 X86_CR4_SMEP | X86_CR4_SMAP;

	if (vcpu_fpu_xsave_enabled())
		ok |= X86_CR4_OSXSAVE;
	return ok & vmx_caps.cr4_fixed1;
}

bool vmx_cr4_valid(u64 cr4)
{
	return !(cr4 & ~vmx_cr4_guest_allowed());
}

/* The guest's view of CR4: its read shadow for the bits we own. */
u64 vmx_get_cr4(void)
{
	u64 mask = vmcs_read(CR4_GUEST_HOST_MASK);

	return (vmcs_read(GUEST_CR4) & ~mask) | (vmcs_read(CR4_READ_SHADOW) & mask);
}

void vmx_set_cr4(u64 cr4)
{
	vmcs_write(GUEST_CR4, (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
	vmcs_write(CR4_READ_SHADOW, cr4);
}

int vmx_set_sregs(struct minivmm_vcpu *vcpu, const struct minivmm_sregs *in)
{
	struct minivmm_sregs s = *in;
	u32 entry = vmx_ctls.entry;
	int i;

	/*
	 * An event queued for re-delivery belongs to the state being
	 * replaced, and may not fit the new one (an error code in real
	 * mode fails VM entry, SDM 27.2.1.3): drop it.
	 */
	if (!vmx_cr4_valid(s.cr4))
		return -EINVAL;
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	vcpu->deferred_event = 0;

	for (i = 0; i < 8; i++) {
		const struct minivmm_segment *seg = sregs_seg(&s, i);

		vmcs_write(vmx_segs[i].sel, seg->selector);
		vmcs_write(vmx_segs[i].base, seg->base);
		vmcs_write(vmx_segs[i].limit, seg->limit);
		vmcs_write(vmx_segs[i].ar, vmx_seg_ar(seg));
	}
	vmcs_write(GUEST_GDTR_BASE, s.gdt.base);
	vmcs_write(GUEST_GDTR_LIMIT, s.gdt.limit);
	vmcs_write(GUEST_IDTR_BASE, s.idt.base);
	vmcs_write(GUEST_IDTR_LIMIT, s.idt.limit);

	vmcs_write(GUEST_CR0, (s.cr0 | vmx_cr0_forced()) & vmx_caps.cr0_fixed1);
	vmcs_write(CR0_READ_SHADOW, s.cr0);
	vmcs_write(GUEST_CR3, s.cr3);
	vmx_set_cr4(s.cr4);
	vmcs_write(GUEST_IA32_EFER, s.efer);
	vcpu->cr2 = s.cr2;
	vcpu->cr8 = s.cr8 & 15;
	/* IA-32e mode guest iff EFER.LMA (SDM 26.2.1.3). */
	if (s.efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	vmcs_write(VM_ENTRY_CONTROLS, entry);
	/* New CR0/CR3/CR4: translations tagged with our VPID may be wrong. */
	if (vcpu->vpid)
		vpid_flush(vcpu->vpid);
	return 0;
}

void vmx_get_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < 8; i++) {
		struct minivmm_segment *seg = sregs_seg(s, i);

		seg->selector = vmcs_read(vmx_segs[i].sel);
		seg->base = vmcs_read(vmx_segs[i].base);
		seg->limit = vmcs_read(vmx_segs[i].limit);
		vmx_ar_to_seg(vmcs_read(vmx_segs[i].ar), seg);
	}
	s->gdt.base = vmcs_read(GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read(GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_read(GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read(GUEST_IDTR_LIMIT);
	s->cr0 = vmx_get_cr0();
	s->cr3 = vmcs_read(GUEST_CR3);
	s->cr4 = vmx_get_cr4();
	s->efer = vmcs_read(GUEST_IA32_EFER);
	s->cr2 = vcpu->cr2;
	s->cr8 = vcpu->cr8;
	s->apic_base = vcpu->apic_base;
}

/* Reset state: real mode at f000:fff0 like a CPU after RESET (SDM 10.1.4). */
static void vmx_reset_guest_state(struct minivmm_vcpu *vcpu)
{
	struct minivmm_sregs s = {};
	int i;

	for (i = 0; i < 6; i++) {
		struct minivmm_segment *seg = sregs_seg(&s, i);

		seg->limit = 0xffff;
		seg->type = 3;		/* read/write data, accessed */
		seg->s = 1;
		seg->present = 1;
	}
	s.cs.selector = 0xf000;
	s.cs.base = 0xffff0000;
	s.cs.type = 11;			/* execute/read code, accessed */
	s.tr.limit = 0xffff;
	s.tr.type = 11;			/* busy TSS */
	s.tr.present = 1;
	s.ldt.unusable = 1;
	s.gdt.limit = 0xffff;
	s.idt.limit = 0xffff;
	s.cr0 = X86_CR0_ET | X86_CR0_NE;
	vmx_set_sregs(vcpu, &s);

	vmcs_write(GUEST_RIP, 0xfff0);
	vmcs_write(GUEST_RSP, 0);
	vmcs_write(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_write(GUEST_DR7, VCPU_DR7_INIT);
	vcpu->dr7 = VCPU_DR7_INIT;
	vcpu->dr6 = VCPU_DR6_INIT;
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	/* VMCLEAR leaves fields undefined: what entry loads is set here. */
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	if (vmx_pat)
		vmcs_write(GUEST_IA32_PAT, VMX_PAT_DEFAULT);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
}

/* A freshly loaded VMCS: controls, host state, reset guest state. */
long vmx_setup_vmcs(struct minivmm_vcpu *vcpu, void *unused)
{
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vmx_ctls.pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vmx_ctls.proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, vmx_ctls.proc2);
	vmcs_write(VM_EXIT_CONTROLS, vmx_ctls.exit);
	vmcs_write(VM_ENTRY_CONTROLS, vmx_ctls.entry);
	/*
	 * #AC and #DB always exit: see handle_exception_nmi(); #MC too: a
	 * machine check is the host's (vcpu_switch.c).
	 */
	vmcs_write(EXCEPTION_BITMAP, (1u << X86_TRAP_DB) | (1u << X86_TRAP_AC) |
		   (1u << X86_TRAP_MC));
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	if (vmx_ctls.proc & CPU_BASED_USE_MSR_BITMAPS)
		vmcs_write(MSR_BITMAP, vmx_msr_bitmap_pa());
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_ADDR, __pa(vcpu->msr_host));
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, vmx_nr_switched_msrs);
	vmcs_write(VM_ENTRY_MSR_LOAD_ADDR, __pa(vcpu->msr_guest));
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, vmx_nr_switched_msrs);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	if (vmx_ctls.preempt_timer)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, vmx_ctls.preempt_timer);
	vcpu->preempt_value = vmx_ctls.preempt_timer;
	vcpu->intr_window = false;
	vcpu->singlestep = false;
	vcpu->bp_on = false;
	vcpu->dr7_dirty = false;
	vcpu->proc_ctls = vmx_ctls.proc;
	vmcs_write(VMCS_LINK_POINTER, ~0ull);
	vmcs_write(EPT_POINTER, ept_pointer(&vcpu->vm->ept));
	if (vmx_ctls.proc2 & SECONDARY_EXEC_ENABLE_VPID)
		vmcs_write(VIRTUAL_PROCESSOR_ID, vcpu->vpid);
	vmcs_write(CR0_GUEST_HOST_MASK, vmx_cr0_forced() | ~vmx_caps.cr0_fixed1);
	/* Owned by the guest: only the bits it may set and VMX lets it. */
	vmcs_write(CR4_GUEST_HOST_MASK, vmx_caps.cr4_fixed0 | ~vmx_cr4_guest_allowed());
	vmx_setup_host_state();
	vmx_reset_guest_state(vcpu);
	return 0;
}
