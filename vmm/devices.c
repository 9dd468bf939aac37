// SPDX-License-Identifier: GPL-2.0
#include <time.h>

#include "devices.h"
#include "die.h"
#include "pio.h"

extern const struct device i8259_device, i8254_device, serial_device,
	rtc_device, port80_device, pci_stub_device, i8042_device,
	debug_exit_device, mmio_scratch_device, fw_cfg_device, lapic_device;

/* The one table: a new device adds its file and a line here. */
const struct device *const devices[] = {
	&i8259_device,		/* first: the others raise IRQs at init */
	&lapic_device,		/* in front of it */
	&i8254_device,
	&serial_device,
	&rtc_device,
	&i8042_device,
	&port80_device,
	&pci_stub_device,
	&debug_exit_device,
	&mmio_scratch_device,
	&fw_cfg_device,
};

const unsigned int nr_devices = sizeof(devices) / sizeof(devices[0]);

int devices__init(struct vm_devices *d, const char **failed)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_devices; i++) {
		ret = devices[i]->init(d);
		if (ret) {
			*failed = devices[i]->name;
			return ret;
		}
	}
	return 0;
}

void devices__exit(void)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++)
		if (devices[i]->exit)
			devices[i]->exit();
	pio__reset();
}

__u64 devices__next_deadline(void)
{
	__u64 best = 0, t;
	unsigned int i;

	for (i = 0; i < nr_devices; i++) {
		if (!devices[i]->next_deadline)
			continue;
		t = devices[i]->next_deadline();
		if (t && (!best || t < best))
			best = t;
	}
	return best;
}

void devices__tick(__u64 now)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++)
		if (devices[i]->tick)
			devices[i]->tick(now);
}

void devices__report(FILE *f)
{
	unsigned int i;

	char buf[160];

	for (i = 0; i < nr_devices; i++)
		if (devices[i]->report && devices[i]->report(buf, sizeof(buf)) > 0)
			fprintf(f, VMM_PROG ": stats: device %s: %s\n", devices[i]->name, buf);
}

void devices__print_help(FILE *f)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++)
		fprintf(f, "  %-12s %s\n", devices[i]->name, devices[i]->help);
}

__u64 devices__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
