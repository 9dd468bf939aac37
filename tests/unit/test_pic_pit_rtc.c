// SPDX-License-Identifier: GPL-2.0
/* The 8259 pair, the 8254 and the CMOS RTC models, driven as Linux drives them. */
#include <criterion/criterion.h>

#include "i8254.h"
#include "i8259.h"
#include "rtc.h"

static struct i8259 pic;

/* Linux's init_8259A(): vector bases 0x30/0x38, 8086 mode, all masked. */
static void linux_pic_init(void)
{
	i8259__init(&pic);
	i8259__write(&pic, 0x21, 0xff);
	i8259__write(&pic, 0xa1, 0xff);
	i8259__write(&pic, 0x20, 0x11);
	i8259__write(&pic, 0x21, 0x30);
	i8259__write(&pic, 0x21, 0x04);
	i8259__write(&pic, 0x21, 0x01);
	i8259__write(&pic, 0xa0, 0x11);
	i8259__write(&pic, 0xa1, 0x38);
	i8259__write(&pic, 0xa1, 0x02);
	i8259__write(&pic, 0xa1, 0x01);
	i8259__write(&pic, 0x21, 0xff);
	i8259__write(&pic, 0xa1, 0xff);
}

Test(i8259, imr_reads_back)
{
	linux_pic_init();
	cr_assert_eq(i8259__read(&pic, 0x21), 0xff);
	i8259__write(&pic, 0x21, 0xfa);
	cr_assert_eq(i8259__read(&pic, 0x21), 0xfa, "probe_8259A's readback");
	i8259__write(&pic, 0xa1, 0x5a);
	cr_assert_eq(i8259__read(&pic, 0xa1), 0x5a);
}

Test(i8259, masked_then_unmasked)
{
	linux_pic_init();
	i8259__set_irq(&pic, 0, 1);
	i8259__set_irq(&pic, 0, 0);
	cr_assert_not(i8259__has_interrupt(&pic), "masked");
	i8259__write(&pic, 0x21, 0xfe);
	cr_assert(i8259__has_interrupt(&pic), "requested while masked, delivered once unmasked");
	cr_assert_eq(i8259__ack(&pic), 0x30);
	cr_assert_not(i8259__has_interrupt(&pic));
	i8259__write(&pic, 0x20, 0x0b);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x01, "ISR has IRQ 0");
	i8259__write(&pic, 0x20, 0x20);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x00, "non-specific EOI");
}

Test(i8259, edge_triggered)
{
	linux_pic_init();
	i8259__write(&pic, 0x21, 0x00);
	i8259__set_irq(&pic, 4, 1);
	cr_assert_eq(i8259__ack(&pic), 0x34);
	i8259__write(&pic, 0x20, 0x64);		/* specific EOI, IRQ 4 */
	cr_assert_not(i8259__has_interrupt(&pic), "a line held high requests once");
	i8259__set_irq(&pic, 4, 0);
	i8259__set_irq(&pic, 4, 1);
	cr_assert(i8259__has_interrupt(&pic), "a new edge");
}

Test(i8259, priority_and_in_service)
{
	linux_pic_init();
	i8259__write(&pic, 0x21, 0x00);
	i8259__set_irq(&pic, 4, 1);
	i8259__set_irq(&pic, 0, 1);
	i8259__write(&pic, 0x20, 0x0a);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x11, "IRR: IRQ 0 and 4");
	cr_assert_eq(i8259__ack(&pic), 0x30, "IRQ 0 first");
	cr_assert_not(i8259__has_interrupt(&pic), "IRQ 4 waits while IRQ 0 is in service");
	i8259__write(&pic, 0x20, 0x60);		/* specific EOI, IRQ 0 */
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x34);
	i8259__set_irq(&pic, 0, 0);
	i8259__set_irq(&pic, 0, 1);
	cr_assert(i8259__has_interrupt(&pic), "IRQ 0 preempts IRQ 4 in service");
}

Test(i8259, slave_through_cascade)
{
	linux_pic_init();
	i8259__write(&pic, 0x21, 0xfb);		/* only the cascade */
	i8259__write(&pic, 0xa1, 0xfe);		/* IRQ 8 */
	i8259__set_irq(&pic, 8, 1);
	cr_assert(i8259__has_interrupt(&pic));
	cr_assert_eq(i8259__ack(&pic), 0x38);
	i8259__write(&pic, 0x20, 0x0b);
	cr_assert_eq(i8259__read(&pic, 0x20), 0x04, "master ISR: IRQ 2");
	i8259__write(&pic, 0xa0, 0x0b);
	cr_assert_eq(i8259__read(&pic, 0xa0), 0x01, "slave ISR: IRQ 8");
	i8259__write(&pic, 0xa0, 0x20);
	i8259__write(&pic, 0x20, 0x20);
	cr_assert_eq(i8259__read(&pic, 0x20), 0);
	cr_assert_not(i8259__has_interrupt(&pic));
}

Test(i8259, spurious_when_nothing_pending)
{
	linux_pic_init();
	cr_assert_eq(i8259__ack(&pic), 0x37, "IRQ 7 of the master");
	cr_assert_eq(pic.spurious, 1);
	i8259__write(&pic, 0x20, 0x0b);
	cr_assert_eq(i8259__read(&pic, 0x20), 0, "no ISR bit for a spurious IRQ");
}

#define MS	1000000ull

static struct i8254 pit;

static void pit_program(__u8 ctl, __u16 count, __u64 now)
{
	i8254__write(&pit, 0x43, ctl, now);
	i8254__write(&pit, 0x40 + (ctl >> 6), count & 0xff, now);
	i8254__write(&pit, 0x40 + (ctl >> 6), count >> 8, now);
}

Test(i8254, mode2_periodic_250hz)
{
	__u64 t0 = 1000 * MS, period = 4773ull * 1000000000 / I8254_HZ;
	__u64 d;

	i8254__init(&pit, 0);
	cr_assert_eq(i8254__next_deadline(&pit), 0, "not programmed");
	pit_program(0x34, 4773, t0);
	d = i8254__next_deadline(&pit);
	cr_assert(d >= t0 + period && d <= t0 + period + 1, "deadline %llu", (unsigned long long)(d - t0));
	cr_assert_eq(i8254__poll(&pit, d - 1), 0);
	cr_assert_eq(i8254__poll(&pit, d), 1);
	cr_assert(i8254__next_deadline(&pit) > d);
	cr_assert_eq(i8254__poll(&pit, t0 + 4 * period + 10), 3, "late: three edges");
	cr_assert_eq(i8254__poll(&pit, t0 + 4 * period + 10), 0);
}

Test(i8254, mode4_one_shot)
{
	__u64 t0 = 5 * MS;

	i8254__init(&pit, 0);
	pit_program(0x38, 1193, t0);		/* about 1 ms */
	cr_assert_eq(i8254__poll(&pit, t0 + MS / 2), 0);
	cr_assert_eq(i8254__poll(&pit, t0 + 2 * MS), 1);
	cr_assert_eq(i8254__next_deadline(&pit), 0, "fired: no more");
	cr_assert_eq(i8254__poll(&pit, t0 + 100 * MS), 0);
	pit_program(0x38, 1193, t0 + 100 * MS);
	cr_assert(i8254__next_deadline(&pit) > t0 + 100 * MS, "rearmed");
}

Test(i8254, latch_reads_a_decreasing_count)
{
	__u16 a, b;

	i8254__init(&pit, 0);
	pit_program(0x34, 0, 0);		/* 65536 */
	i8254__write(&pit, 0x43, 0x00, MS);
	a = i8254__read(&pit, 0x40, 5 * MS);	/* latched at 1 ms */
	a |= i8254__read(&pit, 0x40, 5 * MS) << 8;
	cr_assert_eq(a, 65536 - 1193, "latched count at 1 ms: %u", a);
	i8254__write(&pit, 0x43, 0x00, 2 * MS);
	b = i8254__read(&pit, 0x40, 9 * MS);
	b |= i8254__read(&pit, 0x40, 9 * MS) << 8;
	cr_assert(b < a, "%u then %u", a, b);
}

Test(i8254, channel2_gate_and_out)
{
	__u64 t0 = 10 * MS;

	i8254__init(&pit, 0);
	/* pit_calibrate_tsc(): gate on, speaker off, mode 0, 10 ms of count. */
	i8254__write(&pit, 0x61, (i8254__read(&pit, 0x61, t0) & ~0x02) | 0x01, t0);
	pit_program(0xb0, 11932, t0);
	cr_assert_eq(i8254__read(&pit, 0x61, t0 + 9 * MS) & 0x20, 0, "OUT2 low while counting");
	cr_assert_eq(i8254__read(&pit, 0x61, t0 + 11 * MS) & 0x20, 0x20, "OUT2 high at 0");
	cr_assert_eq(i8254__read(&pit, 0x61, t0) & 0x01, 0x01, "gate reads back");
}

Test(i8254, refresh_bit_toggles)
{
	__u8 a, b;

	i8254__init(&pit, 0);
	a = i8254__read(&pit, 0x61, 0) & 0x10;
	b = i8254__read(&pit, 0x61, 15085) & 0x10;
	cr_assert_neq(a, b);
}

static struct rtc rtc;

/* 1700000000: Tuesday 2023-11-14 22:13:20 UTC. */
#define T_KNOWN	1700000000

static __u8 cmos(__u8 reg)
{
	rtc__write(&rtc, 0x70, reg | 0x80);	/* NMI-disable bit ignored */
	return rtc__read(&rtc, 0x71, T_KNOWN);
}

Test(rtc, bcd_time)
{
	rtc__init(&rtc);
	cr_assert_eq(cmos(RTC_SECONDS), 0x20);
	cr_assert_eq(cmos(RTC_MINUTES), 0x13);
	cr_assert_eq(cmos(RTC_HOURS), 0x22);
	cr_assert_eq(cmos(RTC_WEEKDAY), 3);
	cr_assert_eq(cmos(RTC_DAY), 0x14);
	cr_assert_eq(cmos(RTC_MONTH), 0x11);
	cr_assert_eq(cmos(RTC_YEAR), 0x23);
	cr_assert_eq(cmos(RTC_CENTURY), 0x20);
}

Test(rtc, binary_mode)
{
	rtc__init(&rtc);
	rtc__write(&rtc, 0x70, RTC_REG_B);
	rtc__write(&rtc, 0x71, RTC_B_24H | RTC_B_DM);
	cr_assert_eq(cmos(RTC_REG_B), RTC_B_24H | RTC_B_DM);
	cr_assert_eq(cmos(RTC_SECONDS), 20);
	cr_assert_eq(cmos(RTC_HOURS), 22);
	cr_assert_eq(cmos(RTC_YEAR), 23);
}

Test(rtc, status_and_ram)
{
	rtc__init(&rtc);
	cr_assert_eq(cmos(RTC_REG_A) & 0x80, 0, "UIP never set");
	rtc__write(&rtc, 0x70, RTC_REG_A);
	rtc__write(&rtc, 0x71, 0xa6);
	cr_assert_eq(cmos(RTC_REG_A), 0x26, "UIP is not writable");
	cr_assert_eq(cmos(RTC_REG_C), 0);
	cr_assert_eq(cmos(RTC_REG_D), 0x80);
	rtc__write(&rtc, 0x70, 0x40);
	rtc__write(&rtc, 0x71, 0x5a);
	cr_assert_eq(cmos(0x40), 0x5a, "CMOS RAM");
	rtc__write(&rtc, 0x70, RTC_SECONDS);
	rtc__write(&rtc, 0x71, 0x59);
	cr_assert_eq(cmos(RTC_SECONDS), 0x20, "the host's clock, not writable");
}
