// SPDX-License-Identifier: GPL-2.0
/*
 * Just enough of the 8042 keyboard controller to reset the machine:
 * command 0xfe written to port 0x64 pulses the CPU's reset line (how
 * Linux reboots with reboot=k, and its fallback after ACPI). The status
 * register says "input buffer empty" (bit 1 clear), so Linux's kb_wait()
 * never spins, and "output buffer full" (bit 0), so its probe flushes a
 * few bytes, finds nothing that answers and reports "No controller
 * found" at once instead of timing out on each command. Data reads 0.
 */
#include <string.h>

#include "devices.h"
#include "pio.h"
#include "power.h"

#define I8042_DATA_PORT		0x60
#define I8042_STATUS_PORT	0x64
#define I8042_STR_OBF		0x01
#define I8042_CMD_RESET		0xfe

static void i8042_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		     bool is_write, void *opaque)
{
	(void)opaque;
	if (!is_write) {
		memset(data, 0, size);
		if (port == I8042_STATUS_PORT)
			data[0] = I8042_STR_OBF;
		return;
	}
	if (port == I8042_STATUS_PORT && data[0] == I8042_CMD_RESET)
		power__reset(v, "the i8042 reset command (0xfe to port 0x64)");
}

static int i8042_init(struct vm_devices *d)
{
	(void)d;
	return pio__register(I8042_DATA_PORT, 1, i8042_io, NULL) ?:
	       pio__register(I8042_STATUS_PORT, 1, i8042_io, NULL);
}

const struct device i8042_device = {
	.name = "i8042",
	.help = "8042 at 0x60/0x64: only the reset command (0xfe), which ends the run",
	.init = i8042_init,
};
