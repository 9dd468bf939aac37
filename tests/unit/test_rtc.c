// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818 CMOS/RTC model (rtc.h) at ports 0x70/0x71: the time
 * registers as mc146818_get_time() reads them, in BCD and binary, the
 * status registers, the CMOS RAM and the index register's NMI bit.
 */
#include <criterion/criterion.h>

#include "rtc.h"

/* Tuesday 2023-11-14 22:13:20 UTC. */
#define T_KNOWN		1700000000

/* Select @reg (with Linux's NMI-disable bit, which must not matter). */
static void select_reg(struct rtc *rtc, __u8 reg)
{
	rtc__write(rtc, 0x70, reg | 0x80);
}

static __u8 cmos_at(struct rtc *rtc, __u8 reg, __s64 t)
{
	select_reg(rtc, reg);
	return rtc__read(rtc, 0x71, t);
}

static __u8 cmos(struct rtc *rtc, __u8 reg)
{
	return cmos_at(rtc, reg, T_KNOWN);
}

static void cmos_set(struct rtc *rtc, __u8 reg, __u8 val)
{
	select_reg(rtc, reg);
	rtc__write(rtc, 0x71, val);
}

Test(cmos, bcd_time)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cr_assert_eq(cmos(&rtc, RTC_REG_B), 0x02, "24-hour, BCD at reset");
	cr_assert_eq(cmos(&rtc, RTC_SECONDS), 0x20);
	cr_assert_eq(cmos(&rtc, RTC_MINUTES), 0x13);
	cr_assert_eq(cmos(&rtc, RTC_HOURS), 0x22);
	cr_assert_eq(cmos(&rtc, RTC_WEEKDAY), 0x03, "Tuesday, Sunday = 1");
	cr_assert_eq(cmos(&rtc, RTC_DAY), 0x14);
	cr_assert_eq(cmos(&rtc, RTC_MONTH), 0x11);
	cr_assert_eq(cmos(&rtc, RTC_YEAR), 0x23);
	cr_assert_eq(cmos(&rtc, RTC_CENTURY), 0x20);
}

Test(cmos, binary_time)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cmos_set(&rtc, RTC_REG_B, RTC_B_24H | RTC_B_DM);
	cr_assert_eq(cmos(&rtc, RTC_REG_B), RTC_B_24H | RTC_B_DM, "B keeps what was written");
	cr_assert_eq(cmos(&rtc, RTC_SECONDS), 20);
	cr_assert_eq(cmos(&rtc, RTC_MINUTES), 13);
	cr_assert_eq(cmos(&rtc, RTC_HOURS), 22);
	cr_assert_eq(cmos(&rtc, RTC_WEEKDAY), 3);
	cr_assert_eq(cmos(&rtc, RTC_DAY), 14);
	cr_assert_eq(cmos(&rtc, RTC_MONTH), 11);
	cr_assert_eq(cmos(&rtc, RTC_YEAR), 23);
	cr_assert_eq(cmos(&rtc, RTC_CENTURY), 20);
	/* And back to BCD. */
	cmos_set(&rtc, RTC_REG_B, RTC_B_24H);
	cr_assert_eq(cmos(&rtc, RTC_SECONDS), 0x20);
}

Test(cmos, other_dates)
{
	struct rtc rtc;

	rtc__init(&rtc);
	/* The epoch: Thursday 1970-01-01 00:00:00. */
	cr_assert_eq(cmos_at(&rtc, RTC_SECONDS, 0), 0x00);
	cr_assert_eq(cmos_at(&rtc, RTC_HOURS, 0), 0x00);
	cr_assert_eq(cmos_at(&rtc, RTC_WEEKDAY, 0), 5);
	cr_assert_eq(cmos_at(&rtc, RTC_DAY, 0), 0x01);
	cr_assert_eq(cmos_at(&rtc, RTC_MONTH, 0), 0x01);
	cr_assert_eq(cmos_at(&rtc, RTC_YEAR, 0), 0x70);
	cr_assert_eq(cmos_at(&rtc, RTC_CENTURY, 0), 0x19);
	/* Sunday 2023-11-19 and Saturday 2023-11-18: weekdays 1 and 7. */
	cr_assert_eq(cmos_at(&rtc, RTC_WEEKDAY, 1700352000), 1);
	cr_assert_eq(cmos_at(&rtc, RTC_WEEKDAY, 1700265600), 7);
	/* A leap day: Tuesday 2000-02-29, year 00 of century 20. */
	cr_assert_eq(cmos_at(&rtc, RTC_DAY, 951782400), 0x29);
	cr_assert_eq(cmos_at(&rtc, RTC_MONTH, 951782400), 0x02);
	cr_assert_eq(cmos_at(&rtc, RTC_YEAR, 951782400), 0x00);
	cr_assert_eq(cmos_at(&rtc, RTC_CENTURY, 951782400), 0x20);
	/* Thursday 2099-12-31 23:59:59, then a second later. */
	cr_assert_eq(cmos_at(&rtc, RTC_SECONDS, 4102444799), 0x59);
	cr_assert_eq(cmos_at(&rtc, RTC_MINUTES, 4102444799), 0x59);
	cr_assert_eq(cmos_at(&rtc, RTC_HOURS, 4102444799), 0x23);
	cr_assert_eq(cmos_at(&rtc, RTC_WEEKDAY, 4102444799), 5);
	cr_assert_eq(cmos_at(&rtc, RTC_YEAR, 4102444799), 0x99);
	cr_assert_eq(cmos_at(&rtc, RTC_YEAR, 4102444800), 0x00);
	cr_assert_eq(cmos_at(&rtc, RTC_CENTURY, 4102444800), 0x21);
}

/* The time is the caller's: each read converts the time it is given. */
Test(cmos, follows_the_given_time)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cr_assert_eq(cmos_at(&rtc, RTC_SECONDS, T_KNOWN), 0x20);
	cr_assert_eq(cmos_at(&rtc, RTC_SECONDS, T_KNOWN + 1), 0x21);
	cr_assert_eq(cmos_at(&rtc, RTC_MINUTES, T_KNOWN + 60), 0x14);
	select_reg(&rtc, RTC_SECONDS);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN + 9), 0x29);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN + 9), 0x29, "the index stays");
}

/* The clock is the host's: time writes (set_rtc_mmss) change nothing. */
Test(cmos, time_writes_ignored)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cmos_set(&rtc, RTC_REG_B, RTC_B_24H | 0x80);	/* SET: updates stop */
	cmos_set(&rtc, RTC_SECONDS, 0x59);
	cmos_set(&rtc, RTC_HOURS, 0x01);
	cmos_set(&rtc, RTC_YEAR, 0x99);
	cmos_set(&rtc, RTC_CENTURY, 0x19);
	cmos_set(&rtc, RTC_REG_B, RTC_B_24H);
	cr_assert_eq(cmos(&rtc, RTC_SECONDS), 0x20);
	cr_assert_eq(cmos(&rtc, RTC_HOURS), 0x22);
	cr_assert_eq(cmos(&rtc, RTC_YEAR), 0x23);
	cr_assert_eq(cmos(&rtc, RTC_CENTURY), 0x20);
}

Test(cmos, status_registers)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cr_assert_eq(cmos(&rtc, RTC_REG_A), 0x26, "32.768 kHz, 1.024 kHz, UIP clear");
	cr_assert_eq(cmos(&rtc, RTC_REG_C), 0x00, "no interrupt flags");
	cr_assert_eq(cmos(&rtc, RTC_REG_D), 0x80, "valid RAM and time");
	/* A keeps the guest's value but UIP, which is never set. */
	cmos_set(&rtc, RTC_REG_A, 0xa6);
	cr_assert_eq(cmos(&rtc, RTC_REG_A), 0x26);
	cmos_set(&rtc, RTC_REG_A, 0x2f);
	cr_assert_eq(cmos(&rtc, RTC_REG_A), 0x2f);
	/* B keeps the guest's value. */
	cmos_set(&rtc, RTC_REG_B, 0x42);
	cr_assert_eq(cmos(&rtc, RTC_REG_B), 0x42);
	/* C and D are read-only. */
	cmos_set(&rtc, RTC_REG_C, 0xf0);
	cmos_set(&rtc, RTC_REG_D, 0x00);
	cr_assert_eq(cmos(&rtc, RTC_REG_C), 0x00);
	cr_assert_eq(cmos(&rtc, RTC_REG_D), 0x80);
}

/* mc146818_get_time() waits while UIP is set: it must never be. */
Test(cmos, uip_never_set)
{
	struct rtc rtc;
	__s64 t;

	rtc__init(&rtc);
	for (t = T_KNOWN; t < T_KNOWN + 5; t++)
		cr_assert_eq(cmos_at(&rtc, RTC_REG_A, t) & 0x80, 0);
}

Test(cmos, ram)
{
	struct rtc rtc;
	unsigned int i;

	rtc__init(&rtc);
	for (i = 0x0e; i < 0x80; i++)
		if (i != RTC_CENTURY)
			cr_assert_eq(cmos(&rtc, i), 0, "byte %#x is 0 at reset", i);
	for (i = 0x0e; i < 0x80; i++)
		if (i != RTC_CENTURY)
			cmos_set(&rtc, i, i ^ 0xa5);
	for (i = 0x0e; i < 0x80; i++)
		if (i != RTC_CENTURY)
			cr_assert_eq(cmos(&rtc, i), i ^ 0xa5, "byte %#x", i);
	/* The alarm bytes (0x01, 0x03, 0x05) are RAM too. */
	cmos_set(&rtc, 0x01, 0x45);
	cmos_set(&rtc, 0x03, 0x30);
	cmos_set(&rtc, 0x05, 0x07);
	cr_assert_eq(cmos(&rtc, 0x01), 0x45);
	cr_assert_eq(cmos(&rtc, 0x03), 0x30);
	cr_assert_eq(cmos(&rtc, 0x05), 0x07);
}

/* Bit 7 of the index is the NMI mask: 0x8f and 0x0f are the same byte. */
Test(cmos, index_masking)
{
	struct rtc rtc;

	rtc__init(&rtc);
	rtc__write(&rtc, 0x70, 0x8f);
	rtc__write(&rtc, 0x71, 0x5a);
	rtc__write(&rtc, 0x70, 0x0f);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN), 0x5a);
	rtc__write(&rtc, 0x70, 0x0f);
	rtc__write(&rtc, 0x71, 0x3c);
	rtc__write(&rtc, 0x70, 0x8f);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN), 0x3c);
	rtc__write(&rtc, 0x70, 0x80 | RTC_SECONDS);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN), 0x20);
	rtc__write(&rtc, 0x70, 0xff);
	rtc__write(&rtc, 0x71, 0x77);
	rtc__write(&rtc, 0x70, 0x7f);
	cr_assert_eq(rtc__read(&rtc, 0x71, T_KNOWN), 0x77, "the last byte");
}

Test(cmos, reinit_clears_ram)
{
	struct rtc rtc;

	rtc__init(&rtc);
	cmos_set(&rtc, 0x40, 0x12);
	cmos_set(&rtc, RTC_REG_B, RTC_B_24H | RTC_B_DM);
	rtc__init(&rtc);
	cr_assert_eq(cmos(&rtc, 0x40), 0);
	cr_assert_eq(cmos(&rtc, RTC_REG_B), RTC_B_24H);
}
