// SPDX-License-Identifier: GPL-2.0
/*
 * The bzImage loader (vmm/bzimage.c) against the real header of Debian's
 * vmlinuz-6.1.0-56-amd64 (its first 1 KiB, tests/unit/data/), and the
 * boot_params offsets against the kernel's own <asm/bootparam.h>.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <asm/bootparam.h>
#include <criterion/criterion.h>

#include "bzimage.h"
#include "exit_status.h"
#include "guest_mem.h"
#include "helpers.h"

#define HEAD_PATH	MINIVMM_SRCDIR "/tests/unit/data/vmlinuz-6.1.0-56-amd64.head"
#define SETUP_SIZE	(40 * 512)	/* setup_sects 0x27 + 1 */
#define PAYLOAD		4096

static __u8 *img;
static size_t img_size;
static struct guest_mem mem;
static struct membuf errb;

static void setup(void)
{
	FILE *f = fopen(HEAD_PATH, "rb");
	size_t i;

	cr_assert_not_null(f, "%s", HEAD_PATH);
	img_size = SETUP_SIZE + PAYLOAD;
	img = calloc(1, img_size);
	cr_assert_eq(fread(img, 1, 1024, f), 1024);
	fclose(f);
	for (i = 0; i < PAYLOAD; i++)
		img[SETUP_SIZE + i] = i * 7;
	mem = (struct guest_mem) { 0 };
}

static void teardown(void)
{
	free(img);
	if (mem.host)
		guest_mem_free(&mem);
	if (errb.f)
		free(membuf_str(&errb));
}

TestSuite(bzimage, .init = setup, .fini = teardown);

static __u32 get32(const __u8 *p, size_t off)
{
	__u32 v;

	memcpy(&v, p + off, 4);
	return v;
}

Test(bzimage, offsets_match_asm_bootparam)
{
	cr_assert_eq(offsetof(struct boot_params, e820_entries), BZ_E820_ENTRIES);
	cr_assert_eq(offsetof(struct boot_params, e820_table), BZ_E820_TABLE);
	cr_assert_eq(offsetof(struct boot_params, hdr), BZ_SETUP_SECTS);
	cr_assert_eq(offsetof(struct boot_params, hdr.cmd_line_ptr), BZ_CMD_LINE_PTR);
	cr_assert_eq(offsetof(struct boot_params, hdr.ramdisk_image), BZ_RAMDISK_IMAGE);
	cr_assert_eq(offsetof(struct boot_params, hdr.ramdisk_size), BZ_RAMDISK_SIZE);
	cr_assert_eq(offsetof(struct boot_params, hdr.init_size), BZ_INIT_SIZE);
	cr_assert_eq(offsetof(struct boot_params, hdr.type_of_loader), BZ_TYPE_OF_LOADER);
	cr_assert_eq(offsetof(struct boot_params, hdr.loadflags), BZ_LOADFLAGS);
	cr_assert_eq(offsetof(struct boot_params, hdr.xloadflags), BZ_XLOADFLAGS);
	cr_assert_eq(offsetof(struct boot_params, hdr.initrd_addr_max), BZ_INITRD_ADDR_MAX);
	cr_assert_eq(offsetof(struct boot_params, hdr.cmdline_size), BZ_CMDLINE_SIZE);
	cr_assert_eq(offsetof(struct boot_params, hdr.vid_mode), BZ_VID_MODE);
	cr_assert_eq(offsetof(struct boot_params, ext_ramdisk_image), BZ_EXT_RAMDISK_IMAGE);
	cr_assert_eq(sizeof(struct boot_e820_entry), 20);
	cr_assert_eq(sizeof(struct boot_params), GUEST_PAGE_SIZE);
}

Test(bzimage, parse_the_real_header)
{
	struct bzimage_hdr h;

	cr_assert_eq(bzimage_parse(img, img_size, &h, stderr), 0);
	cr_assert_eq(h.version, 0x020f, "boot protocol 2.15");
	cr_assert_eq(h.setup_sects, 0x27);
	cr_assert_eq(h.setup_size, SETUP_SIZE);
	cr_assert_eq(h.kernel_size, PAYLOAD);
	cr_assert(h.xloadflags & BZ_XLF_KERNEL_64);
	cr_assert_eq(h.init_size, 0x3f98000);
	cr_assert_eq(h.initrd_addr_max, 0x7fffffff);
	cr_assert_eq(h.cmdline_size, 0x7ff);
}

Test(bzimage, load_fills_boot_params)
{
	static const __u8 initrd[3000] = { 1, 2, 3 };
	struct minivmm_sregs s = { 0 };
	struct minivmm_regs r;
	const struct boot_params *bp;
	const char *cmd = "console=ttyS0 quiet";
	__u32 rd;

	cr_assert_eq(guest_mem_alloc(&mem, 128ull << 20), 0);
	cr_assert_eq(bzimage_load(img, img_size, initrd, sizeof(initrd), cmd, &mem,
				  &s, &r, stderr), 0);
	bp = guest_mem_ptr(&mem, BZ_BOOT_PARAMS_ADDR, sizeof(*bp));
	/* The setup header as the file has it, but for what a loader sets. */
	cr_assert_eq(bp->hdr.setup_sects, 0x27);
	cr_assert_eq(bp->hdr.version, 0x020f);
	cr_assert_eq(memcmp(&bp->hdr.header, "HdrS", 4), 0);
	cr_assert_eq(bp->hdr.init_size, 0x3f98000);
	cr_assert_eq(bp->sentinel, 0, "sentinel not copied");
	cr_assert_eq(bp->hdr.type_of_loader, 0xff);
	cr_assert(bp->hdr.loadflags & CAN_USE_HEAP);
	cr_assert(bp->hdr.loadflags & LOADED_HIGH, "the file's own flag kept");
	cr_assert_eq(bp->hdr.vid_mode, 0xffff);
	cr_assert_eq(bp->hdr.cmd_line_ptr, BZ_CMDLINE_ADDR);
	cr_assert_str_eq((const char *)mem.host + BZ_CMDLINE_ADDR, cmd);
	/* The initrd: at the top of RAM, 1 MiB aligned, above the kernel. */
	rd = bp->hdr.ramdisk_image;
	cr_assert_eq(bp->hdr.ramdisk_size, sizeof(initrd));
	cr_assert_eq(rd % (1 << 20), 0);
	cr_assert_eq(rd, (128u << 20) - (1 << 20));
	cr_assert_eq(memcmp((const char *)mem.host + rd, initrd, sizeof(initrd)), 0);
	/* e820: low RAM, the legacy hole, RAM above 1 MiB. */
	cr_assert_eq(bp->e820_entries, 3);
	cr_assert_eq(bp->e820_table[0].addr, 0);
	cr_assert_eq(bp->e820_table[0].size, 0x9fc00);
	cr_assert_eq(bp->e820_table[0].type, 1);
	cr_assert_eq(bp->e820_table[1].addr, 0x9fc00);
	cr_assert_eq(bp->e820_table[1].type, 2);
	cr_assert_eq(bp->e820_table[2].addr, 0x100000);
	cr_assert_eq(bp->e820_table[2].size, (128ull << 20) - 0x100000);
	cr_assert_eq(bp->e820_table[2].type, 1);
	/* The protected-mode kernel at 1 MiB. */
	cr_assert_eq(memcmp((const char *)mem.host + BZ_KERNEL_ADDR, img + SETUP_SIZE,
			    PAYLOAD), 0);
	/* 64-bit entry state (boot.rst). */
	cr_assert_eq(r.rip, 0x100200);
	cr_assert_eq(r.rsi, BZ_BOOT_PARAMS_ADDR);
	cr_assert_eq(r.rflags, 2, "IF clear");
	cr_assert_eq(s.cs.selector, 0x10);
	cr_assert(s.cs.l);
	cr_assert_eq(s.ds.selector, 0x18);
	cr_assert_eq(s.ss.selector, 0x18);
	cr_assert_eq(s.cr0 & 0x80000001, 0x80000001, "PG|PE");
	cr_assert_eq(s.cr4 & 0x20, 0x20, "PAE");
	cr_assert_eq(s.efer & 0x500, 0x500, "LME|LMA");
	cr_assert_eq(get32(mem.host, s.cr3) & ~0xfffu, BZ_PML4_ADDR + 0x1000, "PML4[0]");
}

static int load_err(const __u8 *data, size_t size, __u64 mem_mb, size_t rd_size,
		    const char *cmd, char **msg)
{
	struct minivmm_sregs s = { 0 };
	struct minivmm_regs r;
	static __u8 rd[1];
	int ret;

	if (mem.host)
		guest_mem_free(&mem);
	cr_assert_eq(guest_mem_alloc(&mem, mem_mb << 20), 0);
	ret = bzimage_load(data, size, rd_size ? rd : NULL, rd_size, cmd, &mem,
			   &s, &r, membuf_open(&errb));
	*msg = membuf_str(&errb);
	return ret;
}

Test(bzimage, bad_images_refused)
{
	char *m;

	cr_assert_eq(load_err(img, SETUP_SIZE, 128, 0, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "truncated"), "%s", m);
	free(m);
	cr_assert_eq(load_err(img, 0x200, 128, 0, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "not a Linux bzImage"), "%s", m);
	free(m);
	img[0x206] = 0x0b;				/* protocol 2.11 */
	cr_assert_eq(load_err(img, img_size, 128, 0, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "2.11 is too old"), "%s", m);
	free(m);
	img[0x206] = 0x0f;
	img[0x236] &= ~BZ_XLF_KERNEL_64;
	cr_assert_eq(load_err(img, img_size, 128, 0, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "no 64-bit entry point"), "%s", m);
	free(m);
	img[0x236] |= BZ_XLF_KERNEL_64;
	/* 16 MiB + init_size (63.6 MiB) does not fit in 64 MiB. */
	cr_assert_eq(load_err(img, img_size, 64, 0, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "needs 80 MiB"), "%s", m);
	free(m);
	/* An initrd too big to fit above the kernel. */
	cr_assert_eq(load_err(img, img_size, 96, 40 << 20, "", &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "does not fit above the kernel"), "%s", m);
	free(m);
	errb.f = NULL;
}

Test(bzimage, cmdline_too_long)
{
	char *cmd = malloc(3000), *m;

	memset(cmd, 'a', 2999);
	cmd[2999] = '\0';
	cr_assert_eq(load_err(img, img_size, 128, 0, cmd, &m), VMM_EXIT_BAD_IMAGE);
	cr_assert(strstr(m, "takes at most 2047"), "%s", m);
	free(m);
	free(cmd);
	errb.f = NULL;
}
