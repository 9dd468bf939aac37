// SPDX-License-Identifier: GPL-2.0
/*
 * The port I/O exit class (SDM 26.1.3; qualification in SDM Vol. 3C
 * Table 28-5). IN and OUT of 1, 2 and 4 bytes, REP OUTSB and REP INSB:
 * COM1's scratch register keeps a byte, ports with nothing behind them
 * read all ones, port 0x80 (POST codes) takes 16 writes and reads 0xff
 * whether minivmm or, with --exit io=kernel, the module answers it.
 * One line each, "pio: N failed", exits N.
 */
#include "lib/guest.h"

#define COM1_SCR	(COM1 + 7)
#define NOTHING		0x2e8	/* COM4: not emulated */

static const char msg[] = "pio: REP OUTSB to COM1\n";

int main(void)
{
	u8 buf[8];
	const char *p = msg;
	unsigned long n;
	u8 *d = buf;
	int i;

	serial_puts("pio: 1/2/4-byte IN and OUT, REP OUTSB/INSB, port 0x80\n");
	outb(COM1_SCR, 0x5a);
	check("pio", "scratch_1byte", inb(COM1_SCR) == 0x5a, "read", inb(COM1_SCR), 0);
	check("pio", "nothing_2byte", inw(NOTHING) == 0xffff, "read", inw(NOTHING), 0);
	check("pio", "nothing_4byte", inl(NOTHING) == 0xffffffffu, "read", inl(NOTHING), 0);
	outw(NOTHING, 0x1234);
	outl(NOTHING, 0x12345678);
	n = sizeof(msg) - 1;
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((u16)COM1) : "memory");
	check("pio", "rep_outsb", n == 0 && p == msg + sizeof(msg) - 1, "left", n, 0);
	outb(COM1_SCR, 0xa5);
	n = sizeof(buf);
	__asm__ volatile("rep insb" : "+D"(d), "+c"(n) : "d"((u16)COM1_SCR) : "memory");
	check("pio", "rep_insb", n == 0 && buf[0] == 0xa5 && buf[7] == 0xa5, "buf[0], buf[7]",
	      buf[0], buf[7]);
	for (i = 0; i < 16; i++)
		outb(0x80, i);
	check("pio", "port80_reads_ff", inb(0x80) == 0xff, "read", inb(0x80), 0);
	check_summary("pio");
	return checks_failed;
}
