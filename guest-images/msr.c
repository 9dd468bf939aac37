// SPDX-License-Identifier: GPL-2.0
/*
 * The RDMSR/WRMSR exit class (SDM 26.1.3: without MSR bitmaps every
 * access exits). Allowed MSRs read back what was written; an MSR the
 * guest may not touch, and a value WRMSR refuses, raise #GP(0), caught
 * by the guest's own IDT. Exactly 5 RDMSR and 5 WRMSR instructions; one
 * line each, "msr: N failed", exits N.
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_EFER		0xc0000080
#define MSR_BOGUS		0x00012345

static u64 rdmsr_guarded(u32 msr)
{
	u32 lo = 0, hi = 0;

	GUARD("rdmsr", : "=a"(lo), "=d"(hi) : "c"(msr) : "r11", "memory");
	return (u64)hi << 32 | lo;
}

static void wrmsr_guarded(u32 msr, u64 v)
{
	GUARD("wrmsr", : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "r11", "memory");
}

int main(void)
{
	u64 v;

	idt_init();
	serial_puts("msr: 5 RDMSR and 5 WRMSR, two of each refused with #GP\n");
	wrmsr_guarded(MSR_KERNEL_GS_BASE, 0xffff888012345000ull);
	v = rdmsr_guarded(MSR_KERNEL_GS_BASE);
	check("msr", "kernel_gs_base", v == 0xffff888012345000ull && exc_vector == EXC_NONE,
	      "read back", v, exc_vector);
	wrmsr_guarded(MSR_STAR, 0x0023001000000000ull);
	v = rdmsr_guarded(MSR_STAR);
	check("msr", "star", v == 0x0023001000000000ull, "read back", v, 0);
	v = rdmsr_guarded(MSR_EFER);
	check("msr", "efer_lma", (v & 0x500) == 0x500, "efer", v, 0);
	v = rdmsr_guarded(MSR_BOGUS);
	check("msr", "rdmsr_unknown_gp", exc_vector == 13 && exc_error == 0,
	      "vector, error", exc_vector, exc_error);
	wrmsr_guarded(MSR_BOGUS, 1);
	check("msr", "wrmsr_unknown_gp", exc_vector == 13, "vector", exc_vector, 0);
	wrmsr_guarded(MSR_LSTAR, 0x0000800000000000ull);	/* not canonical */
	check("msr", "wrmsr_noncanonical_gp", exc_vector == 13, "vector", exc_vector, 0);
	wrmsr_guarded(MSR_LSTAR, 0xffffffff81000000ull);
	v = rdmsr_guarded(MSR_LSTAR);
	check("msr", "lstar", v == 0xffffffff81000000ull, "read back", v, 0);
	check_summary("msr");
	return checks_failed;
}
