/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrappers for the VMX instructions minivmm executes outside a VM.
 *
 * VMX instructions report failure in RFLAGS (SDM Vol. 3C 31.2
 * "Conventions": CF=1 VMfailInvalid, ZF=1 VMfailValid) and fault (#UD,
 * #GP) when VMX is off or misconfigured. Both become an errno here so a
 * bad state is a clean error, never an oops: faults are caught through the
 * exception table.
 */
#ifndef MINIVMM_VMX_OPS_H
#define MINIVMM_VMX_OPS_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/asm.h>

/* VMXON: SDM Vol. 3C 31.3 (instruction reference, "VMXON"). */
static __always_inline int vmx_vmxon(u64 phys)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jbe %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : [pa] "m"(phys) : "cc", "memory" : failed, faulted);
	return 0;
failed:
	return -EIO;
faulted:
	return -EFAULT;
}

/* VMXOFF: leaves VMX operation; #UD if not in it. */
static __always_inline int vmx_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 "jbe %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : : "cc", "memory" : failed, faulted);
	return 0;
failed:
	return -EIO;
faulted:
	return -EFAULT;
}

/* VMCLEAR: flush a VMCS to memory and make it inactive, not current. */
static __always_inline int vmx_vmclear(u64 phys)
{
	asm goto("1: vmclear %[pa]\n\t"
		 "jbe %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : [pa] "m"(phys) : "cc", "memory" : failed, faulted);
	return 0;
failed:
	return -EIO;
faulted:
	return -EFAULT;
}

/* VMPTRLD: make a VMCS current (its revision id must match). */
static __always_inline int vmx_vmptrld(u64 phys)
{
	asm goto("1: vmptrld %[pa]\n\t"
		 "jbe %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : [pa] "m"(phys) : "cc", "memory" : failed, faulted);
	return 0;
failed:
	return -EIO;
faulted:
	return -EFAULT;
}

/* VMPTRST: store the current-VMCS pointer (all ones if none). */
static __always_inline u64 vmx_vmptrst(void)
{
	u64 phys;

	asm volatile("vmptrst %0" : "=m"(phys) : : "memory");
	return phys;
}

#endif /* MINIVMM_VMX_OPS_H */
