// SPDX-License-Identifier: GPL-2.0
/*
 * The MSR bitmap (SDM 25.6.9; its layout in 26.1.3): which RDMSR/WRMSR
 * exit. Everything does, except the MSRs whose guest value the CPU
 * itself switches or the world switch reads back after every exit, so
 * that the guest's own accesses need no exit at all (Linux writes
 * FS_BASE and KERNEL_GS_BASE on every context switch):
 *
 *   FS_BASE, GS_BASE, SYSENTER_CS/ESP/EIP  guest-state fields, saved on
 *                                          every exit, host values loaded
 *   KERNEL_GS_BASE                         read back after each exit
 *                                          (vcpu_switch.c: SWAPGS needs it)
 *   TSC_AUX, reads only                    loaded from the MSR-load area
 *                                          at entry; a write would be lost
 *
 * One page for all vCPUs: the set is the module's, not per VM. Under
 * MINIVMM_POLICY_MSR no MSR may pass (userspace sees every access), so
 * vmx_update_proc_ctls() turns the bitmap off for that vCPU.
 */
#include <linux/gfp.h>
#include <linux/bitops.h>
#include <asm/msr-index.h>
#include "minivmm.h"
#include "vm.h"

static unsigned long *vmx_msr_bitmap;

/* Clear @msr's read or write bit: bytes 0-1023 read low, 1024 read high, +2048 write. */
static void vmx_msr_pass(u32 msr, bool write)
{
	unsigned long base = write ? 2048 * 8 : 0;

	if (msr <= 0x1fff)
		__clear_bit(base + msr, vmx_msr_bitmap);
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		__clear_bit(base + 1024 * 8 + (msr - 0xc0000000), vmx_msr_bitmap);
}

int vmx_msr_bitmap_init(void)
{
	static const u32 rw[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
		MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	};
	unsigned int i;

	vmx_msr_bitmap = (unsigned long *)__get_free_page(GFP_KERNEL);
	if (!vmx_msr_bitmap)
		return -ENOMEM;
	memset(vmx_msr_bitmap, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		vmx_msr_pass(rw[i], false);
		vmx_msr_pass(rw[i], true);
	}
	if (vmx_switched_msr(MSR_TSC_AUX) >= 0)
		vmx_msr_pass(MSR_TSC_AUX, false);
	return 0;
}

void vmx_msr_bitmap_free(void)
{
	free_page((unsigned long)vmx_msr_bitmap);
	vmx_msr_bitmap = NULL;
}

u64 vmx_msr_bitmap_pa(void)
{
	return __pa(vmx_msr_bitmap);
}
