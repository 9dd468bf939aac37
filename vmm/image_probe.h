/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recognise kernels minivmm cannot boot yet by their headers, so that
 * `minivmm run` refuses them by name instead of starting their first
 * bytes as a real-mode flat binary (or calling them a bad ELF).
 */
#ifndef VMM_IMAGE_PROBE_H
#define VMM_IMAGE_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A Linux bzImage: the boot sector signature 0xaa55 at 0x1fe and the
 * setup header magic "HdrS" at 0x202. On true *@version is the boot
 * protocol version from 0x206 (0x020f is 2.15).
 */
bool image_probe_bzimage(const void *data, size_t size,
			 unsigned int *version);

enum image_multiboot {
	IMAGE_MULTIBOOT_NONE,
	IMAGE_MULTIBOOT1,	/* 0x1badb002, 4-aligned in the first 8 KiB */
	IMAGE_MULTIBOOT2,	/* 0xe85250d6, 8-aligned in the first 32 KiB */
};

/*
 * A Multiboot or Multiboot2 header whose checksum holds, wholly inside
 * the part of the file the specification says a loader searches. On a
 * hit *@offset is where the header starts.
 */
enum image_multiboot image_probe_multiboot(const void *data, size_t size,
					   size_t *offset);

#endif /* VMM_IMAGE_PROBE_H */
