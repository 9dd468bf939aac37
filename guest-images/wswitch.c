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
 *   cpuid     the default CPUID hides what minivmm does not switch or
 *             emulate (VMX, MONITOR, x2APIC, APIC, MCE/MCA, MTRR, PKU,
 *             leaf 7 EDX, hypervisor leaves)
 *   cr4_pke   setting CR4.PKE is #GP (PKRU is not switched)
 *   xcr0      with CR4.OSXSAVE set, CPUID shows it, XCR0 starts as 1,
 *             XSETBV of x87|SSE(|AVX) sticks, leaf 0xD sizes follow XCR0
 *   xsetbv_bad  XSETBV of an invalid value, ECX != 0 or PKRU is #GP
 *   ymm       the YMM upper halves start zeroed (never the host's: the
 *             suite runs a host task keeping a pattern in its own), and
 *             the guest's pattern survives 2000 exits to userspace
 *   tf_cpuid  with RFLAGS.TF set, CPUID (emulated by the module) ends in
 *             a single-step #DB right after it, with DR6.BS
 *   tf_movss  the same for a CPUID in a MOV SS shadow (the #DB the MOV SS
 *             held back is taken after CPUID, SDM Vol. 3A 6.8.3)
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

static void result(const char *name, int ok, const char *what, u64 a, u64 b)
{
	check("wswitch", name, ok, what, a, b);
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

static void check_cpuid(void)
{
	u32 a, b, c, d, ok = 1, what = 0, bad = 0;

	cpuid(1, 0, &a, &b, &c, &d);
	/*
	 * ECX: MONITOR 3, VMX 5, x2APIC 21; EDX: MCE 7, MTRR 12, MCA 14.
	 * APIC (EDX 9) is there: minivmm emulates an xAPIC (vmm/lapic.c).
	 */
	if (c & ((1u << 3) | (1u << 5) | (1u << 21)))
		ok = 0, what = 1, bad = c;
	else if (d & ((1u << 7) | (1u << 12) | (1u << 14)) || !(d & (1u << 9)))
		ok = 0, what = 2, bad = d;
	cpuid(7, 0, &a, &b, &c, &d);
	if (ok && (d || (c & (1u << 3))))		/* leaf 7 EDX, PKU */
		ok = 0, what = 7, bad = d | c;
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	if (ok && (a | b | c | d))
		ok = 0, what = 0x40, bad = a;
	result("cpuid", ok, "leaf (1 ecx, 2 edx, 7, 0x40 hypervisor), value", what, bad);
}

static u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static int write_cr4(u64 v)
{
	GUARD("mov %0, %%cr4", : : "r"(v) : "r11", "memory");
	return exc_vector;
}

static void check_cr4_pke(void)
{
	u64 cr4 = read_cr4();
	int v = write_cr4(cr4 | (1u << 22));

	result("cr4_pke", v == 13 && read_cr4() == cr4, "vector, CR4 after", v, read_cr4());
}

/* XCR0, or ~0 if XGETBV faults (#UD with CR4.OSXSAVE clear). */
static u64 xgetbv0(void)
{
	u32 lo = 0, hi = 0;

	GUARD("xgetbv", : "=a"(lo), "=d"(hi) : "c"(0) : "r11", "memory");
	return exc_vector == EXC_NONE ? (u64)hi << 32 | lo : ~0ull;
}

static int xsetbv_safe(u32 ecx, u64 v)
{
	GUARD("xsetbv", : : "c"(ecx), "a"((u32)v), "d"((u32)(v >> 32)) : "r11", "memory");
	return exc_vector;
}

static int have_avx;

/* 0: done; otherwise which step failed, in @a/@b what was seen. */
static int xcr0_steps(u64 *a, u64 *b)
{
	u32 ea, eb, ec, ed;
	int v;

	cpuid(1, 0, &ea, &eb, &ec, &ed);
	if (!(ec & (1u << 26)))
		return *a = ec, 1;		/* no XSAVE offered */
	if (ec & (1u << 27))
		return *a = ec, 2;		/* OSXSAVE before CR4 says so */
	have_avx = !!(ec & (1u << 28));
	v = write_cr4(read_cr4() | (1u << 18));
	if (v != EXC_NONE)
		return *a = v, 3;
	cpuid(1, 0, &ea, &eb, &ec, &ed);
	if (!(ec & (1u << 27)))
		return *a = ec, 4;
	if (xgetbv0() != 1)
		return *a = xgetbv0(), 5;	/* XCR0 after RESET */
	cpuid(0xd, 0, &ea, &eb, &ec, &ed);
	if ((ea & 3) != 3 || eb != 576 || ec < eb)
		return *a = ea, *b = (u64)eb << 32 | ec, 6;
	v = xsetbv_safe(0, 3);
	if (v != EXC_NONE || xgetbv0() != 3)
		return *a = v, *b = xgetbv0(), 7;
	if (!have_avx)
		return 0;
	v = xsetbv_safe(0, 7);
	if (v != EXC_NONE || xgetbv0() != 7)
		return *a = v, *b = xgetbv0(), 8;
	cpuid(0xd, 0, &ea, &eb, &ec, &ed);
	if (!(ea & 4) || eb < 832)
		return *a = ea, *b = eb, 9;
	return 0;
}

static void check_xcr0(void)
{
	u64 a = 0, b = 0;
	int step = xcr0_steps(&a, &b);

	result("xcr0", !step, "step, seen", step, a ^ (b << 8));
}

static void check_xsetbv_bad(void)
{
	static const u64 bad[] = { 0, 2, 5, 6, 1 | (1u << 9), 1ull << 63 };
	u64 before = xgetbv0();
	unsigned int i;
	int v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = xsetbv_safe(0, bad[i]);
		if (v != 13 || xgetbv0() != before) {
			result("xsetbv_bad", 0, "value, vector", bad[i], v);
			return;
		}
	}
	v = xsetbv_safe(1, 3);
	result("xsetbv_bad", v == 13 && xgetbv0() == before, "ECX=1: vector, XCR0", v, xgetbv0());
}

/* Upper halves of YMM0-15: the guest's pattern, and avx_loop's (host). */
#define GUEST_BYTE(reg, i)	((u8)(0x10 + (reg) * 5 + (i)))
#define HOST_BYTE(reg, i)	((u8)(0xa0 + (reg) * 3 + (i)))

static u8 ymm_pat[16][32] __attribute__((aligned(32)));
static u8 ymm_out[16][32] __attribute__((aligned(32)));

#define YMM_LOAD(n)  __asm__ volatile("vmovdqu %0, %%ymm" #n : : "m"(ymm_pat[n]))
#define YMM_STORE(n) __asm__ volatile("vmovdqu %%ymm" #n ", %0" : "=m"(ymm_out[n]))

static void ymm_load_all(void)
{
	YMM_LOAD(0); YMM_LOAD(1); YMM_LOAD(2); YMM_LOAD(3);
	YMM_LOAD(4); YMM_LOAD(5); YMM_LOAD(6); YMM_LOAD(7);
	YMM_LOAD(8); YMM_LOAD(9); YMM_LOAD(10); YMM_LOAD(11);
	YMM_LOAD(12); YMM_LOAD(13); YMM_LOAD(14); YMM_LOAD(15);
}

static void ymm_store_all(void)
{
	YMM_STORE(0); YMM_STORE(1); YMM_STORE(2); YMM_STORE(3);
	YMM_STORE(4); YMM_STORE(5); YMM_STORE(6); YMM_STORE(7);
	YMM_STORE(8); YMM_STORE(9); YMM_STORE(10); YMM_STORE(11);
	YMM_STORE(12); YMM_STORE(13); YMM_STORE(14); YMM_STORE(15);
}

/*
 * The first upper-half byte of ymm_out that differs from @want (0:
 * zeros, 1: the guest's pattern), as reg << 8 | byte, with 0x10000 set
 * if it is the host task's; -1 if none differs.
 */
static int ymm_mismatch(int want)
{
	int r, i;
	u8 w;

	for (r = 0; r < 16; r++)
		for (i = 0; i < 16; i++) {
			w = want ? GUEST_BYTE(r, i) : 0;
			if (ymm_out[r][16 + i] != w)
				return r << 8 | i |
				       (ymm_out[r][16 + i] == HOST_BYTE(r, i) ? 0x10000 : 0);
		}
	return -1;
}

static void check_ymm(void)
{
	u32 a, b, c, d;
	int n, m;

	/* On its own feet: CR4.OSXSAVE and XCR0 = x87|SSE|AVX, whatever xcr0 found. */
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(read_cr4() & (1u << 18)))
		write_cr4(read_cr4() | (1u << 18));
	if (xgetbv0() != 7)
		xsetbv_safe(0, 7);
	if (!(c & (1u << 28)) || xgetbv0() != 7) {
		result("ymm", 0, "no AVX in CPUID, or XCR0 is not 7: XCR0, CPUID.1:ECX", xgetbv0(), c);
		return;
	}
	ymm_store_all();
	m = ymm_mismatch(0);
	if (m >= 0) {
		result("ymm", 0, m & 0x10000 ? "the host's YMM at start: reg<<8|byte" :
		       "not zero at start: reg<<8|byte, value", m, ymm_out[(m >> 8) & 15][16 + (m & 15)]);
		return;
	}
	for (n = 0; n < 16; n++)
		for (m = 0; m < 32; m++)
			ymm_pat[n][m] = m < 16 ? 0 : GUEST_BYTE(n, m - 16);
	ymm_load_all();
	for (n = 0; n < 2000; n++) {
		outb(0x80, n);		/* to userspace and back */
		cpuid(0, 0, &a, &b, &c, &d);
		ymm_store_all();
		m = ymm_mismatch(1);
		if (m >= 0) {
			result("ymm", 0, m & 0x10000 ? "the host's YMM after exits: n, reg<<8|byte" :
			       "lost after exits: n, reg<<8|byte", n, m);
			return;
		}
	}
	result("ymm", 1, "", 0, 0);
}

static u64 read_dr6(void)
{
	u64 v;

	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

/* A #DB right at @want with DR6.BS: pass; else what was seen. */
static void tf_result(const char *name, u64 want)
{
	u64 dr6 = read_dr6();

	if (exc_vector != 1)
		result(name, 0, "no #DB: vector, RIP", exc_vector, exc_rip);
	else
		result(name, exc_rip == want && (dr6 & (1u << 14)),
		       "#DB at RIP, expected", exc_rip, want);
}

extern char tf_cpuid_after[], tf_movss_after[];

static __attribute__((noinline)) void check_tf(void)
{
	u32 a = 0, c = 0;

	__asm__ volatile("mov %0, %%dr6" : : "r"(0xffff0ff0ull));
	GUARD("pushfq; orq $0x100, (%%rsp); popfq\n\t"
	      "cpuid\n"
	      "tf_cpuid_after: nop; nop",
	      : "+a"(a), "+c"(c) : : "rbx", "rdx", "r11", "memory");
	tf_result("tf_cpuid", (u64)tf_cpuid_after);

	__asm__ volatile("mov %0, %%dr6" : : "r"(0xffff0ff0ull));
	a = c = 0;
	GUARD("mov %%ss, %%edx\n\t"
	      "pushfq; orq $0x100, (%%rsp); popfq\n\t"
	      "mov %%edx, %%ss\n\t"
	      "cpuid\n"
	      "tf_movss_after: nop; nop",
	      : "+a"(a), "+c"(c) : : "rbx", "rdx", "r11", "memory");
	tf_result("tf_movss", (u64)tf_movss_after);
}

int main(void)
{
	idt_init();
	check_cr2();
	check_syscall();
	check_tsc_aux();
	check_pat();
	check_instructions();
	check_cpuid();
	check_cr4_pke();
	check_xcr0();
	check_xsetbv_bad();
	check_ymm();
	check_tf();
	check_summary("wswitch");
	return checks_failed;
}
