// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO outside guest memory: a 4-byte read and a 4-byte write at
 * 0xd0000000 (no device there: minivmm reads all-ones, ignores the
 * write). Prints what it read and exits 0.
 */
#include "lib/guest.h"

#define MMIO_ADDR	0xd0000000ull

int main(void)
{
	u32 v;

	v = mmio_read32(MMIO_ADDR);
	serial_puts("mmio: read ");
	serial_put_hex(v, 8);
	serial_puts(" from ");
	serial_put_hex(MMIO_ADDR, 8);
	serial_puts("\n");
	mmio_write32(MMIO_ADDR, 0x12345678);
	serial_puts("mmio: wrote 0x12345678\n");
	return 0;
}
