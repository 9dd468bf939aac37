// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <linux/types.h>

#include "image_probe.h"

/* Linux Documentation/arch/x86/boot.rst: the real-mode kernel header. */
#define BZ_BOOT_FLAG_OFF	0x1fe
#define BZ_BOOT_FLAG		0xaa55
#define BZ_HEADER_OFF		0x202
#define BZ_HEADER_MAGIC		"HdrS"
#define BZ_VERSION_OFF		0x206

/* The Multiboot 0.6.96 and Multiboot2 specifications. */
#define MB1_MAGIC		0x1badb002u
#define MB1_SEARCH		8192
#define MB1_ALIGN		4
#define MB1_HEADER_SIZE		12	/* magic, flags, checksum */
#define MB2_MAGIC		0xe85250d6u
#define MB2_SEARCH		32768
#define MB2_ALIGN		8
#define MB2_HEADER_SIZE		16	/* magic, architecture, length, checksum */

/* Little-endian loads from a byte buffer, alignment not assumed. */
static __u16 get_le16(const __u8 *p)
{
	return p[0] | p[1] << 8;
}

static __u32 get_le32(const __u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

bool image_probe_bzimage(const void *data, size_t size,
			 unsigned int *version)
{
	const __u8 *p = data;

	if (size < BZ_VERSION_OFF + 2)
		return false;
	if (get_le16(p + BZ_BOOT_FLAG_OFF) != BZ_BOOT_FLAG ||
	    memcmp(p + BZ_HEADER_OFF, BZ_HEADER_MAGIC, 4))
		return false;
	*version = get_le16(p + BZ_VERSION_OFF);
	return true;
}

/* The words of a header sum to 0 mod 2^32: the specification's checksum. */
static bool mb_checksum_ok(const __u8 *p, unsigned int words)
{
	__u32 sum = 0;
	unsigned int i;

	for (i = 0; i < words; i++)
		sum += get_le32(p + 4 * i);
	return sum == 0;
}

/* Search [0, min(@size, @search)) in steps of @align for one header. */
static bool mb_find(const __u8 *p, size_t size, size_t search, size_t align,
		    __u32 magic, size_t header_size, size_t *offset)
{
	size_t end = size < search ? size : search;
	size_t off;

	for (off = 0; off + header_size <= end; off += align) {
		if (get_le32(p + off) == magic &&
		    mb_checksum_ok(p + off, header_size / 4)) {
			*offset = off;
			return true;
		}
	}
	return false;
}

enum image_multiboot image_probe_multiboot(const void *data, size_t size,
					   size_t *offset)
{
	if (mb_find(data, size, MB1_SEARCH, MB1_ALIGN, MB1_MAGIC,
		    MB1_HEADER_SIZE, offset))
		return IMAGE_MULTIBOOT1;
	if (mb_find(data, size, MB2_SEARCH, MB2_ALIGN, MB2_MAGIC,
		    MB2_HEADER_SIZE, offset))
		return IMAGE_MULTIBOOT2;
	return IMAGE_MULTIBOOT_NONE;
}
