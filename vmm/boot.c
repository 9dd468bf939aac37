// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "boot.h"

__u64 boot_seg_desc(const struct minivmm_segment *seg)
{
	__u64 limit = seg->g ? seg->limit >> 12 : seg->limit;

	return (limit & 0xffff) |
	       (seg->base & 0xffffff) << 16 |
	       (__u64)(seg->type & 0xf) << 40 |
	       (__u64)(seg->s & 1) << 44 |
	       (__u64)(seg->dpl & 3) << 45 |
	       (__u64)(seg->present & 1) << 47 |
	       ((limit >> 16) & 0xf) << 48 |
	       (__u64)(seg->avl & 1) << 52 |
	       (__u64)(seg->l & 1) << 53 |
	       (__u64)(seg->db & 1) << 54 |
	       (__u64)(seg->g & 1) << 55 |
	       ((seg->base >> 24) & 0xff) << 56;
}

/* The 16-byte descriptor of a 64-bit TSS, into @d[0..1]. */
static void boot_tss_desc(const struct minivmm_segment *tr, __u64 d[2])
{
	struct minivmm_segment sys = *tr;

	sys.s = 0;
	d[0] = boot_seg_desc(&sys);
	d[1] = tr->base >> 32;
}

static void boot_page_tables(const struct guest_mem *mem)
{
	__u64 *pml4 = guest_mem_ptr(mem, BOOT_PML4_ADDR, GUEST_PAGE_SIZE);
	__u64 *pdpt = guest_mem_ptr(mem, BOOT_PDPT_ADDR, GUEST_PAGE_SIZE);
	__u64 *pd = guest_mem_ptr(mem, BOOT_PD_ADDR,
				  BOOT_NR_PDS * GUEST_PAGE_SIZE);
	unsigned int i;

	memset(pml4, 0, GUEST_PAGE_SIZE);
	memset(pdpt, 0, GUEST_PAGE_SIZE);
	pml4[0] = BOOT_PDPT_ADDR | PTE_P | PTE_RW;
	for (i = 0; i < BOOT_NR_PDS; i++)
		pdpt[i] = (BOOT_PD_ADDR + i * GUEST_PAGE_SIZE) | PTE_P | PTE_RW;
	/* 4 x 512 entries, each 2 MiB: entry i maps i << 21. */
	for (i = 0; i < BOOT_NR_PDS * 512; i++)
		pd[i] = (__u64)i << 21 | PTE_P | PTE_RW | PTE_PS;
}

/*
 * The GDT, TSS and segments the ELF64 and the Multiboot entry share (the
 * layout in boot.h): flat 4 GiB, only CS differs, 64-bit (L) or 32-bit
 * (D). The caller has checked that @mem holds the GDT and the TSS.
 */
static void boot_flat_segments(const struct guest_mem *mem, bool long_mode,
			       struct minivmm_sregs *s)
{
	const struct minivmm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = BOOT_SEL_CODE64,
		.type = 0xb, .present = 1, .s = 1, .l = long_mode, .db = !long_mode,
		.g = 1,
	};
	const struct minivmm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = BOOT_SEL_DATA,
		.type = 0x3, .present = 1, .s = 1, .db = 1, .g = 1,
	};
	const struct minivmm_segment tr = {
		.base = BOOT_TSS_ADDR, .limit = BOOT_TSS_SIZE - 1,
		.selector = BOOT_SEL_TSS, .type = 0xb, .present = 1,
	};
	__u64 *gdt;
	__u8 *tss;

	gdt = guest_mem_ptr(mem, BOOT_GDT_ADDR, BOOT_GDT_LIMIT + 1);
	memset(gdt, 0, BOOT_GDT_LIMIT + 1);
	gdt[BOOT_SEL_CODE64 / 8] = boot_seg_desc(&code);
	gdt[BOOT_SEL_DATA / 8] = boot_seg_desc(&data);
	boot_tss_desc(&tr, &gdt[BOOT_SEL_TSS / 8]);

	tss = guest_mem_ptr(mem, BOOT_TSS_ADDR, BOOT_TSS_SIZE);
	memset(tss, 0, BOOT_TSS_SIZE);
	tss[102] = BOOT_TSS_SIZE;	/* I/O map base past the limit: no map */

	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->tr = tr;
	s->ldt = (struct minivmm_segment) { .type = 0x2, .unusable = 1 };
	s->gdt = (struct minivmm_dtable) {
		.base = BOOT_GDT_ADDR, .limit = BOOT_GDT_LIMIT,
	};
	s->idt = (struct minivmm_dtable) { .base = 0, .limit = 0 };
}

int boot_long_mode(const struct guest_mem *mem, __u64 entry,
		   struct minivmm_sregs *s, struct minivmm_regs *r)
{
	if (!guest_mem_contains(mem, 0, BOOT_STACK_TOP))
		return -ENOSPC;

	boot_flat_segments(mem, true, s);
	boot_page_tables(mem);
	s->cr0 = BOOT_LM_CR0;
	s->cr3 = BOOT_PML4_ADDR;
	s->cr4 = BOOT_LM_CR4;
	s->efer = BOOT_LM_EFER;

	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rsp = BOOT_STACK_TOP;
	r->rflags = BOOT_RFLAGS;
	return 0;
}

int boot_protected_mode(const struct guest_mem *mem, __u32 entry,
			struct minivmm_sregs *s, struct minivmm_regs *r)
{
	if (!guest_mem_contains(mem, 0, BOOT_TSS_ADDR + BOOT_TSS_SIZE))
		return -ENOSPC;

	boot_flat_segments(mem, false, s);
	s->cr0 = BOOT_PM_CR0;
	s->cr3 = 0;
	s->cr4 = 0;
	s->efer = 0;

	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rflags = BOOT_RFLAGS;
	return 0;
}

static struct minivmm_segment boot_real_seg(__u16 selector, __u8 type)
{
	return (struct minivmm_segment) {
		.base = (__u64)selector << 4, .limit = 0xffff,
		.selector = selector, .type = type, .present = 1, .s = 1,
	};
}

void boot_real_mode(__u64 load_addr, struct minivmm_sregs *s,
		    struct minivmm_regs *r)
{
	__u16 sel = load_addr >> 4;

	s->cs = boot_real_seg(sel, 0xb);
	s->ds = s->es = s->fs = s->gs = boot_real_seg(sel, 0x3);
	s->ss = boot_real_seg(0, 0x3);
	s->tr = (struct minivmm_segment) {
		.limit = 0xff, .type = 0xb, .present = 1,
	};
	s->ldt = (struct minivmm_segment) { .type = 0x2, .unusable = 1 };
	s->gdt = (struct minivmm_dtable) { .base = 0, .limit = 0xffff };
	s->idt = (struct minivmm_dtable) { .base = 0, .limit = 0x3ff };
	s->cr0 = BOOT_REAL_CR0;
	s->cr3 = 0;
	s->cr4 = 0;
	s->efer = 0;

	memset(r, 0, sizeof(*r));
	r->rip = 0;
	r->rsp = load_addr < BOOT_REAL_SP_MAX ? load_addr : BOOT_REAL_SP_MAX;
	r->rflags = BOOT_RFLAGS;
}
