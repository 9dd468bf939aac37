// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "boot.h"
#include "bzimage.h"
#include "die.h"
#include "exit_status.h"

static __u16 bz_get16(const __u8 *p, size_t off)
{
	return p[off] | p[off + 1] << 8;
}

static __u32 bz_get32(const __u8 *p, size_t off)
{
	return bz_get16(p, off) | (__u32)bz_get16(p, off + 2) << 16;
}

static __u64 bz_get64(const __u8 *p, size_t off)
{
	return bz_get32(p, off) | (__u64)bz_get32(p, off + 4) << 32;
}

static void bz_put16(__u8 *p, size_t off, __u16 v)
{
	p[off] = v;
	p[off + 1] = v >> 8;
}

static void bz_put32(__u8 *p, size_t off, __u32 v)
{
	bz_put16(p, off, v);
	bz_put16(p, off + 2, v >> 16);
}

static void bz_put64(__u8 *p, size_t off, __u64 v)
{
	bz_put32(p, off, v);
	bz_put32(p, off + 4, v >> 32);
}

int bzimage_parse(const void *data, size_t size, struct bzimage_hdr *h,
		  FILE *err)
{
	const __u8 *p = data;

	if (size < BZ_INIT_SIZE + 4 || bz_get16(p, BZ_BOOT_FLAG) != 0xaa55 ||
	    memcmp(p + BZ_HEADER, "HdrS", 4)) {
		fprintf(err, VMM_PROG ": run: not a Linux bzImage (no boot flag 0xaa55 and \"HdrS\" header)\n");
		return VMM_EXIT_BAD_IMAGE;
	}
	*h = (struct bzimage_hdr) {
		.version = bz_get16(p, BZ_VERSION),
		.setup_sects = p[BZ_SETUP_SECTS] ? p[BZ_SETUP_SECTS] : 4,
		.loadflags = p[BZ_LOADFLAGS],
	};
	if (h->version < BZ_MIN_VERSION) {
		fprintf(err, VMM_PROG ": run: bzImage boot protocol %u.%02u is too old: minivmm needs 2.12 (Linux 3.8) or later for the 64-bit entry\n",
			h->version >> 8, h->version & 0xff);
		return VMM_EXIT_BAD_IMAGE;
	}
	h->xloadflags = bz_get16(p, BZ_XLOADFLAGS);
	h->initrd_addr_max = bz_get32(p, BZ_INITRD_ADDR_MAX);
	h->cmdline_size = bz_get32(p, BZ_CMDLINE_SIZE);
	h->pref_address = bz_get64(p, BZ_PREF_ADDRESS);
	h->init_size = bz_get32(p, BZ_INIT_SIZE);
	if (!(h->xloadflags & BZ_XLF_KERNEL_64)) {
		fprintf(err, VMM_PROG ": run: this bzImage has no 64-bit entry point (xloadflags bit 0 clear): a 32-bit kernel?\n");
		return VMM_EXIT_BAD_IMAGE;
	}
	h->setup_size = (h->setup_sects + 1) * 512ul;
	if (size <= h->setup_size) {
		fprintf(err, VMM_PROG ": run: bzImage truncated: %zu bytes, its setup code alone is %zu\n",
			size, h->setup_size);
		return VMM_EXIT_BAD_IMAGE;
	}
	h->kernel_size = size - h->setup_size;
	return 0;
}

/* The kernel's flat GDT: 0x10 64-bit code, 0x18 data (boot.rst). */
static void bz_segments(const struct guest_mem *mem, struct minivmm_sregs *s)
{
	struct minivmm_segment code = {
		.limit = 0xffffffff, .selector = 0x10, .type = 0xb,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct minivmm_segment data = {
		.limit = 0xffffffff, .selector = 0x18, .type = 0x3,
		.present = 1, .s = 1, .db = 1, .g = 1,
	};
	__u64 *gdt = guest_mem_ptr(mem, BZ_GDT_ADDR, 4 * 8);

	gdt[0] = gdt[1] = 0;
	gdt[2] = boot_seg_desc(&code);
	gdt[3] = boot_seg_desc(&data);
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	/* VMX needs a usable busy TSS in IA-32e mode; the kernel loads its own. */
	s->tr = (struct minivmm_segment) {
		.limit = 0x67, .type = 0xb, .present = 1,
	};
	s->ldt = (struct minivmm_segment) { .unusable = 1, .type = 0x2 };
	s->gdt = (struct minivmm_dtable) { .base = BZ_GDT_ADDR, .limit = 4 * 8 - 1 };
	/* Limit 0: a fault before the kernel has an IDT is a triple fault. */
	s->idt = (struct minivmm_dtable) { .base = 0, .limit = 0 };
}

/* PML4 → PDPT → 4 PDs of 2 MiB pages: the first 4 GiB, identity-mapped. */
static void bz_page_tables(const struct guest_mem *mem)
{
	__u64 *pml4 = guest_mem_ptr(mem, BZ_PML4_ADDR, 6 * GUEST_PAGE_SIZE);
	__u64 *pdpt = pml4 + 512, *pd = pml4 + 1024;
	unsigned int i;

	memset(pml4, 0, 6 * GUEST_PAGE_SIZE);
	pml4[0] = (BZ_PML4_ADDR + GUEST_PAGE_SIZE) | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BZ_PML4_ADDR + (2 + i) * GUEST_PAGE_SIZE) | PTE_P | PTE_RW;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = (__u64)i << 21 | PTE_P | PTE_RW | PTE_PS;
}

static void bz_e820(__u8 *bp, __u64 mem_size)
{
	const __u64 map[3][3] = {
		{ 0, BZ_LOW_RAM_END, BZ_E820_RAM },
		{ BZ_LOW_RAM_END, BZ_KERNEL_ADDR - BZ_LOW_RAM_END, BZ_E820_RESERVED },
		{ BZ_KERNEL_ADDR, mem_size - BZ_KERNEL_ADDR, BZ_E820_RAM },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		bz_put64(bp, BZ_E820_TABLE + 20 * i, map[i][0]);
		bz_put64(bp, BZ_E820_TABLE + 20 * i + 8, map[i][1]);
		bz_put32(bp, BZ_E820_TABLE + 20 * i + 16, map[i][2]);
	}
	bp[BZ_E820_ENTRIES] = 3;
}

int bzimage_load(const void *data, size_t size, const void *initrd,
		 size_t initrd_size, const char *cmdline,
		 const struct guest_mem *mem, struct minivmm_sregs *s,
		 struct minivmm_regs *r, FILE *err)
{
	const __u8 *p = data;
	struct bzimage_hdr h;
	__u64 kernel_end, initrd_addr = 0, top;
	size_t cmd_len = strlen(cmdline) + 1, hdr_end;
	__u8 *bp;
	int ret;

	ret = bzimage_parse(data, size, &h, err);
	if (ret)
		return ret;
	/* The kernel decompresses to 16 MiB and needs init_size from there. */
	kernel_end = BZ_DECOMPRESS_ADDR + h.init_size;
	if (kernel_end > mem->size || BZ_KERNEL_ADDR + h.kernel_size > mem->size) {
		fprintf(err, VMM_PROG ": run: the kernel needs %llu MiB of guest memory (it unpacks to 16 MiB + %u KiB), --mem gives %llu MiB\n",
			(unsigned long long)((kernel_end + (1 << 20) - 1) >> 20),
			h.init_size >> 10, (unsigned long long)(mem->size >> 20));
		return VMM_EXIT_BAD_IMAGE;
	}
	if (h.cmdline_size && cmd_len > (size_t)h.cmdline_size + 1) {
		fprintf(err, VMM_PROG ": run: command line of %zu bytes; this kernel takes at most %u\n",
			cmd_len - 1, h.cmdline_size);
		return VMM_EXIT_BAD_IMAGE;
	}
	if (initrd) {
		top = mem->size;
		if (h.initrd_addr_max && top > (__u64)h.initrd_addr_max + 1)
			top = (__u64)h.initrd_addr_max + 1;
		initrd_addr = top >= initrd_size ?
			      ((top - initrd_size) & ~((1ull << 20) - 1)) : 0;
		if (initrd_size > top || initrd_addr < kernel_end) {
			fprintf(err, VMM_PROG ": run: the initrd (%zu KiB) does not fit above the kernel in %llu MiB of guest memory: raise --mem\n",
				initrd_size >> 10, (unsigned long long)(mem->size >> 20));
			return VMM_EXIT_BAD_IMAGE;
		}
		memcpy(guest_mem_ptr(mem, initrd_addr, initrd_size), initrd, initrd_size);
	}
	memcpy(guest_mem_ptr(mem, BZ_KERNEL_ADDR, h.kernel_size),
	       p + h.setup_size, h.kernel_size);
	memcpy(guest_mem_ptr(mem, BZ_CMDLINE_ADDR, cmd_len), cmdline, cmd_len);

	/* A zero page with only the setup header copied (not the sentinel). */
	bp = guest_mem_ptr(mem, BZ_BOOT_PARAMS_ADDR, GUEST_PAGE_SIZE);
	hdr_end = BZ_JUMP + 2 + p[BZ_JUMP + 1];
	if (!bp || hdr_end > size)
		return VMM_EXIT_BAD_IMAGE;	/* cannot be: mem > 16 MiB, size > setup */
	memset(bp, 0, GUEST_PAGE_SIZE);
	memcpy(bp + BZ_SETUP_SECTS, p + BZ_SETUP_SECTS, hdr_end - BZ_SETUP_SECTS);
	bz_put16(bp, BZ_VID_MODE, 0xffff);
	bp[BZ_TYPE_OF_LOADER] = BZ_LOADER_UNDEFINED;
	bp[BZ_LOADFLAGS] |= BZ_CAN_USE_HEAP;
	bz_put16(bp, BZ_HEAP_END_PTR, 0xfe00 - 0x200);
	bz_put32(bp, BZ_CMD_LINE_PTR, BZ_CMDLINE_ADDR);
	bz_put32(bp, BZ_RAMDISK_IMAGE, initrd_addr);
	bz_put32(bp, BZ_RAMDISK_SIZE, initrd ? initrd_size : 0);
	bz_e820(bp, mem->size);

	bz_segments(mem, s);
	bz_page_tables(mem);
	s->cr0 = 0x80000031;		/* PG|NE|ET|PE */
	s->cr3 = BZ_PML4_ADDR;
	s->cr4 = 0x20;			/* PAE */
	s->efer = 0x500;		/* LMA|LME */
	memset(r, 0, sizeof(*r));
	r->rip = BZ_KERNEL_ADDR + BZ_ENTRY_OFFSET;
	r->rsi = BZ_BOOT_PARAMS_ADDR;
	r->rsp = BZ_STACK_TOP;
	r->rflags = BOOT_RFLAGS;
	return 0;
}
