// SPDX-License-Identifier: GPL-2.0
/*
 * Long mode: print a line, then CPUID leaf 1 ECX bit 31 (hypervisor
 * present): exit 0 if set, 1 if clear. First checks that the loader
 * copied .data and zeroed .bss (the tail of the data PT_LOAD): exits 2
 * if not.
 */
#include "lib/guest.h"

static volatile u32 data_word = 0x5eed1e55;
static volatile u32 bss_words[1024];

static int loaded_ok(void)
{
	unsigned int i;

	if (data_word != 0x5eed1e55)
		return 0;
	for (i = 0; i < sizeof(bss_words) / sizeof(bss_words[0]); i++)
		if (bss_words[i])
			return 0;
	return 1;
}

int main(void)
{
	u32 a, b, c, d;

	serial_puts("Hello from long mode\n");
	if (!loaded_ok()) {
		serial_puts("loader: .data or .bss wrong\n");
		return 2;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1u << 31)) {
		serial_puts("hypervisor bit: set\n");
		return 0;
	}
	serial_puts("hypervisor bit: clear\n");
	return 1;
}
