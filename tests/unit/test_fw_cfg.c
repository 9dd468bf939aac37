// SPDX-License-Identifier: GPL-2.0
/* fw_cfg's legacy port interface as a test kernel reads it. */
#include <string.h>
#include <criterion/criterion.h>

#include "devices.h"
#include "pio.h"
#include "vcpu.h"

extern const struct device fw_cfg_device;

static struct vcpu v;

static void setup(void)
{
	memset(&v, 0, sizeof(v));
	v.err = stderr;
	pio__reset();
	cr_assert_eq(fw_cfg_device.init(NULL), 0);
	fw_cfg__set(16ull << 20, "console=ttyS0");
}

static void teardown(void)
{
	pio__reset();
}

TestSuite(fw_cfg, .init = setup, .fini = teardown);

/* Select @key (a 16-bit OUT to 0x510), read @n bytes from 0x511. */
static void fw_read(__u16 key, __u8 *buf, __u32 n)
{
	pio__io(&v, 0x510, (__u8 *)&key, 2, 1, true);
	pio__io(&v, 0x511, buf, 1, n, false);
}

Test(fw_cfg, items)
{
	__u8 b[80];
	__u64 ram;
	__u32 u32;
	__u16 u16;

	fw_read(0x0000, b, 5);
	cr_assert(!memcmp(b, "QEMU", 4) && b[4] == 0, "signature, then zeros");
	fw_read(0x0001, (__u8 *)&u32, 4);
	cr_assert_eq(u32, 1, "traditional interface, no DMA");
	fw_read(0x0003, (__u8 *)&ram, 8);
	cr_assert_eq(ram, 16ull << 20);
	fw_read(0x0005, (__u8 *)&u16, 2);
	cr_assert_eq(u16, 1);
	fw_read(0x0014, (__u8 *)&u32, 4);
	cr_assert_eq(u32, 14);
	fw_read(0x0015, b, 14);
	cr_assert_str_eq((char *)b, "console=ttyS0");
	/* The directory: one file, big-endian count, size and selector. */
	fw_read(0x0019, b, 68);
	cr_assert(b[0] == 0 && b[3] == 1);
	cr_assert_eq(b[8], 0x00);
	cr_assert_eq(b[9], 0x20);
	cr_assert_str_eq((char *)b + 12, "etc/minivmm/version");
	fw_read(0x0020, b, b[7]);
	cr_assert(b[0] >= '0' && b[0] <= '9', "a version string");
	memset(b, 0xaa, 4);
	fw_read(0x1234, b, 4);
	cr_assert(!b[0] && !b[1] && !b[2] && !b[3], "an unknown item reads zeros");
}

Test(fw_cfg, reads_continue_and_reselecting_restarts)
{
	unsigned int i;
	__u8 b[16];

	fw_read(0x0015, b, 4);
	cr_assert(!memcmp(b, "cons", 4));
	pio__io(&v, 0x511, b, 1, 4, false);
	cr_assert(!memcmp(b, "ole=", 4), "the next read goes on where the last stopped");
	pio__io(&v, 0x511, b, 1, 1, true);
	pio__io(&v, 0x511, b, 1, 2, false);
	cr_assert(!memcmp(b, "tt", 2), "a write to the data port neither lands nor moves on");
	pio__io(&v, 0x511, b, 1, 16, false);
	cr_assert(!memcmp(b, "yS0", 4), "the rest and its NUL");
	for (i = 4; i < 16; i++)
		cr_assert_eq(b[i], 0, "zeros past the end");
	fw_read(0x0015, b, 4);
	cr_assert(!memcmp(b, "cons", 4), "selecting the same item again starts it over");
	fw_read(0x0000, b, 4);
	fw_read(0x0015, b, 4);
	cr_assert(!memcmp(b, "cons", 4), "and so does coming back to it");
}

Test(fw_cfg, set_reaches_the_selected_item)
{
	__u8 b[8];

	fw_read(0x0015, b, 3);
	fw_cfg__set(16ull << 20, "abcdefg");
	pio__io(&v, 0x511, b, 1, 5, false);
	cr_assert(!memcmp(b, "defg", 5), "the new command line, at the same offset");
}
