/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux bzImage loading through the 64-bit boot protocol (Linux
 * Documentation/arch/x86/boot.rst, "64-bit Boot Protocol"). Guest memory
 * layout:
 *
 *	0x00500  GDT: null, null, 0x10 64-bit code, 0x18 data (__BOOT_CS/DS)
 *	0x07000  boot_params (the "zero page"), setup header copied in
 *	0x08ff0  RSP
 *	0x09000  page tables: PML4, PDPT, 4 PDs identity-mapping 4 GiB (2 MiB pages)
 *	0x20000  the command line
 *	0x100000 the protected-mode kernel (file offset (setup_sects + 1) * 512)
 *	top      the initrd, as high as RAM and initrd_addr_max allow (1 MiB aligned)
 *
 * e820: [0, 0x9fc00) RAM, [0x9fc00, 1 MiB) reserved, [1 MiB, --mem) RAM.
 * Entry at 0x100200 in 64-bit mode, RSI = boot_params, RFLAGS.IF = 0.
 */
#ifndef VMM_BZIMAGE_H
#define VMM_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "uapi/minivmm.h"
#include "guest_mem.h"

/* Offsets in boot_params (Documentation/arch/x86/zero-page.rst). */
#define BZ_EXT_RAMDISK_IMAGE	0x0c0
#define BZ_EXT_RAMDISK_SIZE	0x0c4
#define BZ_EXT_CMD_LINE_PTR	0x0c8
#define BZ_E820_ENTRIES		0x1e8
#define BZ_SETUP_SECTS		0x1f1
#define BZ_VID_MODE		0x1fa
#define BZ_BOOT_FLAG		0x1fe
#define BZ_JUMP			0x200
#define BZ_HEADER		0x202
#define BZ_VERSION		0x206
#define BZ_TYPE_OF_LOADER	0x210
#define BZ_LOADFLAGS		0x211
#define BZ_RAMDISK_IMAGE	0x218
#define BZ_RAMDISK_SIZE		0x21c
#define BZ_HEAP_END_PTR		0x224
#define BZ_CMD_LINE_PTR		0x228
#define BZ_INITRD_ADDR_MAX	0x22c
#define BZ_KERNEL_ALIGNMENT	0x230
#define BZ_RELOCATABLE		0x234
#define BZ_XLOADFLAGS		0x236
#define BZ_CMDLINE_SIZE		0x238
#define BZ_PREF_ADDRESS		0x258
#define BZ_INIT_SIZE		0x260
#define BZ_E820_TABLE		0x2d0
#define BZ_E820_MAX		128

#define BZ_MIN_VERSION		0x020c	/* xloadflags: the 64-bit entry is announced */
#define BZ_XLF_KERNEL_64	0x1
#define BZ_CAN_USE_HEAP		0x80
#define BZ_LOADER_UNDEFINED	0xff

#define BZ_GDT_ADDR		0x500ull
#define BZ_BOOT_PARAMS_ADDR	0x7000ull
#define BZ_STACK_TOP		0x8ff0ull
#define BZ_PML4_ADDR		0x9000ull
#define BZ_CMDLINE_ADDR		0x20000ull
#define BZ_KERNEL_ADDR		0x100000ull
#define BZ_ENTRY_OFFSET		0x200	/* the 64-bit entry point */
/* Where the kernel decompresses itself (LOAD_PHYSICAL_ADDR, with nokaslr). */
#define BZ_DECOMPRESS_ADDR	0x1000000ull

#define BZ_E820_RAM		1
#define BZ_E820_RESERVED	2
#define BZ_LOW_RAM_END		0x9fc00ull	/* EBDA and ROM area above */

/* The command line minivmm gives a kernel; --append adds to it. */
#define BZ_DEFAULT_CMDLINE \
	"console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr noapic " \
	"nolapic acpi=off pci=off tsc=reliable no_timer_check io_delay=none " \
	"reboot=k panic=-1 nowatchdog 8250.nr_uarts=1"

struct bzimage_hdr {
	__u16 version;
	__u8 setup_sects;		/* 0 read as 4 */
	__u8 loadflags;
	__u16 xloadflags;
	__u32 initrd_addr_max;
	__u32 cmdline_size;
	__u64 pref_address;
	__u32 init_size;
	size_t setup_size;		/* (setup_sects + 1) * 512 */
	size_t kernel_size;		/* the rest of the file */
};

/* Whether @data is a bzImage minivmm can boot; one line on @err if not. */
int bzimage_parse(const void *data, size_t size, struct bzimage_hdr *h,
		  FILE *err);

/*
 * Load kernel (@data/@size) and @initrd (NULL for none) into @mem, write
 * boot_params, the command line @cmdline, the e820 map, GDT and page
 * tables, and fill @s/@r for the 64-bit entry. 0 or VMM_EXIT_BAD_IMAGE
 * (message on @err).
 */
int bzimage_load(const void *data, size_t size, const void *initrd,
		 size_t initrd_size, const char *cmdline,
		 const struct guest_mem *mem, struct minivmm_sregs *s,
		 struct minivmm_regs *r, FILE *err);

#endif /* VMM_BZIMAGE_H */
