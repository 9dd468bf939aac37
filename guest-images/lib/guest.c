// SPDX-License-Identifier: GPL-2.0
#include "guest.h"

#define UART_LSR	5
#define UART_LSR_THRE	0x20

void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE))
		;
	outb(COM1, c);
}

void serial_puts(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

void serial_put_dec(u64 v)
{
	char buf[21];
	int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	serial_puts(buf + i);
}

void serial_put_hex(u64 v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";

	serial_puts("0x");
	while (digits--)
		serial_putc(hex[(v >> (digits * 4)) & 0xf]);
}

unsigned int checks_failed;

void check(const char *prefix, const char *name, int ok, const char *what,
	   u64 a, u64 b)
{
	serial_puts(prefix);
	serial_puts(": ");
	serial_puts(ok ? "PASS " : "FAIL ");
	serial_puts(name);
	if (!ok) {
		serial_puts(": ");
		serial_puts(what);
		serial_puts(" ");
		serial_put_hex(a, 16);
		serial_puts(" ");
		serial_put_hex(b, 16);
		checks_failed++;
	}
	serial_puts("\n");
}

void check_summary(const char *prefix)
{
	serial_puts(prefix);
	serial_puts(": ");
	serial_put_hex(checks_failed, 2);
	serial_puts(" failed\n");
}

void guest_exit(u32 code)
{
	outl(DEBUG_EXIT_PORT, code);
	for (;;)		/* not reached under minivmm */
		__asm__ volatile("cli; hlt");
}

/* The compiler may call these even when freestanding. */
void *memset(void *s, int c, unsigned long n)
{
	u8 *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	u8 *dp = d;
	const u8 *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}
