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

#endif /* _UAPI_MINIVMM_H */
