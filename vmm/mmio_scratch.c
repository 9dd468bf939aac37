// SPDX-License-Identifier: GPL-2.0
/*
 * An 8-byte MMIO scratch register at 0xd0001000, MMIO's counterpart of
 * the UART's scratch register: what the guest writes, at any size and
 * offset, it reads back. guest-images/mmiorw.c and docs/exits/mmio.md
 * use it to show MMIO exits of 1, 2, 4 and 8 bytes both ways.
 */
#include <string.h>

#include "devices.h"
#include "mmio.h"

#define SCRATCH_ADDR	0xd0001000ull
#define SCRATCH_LEN	8

static __u8 scratch[SCRATCH_LEN];

static void scratch_mmio(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
			 bool is_write, void *opaque)
{
	__u64 off = addr - SCRATCH_ADDR;

	(void)v, (void)opaque;
	/* An access running past the end: the bytes beyond read all ones. */
	if (is_write) {
		memcpy(scratch + off, data, off + len > SCRATCH_LEN ? SCRATCH_LEN - off : len);
		return;
	}
	memset(data, 0xff, len);
	memcpy(data, scratch + off, off + len > SCRATCH_LEN ? SCRATCH_LEN - off : len);
}

static int scratch_init(struct vm_devices *d)
{
	(void)d;
	memset(scratch, 0, sizeof(scratch));
	return mmio__register(SCRATCH_ADDR, SCRATCH_LEN, scratch_mmio, NULL);
}

static void scratch_exit(void)
{
	mmio__unregister(SCRATCH_ADDR);
}

const struct device mmio_scratch_device = {
	.name = "scratch",
	.help = "MMIO 0xd0001000, 8 bytes: reads back what was written (1-8 byte accesses)",
	.init = scratch_init,
	.exit = scratch_exit,
};
