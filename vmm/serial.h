/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550 UART, transmit side only: every THR write goes straight to the
 * output stream (flushed), the transmitter is always empty (LSR 0x60), no
 * input ever arrives and no interrupt is ever raised. The other registers
 * hold what the guest writes, enough for the usual probes and polling
 * putc loops.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct vcpu;

#define SERIAL_COM1_BASE	0x3f8
#define SERIAL_NR_PORTS		8

struct serial {
	__u16 base;
	FILE *out;
	__u8 ier, fcr, lcr, mcr, scr;
	__u8 dll, dlm;			/* divisor latch (LCR.DLAB set) */
	unsigned long long tx_bytes;	/* bytes written to @out */
};

void serial__init(struct serial *s, __u16 base, FILE *out);
/* serial__init() and register the 8 ports at @base: 0 or -errno. */
int serial__setup(struct serial *s, __u16 base, FILE *out);

/* Register @reg (0..7) as the guest sees it. */
__u8 serial__read(struct serial *s, unsigned int reg);
void serial__write(struct serial *s, unsigned int reg, __u8 val);

/* The pio_fn; a wider access is taken as one byte per port. */
void serial__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		bool is_write, void *opaque);

#endif /* VMM_SERIAL_H */
