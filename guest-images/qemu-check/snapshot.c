// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-check: snapshot STUB IMAGE OUT. Loads the ELF IMAGE into guest
 * memory with minivmm's loader and long-mode boot code, then writes OUT =
 * the 4 KiB multiboot STUB (mb64.S, patched with the snapshot size and
 * the entry point) followed by guest memory from 0 to the image's end.
 */
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "image.h"

#define STUB_SIZE	4096
#define STUB_SNAP_SIZE	0x800

int main(int argc, char **argv)
{
	static const unsigned char gdtr[] = { 0x27, 0, 0x00, 0x10, 0, 0 };
	struct minivmm_sregs sregs = { 0 };
	struct minivmm_regs regs;
	struct image_info info;
	unsigned char stub[STUB_SIZE], *far;
	struct guest_mem mem;
	struct image img;
	unsigned int size, entry;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: snapshot STUB IMAGE OUT\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fread(stub, 1, STUB_SIZE, f) != STUB_SIZE)
		return 1;
	fclose(f);
	if (image_read(argv[2], &img, stderr) ||
	    guest_mem_alloc(&mem, GUEST_MEM_DEFAULT) ||
	    image_load(&img, BOOT_FLAT_LOAD_ADDR, &mem, &info, stderr))
		return 1;
	if (info.kind != IMAGE_ELF ||
	    boot_long_mode(&mem, info.entry, &sregs, &regs))
		return 1;
	/* mb64.S's far pointer follows its GDTR: patch the offset. */
	far = memmem(stub, STUB_SNAP_SIZE, gdtr, sizeof(gdtr));
	if (!far)
		return 1;
	entry = info.entry;
	size = info.end;
	memcpy(far + sizeof(gdtr), &entry, 4);
	memcpy(stub + STUB_SNAP_SIZE, &size, 4);
	f = fopen(argv[3], "wb");
	if (!f || fwrite(stub, 1, STUB_SIZE, f) != STUB_SIZE ||
	    fwrite(mem.host, 1, size, f) != size || fclose(f))
		return 1;
	return 0;
}
