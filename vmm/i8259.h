/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cascaded pair of 8259A interrupt controllers (Intel 8259A data
 * sheet), as a PC has them: master at 0x20/0x21, slave at 0xa0/0xa1 on
 * the master's IRQ 2. Edge-triggered inputs, fixed priority (lower IRQ
 * first), ICW1-4 initialisation (vector base from ICW2, auto-EOI from
 * ICW4), OCW1 masks that read back as written, OCW2 non-specific and
 * specific EOI, OCW3 IRR/ISR reads. No rotation, special mask or poll
 * mode (Linux does not use them); a request that is gone by the INTA
 * cycle gives the spurious IRQ 7 (or 15) vector, as the hardware does.
 */
#ifndef VMM_I8259_H
#define VMM_I8259_H

#include <stdbool.h>
#include <linux/types.h>

#define I8259_MASTER_CMD	0x20
#define I8259_MASTER_DATA	0x21
#define I8259_SLAVE_CMD		0xa0
#define I8259_SLAVE_DATA	0xa1
#define I8259_CASCADE_IRQ	2

struct i8259_chip {
	__u8 irr, isr, imr;
	__u8 vector_base;	/* ICW2 & 0xf8 */
	__u8 init_step;		/* 0: operating; 2..4: next ICW expected */
	bool need_icw4;
	bool auto_eoi;
	bool read_isr;		/* OCW3: the command port reads ISR, not IRR */
	__u8 lines;		/* input levels, for edge detection */
};

struct i8259 {
	struct i8259_chip chip[2];	/* 0 master, 1 slave */
	unsigned long long spurious;	/* INTA cycles with nothing to give */
};

/* Power-on state: everything masked, vector bases 0x08 and 0x70 (a BIOS's). */
void i8259__init(struct i8259 *pic);
/* Input @irq (0..15) is now at @level; a rising edge requests it. */
void i8259__set_irq(struct i8259 *pic, unsigned int irq, int level);
/* The master would raise INTR: an unmasked request above what is in service. */
bool i8259__has_interrupt(const struct i8259 *pic);
/* The INTA cycle: the vector to deliver, the request moved to ISR. */
int i8259__ack(struct i8259 *pic);
__u8 i8259__read(struct i8259 *pic, __u16 port);
void i8259__write(struct i8259 *pic, __u16 port, __u8 val);

#endif /* VMM_I8259_H */
