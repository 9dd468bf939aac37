// SPDX-License-Identifier: GPL-2.0
/* Initial guest state: long-mode page tables, GDT, sregs; real mode. */
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>

#include "boot.h"
#include "guest_mem.h"

static struct guest_mem mem;
static struct minivmm_sregs sregs;
static struct minivmm_regs regs;

static void setup(void)
{
	cr_assert_eq(guest_mem_alloc(&mem, 1ull << 20), 0);
	memset(mem.host, 0xa5, mem.size);	/* the builder must clear */
	memset(&sregs, 0, sizeof(sregs));
	sregs.apic_base = 0xfee00900;		/* as GET_SREGS gave it */
	memset(&regs, 0x5a, sizeof(regs));
}

static void teardown(void)
{
	guest_mem_free(&mem);
}

TestSuite(boot, .init = setup, .fini = teardown);

static __u64 read_u64(__u64 gpa)
{
	__u64 v;

	cr_assert(guest_mem_contains(&mem, gpa, 8), "%#llx outside memory",
		  (unsigned long long)gpa);
	memcpy(&v, (char *)mem.host + gpa, 8);
	return v;
}

/* Walk the 4-level tables from CR3 like the CPU: the physical address, or -1. */
static __u64 translate(__u64 cr3, __u64 va, bool *writable)
{
	__u64 e;

	*writable = true;
	e = read_u64((cr3 & PTE_ADDR_MASK) + ((va >> 39) & 511) * 8);
	if (!(e & PTE_P))
		return ~0ull;
	*writable &= !!(e & PTE_RW);
	e = read_u64((e & PTE_ADDR_MASK) + ((va >> 30) & 511) * 8);
	if (!(e & PTE_P))
		return ~0ull;
	*writable &= !!(e & PTE_RW);
	cr_assert(!(e & PTE_PS), "no 1 GiB pages expected");
	e = read_u64((e & PTE_ADDR_MASK) + ((va >> 21) & 511) * 8);
	if (!(e & PTE_P))
		return ~0ull;
	*writable &= !!(e & PTE_RW);
	cr_assert(e & PTE_PS, "2 MiB pages expected at %#llx",
		  (unsigned long long)va);
	return (e & PTE_ADDR_MASK & ~0x1fffffull) | (va & 0x1fffff);
}

Test(boot, long_mode_page_tables_identity_map_4g)
{
	static const __u64 vas[] = {
		0, 0x1000, 0x100000, 0x1fffff, 0x200000, 0x3fffffff,
		0x40000000, 0x40001234, 0x7fffffff, 0x80000000,
		0xc0200abc, 0xd0000000, 0xfee00000, 0xffffffff,
	};
	unsigned int i;
	bool w;

	cr_assert_eq(boot_long_mode(&mem, 0x100000, &sregs, &regs), 0);
	cr_assert_eq(sregs.cr3, BOOT_PML4_ADDR);
	for (i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
		cr_assert_eq(translate(sregs.cr3, vas[i], &w), vas[i],
			     "%#llx", (unsigned long long)vas[i]);
		cr_assert(w, "%#llx read-only", (unsigned long long)vas[i]);
	}
	cr_assert_eq(translate(sregs.cr3, 0x100000000ull, &w), ~0ull,
		     "4 GiB and up unmapped");
	cr_assert_eq(translate(sregs.cr3, 0x8000000000ull, &w), ~0ull);
	cr_assert_eq(translate(sregs.cr3, 0xffffffff80000000ull, &w), ~0ull);
	/* The rest of PML4 and PDPT are clear, not left over. */
	for (i = 1; i < 512; i++)
		cr_assert_eq(read_u64(BOOT_PML4_ADDR + i * 8), 0);
	for (i = 4; i < 512; i++)
		cr_assert_eq(read_u64(BOOT_PDPT_ADDR + i * 8), 0);
}

Test(boot, long_mode_tables_below_the_stack_and_image)
{
	cr_assert_lt(BOOT_PD_ADDR + BOOT_NR_PDS * 0x1000, BOOT_STACK_TOP);
	cr_assert_leq(BOOT_STACK_TOP, BOOT_ELF_MIN_ADDR);
	cr_assert_lt(BOOT_GDT_ADDR + BOOT_GDT_LIMIT + 1, BOOT_TSS_ADDR + 1);
	cr_assert_leq(BOOT_TSS_ADDR + BOOT_TSS_SIZE, BOOT_PML4_ADDR);
}

/* The GDT descriptor of @seg must be the one in guest memory. */
static void check_gdt_entry(const struct minivmm_segment *seg)
{
	__u64 d = read_u64(sregs.gdt.base + seg->selector);

	cr_assert_eq(d, boot_seg_desc(seg), "selector %#x", seg->selector);
}

Test(boot, long_mode_sregs_and_gdt)
{
	__u64 tss_lo, tss_hi;

	cr_assert_eq(boot_long_mode(&mem, 0x100123, &sregs, &regs), 0);
	cr_assert_eq(sregs.cr0, 0x80010033);
	cr_assert(sregs.cr0 & 1 && sregs.cr0 & (1u << 31), "PE and PG");
	cr_assert(sregs.cr0 & 0x20, "NE");
	cr_assert_eq(sregs.cr4, 0x20, "PAE only");
	cr_assert_eq(sregs.efer, 0x500, "LME|LMA");
	cr_assert_eq(sregs.apic_base, 0xfee00900, "left as it was");

	cr_assert_eq(sregs.cs.selector, 0x08);
	cr_assert_eq(sregs.cs.type, 0xb);
	cr_assert_eq(sregs.cs.l, 1);
	cr_assert_eq(sregs.cs.db, 0, "L=1 needs D=0");
	cr_assert_eq(sregs.cs.s, 1);
	cr_assert_eq(sregs.cs.present, 1);
	cr_assert_eq(sregs.cs.dpl, 0);
	cr_assert_eq(sregs.ss.selector, 0x10);
	cr_assert_eq(sregs.ss.type, 0x3);
	cr_assert_eq(sregs.ss.db, 1);
	cr_assert_eq(sregs.ds.selector, 0x10);
	cr_assert_eq(memcmp(&sregs.ds, &sregs.es, sizeof(sregs.ds)), 0);
	cr_assert_eq(memcmp(&sregs.ds, &sregs.fs, sizeof(sregs.ds)), 0);
	cr_assert_eq(memcmp(&sregs.ds, &sregs.gs, sizeof(sregs.ds)), 0);
	cr_assert_eq(memcmp(&sregs.ds, &sregs.ss, sizeof(sregs.ds)), 0);
	cr_assert_eq(sregs.ldt.unusable, 1);
	cr_assert_eq(sregs.tr.type, 0xb, "busy 64-bit TSS");
	cr_assert_eq(sregs.tr.s, 0);
	cr_assert_eq(sregs.tr.present, 1);
	cr_assert_eq(sregs.tr.unusable, 0);
	cr_assert_eq(sregs.tr.base, BOOT_TSS_ADDR);
	cr_assert_eq(sregs.tr.limit, 0x67);
	cr_assert_eq(sregs.idt.limit, 0);

	cr_assert_eq(sregs.gdt.base, 0x1000);
	cr_assert_eq(sregs.gdt.limit, 0x27);
	cr_assert_eq(read_u64(0x1000), 0, "null descriptor");
	cr_assert_eq(read_u64(0x1008), 0x00af9b000000ffffull, "64-bit code");
	cr_assert_eq(read_u64(0x1010), 0x00cf93000000ffffull, "flat data");
	check_gdt_entry(&sregs.cs);
	check_gdt_entry(&sregs.ds);
	tss_lo = read_u64(0x1018);
	tss_hi = read_u64(0x1020);
	cr_assert_eq(tss_lo, 0x00008b0010800067ull, "TSS descriptor");
	cr_assert_eq(tss_hi, 0);
	cr_assert_eq(((__u8 *)mem.host)[BOOT_TSS_ADDR + 102], 104,
		     "no I/O bitmap");
	cr_assert_eq(((__u8 *)mem.host)[BOOT_TSS_ADDR + 4], 0, "TSS cleared");

	cr_assert_eq(regs.rip, 0x100123);
	cr_assert_eq(regs.rsp, 0x80000);
	cr_assert_eq(regs.rflags, 0x2);
	cr_assert_eq(regs.rax, 0);
	cr_assert_eq(regs.r15, 0);
}

Test(boot, long_mode_needs_room)
{
	struct guest_mem small = { .host = mem.host, .size = 0x10000 };

	cr_assert_eq(boot_long_mode(&small, 0x100000, &sregs, &regs), -ENOSPC);
}

static void check_real_seg(const struct minivmm_segment *s, __u16 sel,
			   __u8 type, const char *name)
{
	cr_assert_eq(s->selector, sel, "%s", name);
	cr_assert_eq(s->base, (__u64)sel << 4, "%s", name);
	cr_assert_eq(s->limit, 0xffff, "%s", name);
	cr_assert_eq(s->type, type, "%s", name);
	cr_assert_eq(s->s, 1, "%s", name);
	cr_assert_eq(s->present, 1, "%s", name);
	cr_assert_eq(s->dpl, 0, "%s", name);
	cr_assert_eq(s->db, 0, "%s", name);
	cr_assert_eq(s->l, 0, "%s", name);
	cr_assert_eq(s->g, 0, "%s", name);
	cr_assert_eq(s->unusable, 0, "%s", name);
}

Test(boot, real_mode_default)
{
	boot_real_mode(BOOT_FLAT_LOAD_ADDR, &sregs, &regs);
	cr_assert_eq(sregs.cr0, 0x30, "ET|NE, no PE/PG");
	cr_assert_eq(sregs.cr3, 0);
	cr_assert_eq(sregs.cr4, 0);
	cr_assert_eq(sregs.efer, 0);
	check_real_seg(&sregs.cs, 0x1000, 0xb, "cs");
	cr_assert_eq(sregs.cs.base, 0x10000);
	check_real_seg(&sregs.ds, 0x1000, 0x3, "ds");
	check_real_seg(&sregs.es, 0x1000, 0x3, "es");
	check_real_seg(&sregs.fs, 0x1000, 0x3, "fs");
	check_real_seg(&sregs.gs, 0x1000, 0x3, "gs");
	check_real_seg(&sregs.ss, 0, 0x3, "ss");
	cr_assert_eq(sregs.tr.type, 0xb);
	cr_assert_eq(sregs.tr.present, 1);
	cr_assert_eq(sregs.tr.s, 0);
	cr_assert_eq(sregs.tr.limit, 0xff);
	cr_assert_eq(sregs.tr.unusable, 0);
	cr_assert_eq(sregs.ldt.unusable, 1);
	cr_assert_eq(sregs.idt.base, 0);
	cr_assert_eq(sregs.idt.limit, 0x3ff);
	cr_assert_eq(sregs.gdt.limit, 0xffff);
	cr_assert_eq(sregs.apic_base, 0xfee00900);
	cr_assert_eq(regs.rip, 0);
	cr_assert_eq(regs.rsp, 0xfff0);
	cr_assert_eq(regs.rflags, 0x2);
	cr_assert_eq(regs.rax, 0);
}

Test(boot, real_mode_low_load_addr)
{
	boot_real_mode(0x7c00, &sregs, &regs);
	check_real_seg(&sregs.cs, 0x7c0, 0xb, "cs");
	check_real_seg(&sregs.ds, 0x7c0, 0x3, "ds");
	cr_assert_eq(regs.rsp, 0x7c00, "stack right below the image");
	boot_real_mode(0x90000, &sregs, &regs);
	cr_assert_eq(sregs.cs.selector, 0x9000);
	cr_assert_eq(regs.rsp, 0xfff0);
}

Test(boot, seg_desc_encoding)
{
	struct minivmm_segment s = {
		.base = 0x12345678, .limit = 0xabcde, .type = 0xa, .s = 1,
		.dpl = 3, .present = 1, .avl = 1, .db = 1,
	};

	cr_assert_eq(boot_seg_desc(&s), 0x125afa345678bcdeull);
	s.g = 1;
	s.limit = 0xffffffff;
	cr_assert_eq(boot_seg_desc(&s), 0x12dffa345678ffffull);
}
