// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt injection from inside: the guest programs the 8259 pair
 * (vector base 0x20, only IRQ 0 unmasked) and the 8254 (channel 0, mode
 * 2, 1 kHz), and checks one line each, "irq: PASS <name>" or "irq: FAIL
 * <name>: <what>", then "irq: N failed"; exits with N.
 *
 *   imr        the PIC's mask reads back as written
 *   hlt_wakes  50 times "sti; hlt": each is woken by a timer tick
 *   if0_held   with IF=0 for two PIT periods (read from the PIT counter)
 *              no tick is delivered
 *   sti_shadow the tick that waited is delivered right after the
 *              instruction following STI, not before (SDM Vol. 3A 6.8.3)
 *   sti_hlt    with a tick pending, "sti; hlt" wakes at once, after HLT
 *   rate       at 100 Hz, ticks counted in 50 PIT periods (measured on
 *              the PIT's own counter) are 50 +- 3: none lost or invented
 */
#include "lib/guest.h"
#include "lib/idt.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182
#define PIT_DIVISOR	(PIT_HZ / 1000)
#define IRQ0_VECTOR	0x20

volatile u64 ticks, irq_rip;
extern char irq0_entry[];

/* IRQ 0: count, remember where the guest was, non-specific EOI. */
__asm__(".text\n"
	".globl irq0_entry\n"
	"irq0_entry:\n\t"
	"pushq %rax\n\t"
	"movq 8(%rsp), %rax\n\t"
	"movq %rax, irq_rip(%rip)\n\t"
	"incq ticks(%rip)\n\t"
	"movb $0x20, %al\n\t"
	"outb %al, $0x20\n\t"
	"popq %rax\n\t"
	"iretq\n");

static void result(const char *name, int ok, const char *what, u64 a, u64 b)
{
	check("irq", name, ok, what, a, b);
}

static void pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 */
	outb(PIC1_DATA, IRQ0_VECTOR);	/* ICW2: vector base */
	outb(PIC1_DATA, 0x04);		/* ICW3: slave on IRQ 2 */
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_CMD, 0x11);
	outb(PIC2_DATA, IRQ0_VECTOR + 8);
	outb(PIC2_DATA, 0x02);
	outb(PIC2_DATA, 0x01);
	outb(PIC2_DATA, 0xff);
	outb(PIC1_DATA, 0xfe);		/* only IRQ 0 */
}

/* Channel 0's count now (latch command, then low and high byte). */
static u16 pit_count(void)
{
	u16 lo, hi;

	outb(PIT_CMD, 0x00);
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return hi << 8 | lo;
}

/* Wait, with whatever IF is, until channel 0 reloaded @n times. */
static void pit_wait_periods(unsigned int n)
{
	u16 prev = pit_count(), now;

	while (n) {
		now = pit_count();
		if (now > prev)		/* counted down past 1: reloaded */
			n--;
		prev = now;
	}
}

int main(void)
{
	u64 t0, expect;
	unsigned int i;

	idt_init();
	idt_set_handler(IRQ0_VECTOR, irq0_entry);
	pic_init();
	result("imr", inb(PIC1_DATA) == 0xfe && inb(PIC2_DATA) == 0xff,
	       "IMR", inb(PIC1_DATA), inb(PIC2_DATA));
	outb(PIT_CMD, 0x34);		/* channel 0, lo/hi, mode 2 */
	outb(PIT_CH0, PIT_DIVISOR & 0xff);
	outb(PIT_CH0, PIT_DIVISOR >> 8);

	t0 = ticks;
	for (i = 0; i < 50; i++)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	result("hlt_wakes", ticks - t0 >= 50, "ticks", ticks - t0, 50);

	t0 = ticks;
	pit_wait_periods(2);
	result("if0_held", ticks == t0, "ticks while IF=0", ticks - t0, 0);
	__asm__ volatile("sti\n\t"
			 "nop\n"
			 "1:\tleaq 1b(%%rip), %0\n\t"
			 "cli" : "=r"(expect) : : "memory");
	result("sti_shadow", ticks > t0 && irq_rip == expect,
	       "interrupted at", irq_rip, expect);

	pit_wait_periods(2);
	t0 = ticks;
	__asm__ volatile("sti\n\t"
			 "hlt\n"
			 "1:\tleaq 1b(%%rip), %0\n\t"
			 "cli" : "=r"(expect) : : "memory");
	result("sti_hlt", ticks > t0 && irq_rip == expect,
	       "woke at", irq_rip, expect);

	outb(PIT_CMD, 0x34);		/* 100 Hz: polls never miss a period */
	outb(PIT_CH0, (PIT_DIVISOR * 10) & 0xff);
	outb(PIT_CH0, (PIT_DIVISOR * 10) >> 8);
	pit_wait_periods(1);
	t0 = ticks;
	__asm__ volatile("sti" ::: "memory");
	pit_wait_periods(50);
	__asm__ volatile("cli" ::: "memory");
	result("rate", ticks - t0 >= 47 && ticks - t0 <= 53, "ticks in 50 periods",
	       ticks - t0, 50);

	outb(PIC1_DATA, 0xff);
	check_summary("irq");
	guest_exit(checks_failed);
}
