// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <time.h>

#include "devices.h"
#include "pio.h"
#include "rtc.h"

void rtc__init(struct rtc *rtc)
{
	memset(rtc, 0, sizeof(*rtc));
	rtc->cmos[RTC_REG_A] = 0x26;	/* 32.768 kHz base, 1.024 kHz rate */
	rtc->cmos[RTC_REG_B] = RTC_B_24H;
	rtc->cmos[RTC_REG_D] = 0x80;
}

static __u8 rtc_bin_or_bcd(const struct rtc *rtc, unsigned int v)
{
	if (rtc->cmos[RTC_REG_B] & RTC_B_DM)
		return v;
	return (v / 10) << 4 | v % 10;
}

static __u8 rtc_reg(struct rtc *rtc, __u8 reg, __s64 unix_time)
{
	time_t t = unix_time;
	struct tm tm;

	switch (reg) {
	case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_WEEKDAY:
	case RTC_DAY: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
		break;
	case RTC_REG_A:
		return rtc->cmos[RTC_REG_A] & 0x7f;	/* UIP never set */
	case RTC_REG_C:
		return 0;
	case RTC_REG_D:
		return 0x80;
	default:
		return rtc->cmos[reg];
	}
	if (!gmtime_r(&t, &tm))
		return 0;
	switch (reg) {
	case RTC_SECONDS:
		return rtc_bin_or_bcd(rtc, tm.tm_sec);
	case RTC_MINUTES:
		return rtc_bin_or_bcd(rtc, tm.tm_min);
	case RTC_HOURS:
		return rtc_bin_or_bcd(rtc, tm.tm_hour);
	case RTC_WEEKDAY:
		return rtc_bin_or_bcd(rtc, tm.tm_wday + 1);	/* Sunday = 1 */
	case RTC_DAY:
		return rtc_bin_or_bcd(rtc, tm.tm_mday);
	case RTC_MONTH:
		return rtc_bin_or_bcd(rtc, tm.tm_mon + 1);
	case RTC_YEAR:
		return rtc_bin_or_bcd(rtc, tm.tm_year % 100);
	default:
		return rtc_bin_or_bcd(rtc, (tm.tm_year + 1900) / 100);
	}
}

__u8 rtc__read(struct rtc *rtc, __u16 port, __s64 unix_time)
{
	if (port == RTC_INDEX_PORT)
		return 0xff;		/* the index register is write-only */
	return rtc_reg(rtc, rtc->index, unix_time);
}

void rtc__write(struct rtc *rtc, __u16 port, __u8 val)
{
	if (port == RTC_INDEX_PORT) {
		rtc->index = val & 0x7f;
		return;
	}
	switch (rtc->index) {
	case RTC_SECONDS: case RTC_MINUTES: case RTC_HOURS: case RTC_WEEKDAY:
	case RTC_DAY: case RTC_MONTH: case RTC_YEAR: case RTC_CENTURY:
	case RTC_REG_C: case RTC_REG_D:
		break;			/* the host's clock; read-only status */
	case RTC_REG_A:
		rtc->cmos[RTC_REG_A] = val & 0x7f;
		break;
	default:
		rtc->cmos[rtc->index] = val;
	}
}

static struct rtc rtc;

static void rtc_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		   bool is_write, void *opaque)
{
	__u32 i;

	(void)v, (void)opaque;
	for (i = 0; i < size; i++) {
		if (port + i > RTC_DATA_PORT) {
			if (!is_write)
				data[i] = 0xff;
		} else if (is_write) {
			rtc__write(&rtc, port + i, data[i]);
		} else {
			data[i] = rtc__read(&rtc, port + i, time(NULL));
		}
	}
}

static int rtc_device_init(struct vm_devices *d)
{
	(void)d;
	rtc__init(&rtc);
	return pio__register(RTC_INDEX_PORT, 2, rtc_io, NULL);
}

const struct device rtc_device = {
	.name = "rtc",
	.help = "MC146818 CMOS/RTC at 0x70-0x71: the host's time (UTC), no interrupts",
	.init = rtc_device_init,
};
