// SPDX-License-Identifier: GPL-2.0
/*
 * An exception whose delivery touches MMIO: the IDT is moved to
 * 0xd0000000 (no RAM there), then a MOV reads a not-present page. The
 * #PF's delivery reads the IDT and exits (EPT violation during event
 * delivery). The exit's RIP is the MOV, a perfectly decodable MMIO-style
 * instruction, but it did not touch MMIO: minivmm must stop with an
 * internal error naming the #PF being delivered, not emulate the MOV as
 * an MMIO read and go on. Prints "vecmmio: survived" if it goes on.
 */
#include "lib/guest.h"

#define IDT_MMIO	0xd0000000ull
#define UNMAPPED	0x8000000000ull	/* PML4 entry 1: not present */

int main(void)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) idtr = {
		.limit = 256 * 16 - 1, .base = IDT_MMIO,
	};
	u32 v;

	serial_puts("vecmmio: IDT at 0xd0000000, reading a not-present page\n");
	__asm__ volatile("lidt %0" : : "m"(idtr));
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(UNMAPPED) : "memory");
	serial_puts("vecmmio: survived, read ");
	serial_put_hex(v, 8);
	serial_puts("\n");
	return 0;
}
