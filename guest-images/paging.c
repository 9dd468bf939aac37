// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's own page tables, as an OS uses them: two address spaces
 * ("processes" A and B) share a kernel half (the first 1 GiB, 2 MiB
 * pages) and differ in a window at 1 GiB (4 KiB pages, and a 2 MiB one).
 * It switches CR3 between them N times, changes a mapping with INVLPG
 * and without (then a CR3 reload must flush it), and takes the page
 * faults a guest must see as its own, each with its error code and CR2:
 * not present, a write to a read-only page, a user access to a
 * supervisor page (from ring 3), an instruction fetch from an NX page.
 * Under EPT none of this exits; under shadow paging (issue 14) every
 * piece of it is the hypervisor's work. One line each, "paging: N
 * failed", exits N; "paging: cr3 loads N" says how many it made.
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define PTE_P		0x1ull
#define PTE_W		0x2ull
#define PTE_U		0x4ull
#define PTE_PS		0x80ull
#define PTE_NX		(1ull << 63)
#define MSR_EFER	0xc0000080
#define EFER_NXE	(1ull << 11)

#define WINDOW		0x40000000ull		/* PDPT entry 1 */
#define VA_PROC		(WINDOW + 0x0000)	/* A's or B's own page */
#define VA_SUPER	(WINDOW + 0x1000)	/* supervisor only */
#define VA_RO		(WINDOW + 0x2000)	/* read-only */
#define VA_ABSENT	(WINDOW + 0x3000)	/* not present */
#define VA_NX		(WINDOW + 0x4000)	/* no execute */
#define VA_BIG		(WINDOW + 0x200000)	/* a 2 MiB page: physical 0 */
#define SWITCHES	1000

typedef u64 table[512] __attribute__((aligned(4096)));

static table kernel_pd;				/* 0-1 GiB, shared */
static table pml4[2], pdpt[2], window_pd[2], window_pt[2];
static u8 frames[4][4096] __attribute__((aligned(4096)));	/* A, B, C, code */
static u8 user_stack[4096] __attribute__((aligned(16)));
static u8 kernel_stack[4096] __attribute__((aligned(16)));
static u64 cr3_loads;

static void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
	cr3_loads++;
}

static u64 read_cr2(void)
{
	u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static u64 peek(u64 va)
{
	return *(volatile u64 *)va;
}

static void build_space(int s, u64 proc_frame)
{
	u64 *pt = window_pt[s];

	pml4[s][0] = (u64)pdpt[s] | PTE_P | PTE_W | PTE_U;
	pdpt[s][0] = (u64)kernel_pd | PTE_P | PTE_W | PTE_U;
	pdpt[s][1] = (u64)window_pd[s] | PTE_P | PTE_W | PTE_U;
	window_pd[s][0] = (u64)pt | PTE_P | PTE_W | PTE_U;
	window_pd[s][1] = 0 | PTE_P | PTE_W | PTE_U | PTE_PS;
	pt[0] = proc_frame | PTE_P | PTE_W | PTE_U;
	pt[1] = (u64)frames[2] | PTE_P | PTE_W;			/* no U */
	pt[2] = (u64)frames[2] | PTE_P | PTE_U;			/* no W */
	pt[3] = 0;
	pt[4] = (u64)frames[3] | PTE_P | PTE_W | PTE_U | PTE_NX;
}

static void setup_tables(void)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		kernel_pd[i] = (u64)i << 21 | PTE_P | PTE_W | PTE_U | PTE_PS;
	build_space(0, (u64)frames[0]);
	build_space(1, (u64)frames[1]);
	*(u64 *)frames[0] = 0xaaaa;
	*(u64 *)frames[1] = 0xbbbb;
	*(u64 *)frames[2] = 0xcccc;
	frames[3][0] = 0xc3;					/* ret */
}

static void switch_checks(void)
{
	u64 bad = 0, i;

	write_cr3((u64)pml4[0]);
	for (i = 0; i < SWITCHES; i++) {
		write_cr3((u64)pml4[i & 1]);
		if (peek(VA_PROC) != ((i & 1) ? 0xbbbb : 0xaaaa))
			bad++;
	}
	check("paging", "cr3_switches", bad == 0, "wrong reads", bad, SWITCHES);
	write_cr3((u64)pml4[0]);
	check("paging", "big_page", peek(VA_BIG + (u64)&cr3_loads) == cr3_loads,
	      "2 MiB page reads", peek(VA_BIG + (u64)&cr3_loads), cr3_loads);
}

static void remap_checks(void)
{
	u64 *pte = &window_pt[0][0];

	write_cr3((u64)pml4[0]);
	(void)peek(VA_PROC);				/* in the TLB now */
	*pte = (u64)frames[2] | PTE_P | PTE_W | PTE_U;
	invlpg(VA_PROC);
	check("paging", "remap_invlpg", peek(VA_PROC) == 0xcccc, "read", peek(VA_PROC), 0xcccc);
	*pte = (u64)frames[0] | PTE_P | PTE_W | PTE_U;
	(void)peek(VA_PROC);				/* either: no flush yet */
	write_cr3((u64)pml4[0]);
	check("paging", "remap_cr3_reload", peek(VA_PROC) == 0xaaaa, "read", peek(VA_PROC), 0xaaaa);
	/* A write through A's own page lands in A's frame only. */
	*(volatile u64 *)VA_PROC = 0xa1a1;
	write_cr3((u64)pml4[1]);
	check("paging", "spaces_separate", peek(VA_PROC) == 0xbbbb &&
	      *(volatile u64 *)frames[0] == 0xa1a1, "B reads, A's frame",
	      peek(VA_PROC), *(volatile u64 *)frames[0]);
	write_cr3((u64)pml4[0]);
}

/* #PF in ring 0, error code and CR2 as the CPU defines them (SDM Vol. 3A 4.7). */
static void fault_checks(void)
{
	u64 efer_lo, efer_hi;

	GUARD("movq (%[a]), %%rax", : : [a] "r"(VA_ABSENT) : "rax", "r11", "memory");
	check("paging", "pf_not_present_read", exc_vector == 14 && exc_error == 0 &&
	      read_cr2() == VA_ABSENT, "error, cr2", exc_error, read_cr2());
	GUARD("movq %%rax, (%[a])", : : [a] "r"(VA_ABSENT) : "r11", "memory");
	check("paging", "pf_not_present_write", exc_vector == 14 && exc_error == 2 &&
	      read_cr2() == VA_ABSENT, "error, cr2", exc_error, read_cr2());
	GUARD("movq %%rax, (%[a])", : : [a] "r"(VA_RO + 8) : "r11", "memory");
	check("paging", "pf_write_read_only", exc_vector == 14 && exc_error == 3 &&
	      read_cr2() == VA_RO + 8, "error, cr2", exc_error, read_cr2());
	check("paging", "read_only_readable", peek(VA_RO) == 0xcccc, "read", peek(VA_RO), 0xcccc);
	__asm__ volatile("rdmsr" : "=a"(efer_lo), "=d"(efer_hi) : "c"(MSR_EFER));
	__asm__ volatile("wrmsr" : : "a"(efer_lo | EFER_NXE), "d"(efer_hi), "c"(MSR_EFER));
	GUARD("jmp *%[f]", : : [f] "r"(VA_NX) : "r11", "memory");
	check("paging", "pf_fetch_nx", exc_vector == 14 && exc_error == 0x11 &&
	      read_cr2() == VA_NX, "error, cr2", exc_error, read_cr2());
	__asm__ volatile("wrmsr" : : "a"(efer_lo), "d"(efer_hi), "c"(MSR_EFER));
}

/*
 * Ring 3: a GDT with user segments and a TSS (its RSP0 the kernel stack
 * for the fault), a private IDT whose #PF gate ends user mode: user_pf
 * records the fault and returns from enter_user() on the saved stack.
 */
static u64 gdt[7];
static u8 tss[104] __attribute__((aligned(16)));
static u64 pf_idt[2 * 256] __attribute__((aligned(16)));
u64 user_saved_rsp, user_pf_error, user_pf_cr2, user_pf_rip;
void user_pf(void);
void user_code(void);
u64 enter_user(u64 rip, u64 rsp);

__asm__(".text\n"
	/* enter_user(rip, rsp): callee-saved registers kept, then IRETQ. */
	".globl enter_user\n"
	"enter_user:\n\t"
	"pushq %rbx\n\tpushq %rbp\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
	"movq %rsp, user_saved_rsp(%rip)\n\t"
	"pushq $0x1b\n\t"			/* SS: user data */
	"pushq %rsi\n\t"			/* RSP */
	"pushq $0x2\n\t"			/* RFLAGS: IF=0 */
	"pushq $0x23\n\t"			/* CS: user code */
	"pushq %rdi\n\t"			/* RIP */
	"iretq\n"
	/* #PF from ring 3: error code, CR2, RIP; back to enter_user's caller. */
	".globl user_pf\n"
	"user_pf:\n\t"
	"popq user_pf_error(%rip)\n\t"
	"movq (%rsp), %rax\n\t"
	"movq %rax, user_pf_rip(%rip)\n\t"
	"movq %cr2, %rax\n\t"
	"movq %rax, user_pf_cr2(%rip)\n\t"
	"movq user_saved_rsp(%rip), %rsp\n\t"
	"popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbp\n\tpopq %rbx\n\t"
	"movl $1, %eax\n\t"
	"ret\n"
	/* User code: read the supervisor page. */
	".globl user_code\n"
	"user_code:\n\t"
	"movq " "0x40001000" ", %rax\n\t"
	"1:\tjmp 1b\n");

static void user_checks(void)
{
	struct __attribute__((packed)) { u16 limit; u64 base; } gdtr, idtr, old_idtr;
	u64 tss_base = (u64)tss, pf = (u64)user_pf, ret;

	gdt[1] = 0x00af9b000000ffffull;		/* 0x08: kernel code, 64-bit */
	gdt[2] = 0x00cf93000000ffffull;		/* 0x10: kernel data */
	gdt[3] = 0x00cff3000000ffffull;		/* 0x18: user data (0x1b) */
	gdt[4] = 0x00affb000000ffffull;		/* 0x20: user code (0x23) */
	gdt[5] = (sizeof(tss) - 1) | (tss_base & 0xffffff) << 16 | 0x89ull << 40 |
		 ((tss_base >> 24) & 0xff) << 56;	/* 0x28: TSS */
	gdt[6] = tss_base >> 32;
	*(u64 *)(tss + 4) = (u64)kernel_stack + sizeof(kernel_stack);	/* RSP0 */
	gdtr.limit = sizeof(gdt) - 1, gdtr.base = (u64)gdt;
	__asm__ volatile("lgdt %0\n\tltr %w1" : : "m"(gdtr), "r"(0x28) : "memory");

	pf_idt[2 * 14] = (pf & 0xffff) | 0x08ull << 16 | 0x8e00ull << 32 |
			 ((pf >> 16) & 0xffff) << 48;
	pf_idt[2 * 14 + 1] = pf >> 32;
	idtr.limit = sizeof(pf_idt) - 1, idtr.base = (u64)pf_idt;
	__asm__ volatile("sidt %0\n\tlidt %1" : "=m"(old_idtr) : "m"(idtr) : "memory");
	ret = enter_user((u64)user_code, (u64)user_stack + sizeof(user_stack));
	__asm__ volatile("lidt %0\n\tmov %1, %%ds\n\tmov %1, %%es\n\tmov %1, %%ss"
			 : : "m"(old_idtr), "r"(0x10) : "memory");
	check("paging", "pf_user_reads_supervisor", ret == 1 && user_pf_error == 5 &&
	      user_pf_cr2 == VA_SUPER && user_pf_rip == (u64)user_code,
	      "error, cr2", user_pf_error, user_pf_cr2);
}

int main(void)
{
	idt_init();
	serial_puts("paging: two address spaces, remaps, the guest's own page faults\n");
	setup_tables();
	switch_checks();
	remap_checks();
	fault_checks();
	user_checks();
	serial_puts("paging: cr3 loads ");
	serial_put_dec(cr3_loads);
	serial_puts("\n");
	check_summary("paging");
	return checks_failed;
}
