// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "devices.h"
#include "i8259.h"
#include "irq.h"
#include "pio.h"

void i8259__init(struct i8259 *pic)
{
	memset(pic, 0, sizeof(*pic));
	pic->chip[0].imr = pic->chip[1].imr = 0xff;
	pic->chip[0].vector_base = 0x08;
	pic->chip[1].vector_base = 0x70;
}

/* The highest-priority bit of @bits (bit 0 first), or -1. */
static int i8259_first(__u8 bits)
{
	return bits ? __builtin_ctz(bits) : -1;
}

/*
 * The IRQ (0..7) this chip would signal: the highest-priority unmasked
 * request, if nothing of equal or higher priority is in service.
 */
static int i8259_chip_pending(const struct i8259_chip *c)
{
	int req = i8259_first(c->irr & ~c->imr);
	int svc = i8259_first(c->isr);

	if (req < 0 || (svc >= 0 && svc <= req))
		return -1;
	return req;
}

/* The slave's output is the master's IRQ 2 input. */
static void i8259_update_cascade(struct i8259 *pic)
{
	i8259__set_irq(pic, I8259_CASCADE_IRQ, i8259_chip_pending(&pic->chip[1]) >= 0);
}

void i8259__set_irq(struct i8259 *pic, unsigned int irq, int level)
{
	struct i8259_chip *c = &pic->chip[irq >> 3 & 1];
	__u8 bit = 1u << (irq & 7);

	if (irq > 15)
		return;
	if (level && !(c->lines & bit))
		c->irr |= bit;			/* rising edge */
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
	/*
	 * The cascade input is level-like: it follows the slave's output,
	 * so a slave request that waits re-raises it after an EOI.
	 */
	if (c == &pic->chip[0] && (irq & 7) == I8259_CASCADE_IRQ) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	}
	if (c == &pic->chip[1])
		i8259_update_cascade(pic);
}

bool i8259__has_interrupt(const struct i8259 *pic)
{
	return i8259_chip_pending(&pic->chip[0]) >= 0;
}

/* One chip's INTA: its IRQ, moved from IRR to ISR (unless auto-EOI). */
static int i8259_chip_ack(struct i8259_chip *c)
{
	int irq = i8259_chip_pending(c);

	if (irq < 0)
		return -1;
	if (!(c->lines & (1u << irq)) || irq != I8259_CASCADE_IRQ)
		c->irr &= ~(1u << irq);
	if (!c->auto_eoi)
		c->isr |= 1u << irq;
	return irq;
}

int i8259__ack(struct i8259 *pic)
{
	struct i8259_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int irq = i8259_chip_ack(m), sirq;

	if (irq < 0) {
		pic->spurious++;
		return m->vector_base + 7;
	}
	if (irq != I8259_CASCADE_IRQ)
		return m->vector_base + irq;
	sirq = i8259_chip_ack(s);
	i8259_update_cascade(pic);
	if (sirq < 0) {
		pic->spurious++;
		return s->vector_base + 7;
	}
	return s->vector_base + sirq;
}

static void i8259_chip_write(struct i8259_chip *c, bool data, __u8 val)
{
	if (!data) {
		if (val & 0x10) {		/* ICW1 */
			c->init_step = 2;
			c->need_icw4 = val & 0x01;
			c->imr = c->isr = c->irr = 0;
			c->read_isr = false;
			c->auto_eoi = false;
			return;
		}
		if ((val & 0x18) == 0x08) {	/* OCW3 */
			if (val & 0x02)
				c->read_isr = val & 0x01;
			return;
		}
		/* OCW2: EOI commands (rotation taken as plain EOI). */
		if ((val & 0xe0) == 0x60 || (val & 0xe0) == 0xe0)
			c->isr &= ~(1u << (val & 7));	/* specific */
		else if (val & 0x20 && c->isr)
			c->isr &= ~(1u << i8259_first(c->isr));	/* non-specific */
		return;
	}
	switch (c->init_step) {
	case 2:					/* ICW2 */
		c->vector_base = val & 0xf8;
		c->init_step = 3;
		break;
	case 3:					/* ICW3: wiring, fixed here */
		c->init_step = c->need_icw4 ? 4 : 0;
		break;
	case 4:					/* ICW4 */
		c->auto_eoi = val & 0x02;
		c->init_step = 0;
		break;
	default:				/* OCW1 */
		c->imr = val;
		break;
	}
}

void i8259__write(struct i8259 *pic, __u16 port, __u8 val)
{
	struct i8259_chip *c = &pic->chip[port >= I8259_SLAVE_CMD];

	i8259_chip_write(c, port & 1, val);
	i8259_update_cascade(pic);
}

__u8 i8259__read(struct i8259 *pic, __u16 port)
{
	const struct i8259_chip *c = &pic->chip[port >= I8259_SLAVE_CMD];

	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

/* The VM's pair, the interrupt controller of irq.h. */
static struct i8259 pic;

static void i8259_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		     bool is_write, void *opaque)
{
	__u32 i;

	(void)v, (void)opaque;
	for (i = 0; i < size; i++) {
		__u16 p = port + i;

		if (p != I8259_MASTER_CMD && p != I8259_MASTER_DATA &&
		    p != I8259_SLAVE_CMD && p != I8259_SLAVE_DATA) {
			if (!is_write)
				data[i] = 0xff;
		} else if (is_write) {
			i8259__write(&pic, p, data[i]);
		} else {
			data[i] = i8259__read(&pic, p);
		}
	}
}

static void i8259_line(unsigned int irq, int level)
{
	i8259__set_irq(&pic, irq, level);
}

static bool i8259_pending(void)
{
	return i8259__has_interrupt(&pic);
}

static int i8259_ack(void)
{
	return i8259__ack(&pic);
}

static const struct irq_controller i8259_controller = {
	.line = i8259_line,
	.pending = i8259_pending,
	.ack = i8259_ack,
};

static int i8259_device_init(struct vm_devices *d)
{
	(void)d;
	i8259__init(&pic);
	irq__set_controller(&i8259_controller);
	return pio__register(I8259_MASTER_CMD, 2, i8259_io, NULL) ?:
	       pio__register(I8259_SLAVE_CMD, 2, i8259_io, NULL);
}

static void i8259_device_exit(void)
{
	irq__set_controller(NULL);
}

const struct device i8259_device = {
	.name = "pic",
	.help = "8259A pair at 0x20-0x21 and 0xa0-0xa1 (slave on IRQ 2), edge-triggered",
	.init = i8259_device_init,
	.exit = i8259_device_exit,
};
