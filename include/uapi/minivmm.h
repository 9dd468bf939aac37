/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * minivmm userspace ABI: the ioctls on /dev/minivmm and their structures.
 *
 * Rules that keep this ABI growable (see docs/uapi.md):
 *  - fixed-width __u32/__u64 fields, explicit padding, no implicit holes;
 *  - every structure starts with the fields old callers know; new fields
 *    are added at the end or carved out of reserved[] (which the kernel
 *    always zeroes on output and requires to be zero on input);
 *  - one ioctl magic (MINIVMMIO); new calls take new numbers, old numbers
 *    are never reused;
 *  - MINIVMM_API_VERSION changes only for incompatible changes; features
 *    are discovered with MINIVMM_CHECK_CAP.
 */
#ifndef _UAPI_MINIVMM_H
#define _UAPI_MINIVMM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MINIVMM_API_VERSION	1

/* The one ioctl magic number of minivmm (KVM uses 0xAE). */
#define MINIVMMIO		0xB9

/*
 * MINIVMM_GET_API_VERSION - no argument.
 * Returns MINIVMM_API_VERSION (always >= 1).
 */
#define MINIVMM_GET_API_VERSION	_IO(MINIVMMIO, 0x00)

/*
 * MINIVMM_CHECK_CAP - argument: a MINIVMM_CAP_* number (by value).
 * Returns 0 if the capability is absent or unknown, > 0 if present (some
 * capabilities return a count or a size). Never fails for unknown numbers,
 * so userspace can probe newer capabilities on older modules.
 */
#define MINIVMM_CHECK_CAP	_IO(MINIVMMIO, 0x01)

/* ABI features: which ioctls this module implements. */
#define MINIVMM_CAP_VMX_CAPS		1	/* MINIVMM_GET_VMX_CAPS */
#define MINIVMM_CAP_PROBE_VMX		2	/* MINIVMM_PROBE_VMX; returns the max CPUs reported */
#define MINIVMM_CAP_VCPU_STATS		3	/* MINIVMM_GET_VCPU_STATS */
/*
 * MINIVMM_INTERRUPT, run->request_interrupt_window, if_flag,
 * ready_for_interrupt_injection, run->timer_deadline_ns and the exits
 * IRQ_WINDOW_OPEN and TIMER (docs/uapi.md "Interrupts and time").
 */
#define MINIVMM_CAP_IRQ_INJECTION	4
/* The host's TSC frequency in kHz (the guest's TSC is the host's), 0: unknown. */
#define MINIVMM_CAP_TSC_KHZ		5
/* MINIVMM_SET_TRACE, MINIVMM_READ_TRACE: every exit, recorded by the module. */
#define MINIVMM_CAP_EXIT_TRACE		6
/*
 * MINIVMM_SET_GUEST_DEBUG with MINIVMM_GUEST_DEBUG_SINGLESTEP: 2 with
 * the monitor trap flag, 1 with the guest's RFLAGS.TF where the CPU has
 * no monitor trap flag.
 */
#define MINIVMM_CAP_SINGLE_STEP		7
/*
 * MINIVMM_SET_EXIT_POLICY, MINIVMM_GET_CPUID, MINIVMM_GET_MSRS,
 * MINIVMM_SET_MSRS and the exits CPUID, MSR, CR and EXCEPTION.
 */
#define MINIVMM_CAP_EXIT_POLICY		8
/* run->apic_base: the guest's IA32_APIC_BASE, on every return from RUN. */
#define MINIVMM_CAP_APIC_BASE		9
/* CPU features minivmm can use on this machine (from the VMX capability MSRs). */
#define MINIVMM_CAP_EPT			16
#define MINIVMM_CAP_VPID		17
#define MINIVMM_CAP_UNRESTRICTED_GUEST	18
#define MINIVMM_CAP_PREEMPTION_TIMER	19

/*
 * Raw VMX capability MSRs as read at module load on the loading CPU, plus
 * the features derived from them (MINIVMM_VMX_F_*, computed by
 * minivmm_vmx_derive_features() in include/minivmm/vmx_caps.h so kernel
 * and userspace agree). An MSR the CPU does not implement reads as 0.
 * SDM Vol. 3D, Appendix A ("VMX Capability Reporting Facility").
 */
struct minivmm_vmx_caps {
	__u32 size;			/* sizeof(struct minivmm_vmx_caps) of the kernel */
	__u32 pad;
	__u64 features;			/* MINIVMM_VMX_F_* */
	__u64 feature_control;		/* IA32_FEATURE_CONTROL	0x03a */
	__u64 basic;			/* IA32_VMX_BASIC		0x480 */
	__u64 pinbased_ctls;		/* IA32_VMX_PINBASED_CTLS	0x481 */
	__u64 procbased_ctls;		/* IA32_VMX_PROCBASED_CTLS	0x482 */
	__u64 exit_ctls;		/* IA32_VMX_EXIT_CTLS	0x483 */
	__u64 entry_ctls;		/* IA32_VMX_ENTRY_CTLS	0x484 */
	__u64 misc;			/* IA32_VMX_MISC		0x485 */
	__u64 cr0_fixed0;		/* IA32_VMX_CR0_FIXED0	0x486 */
	__u64 cr0_fixed1;		/* IA32_VMX_CR0_FIXED1	0x487 */
	__u64 cr4_fixed0;		/* IA32_VMX_CR4_FIXED0	0x488 */
	__u64 cr4_fixed1;		/* IA32_VMX_CR4_FIXED1	0x489 */
	__u64 vmcs_enum;		/* IA32_VMX_VMCS_ENUM	0x48a */
	__u64 procbased_ctls2;		/* IA32_VMX_PROCBASED_CTLS2	0x48b */
	__u64 ept_vpid_cap;		/* IA32_VMX_EPT_VPID_CAP	0x48c */
	__u64 true_pinbased_ctls;	/* IA32_VMX_TRUE_PINBASED_CTLS 0x48d */
	__u64 true_procbased_ctls;	/* IA32_VMX_TRUE_PROCBASED_CTLS 0x48e */
	__u64 true_exit_ctls;		/* IA32_VMX_TRUE_EXIT_CTLS	0x48f */
	__u64 true_entry_ctls;		/* IA32_VMX_TRUE_ENTRY_CTLS	0x490 */
	__u64 vmfunc;			/* IA32_VMX_VMFUNC		0x491 */
	__u64 reserved[12];		/* zero; room to grow */
};

/*
 * MINIVMM_GET_VMX_CAPS - argument: struct minivmm_vmx_caps * (output).
 * Errors: EFAULT (bad pointer).
 */
#define MINIVMM_GET_VMX_CAPS	_IOR(MINIVMMIO, 0x02, struct minivmm_vmx_caps)

/*
 * MINIVMM_PROBE_VMX - argument: struct minivmm_vmx_probe * (output).
 *
 * A diagnostic: takes VT-x exactly as VM creation does (VMXON on every
 * online CPU), checks on each CPU that VMX operation works (VMCLEAR,
 * VMPTRLD and VMPTRST of a scratch VMCS), then releases VT-x again (VMXOFF
 * on every CPU, unless VMs still hold it). Lets users and tests prove
 * VMXON/VMXOFF on each CPU before any VM exists.
 * Errors: EBUSY (another hypervisor, e.g. kvm_intel, holds VT-x; the kernel
 * log names it), EIO (a VMX instruction failed; the kernel log says which),
 * ENOMEM, EFAULT.
 */
#define MINIVMM_PROBE_MAX_CPUS	64

#define MINIVMM_PROBE_CPU_ONLINE	(1u << 0)	/* CPU was online */
#define MINIVMM_PROBE_CPU_VMXON		(1u << 1)	/* VMXON succeeded */
#define MINIVMM_PROBE_CPU_VMCS		(1u << 2)	/* VMCLEAR/VMPTRLD/VMPTRST agreed */
#define MINIVMM_PROBE_CPU_VMXOFF	(1u << 3)	/* VMXOFF ran, CR4.VMXE cleared */

struct minivmm_vmx_probe_cpu {
	__u32 cpu;		/* Linux CPU number */
	__u32 flags;		/* MINIVMM_PROBE_CPU_* */
	__u64 vmxon_count;	/* VMXONs executed on this CPU since load */
};

struct minivmm_vmx_probe {
	__u32 nr_cpus;		/* entries filled in cpu[] */
	__u32 nr_online;	/* online CPUs (may exceed nr_cpus) */
	__u32 vmcs_revision;	/* revision id written to VMXON/VMCS regions */
	__u32 pad;
	__u64 reserved[4];
	struct minivmm_vmx_probe_cpu cpu[MINIVMM_PROBE_MAX_CPUS];
};

#define MINIVMM_PROBE_VMX	_IOR(MINIVMMIO, 0x03, struct minivmm_vmx_probe)

/* ------------------------------------------------------------------ */
/* VMs and vCPUs (API version 1 additions; see docs/uapi.md)           */
/* ------------------------------------------------------------------ */

/*
 * MINIVMM_CREATE_VM - on /dev/minivmm, no argument. Returns a new VM fd.
 * Takes VT-x on every CPU (VMXON) for the VM's lifetime.
 */
#define MINIVMM_CREATE_VM	_IO(MINIVMMIO, 0x10)

/* MINIVMM_CREATE_VCPU - on a VM fd, argument: vCPU id (by value). Returns a vCPU fd. */
#define MINIVMM_CREATE_VCPU	_IO(MINIVMMIO, 0x11)

/* MINIVMM_GET_VCPU_MMAP_SIZE - on /dev/minivmm: bytes to mmap on a vCPU fd. */
#define MINIVMM_GET_VCPU_MMAP_SIZE _IO(MINIVMMIO, 0x12)

#define MINIVMM_MEM_READONLY	(1u << 0)	/* guest writes exit as MMIO */

/* MINIVMM_SET_MEMORY_REGION - on a VM fd. memory_size 0 deletes the slot. */
struct minivmm_memory_region {
	__u32 slot;
	__u32 flags;			/* MINIVMM_MEM_* */
	__u64 guest_phys_addr;		/* page aligned */
	__u64 memory_size;		/* page aligned, 0 = delete */
	__u64 userspace_addr;		/* page aligned */
};
#define MINIVMM_SET_MEMORY_REGION _IOW(MINIVMMIO, 0x13, struct minivmm_memory_region)

/* General-purpose registers, RIP and RFLAGS. */
struct minivmm_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
};

/* A segment register as VMX holds it (SDM Vol. 3C 25.4.1). */
struct minivmm_segment {
	__u64 base;
	__u32 limit;			/* in bytes (already scaled by G) */
	__u16 selector;
	__u8  type;			/* 4-bit type field */
	__u8  present, dpl, db, s, l, g, avl;
	__u8  unusable;
	__u8  pad[3];
};

struct minivmm_dtable {
	__u64 base;
	__u16 limit;
	__u16 pad[3];
};

struct minivmm_sregs {
	struct minivmm_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct minivmm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 reserved[8];
};

#define MINIVMM_GET_REGS	_IOR(MINIVMMIO, 0x20, struct minivmm_regs)
#define MINIVMM_SET_REGS	_IOW(MINIVMMIO, 0x21, struct minivmm_regs)
#define MINIVMM_GET_SREGS	_IOR(MINIVMMIO, 0x22, struct minivmm_sregs)
#define MINIVMM_SET_SREGS	_IOW(MINIVMMIO, 0x23, struct minivmm_sregs)
/*
 * MINIVMM_SET_CPUID - on a vCPU fd: the CPUID table the guest sees,
 * replacing the default (host values, VMX and MONITOR hidden, hypervisor
 * bit set). A leaf/subleaf not in the table reads as all zeros. nent 0
 * restores the default. Errors: E2BIG (nent > MINIVMM_MAX_CPUID_ENTRIES),
 * EINVAL (unknown flags, non-zero padding), EFAULT, ENOMEM.
 */
#define MINIVMM_MAX_CPUID_ENTRIES	256
#define MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX	(1u << 0)	/* match index too */

struct minivmm_cpuid_entry {
	__u32 function;		/* EAX in */
	__u32 index;		/* ECX in (subleaf) */
	__u32 flags;		/* MINIVMM_CPUID_FLAG_* */
	__u32 eax, ebx, ecx, edx;
	__u32 pad;
};

struct minivmm_cpuid {
	__u32 nent;
	__u32 pad;
	struct minivmm_cpuid_entry entries[];
};
#define MINIVMM_SET_CPUID	_IOW(MINIVMMIO, 0x25, struct minivmm_cpuid)

/*
 * MINIVMM_GET_VCPU_STATS - on a vCPU fd: what its VM exits were, counted
 * since it was created, including the ones the kernel handles without
 * returning to userspace. May be called from another thread while the
 * vCPU runs: each counter is read whole, the set is not one snapshot.
 */
#define MINIVMM_STATS_REASONS		80	/* VMX basic exit reasons 0..79 */
struct minivmm_vcpu_stats {
	__u64 exits;				/* every VM exit */
	__u64 userspace_exits;			/* MINIVMM_RUN returned with an exit */
	__u64 by_reason[MINIVMM_STATS_REASONS];	/* by VMX basic exit reason */
	__u64 exceptions[32];			/* exit reason 0, by vector */
	__u64 ept_table_pages;			/* the VM's EPT tables now, root included */
	__u64 injected_irqs;			/* MINIVMM_INTERRUPT vectors injected */
	/* Kernel memory the module holds now for this vCPU and for its VM. */
	__u64 vcpu_bytes, vm_bytes;
	__u64 reserved[10];
};
#define MINIVMM_GET_VCPU_STATS	_IOR(MINIVMMIO, 0x26, struct minivmm_vcpu_stats)

/*
 * The exit trace: a per-vCPU ring in which the module records every VM
 * exit it handles, in order, whether it went to userspace or not; see
 * docs/uapi.md "Exit trace".
 *
 * MINIVMM_SET_TRACE - on a vCPU fd: nr_records (a power of two, at most
 * MINIVMM_TRACE_MAX_RECORDS) starts recording into a new, empty ring;
 * 0 stops and frees it. Errors: EINVAL (not a power of two, too many,
 * flags or reserved not zero), ENOMEM, EFAULT, EIO.
 */
#define MINIVMM_TRACE_MAX_RECORDS	(1u << 20)

struct minivmm_trace_setup {
	__u32 nr_records;
	__u32 flags;			/* 0 */
	__u64 reserved[2];		/* 0 */
};
#define MINIVMM_SET_TRACE	_IOW(MINIVMMIO, 0x28, struct minivmm_trace_setup)

#define MINIVMM_TRACE_F_USER	(1u << 0)	/* this exit returned to userspace */

/*
 * One exit. The registers are those at the exit, before the module
 * handled it; value is what the exit was about where that is a
 * register: the GPR a MOV to CR/DR writes, EDX:EAX of WRMSR and XSETBV,
 * RAX of OUT. prev_cycles is the host TSC cycles from the previous
 * record's exit to the VM entry that followed it: what handling that
 * exit cost, in the kernel or through userspace (0 in the first record).
 */
struct minivmm_trace_record {
	__u64 seq;			/* exits since tracing started, from 1 */
	__u32 reason;			/* the VMX exit reason (basic in 15:0) */
	__u32 flags;			/* MINIVMM_TRACE_F_* */
	__u64 qualification;
	__u64 rip;
	__u64 gpa;			/* guest-physical address (EPT exits) */
	__u32 intr_info;		/* VM-exit interruption information */
	__u32 intr_error;
	__u64 rax, rcx, value;
	__u64 prev_cycles;
};

/*
 * MINIVMM_READ_TRACE - on a vCPU fd: move up to max records, oldest
 * first, to records; count says how many, lost how many the ring had no
 * room for since the last read (the ring never overwrites). Errors:
 * EINVAL (tracing off, reserved not zero), EFAULT, EIO.
 */
struct minivmm_trace_read {
	__u64 records;			/* struct minivmm_trace_record * */
	__u32 max;
	__u32 count;			/* out */
	__u64 lost;			/* out */
	__u64 reserved[2];		/* 0 */
};
#define MINIVMM_READ_TRACE	_IOWR(MINIVMMIO, 0x29, struct minivmm_trace_read)

/*
 * The exit policy (docs/uapi.md "Exit policy"): which exits the module
 * handles and which it forwards to userspace, per VM, changeable at any
 * time (each vCPU takes the new policy at its next VM entry).
 *
 * to_user: classes the module normally handles itself that go to
 * userspace instead, each as its own exit that userspace completes:
 * MINIVMM_POLICY_CPUID (MINIVMM_EXIT_CPUID), MINIVMM_POLICY_MSR
 * (MINIVMM_EXIT_MSR), MINIVMM_POLICY_CR (MINIVMM_EXIT_CR),
 * MINIVMM_POLICY_EXCEPTION (MINIVMM_EXIT_EXCEPTION; every exception
 * vector but #MC is then intercepted, #PF included).
 *
 * io_ignore: the reverse, port ranges the module handles itself (no
 * exit to userspace): an OUT is dropped, an IN reads all ones (0xff per
 * byte), as on a bus with nothing there. String I/O (INS/OUTS) still
 * goes to userspace.
 *
 * to_kernel: classes that normally go to userspace which the module
 * answers itself: MINIVMM_POLICY_KERNEL_VMCALL, every VMCALL returns -1
 * in RAX (what a VMM without hypercalls answers) without an exit to
 * userspace.
 *
 * MINIVMM_SET_EXIT_POLICY - on a VM fd. Errors: EINVAL (unknown to_user
 * or to_kernel bits, nr_io_ignore > MINIVMM_POLICY_MAX_IO_IGNORE, a
 * range of length 0 or past port 0xffff, overlapping ranges, pad or
 * reserved not zero), EFAULT, EIO.
 */
#define MINIVMM_POLICY_CPUID		(1u << 0)
#define MINIVMM_POLICY_MSR		(1u << 1)
#define MINIVMM_POLICY_CR		(1u << 2)
#define MINIVMM_POLICY_EXCEPTION	(1u << 3)
#define MINIVMM_POLICY_ALL		0xfu
#define MINIVMM_POLICY_KERNEL_VMCALL	(1u << 0)
#define MINIVMM_POLICY_MAX_IO_IGNORE	16

struct minivmm_io_range {
	__u16 port;			/* the first port */
	__u16 len;			/* ports, at least 1 */
	__u32 pad;
};

struct minivmm_exit_policy {
	__u32 to_user;			/* MINIVMM_POLICY_* */
	__u32 nr_io_ignore;
	struct minivmm_io_range io_ignore[MINIVMM_POLICY_MAX_IO_IGNORE];
	__u32 to_kernel;		/* MINIVMM_POLICY_KERNEL_* */
	__u32 pad;
	__u64 reserved[3];
};
#define MINIVMM_SET_EXIT_POLICY	_IOW(MINIVMMIO, 0x2b, struct minivmm_exit_policy)

/*
 * MINIVMM_GET_CPUID - on a vCPU fd: for each entry's function and index
 * (and flags), what the guest's CPUID would answer now, in eax..edx: the
 * SET_CPUID table's answer, or the default. A userspace CPUID handler
 * starts from this. Errors: E2BIG, EINVAL (unknown flags, pad), EFAULT,
 * ENOMEM, EIO.
 */
#define MINIVMM_GET_CPUID	_IOWR(MINIVMMIO, 0x2c, struct minivmm_cpuid)

/*
 * MINIVMM_GET_MSRS / MINIVMM_SET_MSRS - on a vCPU fd: read or write
 * guest MSRs as the guest's RDMSR/WRMSR would (same MSRs, same checks).
 * Return the number of entries done, stopping at the first MSR the
 * guest would get #GP for. Errors: E2BIG (nmsrs > MINIVMM_MAX_MSR_ENTRIES),
 * EINVAL (pad or reserved not zero), EFAULT, ENOMEM, EIO.
 */
#define MINIVMM_MAX_MSR_ENTRIES	64

struct minivmm_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

struct minivmm_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct minivmm_msr_entry entries[];
};
#define MINIVMM_GET_MSRS	_IOWR(MINIVMMIO, 0x2d, struct minivmm_msrs)
#define MINIVMM_SET_MSRS	_IOW(MINIVMMIO, 0x2e, struct minivmm_msrs)

/* MINIVMM_RUN - on a vCPU fd: run until an exit userspace must handle. */
#define MINIVMM_RUN		_IO(MINIVMMIO, 0x24)

/*
 * MINIVMM_SET_GUEST_DEBUG - on a vCPU fd. With
 * MINIVMM_GUEST_DEBUG_SINGLESTEP, RUN returns MINIVMM_EXIT_DEBUG after
 * every guest instruction: each one the CPU runs (the VMX monitor trap
 * flag, SDM 26.5.2, or else RFLAGS.TF, which GET_REGS hides) and each
 * one the module or userspace emulated (CPUID, I/O, MMIO, ...). flags 0
 * turns it off. Errors: EINVAL (unknown flags, pad or reserved not
 * zero, a breakpoint address that is not canonical), EFAULT, EIO.
 */
#define MINIVMM_GUEST_DEBUG_SINGLESTEP	(1u << 0)
/*
 * A hardware execution breakpoint at guest-linear address breakpoint:
 * RUN returns MINIVMM_EXIT_DEBUG (debug.dr6 bit 0) before the guest runs
 * the instruction there; resuming runs it (RFLAGS.RF). While it is on
 * the module owns the debug registers: the guest's DR0-DR7 keep their
 * values but its own breakpoints do not fire.
 */
#define MINIVMM_GUEST_DEBUG_BREAKPOINT	(1u << 1)

struct minivmm_guest_debug {
	__u32 flags;
	__u32 pad;
	__u64 breakpoint;		/* MINIVMM_GUEST_DEBUG_BREAKPOINT's address */
	__u64 reserved[1];
};
#define MINIVMM_SET_GUEST_DEBUG	_IOW(MINIVMMIO, 0x2a, struct minivmm_guest_debug)

/*
 * MINIVMM_INTERRUPT - on a vCPU fd: queue external interrupt @irq (a
 * vector, 0..255) for the guest, as an interrupt controller in userspace
 * would after its INTA cycle (KVM_INTERRUPT's contract). The module
 * injects it on a VM entry where the guest can take it (RFLAGS.IF set,
 * no STI or MOV-SS shadow, no other event being delivered) and until
 * then exits on the guest's interrupt window by itself. One vector at a
 * time: queue the next once ready_for_interrupt_injection says so.
 * Errors: EINVAL (irq > 255), EEXIST (one is already queued), EFAULT.
 */
struct minivmm_interrupt {
	__u32 irq;
};
#define MINIVMM_INTERRUPT	_IOW(MINIVMMIO, 0x27, struct minivmm_interrupt)

/* minivmm_run.exit_reason */
#define MINIVMM_EXIT_UNKNOWN		0
#define MINIVMM_EXIT_IO			1	/* port I/O: run->io */
#define MINIVMM_EXIT_MMIO		2	/* run->mmio */
#define MINIVMM_EXIT_HLT		3
#define MINIVMM_EXIT_HYPERCALL		4	/* VMCALL: run->hypercall */
#define MINIVMM_EXIT_SHUTDOWN		5	/* triple fault */
#define MINIVMM_EXIT_FAIL_ENTRY		6	/* VM entry failed: run->fail_entry */
#define MINIVMM_EXIT_INTERNAL_ERROR	7	/* exit without a handler: run->internal */
#define MINIVMM_EXIT_INTR		8	/* signal pending / immediate_exit */
#define MINIVMM_EXIT_IRQ_WINDOW_OPEN	9	/* request_interrupt_window met */
#define MINIVMM_EXIT_TIMER		10	/* timer_deadline_ns reached */
#define MINIVMM_EXIT_DEBUG		11	/* a single step: run->debug */
/* Exits the module forwards only under MINIVMM_SET_EXIT_POLICY: */
#define MINIVMM_EXIT_CPUID		12	/* run->cpuid */
#define MINIVMM_EXIT_MSR		13	/* run->msr */
#define MINIVMM_EXIT_CR			14	/* run->cr */
#define MINIVMM_EXIT_EXCEPTION		15	/* run->exception */

/* run->cr.access */
#define MINIVMM_CR_WRITE	0	/* MOV to CR */
#define MINIVMM_CR_READ		1	/* MOV from CR */
#define MINIVMM_CR_CLTS		2
#define MINIVMM_CR_LMSW		3

#define MINIVMM_EXIT_IO_IN	0
#define MINIVMM_EXIT_IO_OUT	1

/*
 * The run page: mmap(MINIVMM_GET_VCPU_MMAP_SIZE) of a vCPU fd at offset 0.
 * For port I/O the data is at (char *)run + io.data_offset: count items of
 * size bytes; for IN, userspace fills it before the next MINIVMM_RUN.
 */
struct minivmm_run {
	__u8  immediate_exit;		/* in: return MINIVMM_EXIT_INTR at once */
	/*
	 * in: return MINIVMM_EXIT_IRQ_WINDOW_OPEN as soon as an interrupt
	 * could be queued and injected (ready_for_interrupt_injection).
	 */
	__u8  request_interrupt_window;
	__u8  pad0[6];
	__u32 exit_reason;		/* out: MINIVMM_EXIT_* */
	/*
	 * out, on every return from MINIVMM_RUN: MINIVMM_INTERRUPT would
	 * be accepted and the vector injected on the next entry (no vector
	 * queued, RFLAGS.IF set, no interrupt shadow, no event pending).
	 */
	__u8  ready_for_interrupt_injection;
	__u8  if_flag;			/* out: the guest's RFLAGS.IF */
	__u16 pad1;
	union {
		struct {
			__u8  direction;	/* MINIVMM_EXIT_IO_IN/OUT */
			__u8  size;		/* 1, 2 or 4 */
			__u16 port;
			__u32 count;		/* > 1 for REP INS/OUTS */
			__u64 data_offset;	/* from the start of the page */
		} io;
		struct {
			__u64 phys_addr;
			__u8  data[8];
			__u32 len;
			__u8  is_write;
			__u8  pad[3];
		} mmio;
		struct {
			__u64 nr;		/* RAX */
			__u64 args[5];		/* RBX, RCX, RDX, RSI, RDI */
			__u64 ret;		/* in: returned in RAX */
		} hypercall;
		struct {
			__u64 hardware_exit_reason;	/* basic exit reason */
			__u64 qualification;
		} fail_entry;
		struct {
			__u64 exit_reason;	/* VMX basic exit reason */
			__u64 qualification;
			__u64 rip;
			/*
			 * The event the guest was delivering when the exit
			 * came (IDT-vectoring information, bit 31 valid;
			 * 0: none) and its error code.
			 */
			__u64 idt_vectoring_info;
			__u64 idt_vectoring_error;
		} internal;
		struct {
			__u64 rip;		/* the next instruction */
			/* DR6-style: bit 14 (BS) a step, bit 0 the breakpoint */
			__u64 dr6;
		} debug;
		/*
		 * The policy exits. Userspace does the handler's job and
		 * writes its answer (in:); the next RUN applies it and moves
		 * the guest past the instruction, or raises #GP(0) where
		 * error is set.
		 */
		struct {
			__u32 function, index;	/* EAX, ECX */
			__u32 eax, ebx, ecx, edx;	/* in: the answer (0 on exit) */
			/*
			 * The guest's CR4 and XCR0 now: what CPUID.1:ECX.OSXSAVE
			 * and CPUID.(0xD,0):EBX follow.
			 */
			__u64 cr4, xcr0;
		} cpuid;
		struct {
			__u32 index;		/* ECX */
			__u8  is_write;
			__u8  error;		/* in: 1 raises #GP(0) */
			__u16 pad;
			__u64 data;		/* WRMSR: EDX:EAX; RDMSR: in */
		} msr;
		struct {
			__u8  cr;		/* 0, 4 or 8 */
			__u8  access;		/* MINIVMM_CR_* */
			__u8  error;		/* in: 1 raises #GP(0) */
			__u8  pad[5];
			__u64 old;		/* the register now */
			/*
			 * WRITE: the GPR's value, in: what to load; READ:
			 * in: what the GPR gets; CLTS, LMSW: in: the new
			 * value (LMSW's source operand is in lmsw_source).
			 */
			__u64 value;
			__u64 lmsw_source;
		} cr;
		struct {
			__u8  vector;
			__u8  type;		/* 3 hardware, 5 ICEBP, 6 INT3/INTO */
			__u8  has_error;
			__u8  reinject;		/* in: 1 delivers it to the guest */
			__u32 error_code;
			/* #PF: the linear address (CR2); #DB: the DR6 bits */
			__u64 qualification;
			__u32 instr_len;	/* for types 5 and 6 */
			__u32 pad;
		} exception;
		__u8 padding[256];
	};
	/*
	 * in: CLOCK_MONOTONIC time in ns (clock_gettime(), ktime_get_ns())
	 * at which MINIVMM_RUN returns MINIVMM_EXIT_TIMER, whatever the
	 * guest does (the VMX-preemption timer ends its slice then; no host
	 * interrupt is needed); 0: none. Userspace moves or clears it.
	 */
	__u64 timer_deadline_ns;
	/*
	 * out, on every return from MINIVMM_RUN (MINIVMM_CAP_APIC_BASE): the
	 * guest's IA32_APIC_BASE MSR, so the local APIC in userspace sees
	 * the guest disable or enable it.
	 */
	__u64 apic_base;
	__u64 reserved[14];
	/* data area: the rest of the page (io.data_offset points here) */
};

#endif /* _UAPI_MINIVMM_H */
