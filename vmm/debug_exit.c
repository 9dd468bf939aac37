// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "debug_exit.h"
#include "devices.h"
#include "pio.h"
#include "vcpu.h"

static bool debug_exit_qemu;		/* --debug-exit=qemu */
static unsigned int shutdown_matched;	/* bytes of "Shutdown" seen on 0x8900 */

void debug_exit__set_qemu(bool qemu)
{
	debug_exit_qemu = qemu;
}

/*
 * Port 0x8900, Bochs' and QEMU's power-off port: "Shutdown" written to
 * it, a byte at a time, powers the machine off (status 0). Anything else
 * starts the match over.
 */
static void shutdown_port_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
			     bool is_write, void *opaque)
{
	static const char word[] = "Shutdown";
	__u32 i;

	(void)port, (void)opaque;
	if (!is_write) {
		memset(data, 0xff, size);
		return;
	}
	for (i = 0; i < size; i++) {
		if (data[i] == (__u8)word[shutdown_matched])
			shutdown_matched++;
		else
			shutdown_matched = data[i] == (__u8)word[0];
		if (shutdown_matched == sizeof(word) - 1) {
			shutdown_matched = 0;
			vcpu_stop(v, 0);
			return;
		}
	}
}

int debug_exit__setup(void)
{
	int ret = pio__register(DEBUG_EXIT_PORT, DEBUG_EXIT_NR_PORTS,
				debug_exit__io, NULL);

	shutdown_matched = 0;
	return ret ?: pio__register(SHUTDOWN_PORT, 1, shutdown_port_io, NULL);
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
	if (port != DEBUG_EXIT_PORT)
		return;
	/* QEMU's isa-debug-exit: (N << 1) | 1, so 0 is never a guest's exit. */
	if (debug_exit_qemu)
		vcpu_stop(v, ((data[0] << 1) | 1) & 0xff);
	else
		vcpu_stop(v, data[0]);	/* little-endian: N & 0xff */
}

static int debug_exit_device_init(struct vm_devices *d)
{
	(void)d;
	return debug_exit__setup();
}

const struct device debug_exit_device = {
	.name = "debug-exit",
	.help = "port 0xf4: an OUT of N ends the run with exit status N & 0xff (--debug-exit=qemu: (N << 1) | 1); \"Shutdown\" to port 0x8900: status 0",
	.init = debug_exit_device_init,
};
