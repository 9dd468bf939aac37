/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest images: map one, tell ELF64 from flat binaries by its bytes,
 * refuse what minivmm cannot run, and load it into guest memory. Errors
 * are one line on @err, and the functions then return VMM_EXIT_BAD_IMAGE.
 */
#ifndef VMM_IMAGE_H
#define VMM_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "guest_mem.h"

enum image_kind {
	IMAGE_FLAT,		/* anything that is not ELF: real mode */
	IMAGE_ELF,		/* starts with \177ELF: must be ELF64 x86-64 */
	IMAGE_BZIMAGE,		/* --kernel: a Linux bzImage (bzimage.c) */
	IMAGE_MULTIBOOT,	/* a Multiboot v1 kernel (multiboot.c) */
};

struct image {
	const char *path;	/* for messages */
	const void *data;	/* image_read(): a read-only private mapping */
	size_t size;
};

/* Where the image went and where it starts. */
struct image_info {
	enum image_kind kind;
	__u64 entry;		/* ELF e_entry; flat: the load address */
	__u64 start, end;	/* lowest and past-the-highest loaded address */
	unsigned int nr_segments;
};

/*
 * Map the regular file @path read-only: 0 or VMM_EXIT_BAD_IMAGE. Nothing
 * is read yet, so a huge sparse file costs no memory until a loader
 * touches the bytes it copies; a FIFO or device is refused, not opened
 * for reading.
 */
int image_read(const char *path, struct image *img, FILE *err);
/* Unmap what image_read() mapped. */
void image_free(struct image *img);

enum image_kind image_kind(const void *data, size_t size);
const char *image_kind_name(enum image_kind kind);

/*
 * Whether `minivmm run` boots @img: an ELF must be ELF64 little-endian
 * x86-64 ET_EXEC with its program headers inside the file; a Linux
 * bzImage or a Multiboot kernel is refused by name (an x86-64 ET_EXEC
 * with a Multiboot header is ours and runs); anything else is a raw flat
 * binary only when asked for, by @flat (--flat) or a path ending in
 * ".bin". 0 or VMM_EXIT_BAD_IMAGE.
 */
int image_check_format(const struct image *img, bool flat, FILE *err);
/* A Multiboot v1 kernel minivmm boots as such (not one of its own ELF64 guests). */
bool image_is_multiboot(const struct image *img);

/*
 * Copy each PT_LOAD to its p_paddr and zero the rest of its p_memsz. The
 * segments must lie in [BOOT_ELF_MIN_ADDR, memory size) with p_vaddr ==
 * p_paddr (the boot page tables identity-map), and e_entry inside one.
 */
int image_load_elf(const struct image *img, const struct guest_mem *mem,
		   struct image_info *info, FILE *err);

/* Copy the whole file to @load_addr (a multiple of 16, below 1 MiB). */
int image_load_flat(const struct image *img, __u64 load_addr,
		    const struct guest_mem *mem, struct image_info *info,
		    FILE *err);

/* image_kind() and the matching loader (@load_addr: flat only). */
int image_load(const struct image *img, __u64 load_addr,
	       const struct guest_mem *mem, struct image_info *info, FILE *err);

#endif /* VMM_IMAGE_H */
