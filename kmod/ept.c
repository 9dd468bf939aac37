// SPDX-License-Identifier: GPL-2.0
/*
 * EPT: guest-physical to host-physical translation for one VM.
 *
 * 4-level tables with 4 KiB leaves, write-back memory type (SDM Vol. 3C
 * 29.3.2 "EPT Translation Mechanism", 29.3.7 "EPT and Memory Typing").
 * A guest-physical address with no leaf causes an EPT violation, which
 * vmx_exit.c turns into an MMIO exit. Table pages that a slot's removal
 * leaves empty are unlinked and freed once every CPU has dropped what it
 * cached from them (ept_unmap_slot(), ept_free_tables()), so moving slots
 * around cannot grow the tables without bound; the root goes with the VM.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/io.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"

#define EPT_READ	(1ull << 0)
#define EPT_WRITE	(1ull << 1)
#define EPT_EXEC	(1ull << 2)
#define EPT_MT_WB	(6ull << 3)
#define EPT_ADDR_MASK	0x000ffffffffff000ull

static u64 *ept_alloc_table(struct minivmm_ept *ept)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!page)
		return NULL;
	list_add(&page->lru, &ept->tables);
	ept->nr_tables++;
	return page_address(page);
}

int ept_init(struct minivmm_ept *ept)
{
	INIT_LIST_HEAD(&ept->tables);
	ept->pml4 = ept_alloc_table(ept);
	return ept->pml4 ? 0 : -ENOMEM;
}

void ept_free(struct minivmm_ept *ept)
{
	/*
	 * No CPU may keep translations (or paging-structure caches) through
	 * these tables once the pages go back to the allocator and maybe to
	 * the next VM's EPT.
	 */
	struct page *page, *tmp;

	ept_invalidate_all();
	list_for_each_entry_safe(page, tmp, &ept->tables, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	ept->pml4 = NULL;
	ept->nr_tables = 0;
}

/* EPTP: 4-level walk (3 in bits 5:3), write-back (6) (SDM 25.6.11). */
u64 ept_pointer(struct minivmm_ept *ept)
{
	return __pa(ept->pml4) | (3ull << 3) | 6;
}

/* The leaf entry for @gpa, allocating the tables on the way if asked. */
static u64 *ept_walk(struct minivmm_ept *ept, u64 gpa, bool alloc)
{
	u64 *table = ept->pml4;
	int level;

	for (level = 3; level > 0; level--) {
		u64 *entry = &table[(gpa >> (12 + 9 * level)) & 511];

		if (!(READ_ONCE(*entry) & EPT_READ)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = ept_alloc_table(ept);
			if (!next)
				return NULL;
			WRITE_ONCE(*entry, __pa(next) | EPT_READ | EPT_WRITE | EPT_EXEC);
		}
		table = __va(READ_ONCE(*entry) & EPT_ADDR_MASK);
	}
	return &table[(gpa >> 12) & 511];
}

int ept_map_slot(struct minivmm_ept *ept, struct minivmm_slot *slot)
{
	u64 prot = EPT_READ | EPT_EXEC | EPT_MT_WB;
	u64 i;

	/* A read-only slot: guest writes fault and become MMIO writes. */
	if (!(slot->flags & MINIVMM_MEM_READONLY))
		prot |= EPT_WRITE;
	for (i = 0; i < slot->npages; i++) {
		u64 *leaf = ept_walk(ept, slot->gpa + (i << PAGE_SHIFT), true);

		if (!leaf) {
			LIST_HEAD(freed);

			/* Nothing ran on these new entries yet, but play safe. */
			ept_unmap_slot(ept, slot, &freed);
			ept_invalidate_all();
			ept_free_tables(&freed);
			return -ENOMEM;
		}
		WRITE_ONCE(*leaf, page_to_phys(slot->pages[i]) | prot);
	}
	return 0;
}

static bool ept_table_empty(const u64 *table)
{
	int i;

	for (i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * The entry at @level (3: PML4 ... 1: PD) that points to the table
 * covering @gpa one level down, or NULL if there is none.
 */
static u64 *ept_parent_entry(struct minivmm_ept *ept, u64 gpa, int level)
{
	u64 *table = ept->pml4;
	int l;

	for (l = 3; l > level; l--) {
		u64 e = READ_ONCE(table[(gpa >> (12 + 9 * l)) & 511]);

		if (!(e & EPT_READ))
			return NULL;
		table = __va(e & EPT_ADDR_MASK);
	}
	return &table[(gpa >> (12 + 9 * level)) & 511];
}

/*
 * Unlink the tables below @level-entries of [@start, @end) that are now
 * empty, onto @freed. The CPU may still hold them in its paging-structure
 * caches: the caller invalidates on every CPU before ept_free_tables().
 */
static void ept_prune_level(struct minivmm_ept *ept, u64 start, u64 end,
			    int level, struct list_head *freed)
{
	u64 span = 1ull << (12 + 9 * level), gpa;

	for (gpa = start & ~(span - 1); gpa < end; gpa += span) {
		u64 *entry = ept_parent_entry(ept, gpa, level), *table;
		struct page *page;

		if (!entry || !(*entry & EPT_READ))
			continue;
		table = __va(*entry & EPT_ADDR_MASK);
		if (!ept_table_empty(table))
			continue;
		WRITE_ONCE(*entry, 0);
		page = virt_to_page(table);
		list_move(&page->lru, freed);
		ept->nr_tables--;
	}
}

/*
 * Clear @slot's leaves, then unlink the page tables, page directories and
 * PDPTs left empty (bottom up) onto @freed, for ept_free_tables() after
 * the caller's ept_invalidate_all() (SDM 29.4.3: cached paging-structure
 * entries may still point into them until INVEPT).
 */
void ept_unmap_slot(struct minivmm_ept *ept, struct minivmm_slot *slot,
		    struct list_head *freed)
{
	u64 start = slot->gpa, end = slot->gpa + (slot->npages << PAGE_SHIFT);
	u64 i;
	int level;

	for (i = 0; i < slot->npages; i++) {
		u64 *leaf = ept_walk(ept, slot->gpa + (i << PAGE_SHIFT), false);

		if (leaf)
			WRITE_ONCE(*leaf, 0);
	}
	for (level = 1; level <= 3; level++)
		ept_prune_level(ept, start, end, level, freed);
}

void ept_free_tables(struct list_head *freed)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, freed, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

/* All-context INVEPT on this CPU (type 2, SDM Vol. 3C 31.3 "INVEPT"). */
void ept_invalidate_here(void)
{
	struct { u64 eptp, reserved; } desc = { 0, 0 };

	/* After the reboot notifier's VMXOFF INVEPT would be #UD: nothing
	 * is cached then anyway.
	 */
	if (!vmx_hw_cpu_on())
		return;
	/* Guarded too: VMX may go off between the check and here (reboot IPI). */
	asm volatile("1: invept %0, %1\n2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : : "m"(desc), "r"(2ul) : "cc", "memory");
}

static void ept_invept_all_ipi(void *unused)
{
	ept_invalidate_here();
}

/*
 * After unmapping: every CPU drops cached translations. The IPI also
 * forces a guest running elsewhere out to the host first, so once this
 * returns no CPU can reach the old pages.
 */
void ept_invalidate_all(void)
{
	on_each_cpu(ept_invept_all_ipi, NULL, 1);
}
