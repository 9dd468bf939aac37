/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state a guest starts in.
 *
 * ELF64 images start in 64-bit long mode at e_entry. minivmm writes into
 * guest memory, below the image:
 *
 *	0x00000 - 0x00fff  unused (left zero)
 *	0x01000 - 0x01027  GDT: 0x08 64-bit code, 0x10 data, 0x18 64-bit TSS
 *	0x01080 - 0x010e7  the TSS (zero but for the I/O map base: no map)
 *	0x02000 - 0x02fff  PML4
 *	0x03000 - 0x03fff  PDPT (entries 0..3)
 *	0x04000 - 0x07fff  4 page directories of 2 MiB pages: the first
 *	                   4 GiB identity-mapped, read/write, supervisor
 *	0x08000 - 0x7ffff  stack: RSP = 0x80000, growing down
 *	0x80000 -          the image's PT_LOAD segments go here or above
 *
 * CR0 = PE|MP|ET|NE|WP|PG, CR3 = 0x2000, CR4 = PAE, EFER = LME|LMA;
 * CS = 0x08 (L=1), DS = ES = FS = GS = SS = 0x10 (flat 4 GiB), TR = 0x18,
 * LDTR unusable, IDT base 0 limit 0 (no IDT: any exception triple-faults
 * until the guest loads its own), RFLAGS = 0x2, the other registers 0.
 * CR4.OSFXSR is clear: guests must not use SSE (-mgeneral-regs-only).
 *
 * Anything else is a flat binary, loaded at 0x10000 (or --load-addr, a
 * multiple of 16 below 1 MiB) and started in real mode (the kernel uses
 * VT-x "unrestricted guest"): CS = DS = ES = FS = GS = load >> 4 (base
 * load, limit 0xffff), IP = 0, SS = 0 and SP = min(load, 0xfff0) so the
 * stack grows down below the image; CR0 = ET|NE (0x30), TR a busy 32-bit
 * TSS at 0 with limit 0xff, LDTR unusable, GDT base 0 limit 0xffff, IDT
 * base 0 limit 0x3ff (the real-mode IVT: all zero, there is no BIOS),
 * RFLAGS = 0x2, the other registers 0.
 */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include "uapi/minivmm.h"
#include "guest_mem.h"

/* Long mode (ELF64) */
#define BOOT_GDT_ADDR		0x1000ull
#define BOOT_TSS_ADDR		0x1080ull
#define BOOT_TSS_SIZE		104
#define BOOT_PML4_ADDR		0x2000ull
#define BOOT_PDPT_ADDR		0x3000ull
#define BOOT_PD_ADDR		0x4000ull
#define BOOT_NR_PDS		4
#define BOOT_STACK_TOP		0x80000ull
#define BOOT_ELF_MIN_ADDR	0x80000ull	/* the lowest PT_LOAD address allowed */
#define BOOT_IDENTITY_MAP_END	(4ull << 30)

#define BOOT_SEL_CODE64		0x08
#define BOOT_SEL_DATA		0x10
#define BOOT_SEL_TSS		0x18
#define BOOT_GDT_LIMIT		(BOOT_SEL_TSS + 16 - 1)

#define BOOT_LM_CR0		0x80010033ull	/* PE|MP|ET|NE|WP|PG */
#define BOOT_LM_CR4		0x20ull		/* PAE */
#define BOOT_LM_EFER		0x500ull	/* LME|LMA */

/* Real mode (flat binaries) */
#define BOOT_FLAT_LOAD_ADDR	0x10000ull
#define BOOT_FLAT_MAX_LOAD_ADDR	0xffff0ull	/* CS = load >> 4 must fit */
#define BOOT_REAL_SP_MAX	0xfff0ull
#define BOOT_REAL_CR0		0x30ull		/* ET|NE */
#define BOOT_PM_CR0		0x31ull		/* PE|ET|NE */

#define BOOT_RFLAGS		0x2ull		/* only the reserved bit 1 */

/* Page-table entry bits */
#define PTE_P			0x1ull
#define PTE_RW			0x2ull
#define PTE_PS			0x80ull
#define PTE_ADDR_MASK		0x000ffffffffff000ull

/*
 * Write the GDT, TSS and page tables above into @mem and fill @s and @r
 * (fields minivmm does not set are left as they are, e.g. apic_base from
 * MINIVMM_GET_SREGS) to start at @entry. 0, or -ENOSPC if @mem is too
 * small for the layout.
 */
int boot_long_mode(const struct guest_mem *mem, __u64 entry,
		   struct minivmm_sregs *s, struct minivmm_regs *r);

/*
 * 32-bit protected mode at @entry, paging off, flat 4 GiB code (0x08) and
 * data (0x10) segments from minivmm's GDT at BOOT_GDT_ADDR, a TSS; the
 * Multiboot entry state (multiboot.c sets EAX and EBX). 0 or -ENOSPC.
 */
int boot_protected_mode(const struct guest_mem *mem, __u32 entry,
			struct minivmm_sregs *s, struct minivmm_regs *r);

/* Real mode at @load_addr (a multiple of 16, <= BOOT_FLAT_MAX_LOAD_ADDR). */
void boot_real_mode(__u64 load_addr, struct minivmm_sregs *s,
		    struct minivmm_regs *r);

/* The 8-byte GDT descriptor of a code or data segment (not TSS/LDT). */
__u64 boot_seg_desc(const struct minivmm_segment *seg);

#endif /* VMM_BOOT_H */
