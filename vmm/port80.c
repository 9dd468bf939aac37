// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0x80, the POST-code port that Linux's outb_p() writes to as an I/O
 * delay (io_delay=0x80, the default): writes ignored, reads 0xff, and no
 * "unhandled port" line for what is normal traffic.
 */
#include "devices.h"
#include "pio.h"

static int port80_init(struct vm_devices *d)
{
	(void)d;
	return pio__register_ignore(0x80, 1);
}

const struct device port80_device = {
	.name = "port80",
	.help = "port 0x80 (POST codes, I/O delay): writes ignored, reads 0xff (--exit io=kernel: in the module)",
	.init = port80_init,
};
