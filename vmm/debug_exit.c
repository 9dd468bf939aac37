// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "debug_exit.h"
#include "devices.h"
#include "pio.h"
#include "vcpu.h"

int debug_exit__setup(void)
{
	return pio__register(DEBUG_EXIT_PORT, DEBUG_EXIT_NR_PORTS,
			     debug_exit__io, NULL);
}

void debug_exit__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		    bool is_write, void *opaque)
{
	(void)opaque;
	if (!is_write) {
		memset(data, 0xff, size);
		return;
	}
	/* Only the port itself: 0xf5..0xf7 are reserved for wider OUTs. */
	if (port == DEBUG_EXIT_PORT)
		vcpu_stop(v, data[0]);	/* little-endian: N & 0xff */
}

static int debug_exit_device_init(struct vm_devices *d)
{
	(void)d;
	return debug_exit__setup();
}

const struct device debug_exit_device = {
	.name = "debug-exit",
	.help = "port 0xf4: an OUT of N ends the run with exit status N & 0xff",
	.init = debug_exit_device_init,
};
