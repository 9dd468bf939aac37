// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair model (i8259.h) through its ports, as Linux's
 * arch/x86/kernel/i8259.c programs it: vector bases 0x30 and 0x38,
 * edge-triggered, normal EOI, EOIs for slave IRQs sent to both chips.
 */
#include <criterion/criterion.h>

#include "i8259.h"

/* OCW3: what a read of the command port returns. */
#define OCW3_READ_IRR	0x0a
#define OCW3_READ_ISR	0x0b
/* OCW2 */
#define OCW2_EOI	0x20
#define OCW2_SEOI	0x60	/* + IRQ */

/*
 * init_8259A(0): mask both, ICW1-4 to each (8086 mode, cascade on IRQ 2),
 * then the cached masks back; probe_8259A() writes 0xff first as well.
 */
static void linux_init(struct i8259 *pic, __u8 master_mask, __u8 slave_mask)
{
	i8259__init(pic);
	i8259__write(pic, 0x21, 0xff);
	i8259__write(pic, 0xa1, 0xff);
	i8259__write(pic, 0x20, 0x11);
	i8259__write(pic, 0x21, 0x30);
	i8259__write(pic, 0x21, 0x04);
	i8259__write(pic, 0x21, 0x01);
	i8259__write(pic, 0xa0, 0x11);
	i8259__write(pic, 0xa1, 0x38);
	i8259__write(pic, 0xa1, 0x02);
	i8259__write(pic, 0xa1, 0x01);
	i8259__write(pic, 0x21, master_mask);
	i8259__write(pic, 0xa1, slave_mask);
}

static __u8 reg(struct i8259 *pic, __u16 cmd_port, __u8 ocw3)
{
	i8259__write(pic, cmd_port, ocw3);
	return i8259__read(pic, cmd_port);
}

/* An edge on @irq: the line pulses, as irq__pulse() drives the PIT's. */
static void pulse(struct i8259 *pic, unsigned int irq)
{
	i8259__set_irq(pic, irq, 1);
	i8259__set_irq(pic, irq, 0);
}

Test(pic, reset_state)
{
	struct i8259 pic;

	i8259__init(&pic);
	cr_assert_eq(i8259__read(&pic, 0x21), 0xff, "masked at reset");
	cr_assert_eq(i8259__read(&pic, 0xa1), 0xff);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0);
	/* Unmask IRQ 0 without an init sequence: the BIOS-style base. */
	i8259__write(&pic, 0x21, 0xfe);
	pulse(&pic, 0);
	cr_assert_eq(i8259__ack(&pic), 0x08);
	/* And the slave's base is 0x70. */
	i8259__write(&pic, 0x20, OCW2_EOI);
	i8259__write(&pic, 0x21, 0xfb);
	i8259__write(&pic, 0xa1, 0xfe);
	pulse(&pic, 8);
	cr_assert_eq(i8259__ack(&pic), 0x70);
}

Test(pic, linux_init_and_imr_readback)
{
	struct i8259 pic;

	linux_init(&pic, 0xff, 0xff);
	cr_assert_eq(i8259__read(&pic, 0x21), 0xff);
	cr_assert_eq(i8259__read(&pic, 0xa1), 0xff);
	/* probe_8259A(): what is written to the mask must read back. */
	i8259__write(&pic, 0x21, 0xfb);
	cr_assert_eq(i8259__read(&pic, 0x21), 0xfb);
	i8259__write(&pic, 0x21, 0x00);
	cr_assert_eq(i8259__read(&pic, 0x21), 0x00);
	i8259__write(&pic, 0xa1, 0x5a);
	cr_assert_eq(i8259__read(&pic, 0xa1), 0x5a);
	cr_assert_eq(i8259__read(&pic, 0x21), 0x00, "the chips are separate");
	cr_assert_not(i8259__has_interrupt(&pic));
}

Test(pic, unmasked_irq0_gives_0x30)
{
	struct i8259 pic;

	linux_init(&pic, 0xfe, 0xff);
	cr_assert_not(i8259__has_interrupt(&pic));
	pulse(&pic, 0);
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x30);
	cr_assert_not(i8259__has_interrupt(&pic), "acked: in service, not requested");
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x01);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x00);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x00);
}

Test(pic, icw2_low_bits_ignored)
{
	struct i8259 pic;

	i8259__init(&pic);
	i8259__write(&pic, 0x20, 0x11);
	i8259__write(&pic, 0x21, 0x37);
	i8259__write(&pic, 0x21, 0x04);
	i8259__write(&pic, 0x21, 0x01);
	i8259__write(&pic, 0x21, 0xf7);
	pulse(&pic, 3);
	cr_assert_eq(i8259__ack(&pic), 0x33);
}

Test(pic, init_without_icw4)
{
	struct i8259 pic;

	i8259__init(&pic);
	i8259__write(&pic, 0x20, 0x10);		/* ICW1, no ICW4 */
	i8259__write(&pic, 0x21, 0x40);		/* ICW2 */
	i8259__write(&pic, 0x21, 0x04);		/* ICW3 */
	i8259__write(&pic, 0x21, 0xfd);		/* OCW1 already */
	cr_assert_eq(i8259__read(&pic, 0x21), 0xfd);
	pulse(&pic, 1);
	cr_assert_eq(i8259__ack(&pic), 0x41);
}

Test(pic, masked_then_unmasked)
{
	struct i8259 pic;

	linux_init(&pic, 0xff, 0xff);
	pulse(&pic, 0);
	cr_assert_not(i8259__has_interrupt(&pic), "masked");
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x01, "but requested");
	i8259__write(&pic, 0x21, 0xfe);
	cr_assert(i8259__has_interrupt(&pic), "the edge was kept while masked");
	cr_assert_eq(i8259__ack(&pic), 0x30);
	cr_assert_not(i8259__has_interrupt(&pic));
}

Test(pic, mask_after_request_gives_spurious)
{
	struct i8259 pic;

	linux_init(&pic, 0xef, 0xff);
	pulse(&pic, 4);
	cr_assert(i8259__has_interrupt(&pic));
	/* Masked before the INTA cycle: the request is gone, IRQ 7 comes. */
	i8259__write(&pic, 0x21, 0xff);
	cr_assert_not(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x37);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0);
}

Test(pic, edge_triggered)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	i8259__set_irq(&pic, 4, 1);
	i8259__set_irq(&pic, 4, 1);
	cr_assert_eq(i8259__ack(&pic), 0x34);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_not(i8259__has_interrupt(&pic), "a line held high requests once");
	i8259__set_irq(&pic, 4, 1);
	cr_assert_not(i8259__has_interrupt(&pic), "still no edge");
	i8259__set_irq(&pic, 4, 0);
	cr_assert_not(i8259__has_interrupt(&pic), "a falling edge is no request");
	i8259__set_irq(&pic, 4, 1);
	cr_assert(i8259__has_interrupt(&pic), "a new rising edge");
	cr_assert_eq(i8259__ack(&pic), 0x34);
}

Test(pic, edges_merge_while_requested)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	pulse(&pic, 0);
	pulse(&pic, 0);
	pulse(&pic, 0);
	cr_assert_eq(i8259__ack(&pic), 0x30);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_not(i8259__has_interrupt(&pic), "IRR holds one request");
}

Test(pic, priority_and_in_service)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	pulse(&pic, 4);
	pulse(&pic, 0);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x11);
	cr_assert_eq(i8259__ack(&pic), 0x30, "IRQ 0 first");
	cr_assert_not(i8259__has_interrupt(&pic), "IRQ 4 waits while IRQ 0 is in service");
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert(i8259__has_interrupt(&pic), "IRQ 4 after the EOI");
	cr_assert_eq(i8259__ack(&pic), 0x34);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x10);
}

Test(pic, higher_priority_nests)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	pulse(&pic, 4);
	cr_assert_eq(i8259__ack(&pic), 0x34);
	pulse(&pic, 5);
	cr_assert_not(i8259__has_interrupt(&pic), "IRQ 5 is below IRQ 4");
	pulse(&pic, 1);
	cr_assert(i8259__has_interrupt(&pic), "IRQ 1 preempts IRQ 4");
	cr_assert_eq(i8259__ack(&pic), 0x31);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x12);
	/* A non-specific EOI ends the highest priority in service: IRQ 1. */
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x10);
	cr_assert_not(i8259__has_interrupt(&pic));
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(i8259__ack(&pic), 0x35);
}

Test(pic, specific_eoi)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	pulse(&pic, 4);
	cr_assert_eq(i8259__ack(&pic), 0x34);
	pulse(&pic, 0);
	cr_assert_eq(i8259__ack(&pic), 0x30);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x11);
	i8259__write(&pic, 0x20, OCW2_SEOI + 4);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x01, "only IRQ 4 ended");
	i8259__write(&pic, 0x20, OCW2_SEOI + 0);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x00);
	i8259__write(&pic, 0x20, OCW2_SEOI + 6);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x00, "EOI of an idle IRQ: no-op");
}

Test(pic, rotating_eoi_is_an_eoi)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0xff);
	pulse(&pic, 3);
	cr_assert_eq(i8259__ack(&pic), 0x33);
	i8259__write(&pic, 0x20, 0xa0);		/* rotate on non-specific EOI */
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x00);
	pulse(&pic, 5);
	cr_assert_eq(i8259__ack(&pic), 0x35);
	i8259__write(&pic, 0x20, 0xe5);		/* rotate on specific EOI */
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x00);
}

Test(pic, ocw3_register_select)
{
	struct i8259 pic;

	linux_init(&pic, 0xff, 0xff);
	i8259__write(&pic, 0x21, 0xf7);
	pulse(&pic, 3);
	pulse(&pic, 6);				/* masked: stays in IRR */
	cr_assert_eq(i8259__ack(&pic), 0x33);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x40);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x40, "the selection stays");
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x08);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x08, "the selection stays");
	/* OCW3 without RR (e.g. 0x08) leaves the selection alone. */
	cr_assert_eq(reg(&pic, 0x20, 0x08), 0x08);
	cr_assert_eq(i8259__read(&pic, 0x21), 0xf7, "the data port is the IMR");
	/* The slave's selection is its own. */
	cr_assert_eq(i8259__read(&pic, 0xa0), 0x00);
}

Test(pic, slave_irq8_through_cascade)
{
	struct i8259 pic;

	linux_init(&pic, 0xfb, 0xfe);		/* the cascade and IRQ 8 */
	pulse(&pic, 8);
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x04, "the master sees IRQ 2");
	cr_assert_eq(i8259__ack(&pic), 0x38);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x04, "master ISR: IRQ 2");
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_ISR), 0x01, "slave ISR: IRQ 8");
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0x00);
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_IRR), 0x00);
	/* Linux: specific EOI to the slave, then to the master's IRQ 2. */
	i8259__write(&pic, 0xa0, OCW2_SEOI + 0);
	i8259__write(&pic, 0x20, OCW2_SEOI + 2);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0);
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_ISR), 0);
	cr_assert_not(i8259__has_interrupt(&pic));
}

Test(pic, slave_vectors_and_priority)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0x00);
	pulse(&pic, 15);
	pulse(&pic, 3);
	pulse(&pic, 12);
	pulse(&pic, 1);
	cr_assert_eq(i8259__ack(&pic), 0x31, "IRQ 1 above the cascade");
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(i8259__ack(&pic), 0x3c, "IRQs 8-15 sit at the master's IRQ 2");
	cr_assert_not(i8259__has_interrupt(&pic), "nothing below IRQ 2 meanwhile");
	i8259__write(&pic, 0xa0, OCW2_EOI);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(i8259__ack(&pic), 0x3f, "IRQ 15 is still waiting");
	i8259__write(&pic, 0xa0, OCW2_EOI);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_eq(i8259__ack(&pic), 0x33);
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert_not(i8259__has_interrupt(&pic));
}

Test(pic, slave_waits_for_both_eois)
{
	struct i8259 pic;

	linux_init(&pic, 0xfb, 0xfc);		/* IRQs 8 and 9 */
	pulse(&pic, 9);
	cr_assert_eq(i8259__ack(&pic), 0x39);
	pulse(&pic, 9);
	cr_assert_not(i8259__has_interrupt(&pic), "IRQ 9 in service");
	i8259__write(&pic, 0xa0, OCW2_EOI);
	cr_assert_not(i8259__has_interrupt(&pic), "the master's IRQ 2 still in service");
	i8259__write(&pic, 0x20, OCW2_EOI);
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x39);
}

Test(pic, slave_masked_at_master)
{
	struct i8259 pic;

	linux_init(&pic, 0xff, 0x00);
	pulse(&pic, 10);
	cr_assert_not(i8259__has_interrupt(&pic), "the cascade is masked");
	i8259__write(&pic, 0x21, 0xfb);
	cr_assert_eq(i8259__ack(&pic), 0x3a);
}

Test(pic, slave_unmasked_later)
{
	struct i8259 pic;

	linux_init(&pic, 0xfb, 0xff);
	pulse(&pic, 14);
	cr_assert_not(i8259__has_interrupt(&pic));
	i8259__write(&pic, 0xa1, 0xbf);
	cr_assert(i8259__has_interrupt(&pic), "the request was kept on the slave");
	cr_assert_eq(i8259__ack(&pic), 0x3e);
}

Test(pic, auto_eoi)
{
	struct i8259 pic;

	i8259__init(&pic);
	i8259__write(&pic, 0x20, 0x11);
	i8259__write(&pic, 0x21, 0x30);
	i8259__write(&pic, 0x21, 0x04);
	i8259__write(&pic, 0x21, 0x03);		/* ICW4: 8086, auto-EOI */
	i8259__write(&pic, 0x21, 0x00);
	pulse(&pic, 4);
	cr_assert_eq(i8259__ack(&pic), 0x34);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0, "no ISR bit in auto-EOI");
	pulse(&pic, 5);
	cr_assert(i8259__has_interrupt(&pic), "nothing in service to block IRQ 5");
	cr_assert_eq(i8259__ack(&pic), 0x35);
}

Test(pic, spurious_when_nothing_pending)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0x00);
	cr_assert_not(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x37, "the master's IRQ 7");
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0, "no ISR bit for a spurious IRQ");
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_ISR), 0);
	/* A real IRQ 7 afterwards is an ordinary one. */
	pulse(&pic, 7);
	cr_assert_eq(i8259__ack(&pic), 0x37);
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_ISR), 0x80);
}

Test(pic, spurious_on_slave)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0x00);
	/*
	 * The master's cascade input raised with nothing on the slave: the
	 * slave answers the INTA with its IRQ 7 (IRQ 15), no slave ISR bit.
	 */
	i8259__set_irq(&pic, 2, 1);
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x3f);
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_ISR), 0);
}

Test(pic, out_of_range_irq_ignored)
{
	struct i8259 pic;

	linux_init(&pic, 0x00, 0x00);
	i8259__set_irq(&pic, 16, 1);
	i8259__set_irq(&pic, 24, 1);
	i8259__set_irq(&pic, ~0u, 1);
	cr_assert_not(i8259__has_interrupt(&pic));
	cr_assert_eq(reg(&pic, 0x20, OCW3_READ_IRR), 0);
	cr_assert_eq(reg(&pic, 0xa0, OCW3_READ_IRR), 0);
}
