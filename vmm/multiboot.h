/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (version 0.6.96, "v1") kernels, as QEMU's -kernel boots them:
 * the header's magic 0x1BADB002, flags and checksum in the first 8 KiB;
 * an ELF32 image, or the a.out-kludge addresses when flag 16 is set; the
 * kernel entered in 32-bit protected mode, paging off, flat segments,
 * EAX = 0x2BADB002 and EBX = the guest-physical address of the
 * information block: memory sizes, the command line, the modules and a
 * memory map.
 */
#ifndef VMM_MULTIBOOT_H
#define VMM_MULTIBOOT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "guest_mem.h"
#include "image.h"
#include "uapi/minivmm.h"

#define MB_MAGIC		0x1badb002u
#define MB_BOOT_MAGIC		0x2badb002u
#define MB_SEARCH		8192
#define MB_MAX_MODULES		16
/* Where the information block, its strings and the module list go. */
#define MB_INFO_ADDR		0x9000ull
#define MB_INFO_END		0x10000ull

/* Header flags (Multiboot 3.1.2). */
#define MB_F_PAGE_ALIGN		(1u << 0)	/* modules on 4 KiB boundaries */
#define MB_F_MEMINFO		(1u << 1)	/* mem_* (and the map) wanted */
#define MB_F_VIDEO		(1u << 2)	/* a video mode: not supported */
#define MB_F_AOUT_KLUDGE	(1u << 16)	/* load by the header's addresses */

struct mb_header {
	__u32 magic, flags, checksum;
	__u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct mb_module {
	const char *path;	/* the file */
	const char *args;	/* its string after the path, or NULL */
};

struct mb_boot {
	const char *image_name;	/* the kernel's path, first in its command line */
	const char *append;	/* --append, or NULL */
	struct mb_module mods[MB_MAX_MODULES];
	unsigned int nr_mods;
};

/*
 * An ELF32 file with the Multiboot magic in its first 8 KiB: meant as a
 * Multiboot kernel even when its header is wrong, so the header's error
 * is the one to report.
 */
bool multiboot_elf32_with_magic(const struct image *img);
/*
 * The Multiboot header of @img: 0 and *@h (its offset in *@off), or
 * VMM_EXIT_BAD_IMAGE with the reason on @err (bad checksum, a flag
 * minivmm does not support, an a.out-kludge header that does not fit).
 */
int multiboot_header(const struct image *img, struct mb_header *h, size_t *off,
		     FILE *err);
/*
 * Load the kernel, its modules and the information block into @mem and
 * say where it starts: 0 or VMM_EXIT_BAD_IMAGE (message on @err).
 */
int multiboot_load(const struct image *img, const struct mb_boot *b,
		   const struct guest_mem *mem, struct image_info *info,
		   FILE *err);
/* The entry state: protected mode, flat, EAX/EBX as the spec says. */
void multiboot_entry_state(const struct guest_mem *mem, const struct image_info *info,
			   struct minivmm_sregs *s, struct minivmm_regs *r);

#endif /* VMM_MULTIBOOT_H */
