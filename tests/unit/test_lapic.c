// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC model (lapic.h), with time passed in: the registers as
 * Linux's apic.c and small QEMU test kernels program them, priorities,
 * EOI, self-IPIs, errors and the timer in both modes.
 */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "devices.h"
#include "helpers.h"
#include "irq.h"
#include "lapic.h"
#include "mmio.h"
#include "pio.h"
#include "vcpu.h"

#define US	1000ull
#define MS	1000000ull
#define T0	(1000 * MS)

static struct lapic a;

static void setup(void)
{
	lapic__init(&a, 0, true);
	lapic__write(&a, LAPIC_SPIV, LAPIC_SPIV_ENABLE | 0xff, T0);
}

TestSuite(lapic, .init = setup);

Test(lapic, reset_state)
{
	lapic__init(&a, 3, true);
	cr_assert_eq(lapic__read(&a, LAPIC_ID, T0), 3u << 24);
	cr_assert_eq(lapic__read(&a, LAPIC_VERSION, T0), 0x00050014);
	cr_assert_eq(lapic__read(&a, LAPIC_SPIV, T0), 0xff, "software-disabled");
	cr_assert_eq(lapic__read(&a, LAPIC_DFR, T0), 0xffffffff);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_TIMER, T0), LAPIC_LVT_MASKED);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_LINT0, T0), 0x700, "virtual wire");
	cr_assert(lapic__accepts_extint(&a));
	lapic__init(&a, 0, false);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_LINT0, T0), LAPIC_LVT_MASKED);
	cr_assert_not(lapic__accepts_extint(&a));
}

Test(lapic, registers_keep_only_their_bits)
{
	lapic__write(&a, LAPIC_TPR, 0x1234, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_TPR, T0), 0x34);
	lapic__write(&a, LAPIC_LDR, 0x12345678, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LDR, T0), 0x12000000);
	lapic__write(&a, LAPIC_DFR, 0x0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_DFR, T0), 0x0fffffff, "cluster model");
	lapic__write(&a, LAPIC_LVT_TIMER, 0xffffffff, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_TIMER, T0), 0x300ff, "no TSC-deadline");
	lapic__write(&a, LAPIC_LVT_LINT1, 0xffffffff, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_LINT1, T0), 0x1a7ff);
	lapic__write(&a, LAPIC_TDCR, 0xff, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_TDCR, T0), 0xb);
	lapic__write(&a, LAPIC_VERSION, 0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_VERSION, T0), 0x00050014, "read-only");
}

Test(lapic, software_disable_masks_lvt)
{
	lapic__write(&a, LAPIC_LVT_TIMER, 0x40, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_TIMER, T0), 0x40);
	lapic__write(&a, LAPIC_SPIV, 0xff, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_TIMER, T0), 0x10040);
	lapic__write(&a, LAPIC_LVT_TIMER, 0x40, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_LVT_TIMER, T0), 0x10040, "stays masked");
	/* And a self-IPI is not accepted. */
	lapic__write(&a, LAPIC_ICR_LO, (1u << 18) | 0x50, T0);
	cr_assert_eq(lapic__pending(&a), -1);
}

Test(lapic, self_ipi_priority_and_eoi)
{
	lapic__write(&a, LAPIC_ICR_LO, (1u << 18) | 0x41, T0);	/* self */
	lapic__write(&a, LAPIC_ICR_LO, (1u << 18) | 0x62, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_ICR_LO, T0) & (1u << 12), 0, "idle");
	cr_assert_eq(lapic__read(&a, LAPIC_IRR + 0x20, T0), 1u << 1);	/* 0x41 */
	cr_assert_eq(lapic__read(&a, LAPIC_IRR + 0x30, T0), 1u << 2);	/* 0x62 */
	/* Only a class above PPR's is delivered, the highest first. */
	lapic__write(&a, LAPIC_TPR, 0x60, T0);
	cr_assert_eq(lapic__pending(&a), -1, "0x62 and 0x41 are not above class 6");
	lapic__write(&a, LAPIC_TPR, 0x50, T0);
	cr_assert_eq(lapic__pending(&a), 0x62);
	cr_assert_eq(lapic__ack(&a), 0x62);
	cr_assert_eq(lapic__read(&a, LAPIC_ISR + 0x30, T0), 1u << 2);
	cr_assert_eq(lapic__read(&a, LAPIC_PPR, T0), 0x60, "the in-service class");
	lapic__write(&a, LAPIC_TPR, 0, T0);
	cr_assert_eq(lapic__pending(&a), -1, "0x41 waits for the EOI of 0x62");
	lapic__write(&a, LAPIC_EOI, 0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_ISR + 0x30, T0), 0);
	cr_assert_eq(lapic__read(&a, LAPIC_PPR, T0), 0);
	cr_assert_eq(lapic__ack(&a), 0x41);
	lapic__write(&a, LAPIC_EOI, 0, T0);
	cr_assert_eq(lapic__pending(&a), -1);
}

Test(lapic, ipi_destinations)
{
	/* Physical, to APIC ID 0: this one. */
	lapic__write(&a, LAPIC_ICR_HI, 0, T0);
	lapic__write(&a, LAPIC_ICR_LO, 0x30, T0);
	cr_assert_eq(lapic__ack(&a), 0x30);
	lapic__write(&a, LAPIC_EOI, 0, T0);
	cr_assert_eq(a.ipis_dropped, 0);
	/* Physical, to APIC ID 1: nobody. */
	lapic__write(&a, LAPIC_ICR_HI, 1u << 24, T0);
	lapic__write(&a, LAPIC_ICR_LO, 0x31, T0);
	cr_assert_eq(lapic__pending(&a), -1);
	cr_assert_eq(a.ipis_dropped, 1);
	/* Logical flat: LDR bit 2 matches destination 0x04. */
	lapic__write(&a, LAPIC_LDR, 0x04u << 24, T0);
	lapic__write(&a, LAPIC_ICR_HI, 0x04u << 24, T0);
	lapic__write(&a, LAPIC_ICR_LO, (1u << 11) | 0x32, T0);
	cr_assert_eq(lapic__pending(&a), 0x32);
	/* INIT and SIPI to all others: dropped, counted, status idle. */
	lapic__write(&a, LAPIC_ICR_LO, (3u << 18) | (5u << 8), T0);
	lapic__write(&a, LAPIC_ICR_LO, (3u << 18) | (6u << 8) | 0x10, T0);
	cr_assert_eq(a.ipis_dropped, 3);
	cr_assert_eq(lapic__read(&a, LAPIC_ICR_LO, T0) & (1u << 12), 0);
	/* All including self: fixed reaches this one. */
	lapic__write(&a, LAPIC_ICR_LO, (2u << 18) | 0x80, T0);
	cr_assert_eq(lapic__pending(&a), 0x80);
}

Test(lapic, errors_latch_in_esr)
{
	lapic__write(&a, LAPIC_LVT_ERROR, 0xfe, T0);
	lapic__write(&a, LAPIC_ICR_LO, (1u << 18) | 0x05, T0);	/* illegal */
	cr_assert_eq(lapic__read(&a, LAPIC_ESR, T0), 0, "not before an ESR write");
	lapic__write(&a, LAPIC_ESR, 0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_ESR, T0), LAPIC_ESR_SEND_ILLEGAL);
	cr_assert_eq(lapic__pending(&a), 0xfe, "the LVT error entry fired");
	lapic__read(&a, 0x3f0, T0);				/* reserved */
	lapic__write(&a, LAPIC_ESR, 0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_ESR, T0), LAPIC_ESR_ILLEGAL_REG);
	lapic__write(&a, LAPIC_ESR, 0, T0);
	cr_assert_eq(lapic__read(&a, LAPIC_ESR, T0), 0);
}

/* Divide by 1 at 1 GHz: a count of N lasts N ns. */
Test(lapic, timer_one_shot)
{
	lapic__write(&a, LAPIC_TDCR, 0xb, T0);
	lapic__write(&a, LAPIC_LVT_TIMER, 0x40, T0);
	lapic__write(&a, LAPIC_TMICT, 1000000, T0);
	cr_assert_eq(lapic__next_deadline(&a), T0 + MS);
	cr_assert_eq(lapic__read(&a, LAPIC_TMCCT, T0 + MS / 4), 750000);
	lapic__tick(&a, T0 + MS - 1);
	cr_assert_eq(lapic__pending(&a), -1, "not early");
	lapic__tick(&a, T0 + MS);
	cr_assert_eq(lapic__pending(&a), 0x40);
	cr_assert_eq(lapic__next_deadline(&a), 0, "one shot");
	cr_assert_eq(lapic__read(&a, LAPIC_TMCCT, T0 + 2 * MS), 0);
	cr_assert_eq(lapic__read(&a, LAPIC_TMICT, T0 + 2 * MS), 1000000);
	cr_assert_eq(a.timer_fired, 1);
}

Test(lapic, timer_periodic_divided_and_masked)
{
	lapic__write(&a, LAPIC_TDCR, 0x3, T0);			/* by 16 */
	lapic__write(&a, LAPIC_LVT_TIMER, LAPIC_LVT_PERIODIC | 0x41, T0);
	lapic__write(&a, LAPIC_TMICT, 62500, T0);		/* 1 ms */
	cr_assert_eq(lapic__next_deadline(&a), T0 + MS);
	cr_assert_eq(lapic__read(&a, LAPIC_TMCCT, T0 + MS + MS / 2), 31250, "reloaded");
	lapic__tick(&a, T0 + MS);
	cr_assert_eq(lapic__ack(&a), 0x41);
	cr_assert_eq(lapic__next_deadline(&a), T0 + 2 * MS);
	/* Late by 3.5 periods: one interrupt, the next on the period grid. */
	lapic__tick(&a, T0 + 5 * MS + MS / 2);
	cr_assert_eq(lapic__next_deadline(&a), T0 + 6 * MS);
	cr_assert_eq(a.timer_fired, 2);
	/* Masked: it counts on but raises nothing. */
	lapic__write(&a, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_LVT_PERIODIC | 0x41, T0);
	lapic__write(&a, LAPIC_EOI, 0, T0);
	lapic__tick(&a, T0 + 6 * MS);
	cr_assert_eq(a.timer_fired, 3);
	cr_assert_eq(lapic__read(&a, LAPIC_IRR + 0x20, T0), 1u << 1, "still the one from before");
	/* A zero count stops it. */
	lapic__write(&a, LAPIC_TMICT, 0, T0 + 6 * MS);
	cr_assert_eq(lapic__next_deadline(&a), 0);
}

Test(lapic, timer_min_period)
{
	lapic__write(&a, LAPIC_TDCR, 0xb, T0);
	lapic__write(&a, LAPIC_LVT_TIMER, LAPIC_LVT_PERIODIC | 0x40, T0);
	lapic__write(&a, LAPIC_TMICT, 1, T0);
	cr_assert_eq(lapic__next_deadline(&a), T0 + LAPIC_MIN_PERIOD_NS);
}

Test(lapic, timer_divide_change_keeps_count)
{
	lapic__write(&a, LAPIC_TDCR, 0xb, T0);			/* by 1 */
	lapic__write(&a, LAPIC_LVT_TIMER, 0x40, T0);
	lapic__write(&a, LAPIC_TMICT, 1000, T0);
	lapic__write(&a, LAPIC_TDCR, 0x0, T0 + 500);		/* by 2 */
	cr_assert_eq(lapic__read(&a, LAPIC_TMCCT, T0 + 500), 500);
	cr_assert_eq(lapic__next_deadline(&a), T0 + 500 + 1000, "500 counts at 2 ns");
}

static bool pic_has;
static bool fake_pic_pending(void) { return pic_has; }
static int fake_pic_ack(void) { pic_has = false; return 0x20; }
static void fake_pic_line(unsigned int irq, int level) { (void)irq, (void)level; }
static const struct irq_controller fake_pic = {
	.line = fake_pic_line, .pending = fake_pic_pending, .ack = fake_pic_ack,
};

Test(lapic, extint_through_lint0)
{
	irq__set_controller(&fake_pic);
	pic_has = true;
	cr_assert(lapic__accepts_extint(&a), "virtual wire at reset");
	lapic__write(&a, LAPIC_LVT_LINT0, LAPIC_LVT_MASKED | 0x700, T0);
	cr_assert_not(lapic__accepts_extint(&a));
	lapic__set_enabled(&a, false);
	cr_assert(lapic__accepts_extint(&a), "APIC off: INTR goes straight in");
	cr_assert_eq(lapic__pending(&a), -1);
	lapic__set_enabled(&a, true);
	cr_assert_eq(lapic__read(&a, LAPIC_SPIV, T0), 0xff, "power-up state again");
	cr_assert_not(lapic__accepts_extint(&a), "LVT masked after re-enable");
	irq__set_controller(NULL);
}

/*
 * The device as the guest reaches it: its page through MMIO routing
 * (32-bit registers, narrower reads of their bytes), the interrupt path
 * in front of the 8259, IA32_APIC_BASE followed, the --stats line.
 */
static __u32 page_read(struct vcpu *vc, __u32 off, __u32 len)
{
	__u32 v = 0;

	mmio__access(vc, LAPIC_BASE + off, (__u8 *)&v, len, false);
	return v;
}

static void page_write(struct vcpu *vc, __u32 off, __u32 val, __u32 len)
{
	mmio__access(vc, LAPIC_BASE + off, (__u8 *)&val, len, true);
}

Test(lapic_device, page_irq_path_msr_and_report)
{
	struct vcpu vc;
	struct membuf out;
	__u64 apic_base = 0xfee00900;
	struct vm_devices d = { .apic_base = &apic_base };
	const char *failed = NULL;
	char *s;

	vcpu_init(&vc, -1, NULL, 0);
	pio__reset();
	mmio__reset();
	d.out = membuf_open(&out);
	cr_assert_eq(devices__init(&d, &failed), 0, "%s", failed ? failed : "");
	cr_assert_eq(page_read(&vc, LAPIC_VERSION, 4), 0x00050014);
	cr_assert_eq(page_read(&vc, LAPIC_VERSION + 2, 1), 0x05, "a byte of it");
	cr_assert_eq(page_read(&vc, LAPIC_VERSION + 4, 4), 0, "not a register");
	page_write(&vc, LAPIC_SPIV, 0x1ff, 4);
	page_write(&vc, LAPIC_TPR, 0x20, 2);			/* not 4 bytes: ignored */
	cr_assert_eq(page_read(&vc, LAPIC_TPR, 4), 0);
	cr_assert_not(irq__pending());
	page_write(&vc, LAPIC_ICR_LO, (1u << 18) | 0x45, 4);	/* self-IPI */
	cr_assert(irq__pending());
	cr_assert_eq(irq__ack(), 0x45);
	page_write(&vc, LAPIC_EOI, 0, 4);
	/* Off in IA32_APIC_BASE: the page answers all-ones; on: power-up. */
	apic_base = 0xfee00100;
	cr_assert_eq(page_read(&vc, LAPIC_VERSION, 4), 0xffffffff);
	apic_base = 0xfee00900;
	cr_assert_eq(page_read(&vc, LAPIC_SPIV, 4), 0xff);
	page_write(&vc, LAPIC_SPIV, 0x1ff, 4);
	page_write(&vc, LAPIC_ICR_LO, (3u << 18) | (5u << 8), 4);	/* INIT */
	devices__report(d.out);
	devices__exit();
	s = membuf_str(&out);
	cr_assert(strstr(s, "minivmm: stats: device lapic: vectors delivered 1, from the 8259 (ExtINT) 0, timer expiries 0, IPIs to other CPUs dropped 1\n"),
		  "%s", s);
	free(s);
	mmio__reset();
}
