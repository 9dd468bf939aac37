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

/*
 * DEFINE_VMX_PA_INSN(insn): int vmx_<insn>(u64 phys) for the VMX
 * instructions whose operand is a 64-bit physical address in memory
 * (SDM Vol. 3C chapter 31, instruction reference):
 *   vmxon    enter VMX operation with this VMXON region;
 *   vmclear  flush a VMCS to memory and make it inactive, not current;
 *   vmptrld  make a VMCS current (its revision id must match).
 * 0 on success, -EIO on VMfail, -EFAULT on a fault (#UD/#GP).
 */
#define DEFINE_VMX_PA_INSN(insn)					\
static __always_inline int vmx_##insn(u64 phys)				\
{									\
	asm goto("1: " #insn " %[pa]\n\t"				\
		 "jbe %l[failed]\n\t"					\
		 _ASM_EXTABLE(1b, %l[faulted])				\
		 : : [pa] "m"(phys) : "cc", "memory" : failed, faulted);	\
	return 0;							\
failed:									\
	return -EIO;							\
faulted:								\
	return -EFAULT;							\
}

DEFINE_VMX_PA_INSN(vmxon)
DEFINE_VMX_PA_INSN(vmclear)
DEFINE_VMX_PA_INSN(vmptrld)

/* VMXOFF: leave VMX operation; #UD if not in it. */
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

/* VMPTRST: store the current-VMCS pointer (all ones if none). */
static __always_inline u64 vmx_vmptrst(void)
{
	u64 phys;

	asm volatile("vmptrst %0" : "=m"(phys) : : "memory");
	return phys;
}

#endif /* MINIVMM_VMX_OPS_H */
