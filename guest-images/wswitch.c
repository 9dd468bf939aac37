// SPDX-License-Identifier: GPL-2.0
/*
 * The world switch, seen from inside: state a guest owns must stay its
 * own across VM exits, and state it must not touch must stay out of its
 * reach. One line per check, "wswitch: PASS <name>" or "wswitch: FAIL
 * <name>: <what>", then "wswitch: N failed"; exits with N.
 *
 *   cr2       a #PF's CR2 is still the faulting address after 300 exits to
 *             userspace and a long busy loop (the suite runs a host task
 *             that page-faults beside it)
 *   syscall   STAR/LSTAR/CSTAR/SFMASK are the guest's: they read back as
 *             written, and SYSCALL enters the guest's own handler
 *   tsc_aux   TSC_AUX reads back, and RDTSCP (if CPUID offers it) returns it
 *   pat       PAT starts at its reset value and reads back as written
 *   invd, wbinvd  complete without an exception
 *   rdpmc     #GP (no counters for the guest)
 *   vmxon     #UD (no nested VMX)
 *   xsetbv    #UD with CR4.OSXSAVE clear
 *   icebp     #DB
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_CSTAR	0xc0000083
#define MSR_SFMASK	0xc0000084
#define MSR_TSC_AUX	0xc0000103
#define MSR_PAT		0x277
#define UNMAPPED	0x8000000000ull	/* PML4 entry 1: not present */

static unsigned int failed;

static void result(const char *name, int ok, const char *what, u64 a, u64 b)
{
	serial_puts("wswitch: ");
	serial_puts(ok ? "PASS " : "FAIL ");
	serial_puts(name);
	if (!ok) {
		serial_puts(": ");
		serial_puts(what);
		serial_puts(" ");
		serial_put_hex(a, 16);
		serial_puts(" ");
		serial_put_hex(b, 16);
		failed++;
	}
	serial_puts("\n");
}

/* RDMSR/WRMSR that report the vector of an exception instead of dying. */
static int rdmsr_safe(u32 msr, u64 *v)
{
	u32 lo = 0, hi = 0;

	GUARD("rdmsr", : "=a"(lo), "=d"(hi) : "c"(msr) : "r11", "memory");
	*v = (u64)hi << 32 | lo;
	return exc_vector;
}

static int wrmsr_safe(u32 msr, u64 v)
{
	GUARD("wrmsr", : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
	      : "r11", "memory");
	return exc_vector;
}

static u64 read_cr2(void)
{
	u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static volatile u64 cr2_first, cr2_after;

static void pf_hook(int vector, u64 error)
{
	volatile u64 i;
	int n;

	(void)error;
	if (vector != 14)
		return;
	cr2_first = read_cr2();
	for (n = 0; n < 300; n++)
		outb(0x80, n);		/* unhandled port: an exit each */
	for (i = 0; i < 5000000; i++)
		;
	cr2_after = read_cr2();
}

static void check_cr2(void)
{
	u64 v;

	exc_hook = pf_hook;
	GUARD("movq (%1), %0", : "=r"(v) : "r"(UNMAPPED) : "r11", "memory");
	exc_hook = 0;
	if (exc_vector != 14) {
		result("cr2", 0, "no #PF: vector", exc_vector, 0);
		return;
	}
	result("cr2", cr2_first == UNMAPPED && cr2_after == UNMAPPED,
	       "CR2 at the fault, after exits", cr2_first, cr2_after);
}

static volatile u64 sys_hit, sys_rcx, sys_flags;
void syscall_entry(void);
__asm__(".text\n"
	"syscall_entry:\n\t"
	"movq %rcx, sys_rcx(%rip)\n\t"
	"pushfq\n\t"
	"popq sys_flags(%rip)\n\t"
	"movq $1, sys_hit(%rip)\n\t"
	"pushq %r11\n\t"
	"popfq\n\t"
	"jmpq *%rcx\n");

static int msr_roundtrip(const char *name, u32 msr, u64 v)
{
	u64 got = 0;
	int e = wrmsr_safe(msr, v);

	if (e != EXC_NONE) {
		result(name, 0, "WRMSR faulted: msr, vector", msr, e);
		return 0;
	}
	e = rdmsr_safe(msr, &got);
	if (e != EXC_NONE || got != v) {
		result(name, 0, "RDMSR: msr, value", msr, e != EXC_NONE ? (u64)e : got);
		return 0;
	}
	return 1;
}

static void check_syscall(void)
{
	u64 efer, ret_addr;

	if (rdmsr_safe(MSR_EFER, &efer) != EXC_NONE ||
	    wrmsr_safe(MSR_EFER, efer | 1) != EXC_NONE) {
		result("syscall", 0, "EFER.SCE: vector", exc_vector, 0);
		return;
	}
	/* SYSCALL: CS = STAR[47:32] (0x08), SS = that + 8 (0x10). */
	if (!msr_roundtrip("syscall", MSR_STAR, 0x08ull << 32) ||
	    !msr_roundtrip("syscall", MSR_CSTAR, 0xffffffff81000000ull) ||
	    !msr_roundtrip("syscall", MSR_SFMASK, 0x200) ||
	    !msr_roundtrip("syscall", MSR_LSTAR, (u64)syscall_entry))
		return;	/* never SYSCALL into an LSTAR that is not ours */
	sys_hit = 0;
	__asm__ volatile("leaq 1f(%%rip), %0\n\t"
			 "sti\n\t"
			 "syscall\n"
			 "1:\n\t"
			 "cli"
			 : "=&r"(ret_addr) : : "rcx", "r11", "memory");
	result("syscall", sys_hit == 1 && sys_rcx == ret_addr && !(sys_flags & 0x200),
	       "handler reached, RCX / RFLAGS inside", sys_rcx, sys_flags);
}

static void check_tsc_aux(void)
{
	u32 a, b, c, d, aux = 0;

	if (!msr_roundtrip("tsc_aux", MSR_TSC_AUX, 0x5a5a))
		return;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (d & (1u << 27)) {
		GUARD("rdtscp", : "=c"(aux) : : "rax", "rdx", "r11", "memory");
		if (exc_vector != EXC_NONE) {
			result("tsc_aux", 0, "RDTSCP offered by CPUID faults: vector", exc_vector, 0);
			return;
		}
	} else {
		aux = 0x5a5a;	/* nothing more to check */
	}
	result("tsc_aux", aux == 0x5a5a, "RDTSCP ECX", aux, 0x5a5a);
}

static void check_pat(void)
{
	u64 v = 0;

	if (rdmsr_safe(MSR_PAT, &v) != EXC_NONE || v != 0x0007040600070406ull) {
		result("pat", 0, "reset value (or vector)", v, exc_vector);
		return;
	}
	if (msr_roundtrip("pat", MSR_PAT, 0x0007010600070106ull))
		result("pat", 1, "", 0, 0);
}

/* @name raises @want (EXC_NONE: nothing). */
static void expect(const char *name, int got, int want)
{
	result(name, got == want, "vector, expected", got, want);
}

static void check_instructions(void)
{
	static u8 region[4096] __attribute__((aligned(4096)));
	u64 cr4;

	GUARD("invd", : : : "r11", "memory");
	expect("invd", exc_vector, EXC_NONE);
	GUARD("wbinvd", : : : "r11", "memory");
	expect("wbinvd", exc_vector, EXC_NONE);
	GUARD("rdpmc", : : "c"(0) : "rax", "rdx", "r11", "memory");
	expect("rdpmc", exc_vector, 13);
	GUARD("vmxon %0", : : "m"(region) : "r11", "memory");
	expect("vmxon", exc_vector, 6);
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (!(cr4 & (1u << 18))) {
		GUARD("xsetbv", : : "c"(0), "a"(1), "d"(0) : "r11", "memory");
		expect("xsetbv", exc_vector, 6);
	}
	GUARD(".byte 0xf1", : : : "r11", "memory");
	expect("icebp", exc_vector, 1);
}

int main(void)
{
	idt_init();
	check_cr2();
	check_syscall();
	check_tsc_aux();
	check_pat();
	check_instructions();
	serial_puts("wswitch: ");
	serial_put_hex(failed, 2);
	serial_puts(" failed\n");
	return failed;
}
