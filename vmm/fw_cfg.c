// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's fw_cfg, the legacy port interface test kernels read (QEMU's
 * docs/specs/fw_cfg.rst): a 16-bit OUT to port 0x510 selects an item,
 * byte reads from port 0x511 return it from its start, then zeros past
 * its end. No DMA interface (the ID says so), nothing writable. Items:
 *
 *   0x0000 signature "QEMU"      0x0001 ID: 1 (traditional interface)
 *   0x0003 RAM size, u64         0x0005 number of CPUs, u16: 1
 *   0x000f max CPUs, u16: 1      0x0014 command line size, u32
 *   0x0015 command line, NUL-terminated
 *   0x0019 the file directory: one file, etc/minivmm/version, at 0x0020
 *
 * Numbers are little-endian, as QEMU's; the directory is big-endian.
 */
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "pio.h"
#include "version.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_MAX_ITEM		4096

static struct {
	__u16 selector;
	__u32 offset;
	__u32 len;			/* of item, the selected one */
	__u8 item[FW_CFG_MAX_ITEM];
	__u64 ram_size;
	char cmdline[FW_CFG_MAX_ITEM];
} fw;

/* Item @key into @buf (at most @max bytes): its length, 0 if none. */
static __u32 fw_cfg_item(__u16 key, __u8 *buf, __u32 max)
{
	static const char version_file[] = "etc/minivmm/version";
	__u32 n = 0, v32;
	__u16 v16;

	memset(buf, 0, max);
	switch (key) {
	case 0x0000:
		memcpy(buf, "QEMU", 4);
		return 4;
	case 0x0001:
		v32 = 1;
		memcpy(buf, &v32, 4);
		return 4;
	case 0x0003:
		memcpy(buf, &fw.ram_size, 8);
		return 8;
	case 0x0005:
	case 0x000f:
		v16 = 1;
		memcpy(buf, &v16, 2);
		return 2;
	case 0x0014:
		v32 = strlen(fw.cmdline) + 1;
		memcpy(buf, &v32, 4);
		return 4;
	case 0x0015:
		n = strlen(fw.cmdline) + 1;
		memcpy(buf, fw.cmdline, n);
		return n;
	case 0x0019:	/* count, then {size, select, reserved, name[56]}, big-endian */
		buf[3] = 1;
		n = sizeof(MINIVMM_CLI_VERSION);
		buf[4 + 3] = n & 0xff;
		buf[4 + 2] = n >> 8;
		buf[4 + 4] = FW_CFG_FILE_FIRST >> 8;
		buf[4 + 5] = FW_CFG_FILE_FIRST & 0xff;
		memcpy(buf + 4 + 8, version_file, sizeof(version_file));
		return 4 + 64;
	case FW_CFG_FILE_FIRST:
		memcpy(buf, MINIVMM_CLI_VERSION, sizeof(MINIVMM_CLI_VERSION));
		return sizeof(MINIVMM_CLI_VERSION);
	default:
		return 0;
	}
}

/*
 * Build the selected item once, not at every byte read (the command line
 * is up to 4 KiB); again when fw_cfg__set() changes what it holds.
 */
static void fw_cfg_load(void)
{
	fw.len = fw_cfg_item(fw.selector, fw.item, sizeof(fw.item));
}

static void fw_cfg_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		      bool is_write, void *opaque)
{
	__u32 i;

	(void)v, (void)opaque;
	if (port == FW_CFG_PORT_SEL) {
		if (is_write) {
			memcpy(&fw.selector, data, size < 2 ? size : 2);
			fw.offset = 0;
			fw_cfg_load();
		} else {
			memset(data, 0xff, size);
		}
		return;
	}
	if (is_write)
		return;		/* nothing is writable */
	for (i = 0; i < size; i++, fw.offset++)
		data[i] = fw.offset < fw.len ? fw.item[fw.offset] : 0;
}

void fw_cfg__set(__u64 ram_size, const char *cmdline)
{
	fw.ram_size = ram_size;
	snprintf(fw.cmdline, sizeof(fw.cmdline), "%s", cmdline ? cmdline : "");
	fw_cfg_load();
}

static int fw_cfg_init(struct vm_devices *d)
{
	(void)d;
	fw.selector = 0;
	fw.offset = 0;
	fw_cfg_load();
	return pio__register(FW_CFG_PORT_SEL, 2, fw_cfg_io, NULL);
}

const struct device fw_cfg_device = {
	.name = "fw_cfg",
	.help = "ports 0x510/0x511: QEMU's fw_cfg (legacy interface): signature, RAM size, CPUs, command line, files",
	.init = fw_cfg_init,
};
