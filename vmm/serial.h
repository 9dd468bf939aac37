/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART. Transmit: every THR write goes straight to the output
 * stream, so the transmitter is always empty again at once. Receive: a
 * FIFO that the console (console.c) fills from stdin. Interrupts (IER
 * bits 0 and 1): the line is high while received data waits (IER.RDI)
 * or a THR-empty interrupt is pending (IER.THRI; set when THR empties or
 * THRI is enabled with THR empty, cleared by reading IIR that reports it
 * or by writing THR), the model Linux's 8250 driver expects. The other
 * registers hold what the guest writes, enough for its probes.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct vcpu;

#define SERIAL_COM1_BASE	0x3f8
#define SERIAL_COM1_IRQ		4
#define SERIAL_NR_PORTS		8
#define SERIAL_RX_SIZE		256	/* bytes of input held; more waits on stdin */
#define SERIAL_LINE_MAX		256

struct serial {
	__u16 base;
	FILE *out;
	__u8 ier, fcr, lcr, mcr, scr;
	__u8 dll, dlm;			/* divisor latch (LCR.DLAB set) */
	bool thr_ipending;		/* THR-empty interrupt pending */
	__u8 rx[SERIAL_RX_SIZE];	/* received bytes, a ring */
	unsigned int rx_head, rx_len;
	int irq_level;			/* what was last put on the IRQ line */
	/* The IRQ line, or NULL (unit tests, no interrupt controller). */
	void (*irq_fn)(void *opaque, int level);
	void *irq_opaque;
	/* Each complete output line, or NULL: lets a loader watch the console. */
	void (*line_fn)(void *opaque, const char *line);
	void *line_opaque;
	char line[SERIAL_LINE_MAX];
	unsigned int line_len;
	unsigned long long tx_bytes;	/* bytes written to @out */
	unsigned long long rx_bytes;	/* bytes received */
};

void serial__init(struct serial *s, __u16 base, FILE *out);
/* serial__init() and register the 8 ports at @base: 0 or -errno. */
int serial__setup(struct serial *s, __u16 base, FILE *out);

/* Register @reg (0..7) as the guest sees it. */
__u8 serial__read(struct serial *s, unsigned int reg);
void serial__write(struct serial *s, unsigned int reg, __u8 val);

/* Room for received bytes, and receiving up to @len of @buf: bytes taken. */
unsigned int serial__rx_room(const struct serial *s);
unsigned int serial__receive(struct serial *s, const __u8 *buf, unsigned int len);

/* The pio_fn; a wider access is taken as one byte per port. */
void serial__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		bool is_write, void *opaque);

/* COM1 of the running VM (the device registry's), or NULL. */
struct serial *serial__com1(void);

#endif /* VMM_SERIAL_H */
