// SPDX-License-Identifier: GPL-2.0
/*
 * The exception exit class (SDM 26.2: exceptions the exception bitmap
 * names exit; minivmm always intercepts #DB, #AC and #MC, and every
 * vector with --exit exception=user). The guest raises #DE, #UD, #BP,
 * #PF and a single-step #DB and catches each in its own IDT with the
 * vector, error code, RIP and (for #PF) CR2 the CPU defines. One line
 * each, "exc: N failed", exits N.
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define UNMAPPED	0x100000000ull	/* minivmm maps the first 4 GiB */

extern char bp_after[], ud_at[];

int main(void)
{
	u64 cr2 = 0, dr6 = 0, v = 0;

	idt_init();
	serial_puts("exc: #DE #UD #BP #PF #DB (single step), each caught by the guest\n");
	GUARD("xor %%edx, %%edx\n\txor %%ecx, %%ecx\n\tmov $1, %%eax\n\tdiv %%ecx",
	      : : : "rax", "rcx", "rdx", "r11", "memory");
	check("exc", "de", exc_vector == 0, "vector", exc_vector, 0);
	GUARD(".globl ud_at\nud_at: ud2", : : : "r11", "memory");
	check("exc", "ud", exc_vector == 6 && exc_rip == (u64)ud_at, "vector, rip",
	      exc_vector, exc_rip);
	GUARD("int3\n.globl bp_after\nbp_after:", : : : "r11", "memory");
	check("exc", "bp_trap_rip", exc_vector == 3 && exc_rip == (u64)bp_after,
	      "vector, rip", exc_vector, exc_rip);
	GUARD("movq (%[a]), %%rax", : : [a] "r"(UNMAPPED) : "rax", "r11", "memory");
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	check("exc", "pf", exc_vector == 14 && exc_error == 0 && cr2 == UNMAPPED,
	      "vector/error, cr2", (u64)exc_vector << 32 | exc_error, cr2);
	GUARD("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop", : : : "r11", "memory");
	__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
	check("exc", "db_single_step", exc_vector == 1 && (dr6 & (1u << 14)),
	      "vector, dr6", exc_vector, dr6);
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	check_summary("exc");
	return checks_failed;
}
