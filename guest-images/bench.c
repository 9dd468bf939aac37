// SPDX-License-Identifier: GPL-2.0
/*
 * Exit cost, measured from inside (make bench, docs/performance.md): for
 * each class, BENCH_ITERS round trips timed with RDTSC around the one
 * instruction that exits, and the min and median printed as
 * "bench: <class> min=<cycles> median=<cycles>". The guest's TSC is the
 * host's, so these are host cycles from before the exit to after the
 * resume; "baseline" is the same timing around an instruction that does
 * not exit. In Bochs the TSC advances with emulated instructions: the
 * numbers are path lengths, repeatable run to run.
 */
#include "lib/guest.h"

#ifndef BENCH_ITERS
#define BENCH_ITERS	200
#endif

#define SCRATCH_MMIO	0xd0001000ull
#define COM1_SCR	(COM1 + 7)
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define MSR_KGS_BASE	0xc0000102
#define MSR_TSC_AUX	0xc0000103
#define MSR_APIC_BASE	0x0000001b

static u64 samples[BENCH_ITERS];

static inline u64 tsc_begin(void)
{
	u32 lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

static inline u64 tsc_end(void)
{
	u32 lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

static void report(const char *name)
{
	unsigned int i, j;
	u64 t;

	for (i = 1; i < BENCH_ITERS; i++)	/* insertion sort: small n */
		for (j = i; j && samples[j - 1] > samples[j]; j--) {
			t = samples[j];
			samples[j] = samples[j - 1];
			samples[j - 1] = t;
		}
	serial_puts("bench: ");
	serial_puts(name);
	serial_puts(" min=");
	serial_put_dec(samples[0]);
	serial_puts(" median=");
	serial_put_dec(samples[(BENCH_ITERS - 1) / 2]);
	serial_puts("\n");
}

#define BENCH(name, insn, ...)						\
	do {								\
		unsigned int i_;					\
		for (i_ = 0; i_ < BENCH_ITERS; i_++) {			\
			u64 t0_ = tsc_begin();				\
			__asm__ volatile(insn __VA_ARGS__);		\
			samples[i_] = tsc_end() - t0_;			\
		}							\
		report(name);						\
	} while (0)

int main(void)
{
	u32 a, b, c, d;
	u64 v = 0x1000;

	serial_puts("bench: start\n");
	BENCH("baseline", "nop", : : : "memory");
	BENCH("cpuid", "cpuid", : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	BENCH("vmcall", "vmcall", : "=a"(a) : "a"(0x7fff0000u) : "memory");
	BENCH("pio_in", "inb %w1, %b0", : "=a"(a) : "d"(COM1_SCR));
	BENCH("pio_out", "outb %b0, %w1", : : "a"(0), "d"(0x80));
	BENCH("mmio_read", "movl (%1), %0", : "=r"(a) : "r"(SCRATCH_MMIO) : "memory");
	BENCH("mmio_write", "movl %0, (%1)", : : "r"(0), "r"(SCRATCH_MMIO) : "memory");
	BENCH("rdmsr_fs_base", "rdmsr", : "=a"(a), "=d"(d) : "c"(MSR_FS_BASE));
	BENCH("rdmsr_kernel_gs_base", "rdmsr", : "=a"(a), "=d"(d) : "c"(MSR_KGS_BASE));
	BENCH("wrmsr_kernel_gs_base", "wrmsr", : : "c"(MSR_KGS_BASE), "a"((u32)v),
	      "d"((u32)(v >> 32)));
	BENCH("wrmsr_gs_base", "wrmsr", : : "c"(MSR_GS_BASE), "a"(0), "d"(0));
	BENCH("rdmsr_tsc_aux", "rdmsr", : "=a"(a), "=d"(d) : "c"(MSR_TSC_AUX));
	BENCH("rdmsr_apic_base", "rdmsr", : "=a"(a), "=d"(d) : "c"(MSR_APIC_BASE));
	serial_puts("bench: done\n");
	return 0;
}
