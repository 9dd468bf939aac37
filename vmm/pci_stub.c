// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism #1 with no device behind it (PCI Local Bus
 * 3.0, 3.2.2.3.2): CONFIG_ADDRESS (0xcf8, 32 bits) holds what is written
 * (Linux's pci_check_type1() writes it and reads it back to find the
 * mechanism), CONFIG_DATA (0xcfc-0xcff) reads all-ones: vendor 0xffff,
 * "no device" for every bus, device and function. Guests that probe see
 * an empty bus instead of a line per port on stderr.
 */
#include <string.h>

#include "devices.h"
#include "pio.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

static __u32 pci_config_address;

static void pci_stub_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
			bool is_write, void *opaque)
{
	(void)v, (void)opaque;
	if (port == PCI_CONFIG_ADDRESS && size == 4) {
		if (is_write)
			memcpy(&pci_config_address, data, 4);
		else
			memcpy(data, &pci_config_address, 4);
		return;
	}
	/* CONFIG_DATA, or a byte access to 0xcf8-0xcfb (mechanism #2 probes). */
	if (!is_write)
		memset(data, 0xff, size);
}

static int pci_stub_init(struct vm_devices *d)
{
	(void)d;
	pci_config_address = 0;
	return pio__register(PCI_CONFIG_ADDRESS, 8, pci_stub_io, NULL);
}

const struct device pci_stub_device = {
	.name = "pci",
	.help = "PCI configuration ports 0xcf8-0xcff: an empty bus (reads all-ones)",
	.init = pci_stub_init,
};
