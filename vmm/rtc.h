/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MC146818 CMOS real-time clock at 0x70 (index; bit 7, NMI disable,
 * ignored) and 0x71 (data). The time registers follow the host's clock
 * (UTC): writes to them are ignored. BCD unless the guest sets register
 * B's DM bit, 24-hour mode (B = 0x02 at reset). Register A reads with
 * UIP (update in progress) always clear, so a guest waiting for an
 * update to end never spins; C reads 0 (no interrupts: IRQ 8 is never
 * raised), D reads 0x80 (valid RAM and time). The other bytes are CMOS
 * RAM: they read back what was written, 0 at reset.
 */
#ifndef VMM_RTC_H
#define VMM_RTC_H

#include <linux/types.h>

#define RTC_INDEX_PORT	0x70
#define RTC_DATA_PORT	0x71

#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_WEEKDAY	0x06
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_REG_C	0x0c
#define RTC_REG_D	0x0d
#define RTC_CENTURY	0x32
#define RTC_B_DM	0x04	/* binary, not BCD */
#define RTC_B_24H	0x02

struct rtc {
	__u8 index;
	__u8 cmos[128];
};

void rtc__init(struct rtc *rtc);
/* @unix_time: the host's time, seconds since the epoch (UTC). */
__u8 rtc__read(struct rtc *rtc, __u16 port, __s64 unix_time);
void rtc__write(struct rtc *rtc, __u16 port, __u8 val);

#endif /* VMM_RTC_H */
