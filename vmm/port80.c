// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0x80, the POST-code port that Linux's outb_p() writes to as an I/O
 * delay (io_delay=0x80, the default): writes ignored, reads 0xff, and no
 * "unhandled port" line for what is normal traffic.
 */
#include <string.h>

#include "devices.h"
#include "pio.h"

static void port80_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		      bool is_write, void *opaque)
{
	(void)v, (void)port, (void)opaque;
	if (!is_write)
		memset(data, 0xff, size);
}

static int port80_init(struct vm_devices *d)
{
	(void)d;
	return pio__register(0x80, 1, port80_io, NULL);
}

const struct device port80_device = {
	.name = "port80",
	.help = "port 0x80 (POST codes, I/O delay): writes ignored",
	.init = port80_init,
};
