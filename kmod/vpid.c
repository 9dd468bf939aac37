// SPDX-License-Identifier: GPL-2.0
/*
 * VPIDs: with "enable VPID", TLB entries of a guest are tagged with its
 * vCPU's VPID and survive VM entries and exits (SDM Vol. 3C 29.1
 * "Virtual Processor Identifiers"); without it every entry and exit
 * flushes. A VPID's stale entries are dropped with INVVPID when its vCPU
 * moves to another CPU (that CPU may hold entries from an earlier visit)
 * and when it is freed.
 */
#include <linux/idr.h>
#include <asm/asm.h>
#include "minivmm.h"
#include "vm.h"

static DEFINE_IDA(vpid_ida);

/* A free VPID, or 0 (no VPID: the CPU flushes at every transition). */
u16 vpid_alloc(void)
{
	int id;

	if (!(vmx_caps.features & MINIVMM_VMX_F_VPID) ||
	    !(vmx_caps.features & MINIVMM_VMX_F_INVVPID))
		return 0;
	id = ida_alloc_range(&vpid_ida, 1, 0xffff, GFP_KERNEL);
	return id < 0 ? 0 : id;
}

void vpid_free(u16 vpid)
{
	if (vpid)
		ida_free(&vpid_ida, vpid);
}

/*
 * INVVPID for one VPID: single-context (type 1) if the CPU has it, else
 * all-context (type 2) (SDM 31.3 "INVVPID"; IA32_VMX_EPT_VPID_CAP bits
 * 41/42). Must run on the CPU whose entries go, in VMX operation.
 */
void vpid_flush(u16 vpid)
{
	struct { u64 vpid, gla; } desc = { vpid, 0 };
	unsigned long type = (vmx_caps.ept_vpid_cap & (1ull << 41)) ? 1 : 2;

	/* A fault (VMX off after the reboot notifier) is ignored: no VPID
	 * translations survive VMXOFF's caller anyway.
	 */
	if (vpid)
		asm volatile("1: invvpid %0, %1\n2:\n\t"
			     _ASM_EXTABLE(1b, 2b)
			     : : "m"(desc), "r"(type) : "cc", "memory");
}
