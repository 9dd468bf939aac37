/* SPDX-License-Identifier: GPL-2.0 */
/* VMs, vCPUs and guest memory: minivmm.ko's internal objects. */
#ifndef MINIVMM_VM_H
#define MINIVMM_VM_H

#include <linux/cpumask.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rwlock.h>
#include <linux/types.h>
#include <minivmm/vmx_caps.h>
#include "mmio_decode.h"
#include "vmcs.h"

#define MINIVMM_MAX_SLOTS	32
#define MINIVMM_MAX_VCPUS	16
/* Where port-I/O data starts in the run page, after struct minivmm_run. */
#define MINIVMM_RUN_DATA_OFFSET	512
#define MINIVMM_RUN_DATA_SIZE	(PAGE_SIZE - MINIVMM_RUN_DATA_OFFSET)

/* Debug-register bits (SDM Vol. 3B 18.2 "Debug Registers"). */
#define VCPU_DR6_INIT		0xffff0ff0ull	/* DR6 after reset */
#define VCPU_DR6_GUEST_BITS	0xe00full	/* B0-B3, BD, BS, BT */
#define VCPU_DR6_BD		BIT(13)
#define VCPU_DR6_BS		BIT(14)	/* single step */
#define VCPU_DR7_INIT		0x400ull	/* DR7 after reset */
#define VCPU_DR7_ENABLES	0xffull		/* L0-L3, G0-G3 */
#define VCPU_DR7_GD		BIT(13)
#define VCPU_DR7_RESERVED	0xd800ull	/* bits 11, 12, 14, 15 */

/*
 * At most this many MSRs in the VM-entry/VM-exit MSR-load areas (struct
 * vmx_msr_entry, SDM Vol. 3C 25.7.2, 25.8.2).
 */
#define VMX_MAX_SWITCHED_MSRS	8

struct minivmm_slot {
	bool used;
	u32 flags;		/* MINIVMM_MEM_* */
	u64 gpa;
	u64 npages;
	u64 uaddr;
	struct page **pages;	/* pinned for the slot's lifetime */
};

/* EPT: 4-level tables of the VM (SDM Vol. 3C 29.3 "The Extended Page Table Mechanism"). */
struct minivmm_ept {
	u64 *pml4;
	struct list_head tables;	/* every table page in use */
	u64 nr_tables;			/* pages on it (vm->lock) */
};

struct minivmm_vm {
	struct kref ref;		/* the VM fd and each vCPU */
	struct mm_struct *mm;		/* the creating process: others get -EIO */
	struct mutex lock;		/* slots, EPT updates, vCPU creation */
	/*
	 * Writers also hold this (under lock) to publish or withdraw a slot;
	 * exit handlers, which cannot sleep, hold it for reading while they
	 * use a slot's pages, so a slot is never unpinned under them.
	 */
	rwlock_t slots_lock;
	struct minivmm_slot slots[MINIVMM_MAX_SLOTS];
	struct minivmm_ept ept;
	/* CPUs that ran this VM: the first run on a CPU flushes its EPT TLB. */
	cpumask_t ept_cpus;
	u64 serial;			/* unique per load: spec_vm_switch() */
	struct minivmm_vcpu *vcpus[MINIVMM_MAX_VCPUS];
	/* MINIVMM_SET_EXIT_POLICY; vCPUs copy it when policy_gen moves. */
	spinlock_t policy_lock;
	struct minivmm_exit_policy policy;
	u32 policy_gen;
};

enum vcpu_reg {
	VCPU_RAX, VCPU_RCX, VCPU_RDX, VCPU_RBX, VCPU_RSP, VCPU_RBP, VCPU_RSI,
	VCPU_RDI, VCPU_R8, VCPU_R9, VCPU_R10, VCPU_R11, VCPU_R12, VCPU_R13,
	VCPU_R14, VCPU_R15, VCPU_NR_REGS
};

/* What the last VM exit said (SDM Vol. 3C 25.9 "VM-Exit Information Fields"). */
struct minivmm_exit {
	u32 reason;		/* full exit reason */
	u64 qualification;
	u32 instr_len;
	u64 gpa;
	u32 intr_info;		/* VM_EXIT_INTR_INFO (exception or NMI exits) */
	u32 intr_error;		/* VM_EXIT_INTR_ERROR_CODE */
	u32 idt_vectoring;	/* IDT_VECTORING_INFO: event cut short by the exit */
	u32 idt_error;
};

struct minivmm_vcpu {
	struct minivmm_vm *vm;
	u32 id;
	struct mutex mutex;		/* one RUN/ioctl at a time */
	void *vmcs;
	int cpu;			/* where the VMCS is active, -1: nowhere */
	bool launched;
	struct list_head loaded_link;	/* on that CPU's loaded list */
	struct minivmm_run *run;
	struct page *run_page;
	u64 regs[VCPU_NR_REGS];
	u64 guest_kernel_gs_base;
	u64 cr2;			/* not in the VMCS: switched by hand */
	/*
	 * One page: the guest's values of the switched MSRs (VM-entry
	 * MSR-load area) at offset 0, the host's (VM-exit MSR-load area)
	 * at VCPU_MSR_HOST_OFFSET.
	 */
	struct vmx_msr_entry *msr_guest, *msr_host;
	u64 apic_base;			/* IA32_APIC_BASE as the guest sees it */
	u16 vpid;			/* TLB tag, 0: none (SDM 29.1) */
	/* Host state last written to this VMCS, rewritten only on change. */
	u64 host_cr3, host_cr4, host_fs_base;
	u64 cr8;			/* the guest's TPR: never the host's */
	struct minivmm_cpuid_entry *cpuid;	/* SET_CPUID table, or NULL */
	u32 cpuid_nent;
	void *fpu;			/* guest XSAVE (or FXSAVE) area: vcpu_fpu.c */
	u64 xcr0;			/* the guest's XCR0, loaded around entry */
	struct minivmm_exit exit;
	struct minivmm_vcpu_stats stats;	/* MINIVMM_GET_VCPU_STATS */
	/* The exit trace (exit_trace.c), NULL while off. */
	struct minivmm_trace *trace;
	u64 trace_bytes;		/* its memory, for GET_VCPU_STATS */
	struct minivmm_trace_record trace_pending;
	u64 trace_exit_tsc;		/* TSC at the last exit, 0: none yet */
	u64 trace_prev_cycles;		/* that exit to the entry after it */
	/*
	 * Debug registers: MOV DR always exits, so DR0-3 and DR6 live here;
	 * DR7 lives in the VMCS (VM entry loads it) and in dr7 for the run
	 * loop, which loads DR0-3 into the CPU only while DR7 enables one.
	 */
	u64 dr[4], dr6, dr7;
	bool pending_io_in;		/* finish an IN on the next RUN */
	u64 pending_ins_gva;		/* INS: where its data goes, if count>0 */
	u32 pending_ins_bytes;
	u32 deferred_event;		/* interrupt/NMI waiting: vmx_inject_deferred() */
	bool irq_queued;		/* MINIVMM_INTERRUPT: irq_vector waits */
	u8 irq_vector;
	bool intr_window;		/* interrupt-window exiting is on */
	bool singlestep;		/* MINIVMM_GUEST_DEBUG_SINGLESTEP */
	bool step_pending;		/* an emulated instruction was a step */
	/*
	 * Single-stepping without the monitor trap flag: RFLAGS.TF set by
	 * the module (step_tf), so each instruction ends in a #DB exit;
	 * tf_set says TF is in GUEST_RFLAGS because we put it there.
	 */
	bool step_tf, tf_set;
	/* MINIVMM_GUEST_DEBUG_BREAKPOINT: the module's DR0 while on. */
	bool bp_on, dr7_dirty;
	u64 bp_addr;
	u32 proc_ctls;			/* CPU_BASED_VM_EXEC_CONTROL as written */
	u32 preempt_value;		/* VMX_PREEMPTION_TIMER_VALUE as written */
	bool triple_fault;		/* set by vmx_inject_exception() */
	bool pending_hypercall;		/* put run->hypercall.ret in RAX */
	bool pending_mmio_read;		/* put run->mmio.data in mmio_insn.reg */
	struct mmio_insn mmio_insn;
	/* The VM's exit policy as of this vCPU's last entry (exit_policy.c). */
	struct minivmm_exit_policy policy;
	u32 policy_gen;
	u32 pending_policy;		/* MINIVMM_EXIT_* of a forwarded exit, 0: none */
};

/*
 * DR7 as the CPU gets it: the guest's, or with userspace's breakpoint on
 * only that one (L0, execute, in DR0: vcpu_switch.c loads it).
 */
static inline u64 vcpu_dr7_effective(const struct minivmm_vcpu *vcpu)
{
	return vcpu->bp_on ? VCPU_DR7_INIT | BIT(0) : vcpu->dr7;
}

/* A guest GPR by enum vcpu_reg: RSP lives in the VMCS, the rest in regs[]. */
static inline u64 vcpu_gpr_get(struct minivmm_vcpu *vcpu, int reg)
{
	return reg == VCPU_RSP ? vmcs_read(GUEST_RSP) : vcpu->regs[reg];
}

static inline void vcpu_gpr_set(struct minivmm_vcpu *vcpu, int reg, u64 v)
{
	if (reg == VCPU_RSP)
		vmcs_write(GUEST_RSP, v);
	else
		vcpu->regs[reg] = v;
}

/* vm.c */
long minivmm_create_vm(void);
void vm_put(struct minivmm_vm *vm);

/* guest_mem.c */
int vm_gpa_flags(struct minivmm_vm *vm, u64 gpa);
int vcpu_read_guest_virt(struct minivmm_vcpu *vcpu, u64 gva, u8 *buf,
			 unsigned int len);
int vcpu_write_guest_virt(struct minivmm_vcpu *vcpu, u64 gva, const u8 *buf,
			  unsigned int len);

/* ept.c */
int ept_init(struct minivmm_ept *ept);
void ept_free(struct minivmm_ept *ept);
int ept_map_slot(struct minivmm_ept *ept, struct minivmm_slot *slot);
void ept_unmap_slot(struct minivmm_ept *ept, struct minivmm_slot *slot,
		    struct list_head *freed);
void ept_free_tables(struct list_head *freed);
u64 ept_pointer(struct minivmm_ept *ept);
void ept_invalidate_all(void);
void ept_invalidate_here(void);

/* vcpu.c */
long vcpu_create(struct minivmm_vm *vm, unsigned long id);
void *vcpu_copy_array_in(const void __user *argp, u32 max, size_t elem,
			 size_t *size);
int vcpu_check_cpuid_entries(const struct minivmm_cpuid *c);

/* vcpu_vmcs.c */
void vcpu_init_loaded_lists(void);
void vcpu_clear_loaded_on_this_cpu(void);
void vcpu_clear(struct minivmm_vcpu *vcpu);
int vcpu_load(struct minivmm_vcpu *vcpu);
long vcpu_with_vmcs(struct minivmm_vcpu *vcpu,
		    long (*fn)(struct minivmm_vcpu *, void *), void *arg);
bool vcpu_vmcs_is_current(struct minivmm_vcpu *vcpu);

/* vcpu_regs.c */
long vcpu_regs_ioctl(struct minivmm_vcpu *vcpu, unsigned int cmd,
		     void __user *argp);

/* vcpu_complete.c */
void vcpu_complete_userspace_exit(struct minivmm_vcpu *vcpu);

/* vcpu_switch.c: 0, 1 (VMLAUNCH/VMRESUME failed) or -EAGAIN */
int vcpu_enter_exit(struct minivmm_vcpu *vcpu);

/* spec.c */
u64 spec_new_vm_serial(void);
void spec_vm_switch(u64 serial);
void spec_before_entry(void);
void spec_log_unmitigated(void);

/* cpuid.c */
void cpuid_guest(struct minivmm_vcpu *vcpu, u32 leaf, u32 sub, u32 *r);

/* vcpu_fpu.c */
void vcpu_fpu_caps_init(void);
bool vcpu_fpu_xsave_enabled(void);
u64 vcpu_fpu_guest_supported_xcr0(void);
u32 vcpu_fpu_xsave_size(u64 xcr0);
bool vcpu_fpu_set_xcr0(struct minivmm_vcpu *vcpu, u64 xcr0);
int vcpu_fpu_alloc(struct minivmm_vcpu *vcpu);
u64 vcpu_fpu_area_bytes(void);
void vcpu_fpu_free(struct minivmm_vcpu *vcpu);
void vcpu_fpu_load(struct minivmm_vcpu *vcpu);
void vcpu_fpu_put(struct minivmm_vcpu *vcpu);
void vcpu_fpu_enter_xcr0(struct minivmm_vcpu *vcpu);
void vcpu_fpu_exit_xcr0(struct minivmm_vcpu *vcpu);

/* exit_trace.c */
long exit_trace_setup(struct minivmm_vcpu *vcpu,
		      struct minivmm_trace_setup __user *argp);
long exit_trace_read(struct minivmm_vcpu *vcpu,
		     struct minivmm_trace_read __user *argp);
void exit_trace_free(struct minivmm_vcpu *vcpu);
u64 exit_trace_bytes(struct minivmm_vcpu *vcpu);
void exit_trace_begin(struct minivmm_vcpu *vcpu);
void exit_trace_commit(struct minivmm_vcpu *vcpu, bool to_user);

/* vcpu_irq.c */
long vcpu_irq_queue(struct minivmm_vcpu *vcpu,
		    struct minivmm_interrupt __user *argp);
void vcpu_irq_report(struct minivmm_vcpu *vcpu);
bool vcpu_timer_expired(struct minivmm_vcpu *vcpu);
bool vcpu_irq_before_entry(struct minivmm_vcpu *vcpu);

/* vpid.c */
u16 vpid_alloc(void);
void vpid_free(u16 vpid);
void vpid_flush(u16 vpid);

/* vmx_msr_bitmap.c */
int vmx_msr_bitmap_init(void);
void vmx_msr_bitmap_free(void);
u64 vmx_msr_bitmap_pa(void);

/* vmx_setup.c */
int vmx_setup_controls(void);
long vmx_setup_vmcs(struct minivmm_vcpu *vcpu, void *unused);
void vmx_set_host_per_cpu_state(int cpu);
int vmx_set_sregs(struct minivmm_vcpu *vcpu, const struct minivmm_sregs *s);
void vmx_get_sregs(struct minivmm_vcpu *vcpu, struct minivmm_sregs *s);
u64 vmx_get_cr0(void);
void vmx_set_cr0(u64 cr0);
void vmx_set_cr4(u64 cr4);
u64 vmx_get_cr4(void);
bool vmx_cr4_valid(u64 cr4);
void vmx_init_msr_areas(struct minivmm_vcpu *vcpu);
void vmx_capture_host_msrs(struct minivmm_vcpu *vcpu);
int vmx_switched_msr(u32 msr);
bool vmx_pat_switched(void);
bool vmx_rdtscp_enabled(void);
u32 vmx_preempt_slice(void);
void vmx_set_intr_window(struct minivmm_vcpu *vcpu, bool on);
void vmx_update_proc_ctls(struct minivmm_vcpu *vcpu);
bool vmx_mtf_supported(void);

/* vcpu_debug.c */
long vcpu_set_guest_debug(struct minivmm_vcpu *vcpu,
			  struct minivmm_guest_debug __user *argp);
bool vcpu_step_before_entry(struct minivmm_vcpu *vcpu);
int vcpu_debug_trap(struct minivmm_vcpu *vcpu, u64 dr6);
void vcpu_debug_report(struct minivmm_vcpu *vcpu, u64 dr6);

/* vmx_exit.c: 1 = resume the guest, 0 = return to userspace */
int vmx_handle_exit(struct minivmm_vcpu *vcpu);
void vmx_inject_deferred(struct minivmm_vcpu *vcpu);
void vmx_inject_exception(struct minivmm_vcpu *vcpu, u8 vector,
			  bool has_error, u32 error);
void vmx_skip_instruction(struct minivmm_vcpu *vcpu);
void vmx_reflect_exception(struct minivmm_vcpu *vcpu);
bool vmx_msr_read(struct minivmm_vcpu *vcpu, u32 msr, u64 *v);
bool vmx_msr_write(struct minivmm_vcpu *vcpu, u32 msr, u64 v);
/* Load @v for the current CR-access exit; nonzero: the guest gets #GP. */
int vmx_cr_apply(struct minivmm_vcpu *vcpu, u64 v);

/* exit_policy.c */
long vm_set_exit_policy(struct minivmm_vm *vm,
			struct minivmm_exit_policy __user *argp);
void exit_policy_before_entry(struct minivmm_vcpu *vcpu);
bool exit_policy_to_user(struct minivmm_vcpu *vcpu, u32 class);
bool exit_policy_to_kernel(struct minivmm_vcpu *vcpu, u32 class);
bool exit_policy_io_ignored(struct minivmm_vcpu *vcpu, u16 port, u32 size,
			    bool in);
int exit_policy_forward_cpuid(struct minivmm_vcpu *vcpu);
int exit_policy_forward_msr(struct minivmm_vcpu *vcpu, bool is_write);
int exit_policy_forward_cr(struct minivmm_vcpu *vcpu, int cr, int access,
			   u64 old, u64 value);
int exit_policy_forward_exception(struct minivmm_vcpu *vcpu);
void exit_policy_complete(struct minivmm_vcpu *vcpu);
long vcpu_get_cpuid(struct minivmm_vcpu *vcpu, struct minivmm_cpuid __user *argp);
long vcpu_msrs_ioctl(struct minivmm_vcpu *vcpu, struct minivmm_msrs __user *argp,
		     bool write);

/* vmx_entry.S */
int vmx_enter_guest(u64 *regs, bool launched);
void vmx_vmexit(void);

#endif /* MINIVMM_VM_H */
