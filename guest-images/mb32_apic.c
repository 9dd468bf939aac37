// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC as a QEMU test kernel uses it (paging off, so the
 * register page at 0xfee00000 is reached by its physical address; every
 * access is an MMIO exit): CPUID and IA32_APIC_BASE, the registers,
 * self-IPIs through the ICR with TPR, ISR and EOI, ESR, the
 * timer one-shot, periodic and masked, and turning the APIC off and on
 * in IA32_APIC_BASE. The guest cannot know the timer's clock: it checks
 * counting down and interrupt counts, never durations.
 */
#include "mb32.h"

#define APIC		0xfee00000u
#define ID		0x020
#define VERSION		0x030
#define TPR		0x080
#define PPR		0x0a0
#define EOI		0x0b0
#define SPIV		0x0f0
#define ISR		0x100
#define ESR		0x280
#define ICR_LO		0x300
#define LVT_TIMER	0x320
#define TMICT		0x380
#define TMCCT		0x390
#define TDCR		0x3e0
#define SELF		(1u << 18)
#define MASKED		(1u << 16)
#define PERIODIC	(1u << 17)

#define V_ONESHOT	0x40
#define V_PERIODIC	0x41
#define V_IPI		0x50
#define V_TPR		0x61
#define V_NOEOI		0x52	/* its handler leaves the EOI to the test */
#define V_SPURIOUS	0xff

static volatile u32 hits[256];
static volatile u32 gp_faults;
static u64 idt[256];

static u32 apic_read(u32 off)
{
	return *(volatile u32 *)(APIC + off);
}

static void apic_write(u32 off, u32 v)
{
	*(volatile u32 *)(APIC + off) = v;
}

static void cpuid(u32 leaf, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

/* WRMSR is 2 bytes: the #GP handler steps over it and counts. */
static void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

void isr_c(u32 vector);
void isr_c(u32 vector)
{
	hits[vector]++;
	if (vector != V_NOEOI && vector != V_SPURIOUS)
		apic_write(EOI, 0);
}

/* An interrupt gate per vector used; #GP (with an error code) skips WRMSR. */
#define STUB(v) "isr_" #v ":\n\tpushal\n\tpushl $" #v "\n\tcall isr_c\n\t" \
		"addl $4, %esp\n\tpopal\n\tiret\n"
__asm__(".text\n"
	STUB(0x40) STUB(0x41) STUB(0x50) STUB(0x61) STUB(0x52) STUB(0xff)
	"isr_gp:\n\t"
	"addl $4, %esp\n\t"
	"addl $2, (%esp)\n\t"
	"incl gp_faults\n\t"
	"iret\n");
extern char isr_0x40[], isr_0x41[], isr_0x50[], isr_0x61[], isr_0x52[],
	isr_0xff[], isr_gp[];

static void set_gate(unsigned int v, void *fn)
{
	u32 a = (u32)fn;
	u16 cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	/* Present, DPL 0, 32-bit interrupt gate (type 0xe). */
	idt[v] = (a & 0xffff) | (u64)cs << 16 | (u64)0x8e00 << 32 |
		 (u64)(a >> 16) << 48;
}

static void idt_setup(void)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } idtr = {
		sizeof(idt) - 1, (u32)idt,
	};

	set_gate(13, isr_gp);
	set_gate(V_ONESHOT, isr_0x40);
	set_gate(V_PERIODIC, isr_0x41);
	set_gate(V_IPI, isr_0x50);
	set_gate(V_TPR, isr_0x61);
	set_gate(V_NOEOI, isr_0x52);
	set_gate(V_SPURIOUS, isr_0xff);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/*
 * An interrupt a register write makes deliverable is taken at some
 * instruction boundary after it (at once under minivmm: the write is an
 * exit; a little later on QEMU's TCG): give it a few.
 */
static void settle(void)
{
	int i;

	for (i = 0; i < 16; i++)
		apic_read(ID);
}

static void ipi_checks(void)
{
	__asm__ volatile("sti");
	apic_write(ICR_LO, SELF | V_IPI);
	settle();
	check("apic_self_ipi", hits[V_IPI] == 1 && !(apic_read(ICR_LO) & (1u << 12)));

	apic_write(TPR, 0x60);
	apic_write(ICR_LO, SELF | V_TPR);
	settle();
	check("apic_tpr_holds_back", hits[V_TPR] == 0 && apic_read(PPR) == 0x60);
	apic_write(TPR, 0x50);
	settle();
	check("apic_tpr_lowered_delivers", hits[V_TPR] == 1);
	apic_write(TPR, 0);

	apic_write(ICR_LO, SELF | V_NOEOI);
	settle();
	check("apic_isr_until_eoi", hits[V_NOEOI] == 1 &&
	      apic_read(ISR + 0x20) == 1u << (V_NOEOI - 0x40) && apic_read(PPR) == 0x50);
	apic_write(EOI, 0);
	check("apic_eoi_clears_isr", apic_read(ISR + 0x20) == 0 && apic_read(PPR) == 0);
	/* No error so far (tests/unit/test_lapic.c makes some; QEMU's differ). */
	apic_write(ESR, 0);
	check("apic_esr_clear", apic_read(ESR) == 0);
	__asm__ volatile("cli");
}

/* Interrupts on until @n more of @vector came (the APIC timer wakes HLT). */
static void wait_for(unsigned int vector, u32 n)
{
	u32 want = hits[vector] + n;

	while (hits[vector] < want)
		__asm__ volatile("sti; hlt; cli");
}

static void timer_checks(void)
{
	u32 a, b, i;

	apic_write(TDCR, 0xb);			/* divide by 1 */
	apic_write(LVT_TIMER, V_ONESHOT);
	apic_write(TMICT, 20000000);
	a = apic_read(TMCCT);
	b = apic_read(TMCCT);
	check("apic_timer_counts_down", a <= 20000000 && b < a);
	wait_for(V_ONESHOT, 1);
	/* Counted out (QEMU's may lag its interrupt a little); no second one. */
	for (i = 0; i < 100000 && (a = apic_read(TMCCT)); i++)
		;
	for (i = 0; i < 1000; i++)
		apic_read(TMCCT);
	check("apic_timer_one_shot", hits[V_ONESHOT] == 1 && a == 0 &&
	      apic_read(TMICT) == 20000000);

	apic_write(TDCR, 0x3);			/* divide by 16 */
	apic_write(LVT_TIMER, PERIODIC | V_PERIODIC);
	apic_write(TMICT, 200000);
	/*
	 * At least 5 from one count: a period can pass while the guest is in
	 * the handler (a slow host), and its interrupt follows the IRET.
	 */
	wait_for(V_PERIODIC, 5);
	a = apic_read(TMCCT);
	check("apic_timer_periodic", hits[V_PERIODIC] >= 5 && a > 0 && a <= 200000 &&
	      apic_read(LVT_TIMER) == (PERIODIC | V_PERIODIC));
	apic_write(TMICT, 0);
	check("apic_timer_stopped", apic_read(TMCCT) == 0);

	apic_write(TDCR, 0xb);
	apic_write(LVT_TIMER, MASKED | V_ONESHOT);
	apic_write(TMICT, 100000);
	__asm__ volatile("sti");
	while (apic_read(TMCCT))
		;
	__asm__ volatile("cli");
	check("apic_timer_masked", hits[V_ONESHOT] == 1);
}

/*
 * IA32_APIC_BASE: off, the page answers nothing; on, power-up state.
 * QEMU's TCG keeps answering and lets the page move: it fails these.
 */
static void msr_checks(void)
{
	u64 base = rdmsr(0x1b);			/* read-modify-write, as OSes do */

	wrmsr(0x1b, base & ~0x800ull);
	check("apic_msr_disable", rdmsr(0x1b) == 0xfee00100 &&
	      apic_read(VERSION) == 0xffffffff);
	wrmsr(0x1b, base);
	check("apic_msr_enable_resets", rdmsr(0x1b) == 0xfee00900 &&
	      apic_read(SPIV) == 0xff && (apic_read(VERSION) & 0xff) == 0x14);
	wrmsr(0x1b, base | 0x400);		/* x2APIC mode: CPUID has none */
	check("apic_msr_x2apic_gp", gp_faults == 1 && rdmsr(0x1b) == 0xfee00900);
	wrmsr(0x1b, (base & 0xfff) | 0xfec00000);	/* a move: minivmm's limit */
	check("apic_msr_move_refused", gp_faults == 2 && rdmsr(0x1b) == 0xfee00900);
}

void apic_checks(void)
{
	u32 r[4];

	cpuid(1, r);
	check("apic_cpuid_xapic_not_x2apic", (r[3] & (1u << 9)) && !(r[2] & (1u << 21)));
	check("apic_base_msr", rdmsr(0x1b) == 0xfee00900);
	check("apic_id_version", apic_read(ID) == 0 && (apic_read(VERSION) & 0xff) == 0x14 &&
	      ((apic_read(VERSION) >> 16) & 0xff) == 5);
	idt_setup();
	apic_write(SPIV, 0x100 | V_SPURIOUS);
	check("apic_software_enable", apic_read(SPIV) == 0x1ff);
	ipi_checks();
	timer_checks();
	msr_checks();
	check("apic_no_spurious", hits[V_SPURIOUS] == 0);
}
