/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMREAD/VMWRITE of the current VMCS (SDM Vol. 3C 31.3). A failure means
 * a bad field encoding or no current VMCS: a minivmm bug, reported once
 * with the field, never a crash.
 */
#ifndef MINIVMM_VMCS_H
#define MINIVMM_VMCS_H

#include <linux/printk.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 value;

	/* A fault (VMX turned off under us, e.g. by the reboot notifier)
	 * reads as 0 like a failure, through the exception table.
	 */
	asm volatile("1: vmread %[field], %[value]\n\t"
		     "jbe 3f\n\t"
		     "jmp 4f\n"
		     "3: xor %k[value], %k[value]\n"
		     "4:\n\t"
		     _ASM_EXTABLE(1b, 3b)
		     : [value] "=r"(value) : [field] "r"(field) : "cc");
	return value;
}

static __always_inline void vmcs_write(unsigned long field, u64 value)
{
	asm goto("1: vmwrite %[value], %[field]\n\t"
		 "jbe %l[failed]\n\t"
		 _ASM_EXTABLE(1b, %l[faulted])
		 : : [value] "rm"(value), [field] "r"(field)
		 : "cc", "memory" : failed, faulted);
	return;
failed:
	pr_err_ratelimited("minivmm: VMWRITE of field %#lx = %#llx failed\n",
			   field, value);
	return;
faulted:
	/* VMX is off on this CPU (reboot): nothing to write to. */
	pr_err_ratelimited("minivmm: VMWRITE of field %#lx faulted: VMX is off\n",
			   field);
}

#endif /* MINIVMM_VMCS_H */
