// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <string.h>

#include "boot.h"
#include "die.h"
#include "exit_status.h"
#include "multiboot.h"

#define MB_INFO_SIZE		0x100		/* the block, up to the VBE fields */
#define MB_MMAP_ADDR		(MB_INFO_ADDR + 0x100)
#define MB_MODS_ADDR		(MB_INFO_ADDR + 0x200)
#define MB_STR_ADDR		(MB_INFO_ADDR + 0x400)
#define MB_LOW_RAM_END		0xa0000ull	/* 640 KiB, then the legacy hole */
#define MB_MIN_LOAD		MB_INFO_END	/* kernels and modules above this */

/* Information-block flags (Multiboot 3.3). */
#define MB_I_MEM		(1u << 0)
#define MB_I_CMDLINE		(1u << 2)
#define MB_I_MODS		(1u << 3)
#define MB_I_MMAP		(1u << 6)
#define MB_I_LOADER_NAME	(1u << 9)

static int mb_error(FILE *err, const struct image *img, const char *msg,
		    unsigned long long a)
{
	fprintf(err, VMM_PROG ": run: %s: Multiboot: ", img->path);
	fprintf(err, msg, a);
	fputc('\n', err);
	return VMM_EXIT_BAD_IMAGE;
}

bool multiboot_elf32_with_magic(const struct image *img)
{
	const unsigned char *d = img->data;
	size_t o, end = img->size < MB_SEARCH ? img->size : MB_SEARCH;
	__u32 m;

	if (img->size < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) || d[EI_CLASS] != ELFCLASS32)
		return false;
	for (o = 0; o + 4 <= end; o += 4) {
		memcpy(&m, d + o, 4);
		if (m == MB_MAGIC)
			return true;
	}
	return false;
}

int multiboot_header(const struct image *img, struct mb_header *h, size_t *off,
		     FILE *err)
{
	size_t o, end = img->size < MB_SEARCH ? img->size : MB_SEARCH;
	__u32 required;

	for (o = 0; o + 12 <= end; o += 4) {
		memcpy(h, (const __u8 *)img->data + o, 12);
		if (h->magic == MB_MAGIC)
			break;
	}
	if (o + 12 > end)
		return mb_error(err, img, "no header in the first %llu bytes", MB_SEARCH);
	*off = o;
	if ((__u32)(h->magic + h->flags + h->checksum))
		return mb_error(err, img, "header checksum wrong (flags %#llx)", h->flags);
	/* Bits 0-15 must be understood (3.1.2); 0 and 1 are, 2 is not. */
	required = h->flags & 0xffff;
	if (required & MB_F_VIDEO)
		return mb_error(err, img, "flag 2 asks for a video mode: minivmm has a serial console only (flags %#llx)",
				h->flags);
	if (required & ~(MB_F_PAGE_ALIGN | MB_F_MEMINFO))
		return mb_error(err, img, "unsupported required header flags %#llx",
				required & ~(MB_F_PAGE_ALIGN | MB_F_MEMINFO));
	if (h->flags & MB_F_AOUT_KLUDGE) {
		if (o + sizeof(*h) > img->size)
			return mb_error(err, img, "a.out-kludge header cut short at offset %#llx", o);
		memcpy(h, (const __u8 *)img->data + o, sizeof(*h));
	}
	return 0;
}

/* Copy @len file bytes at @foff to @gpa and zero up to @memsz. */
static int mb_place(const struct image *img, const struct guest_mem *mem,
		    __u64 gpa, __u64 foff, __u64 len, __u64 memsz, FILE *err)
{
	__u8 *dst;

	if (len > memsz || foff > img->size || len > img->size - foff)
		return mb_error(err, img, "a segment at %#llx lies outside the file", gpa);
	if (gpa < MB_MIN_LOAD || !guest_mem_contains(mem, gpa, memsz))
		return mb_error(err, img, "a segment at %#llx lies outside guest memory above 64 KiB (try a bigger --mem)",
				gpa);
	dst = guest_mem_ptr(mem, gpa, memsz);
	memcpy(dst, (const __u8 *)img->data + foff, len);
	memset(dst + len, 0, memsz - len);
	return 0;
}

static int mb_load_aout(const struct image *img, const struct mb_header *h,
			size_t off, const struct guest_mem *mem,
			struct image_info *info, FILE *err)
{
	__u64 foff, len, memsz;

	/* The header's own address tells where the file's bytes go. */
	if (h->header_addr < h->load_addr || h->header_addr - h->load_addr > off)
		return mb_error(err, img, "a.out kludge: header_addr %#llx is below load_addr or before the file",
				h->header_addr);
	foff = off - (h->header_addr - h->load_addr);
	len = h->load_end_addr ? (__u64)h->load_end_addr - h->load_addr : img->size - foff;
	if (h->load_end_addr && h->load_end_addr < h->load_addr)
		return mb_error(err, img, "a.out kludge: load_end_addr %#llx below load_addr",
				h->load_end_addr);
	memsz = h->bss_end_addr > h->load_addr + len ? (__u64)h->bss_end_addr - h->load_addr : len;
	if (mb_place(img, mem, h->load_addr, foff, len, memsz, err))
		return VMM_EXIT_BAD_IMAGE;
	if (h->entry_addr < h->load_addr || h->entry_addr >= h->load_addr + memsz)
		return mb_error(err, img, "a.out kludge: entry_addr %#llx outside what is loaded",
				h->entry_addr);
	info->entry = h->entry_addr;
	info->start = h->load_addr;
	info->end = h->load_addr + memsz;
	info->nr_segments = 1;
	return 0;
}

static int mb_load_elf32(const struct image *img, const struct guest_mem *mem,
			 struct image_info *info, FILE *err)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned int i;
	bool entry_in = false;

	if (img->size < sizeof(eh))
		return mb_error(err, img, "not ELF32 and no a.out kludge (flag 16): %llu bytes", img->size);
	memcpy(&eh, img->data, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_machine != EM_386 || eh.e_type != ET_EXEC)
		return mb_error(err, img, "not an i386 ELF32 executable, and no a.out kludge (flag 16) (e_machine %llu)",
				eh.e_machine);
	if (eh.e_phentsize != sizeof(ph) || eh.e_phoff > img->size ||
	    (__u64)eh.e_phnum * sizeof(ph) > img->size - eh.e_phoff)
		return mb_error(err, img, "program headers outside the file (%llu)", eh.e_phnum);
	info->start = ~0ull;
	info->end = 0;
	info->nr_segments = 0;
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, (const __u8 *)img->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (mb_place(img, mem, ph.p_paddr, ph.p_offset, ph.p_filesz, ph.p_memsz, err))
			return VMM_EXIT_BAD_IMAGE;
		if (ph.p_paddr < info->start)
			info->start = ph.p_paddr;
		if ((__u64)ph.p_paddr + ph.p_memsz > info->end)
			info->end = (__u64)ph.p_paddr + ph.p_memsz;
		if (eh.e_entry >= ph.p_paddr && eh.e_entry < (__u64)ph.p_paddr + ph.p_memsz)
			entry_in = true;
		info->nr_segments++;
	}
	if (!info->nr_segments || !entry_in)
		return mb_error(err, img, "entry %#llx is in no loaded segment", eh.e_entry);
	info->entry = eh.e_entry;
	return 0;
}

/* Append @s (and @t after a space, if any) to the string area: its address, 0 if full. */
static __u32 mb_string(const struct guest_mem *mem, __u64 *next, const char *s,
		       const char *t)
{
	size_t len = strlen(s) + (t ? 1 + strlen(t) : 0) + 1;
	__u64 at = *next;
	char *dst;

	if (at + len > MB_INFO_END)
		return 0;
	dst = guest_mem_ptr(mem, at, len);
	strcpy(dst, s);
	if (t) {
		strcat(dst, " ");
		strcat(dst, t);
	}
	*next = at + len;
	return at;
}

static void mb_put32(const struct guest_mem *mem, __u64 gpa, __u32 v)
{
	memcpy(guest_mem_ptr(mem, gpa, 4), &v, 4);
}

static void mb_mmap_entry(const struct guest_mem *mem, __u64 *at, __u64 base,
			  __u64 len, __u32 type)
{
	__u8 *e = guest_mem_ptr(mem, *at, 24);
	__u32 size = 20;	/* the entry after its size field */

	memcpy(e, &size, 4);
	memcpy(e + 4, &base, 8);
	memcpy(e + 12, &len, 8);
	memcpy(e + 20, &type, 4);
	*at += 24;
}

/* Modules after the kernel, page by page; their list at MB_MODS_ADDR. */
static int mb_load_modules(const struct image *kernel, const struct mb_boot *b,
			   const struct guest_mem *mem, __u64 *next_str,
			   __u64 from, FILE *err)
{
	__u64 at = (from + 0xfff) & ~0xfffull, size;
	unsigned int i;
	struct image m;
	__u32 str;
	int ret;

	for (i = 0; i < b->nr_mods; i++) {
		ret = image_read(b->mods[i].path, &m, err);
		if (ret)
			return ret;
		if (!guest_mem_contains(mem, at, m.size)) {
			fprintf(err, VMM_PROG ": run: %s: Multiboot: module %s does not fit in guest memory (try a bigger --mem)\n",
				kernel->path, b->mods[i].path);
			image_free(&m);
			return VMM_EXIT_BAD_IMAGE;
		}
		memcpy(guest_mem_ptr(mem, at, m.size), m.data, m.size);
		size = m.size;
		str = mb_string(mem, next_str, b->mods[i].path, b->mods[i].args);
		image_free(&m);
		if (!str)
			return mb_error(err, kernel, "module strings longer than %llu bytes in all",
					MB_INFO_END - MB_STR_ADDR);
		mb_put32(mem, MB_MODS_ADDR + 16 * i, at);
		mb_put32(mem, MB_MODS_ADDR + 16 * i + 4, at + size);
		mb_put32(mem, MB_MODS_ADDR + 16 * i + 8, str);
		mb_put32(mem, MB_MODS_ADDR + 16 * i + 12, 0);
		at = (at + size + 0xfff) & ~0xfffull;
	}
	return 0;
}

int multiboot_load(const struct image *img, const struct mb_boot *b,
		   const struct guest_mem *mem, struct image_info *info,
		   FILE *err)
{
	__u64 next_str = MB_STR_ADDR, map = MB_MMAP_ADDR;
	struct mb_header h;
	__u32 flags, str;
	size_t off;
	int ret;

	ret = multiboot_header(img, &h, &off, err);
	if (ret)
		return ret;
	if (mem->size < (2ull << 20) || mem->size > (4ull << 30))
		return mb_error(err, img, "needs 2 MiB to 4 GiB of guest memory (--mem), not %llu KiB",
				mem->size >> 10);
	ret = (h.flags & MB_F_AOUT_KLUDGE) ? mb_load_aout(img, &h, off, mem, info, err) :
					     mb_load_elf32(img, mem, info, err);
	if (ret)
		return ret;
	info->kind = IMAGE_MULTIBOOT;
	memset(guest_mem_ptr(mem, MB_INFO_ADDR, MB_INFO_END - MB_INFO_ADDR), 0,
	       MB_INFO_END - MB_INFO_ADDR);
	ret = mb_load_modules(img, b, mem, &next_str, info->end, err);
	if (ret)
		return ret;
	/* QEMU's convention: the kernel's name, then --append. */
	str = mb_string(mem, &next_str, b->image_name, b->append);
	if (!str)
		return mb_error(err, img, "command line longer than %llu bytes",
				MB_INFO_END - MB_STR_ADDR);
	flags = MB_I_MEM | MB_I_CMDLINE | MB_I_MMAP | MB_I_LOADER_NAME |
		(b->nr_mods ? MB_I_MODS : 0);
	mb_put32(mem, MB_INFO_ADDR + 0, flags);
	mb_put32(mem, MB_INFO_ADDR + 4, MB_LOW_RAM_END >> 10);		/* mem_lower */
	mb_put32(mem, MB_INFO_ADDR + 8, (mem->size - (1ull << 20)) >> 10);	/* mem_upper */
	mb_put32(mem, MB_INFO_ADDR + 16, str);
	mb_put32(mem, MB_INFO_ADDR + 20, b->nr_mods);
	mb_put32(mem, MB_INFO_ADDR + 24, b->nr_mods ? MB_MODS_ADDR : 0);
	/* Low RAM, the legacy hole (VGA and BIOS areas), RAM from 1 MiB. */
	mb_mmap_entry(mem, &map, 0, MB_LOW_RAM_END, 1);
	mb_mmap_entry(mem, &map, MB_LOW_RAM_END, (1ull << 20) - MB_LOW_RAM_END, 2);
	mb_mmap_entry(mem, &map, 1ull << 20, mem->size - (1ull << 20), 1);
	mb_put32(mem, MB_INFO_ADDR + 44, map - MB_MMAP_ADDR);
	mb_put32(mem, MB_INFO_ADDR + 48, MB_MMAP_ADDR);
	str = mb_string(mem, &next_str, "minivmm", NULL);
	mb_put32(mem, MB_INFO_ADDR + 64, str);
	return 0;
}

void multiboot_entry_state(const struct guest_mem *mem, const struct image_info *info,
			   struct minivmm_sregs *s, struct minivmm_regs *r)
{
	boot_protected_mode(mem, info->entry, s, r);
	r->rax = MB_BOOT_MAGIC;
	r->rbx = MB_INFO_ADDR;
}
