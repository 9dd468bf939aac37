// SPDX-License-Identifier: GPL-2.0
/* Multiboot v1: the header checks, ELF32 loading, the information block. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "exit_status.h"
#include "guest_mem.h"
#include "helpers.h"
#include "multiboot.h"

#define MEM_SIZE	(4ull << 20)

static struct guest_mem mem;
static struct membuf errb;

static void setup(void)
{
	cr_assert_eq(guest_mem_alloc(&mem, MEM_SIZE), 0);
	membuf_open(&errb);
}

static void teardown(void)
{
	guest_mem_free(&mem);
	if (errb.f)
		free(membuf_str(&errb));
}

TestSuite(multiboot, .init = setup, .fini = teardown);

/* An i386 ELF32 kernel: one PT_LOAD of 0x100 file bytes at 1 MiB, 0x2000 in memory. */
struct mb_elf {
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	__u32 mb[3];
	__u8 code[0x100];
};

static void make_mb_elf(struct mb_elf *k, __u32 flags)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->eh.e_ident, ELFMAG, SELFMAG);
	k->eh.e_ident[EI_CLASS] = ELFCLASS32;
	k->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	k->eh.e_type = ET_EXEC;
	k->eh.e_machine = EM_386;
	k->eh.e_entry = 0x100010;
	k->eh.e_phoff = offsetof(struct mb_elf, ph);
	k->eh.e_phentsize = sizeof(Elf32_Phdr);
	k->eh.e_phnum = 1;
	k->ph.p_type = PT_LOAD;
	k->ph.p_offset = offsetof(struct mb_elf, code);
	k->ph.p_paddr = k->ph.p_vaddr = 0x100000;
	k->ph.p_filesz = sizeof(k->code);
	k->ph.p_memsz = 0x2000;
	k->mb[0] = MB_MAGIC;
	k->mb[1] = flags;
	k->mb[2] = -(MB_MAGIC + flags);
	memset(k->code, 0x90, sizeof(k->code));
}

static __u32 rd32(__u64 gpa)
{
	__u32 v;

	memcpy(&v, guest_mem_ptr(&mem, gpa, 4), 4);
	return v;
}

static void expect_error(const struct image *img, const char *want)
{
	struct mb_boot b = { .image_name = "k" };
	struct image_info info;
	char *msg;

	cr_assert_eq(multiboot_load(img, &b, &mem, &info, errb.f), VMM_EXIT_BAD_IMAGE);
	msg = membuf_str(&errb);
	cr_assert(strstr(msg, want), "%s", msg);
	free(msg);
	membuf_open(&errb);
}

Test(multiboot, header_checks)
{
	static struct mb_elf k;
	struct image img = { .path = "k", .data = &k, .size = sizeof(k) };

	make_mb_elf(&k, 3);
	k.mb[2]++;
	cr_assert(multiboot_elf32_with_magic(&img), "a wrong checksum is still meant as Multiboot");
	k.eh.e_ident[EI_CLASS] = ELFCLASS64;
	cr_assert_not(multiboot_elf32_with_magic(&img));

	make_mb_elf(&k, 3);
	k.mb[2]++;
	expect_error(&img, "header checksum wrong");
	make_mb_elf(&k, 3 | 4);
	expect_error(&img, "flag 2 asks for a video mode");
	make_mb_elf(&k, 3 | 8);
	expect_error(&img, "unsupported required header flags 0x8");
	make_mb_elf(&k, 3);
	k.eh.e_machine = EM_X86_64;
	expect_error(&img, "not an i386 ELF32 executable");
	make_mb_elf(&k, 3);
	k.eh.e_entry = 0x200000;
	expect_error(&img, "entry 0x200000 is in no loaded segment");
	make_mb_elf(&k, 3);
	k.ph.p_paddr = 0x8000;		/* over the information block */
	expect_error(&img, "outside guest memory above 64 KiB");
}

/* The ELF loaded, .bss zeroed, the information block as the spec lays it out. */
Test(multiboot, elf32_and_info_block)
{
	static struct mb_elf k;
	struct image img = { .path = "kernel.elf", .data = &k, .size = sizeof(k) };
	char mod[] = "/tmp/minivmm-mod-XXXXXX";
	struct mb_boot b = { .image_name = "kernel.elf", .append = "console=ttyS0 x=1" };
	struct image_info info;
	const char *s;
	__u32 m;

	make_mb_elf(&k, 3);
	write_tmpfile(mod, "MODULE-DATA", 11);
	b.mods[0].path = mod;
	b.mods[0].args = "arg1 arg2";
	b.nr_mods = 1;
	memset(mem.host, 0xcc, mem.size);
	cr_assert_eq(multiboot_load(&img, &b, &mem, &info, errb.f), 0);
	unlink(mod);
	cr_assert_eq(info.kind, IMAGE_MULTIBOOT);
	cr_assert_eq(info.entry, 0x100010);
	cr_assert_eq(*(__u8 *)guest_mem_ptr(&mem, 0x1000ff, 1), 0x90);
	cr_assert_eq(*(__u8 *)guest_mem_ptr(&mem, 0x101fff, 1), 0, ".bss zeroed");
	cr_assert_eq(rd32(MB_INFO_ADDR) & 0x24d, 0x24d, "mem, cmdline, mods, mmap, name");
	cr_assert_eq(rd32(MB_INFO_ADDR + 4), 640);
	cr_assert_eq(rd32(MB_INFO_ADDR + 8), (MEM_SIZE >> 10) - 1024);
	s = guest_mem_ptr(&mem, rd32(MB_INFO_ADDR + 16), 1);
	cr_assert_str_eq(s, "kernel.elf console=ttyS0 x=1");
	cr_assert_eq(rd32(MB_INFO_ADDR + 20), 1);
	m = rd32(MB_INFO_ADDR + 24);
	cr_assert_eq(rd32(m), 0x102000, "after the kernel, page-aligned");
	cr_assert_eq(rd32(m + 4), 0x102000 + 11);
	cr_assert_eq(memcmp(guest_mem_ptr(&mem, 0x102000, 11), "MODULE-DATA", 11), 0);
	s = guest_mem_ptr(&mem, rd32(m + 8), 1);
	cr_assert(!strncmp(s, "/tmp/minivmm-mod-", 17) && strstr(s, " arg1 arg2"), "%s", s);
	/* Three map entries of 24 bytes: RAM, the hole, RAM from 1 MiB. */
	cr_assert_eq(rd32(MB_INFO_ADDR + 44), 72);
	m = rd32(MB_INFO_ADDR + 48);
	cr_assert_eq(rd32(m), 20);
	cr_assert_eq(rd32(m + 20), 1);
	cr_assert_eq(rd32(m + 24 + 20), 2);
	cr_assert_eq(rd32(m + 48 + 4), 0x100000);
	cr_assert_eq(rd32(m + 48 + 12), MEM_SIZE - 0x100000);
	s = guest_mem_ptr(&mem, rd32(MB_INFO_ADDR + 64), 1);
	cr_assert_str_eq(s, "minivmm");
}

/* The a.out kludge: the file placed by header_addr - load_addr, .bss to bss_end. */
Test(multiboot, aout_kludge)
{
	static __u32 k[0x400];
	struct image img = { .path = "k", .data = k, .size = sizeof(k) };
	struct mb_boot b = { .image_name = "k" };
	struct image_info info;

	k[0x10] = MB_MAGIC;
	k[0x11] = 0x10002;
	k[0x12] = -(MB_MAGIC + 0x10002);
	k[0x13] = 0x200040;	/* the header is at file offset 0x40 */
	k[0x14] = 0x200000;
	k[0x15] = 0x200800;	/* load 0x800 bytes */
	k[0x16] = 0x203000;
	k[0x17] = 0x200100;
	k[0x300] = 0xdeadbeef;	/* file offset 0xc00: past load_end, not loaded */
	memset(mem.host, 0xcc, mem.size);
	cr_assert_eq(multiboot_load(&img, &b, &mem, &info, errb.f), 0, "%s", membuf_str(&errb));
	cr_assert_eq(info.entry, 0x200100);
	cr_assert_eq(rd32(0x200040), MB_MAGIC);
	cr_assert_eq(rd32(0x200c00), 0, "zeroed up to bss_end_addr");
	cr_assert_eq(info.end, 0x203000);
	k[0x17] = 0x300000;	/* entry outside */
	expect_error(&img, "entry_addr 0x300000 outside what is loaded");
}
