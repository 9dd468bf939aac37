// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO exit class (EPT violations, SDM Vol. 3C 29.3.3): reads and
 * writes of 1, 2, 4 and 8 bytes to minivmm's scratch register at
 * 0xd0001000 read back; MOVZX and MOVSX extend what they read; unbacked
 * MMIO reads all ones at every size; and, run with
 * --rom ROM@0xe0000000 (8 bytes "ROMTEST!"), the ROM reads without an exit
 * while a write to it exits and changes nothing. One line each,
 * "mmiorw: N failed", exits N.
 */
#include "lib/guest.h"

#define SCRATCH		0xd0001000ull
#define NOTHING		0xd0000000ull
#define ROM		0xe0000000ull

#define MMIO_RW(type, name)						\
static inline type rd_##name(u64 a)					\
{									\
	type v;								\
	__asm__ volatile("mov (%1), %0" : "=r"(v) : "r"(a) : "memory");	\
	return v;							\
}									\
static inline void wr_##name(u64 a, type v)				\
{									\
	__asm__ volatile("mov %1, (%0)" : : "r"(a), "r"(v) : "memory");	\
}
MMIO_RW(u8, 8)
MMIO_RW(u16, 16)
MMIO_RW(u32, 32)
MMIO_RW(u64, 64)

int main(void)
{
	u64 v, movzx, movsx;

	serial_puts("mmiorw: 1/2/4/8-byte MMIO both ways, MOVZX/MOVSX, unbacked, ROM\n");
	wr_8(SCRATCH, 0xa5);
	v = rd_8(SCRATCH);
	check("mmiorw", "byte", v == 0xa5, "read", v, 0);
	wr_16(SCRATCH, 0xbeef);
	v = rd_16(SCRATCH);
	check("mmiorw", "word", v == 0xbeef, "read", v, 0);
	wr_32(SCRATCH, 0xdeadbeef);
	v = rd_32(SCRATCH);
	check("mmiorw", "dword", v == 0xdeadbeef, "read", v, 0);
	wr_64(SCRATCH, 0x0123456789abcdefull);
	v = rd_64(SCRATCH);
	check("mmiorw", "qword", v == 0x0123456789abcdefull, "read", v, 0);
	wr_8(SCRATCH, 0x80);
	__asm__ volatile("movzbq (%1), %0" : "=r"(movzx) : "r"(SCRATCH) : "memory");
	__asm__ volatile("movsbq (%1), %0" : "=r"(movsx) : "r"(SCRATCH) : "memory");
	check("mmiorw", "movzx_movsx", movzx == 0x80 && movsx == 0xffffffffffffff80ull,
	      "movzx, movsx", movzx, movsx);
	v = rd_8(NOTHING) + rd_16(NOTHING) + (u64)rd_32(NOTHING);
	check("mmiorw", "unbacked_all_ones", v == 0xff + 0xffff + 0xffffffffull &&
	      rd_64(NOTHING) == ~0ull, "sum", v, 0);
	v = *(volatile u64 *)ROM;
	check("mmiorw", "rom_reads", v == 0x21545345544d4f52ull, "rom", v, 0);
	wr_32(ROM, 0);
	v = *(volatile u64 *)ROM;
	check("mmiorw", "rom_write_dropped", v == 0x21545345544d4f52ull, "rom", v, 0);
	check_summary("mmiorw");
	return checks_failed;
}
