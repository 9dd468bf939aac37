// SPDX-License-Identifier: GPL-2.0
/*
 * Exit cost, measured from inside (make bench, docs/performance.md): for
 * each class, BENCH_ITERS round trips timed with RDTSC around the one
 * instruction that exits, and the min and median printed as
 * "bench: <class> min=<cycles> median=<cycles>". The guest's TSC is the
 * host's, so these are host cycles from before the exit to after the
 * resume; "baseline" is the same timing around an instruction that does
 * not exit. "hlt_irq" is "sti; hlt" with a timer interrupt (PIC + PIT,
 * as irq.c) already pending: from before STI to the handler's first
 * instruction, the HLT exit and the injection by the VMM between. In Bochs the TSC advances with emulated instructions: the
 * numbers are path lengths, repeatable run to run.
 */
#include "lib/guest.h"
#include "lib/idt.h"

#ifndef BENCH_ITERS
#define BENCH_ITERS	200
#endif
#define HLT_ITERS	50
#define IRQ0_VECTOR	0x20

volatile u64 hlt_t1;
extern char bench_irq0[];

/* IRQ 0: the TSC at the handler's entry, then a non-specific EOI. */
__asm__(".text\n"
	".globl bench_irq0\n"
	"bench_irq0:\n\t"
	"pushq %rax\n\t"
	"pushq %rdx\n\t"
	"rdtsc\n\t"
	"shlq $32, %rdx\n\t"
	"orq %rdx, %rax\n\t"
	"movq %rax, hlt_t1(%rip)\n\t"
	"movb $0x20, %al\n\t"
	"outb %al, $0x20\n\t"
	"popq %rdx\n\t"
	"popq %rax\n\t"
	"iretq\n");

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

static void report_n(const char *name, unsigned int n)
{
	unsigned int i, j;
	u64 t;

	for (i = 1; i < n; i++)		/* insertion sort: small n */
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
	serial_put_dec(samples[(n - 1) / 2]);
	serial_puts("\n");
}

static void report(const char *name)
{
	report_n(name, BENCH_ITERS);
}

/*
 * HLT woken by an injected timer interrupt: the PIC and PIT as Linux
 * programs them (irq.c), IRQ 0 at 1 kHz; each round waits with IF=0
 * until the tick is pending in the PIC (IRR, read with OCW3), then times
 * "sti; hlt" to the handler.
 */
static void bench_hlt(void)
{
	unsigned int i;
	u64 t0;

	idt_init();
	idt_set_handler(IRQ0_VECTOR, bench_irq0);
	outb(0x20, 0x11);		/* ICW1..4: vectors 0x20.., cascade */
	outb(0x21, IRQ0_VECTOR);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, IRQ0_VECTOR + 8);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0xa1, 0xff);
	outb(0x21, 0xfe);		/* IRQ 0 only */
	outb(0x43, 0x34);		/* channel 0, mode 2, 1 kHz */
	outb(0x40, (1193182 / 1000) & 0xff);
	outb(0x40, (1193182 / 1000) >> 8);
	for (i = 0; i < HLT_ITERS; i++) {
		do {
			outb(0x20, 0x0a);	/* OCW3: read IRR */
		} while (!(inb(0x20) & 1));
		t0 = tsc_begin();
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		samples[i] = hlt_t1 - t0;
	}
	outb(0x21, 0xff);
	report_n("hlt_irq", HLT_ITERS);
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
	bench_hlt();
	serial_puts("bench: done\n");
	return 0;
}
