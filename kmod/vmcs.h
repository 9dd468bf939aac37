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
#include <asm/vmx.h>

static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 value;

	asm volatile("vmread %[field], %[value]\n\t"
		     "jbe 1f\n\t"
		     "jmp 2f\n"
		     "1: xor %k[value], %k[value]\n"
		     "2:"
		     : [value] "=r"(value) : [field] "r"(field) : "cc");
	return value;
}

static __always_inline void vmcs_write(unsigned long field, u64 value)
{
	bool failed;

	asm volatile("vmwrite %[value], %[field]"
		     : "=@ccbe"(failed)
		     : [value] "rm"(value), [field] "r"(field) : "memory");
	if (unlikely(failed))
		pr_err_ratelimited("minivmm: VMWRITE of field %#lx = %#llx failed\n",
				   field, value);
}

#endif /* MINIVMM_VMCS_H */
