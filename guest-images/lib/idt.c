// SPDX-License-Identifier: GPL-2.0
#include "idt.h"

#define CODE_SEL	0x08	/* minivmm's 64-bit code selector (vmm/boot.h) */
#define NR_VECTORS	22	/* exception stubs in isr.S */
#define IDT_SIZE	256

volatile int exc_vector = EXC_NONE;
volatile u64 exc_error;
volatile u64 exc_recover_rip;
volatile u64 exc_rip;
void (*exc_hook)(int vector, u64 error);

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;		/* 0x8e: present 64-bit interrupt gate */
	u16 off_mid;
	u32 off_hi, zero;
};

static struct idt_gate idt[IDT_SIZE] __attribute__((aligned(16)));

#define ISR(n)	extern char isr_##n[]
ISR(0); ISR(1); ISR(2); ISR(3); ISR(4); ISR(5); ISR(6); ISR(7); ISR(8);
ISR(9); ISR(10); ISR(11); ISR(12); ISR(13); ISR(14); ISR(15); ISR(16);
ISR(17); ISR(18); ISR(19); ISR(20); ISR(21);

static char *const isrs[NR_VECTORS] = {
	isr_0, isr_1, isr_2, isr_3, isr_4, isr_5, isr_6, isr_7, isr_8, isr_9,
	isr_10, isr_11, isr_12, isr_13, isr_14, isr_15, isr_16, isr_17,
	isr_18, isr_19, isr_20, isr_21,
};

void exc_handler(u64 vector, u64 error);

void exc_handler(u64 vector, u64 error)
{
	exc_vector = vector;
	exc_error = error;
	if (exc_hook)
		exc_hook(vector, error);
}

static void idt_gate_set(unsigned int vector, u64 a)
{
	idt[vector] = (struct idt_gate) {
		.off_lo = a, .sel = CODE_SEL, .type = 0x8e,
		.off_mid = a >> 16, .off_hi = a >> 32,
	};
}

void idt_set_handler(unsigned int vector, void *entry)
{
	idt_gate_set(vector, (u64)entry);
}

void idt_init(void)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) idtr;
	unsigned int i;

	for (i = 0; i < NR_VECTORS; i++)
		idt_gate_set(i, (u64)isrs[i]);
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u64)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
