// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "guest_walk.h"

#define CR0_PE		(1ull << 0)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define EFER_LMA	(1ull << 10)
#define PTE_PRESENT	1ull
#define PTE_LARGE	(1ull << 7)
#define PTE_ADDR	0x000ffffffffff000ull

/* An entry of a table at @table, index @i, @size bytes (4 or 8). */
static int walk_entry(const struct guest_mem *m, __u64 table, unsigned int i,
		      unsigned int size, __u64 *e)
{
	const void *p = guest_mem_ptr(m, table + (__u64)i * size, size);

	if (!p)
		return -EFAULT;
	*e = 0;
	memcpy(e, p, size);
	return (*e & PTE_PRESENT) ? 0 : -EFAULT;
}

/* 4-level (and PAE, @levels 3): 9 bits an index from bit 39 (or 30) down. */
static int walk_long(const struct guest_mem *m, __u64 cr3, __u64 gva,
		     unsigned int levels, __u64 *gpa)
{
	__u64 table = cr3 & PTE_ADDR, e;
	unsigned int level, shift;

	if (levels == 3)
		table = cr3 & 0xffffffe0ull;	/* the PDPT, 32-byte aligned */
	for (level = levels; level >= 1; level--) {
		shift = 12 + 9 * (level - 1);
		if (walk_entry(m, table, (gva >> shift) & (levels == 3 && level == 3 ? 3 : 511),
			       8, &e))
			return -EFAULT;
		/* 1 GiB (level 3, not in the PAE PDPT) and 2 MiB (level 2) pages. */
		if (((level == 3 && levels == 4) || level == 2) && (e & PTE_LARGE)) {
			*gpa = (e & PTE_ADDR & ~((1ull << shift) - 1)) | (gva & ((1ull << shift) - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

static int walk_32(const struct guest_mem *m, const struct minivmm_sregs *s,
		   __u32 gva, __u64 *gpa)
{
	__u64 pde, pte;

	if (walk_entry(m, s->cr3 & 0xfffff000ull, gva >> 22, 4, &pde))
		return -EFAULT;
	if ((s->cr4 & CR4_PSE) && (pde & PTE_LARGE)) {
		*gpa = (pde & 0xffc00000ull) | (gva & 0x3fffff);
		return 0;
	}
	if (walk_entry(m, pde & 0xfffff000ull, (gva >> 12) & 1023, 4, &pte))
		return -EFAULT;
	*gpa = (pte & 0xfffff000ull) | (gva & 0xfff);
	return 0;
}

int guest_virt_to_phys(const struct guest_mem *m, const struct minivmm_sregs *s,
		       __u64 gva, __u64 *gpa)
{
	if (!(s->cr0 & CR0_PG)) {
		*gpa = (s->efer & EFER_LMA) ? gva : (__u32)gva;
		return 0;
	}
	if (s->efer & EFER_LMA)
		return walk_long(m, s->cr3, gva, 4, gpa);
	if (s->cr4 & CR4_PAE)
		return walk_long(m, s->cr3, (__u32)gva, 3, gpa);
	return walk_32(m, s, gva, gpa);
}

unsigned int guest_code_mode(const struct minivmm_sregs *s)
{
	if (!(s->cr0 & CR0_PE))
		return 16;
	if ((s->efer & EFER_LMA) && s->cs.l)
		return 64;
	return s->cs.db ? 32 : 16;
}
