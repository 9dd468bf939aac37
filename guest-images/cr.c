// SPDX-License-Identifier: GPL-2.0
/*
 * The control-register exit class (SDM 26.1.3; qualification in SDM
 * Vol. 3C Table 28-3). CR8 reads and writes always exit (the TPR is the
 * guest's); CR0 and CR4 writes exit when they change a bit the module
 * owns (CR0.NE, which VMX forces to 1 in the real register; CR4.VMXE,
 * which the guest may not set). Exactly 4 CR8 accesses and 3 CR0/CR4
 * writes; one line each, "cr: N failed", exits N.
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define X86_CR0_NE	(1ull << 5)
#define X86_CR4_VMXE	(1ull << 13)

static u64 read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

int main(void)
{
	u64 cr0, cr4, v = 0;

	idt_init();
	serial_puts("cr: CR8 write/read, CR8 > 15, CR0.NE off and on, CR4.VMXE\n");
	GUARD("mov %0, %%cr8", : : "r"(5ull) : "r11", "memory");
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	check("cr", "cr8_read_back", v == 5 && exc_vector == EXC_NONE, "cr8", v, exc_vector);
	GUARD("mov %0, %%cr8", : : "r"(16ull) : "r11", "memory");
	check("cr", "cr8_reserved_gp", exc_vector == 13, "vector", exc_vector, 0);
	GUARD("mov %0, %%cr8", : : "r"(0ull) : "r11", "memory");
	check("cr", "cr8_zero", exc_vector == EXC_NONE, "vector", exc_vector, 0);
	cr0 = read_cr0();
	GUARD("mov %0, %%cr0", : : "r"(cr0 & ~X86_CR0_NE) : "r11", "memory");
	v = read_cr0();
	check("cr", "cr0_ne_cleared", exc_vector == EXC_NONE && v == (cr0 & ~X86_CR0_NE),
	      "cr0", v, cr0);
	GUARD("mov %0, %%cr0", : : "r"(cr0) : "r11", "memory");
	check("cr", "cr0_restored", read_cr0() == cr0, "cr0", read_cr0(), cr0);
	cr4 = read_cr4();
	GUARD("mov %0, %%cr4", : : "r"(cr4 | X86_CR4_VMXE) : "r11", "memory");
	check("cr", "cr4_vmxe_gp", exc_vector == 13 && read_cr4() == cr4, "vector, cr4",
	      exc_vector, read_cr4());
	check_summary("cr");
	return checks_failed;
}
