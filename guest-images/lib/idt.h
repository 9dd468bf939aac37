/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions for the long-mode test guests: idt_init() installs an IDT
 * whose handlers record the vector and resume at the address the last
 * GUARD() named, so a guest can provoke an exception and check it.
 */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include "guest.h"

#define EXC_NONE	(-1)

extern volatile int exc_vector;		/* last exception, EXC_NONE: none */
extern volatile u64 exc_error;
extern volatile u64 exc_recover_rip;
extern volatile u64 exc_rip;		/* the RIP the CPU pushed */

void idt_init(void);
/*
 * Vectors 22..255 (interrupts): @entry is an assembly stub that saves
 * what it uses and ends in IRETQ; the gate is an interrupt gate (IF=0).
 */
void idt_set_handler(unsigned int vector, void *entry);

/*
 * Set by the guest before idt_init(): called from the handler with the
 * vector and error code, before it resumes (e.g. to look at CR2 there).
 */
extern void (*exc_hook)(int vector, u64 error);

/*
 * GUARD(insn, : outputs : inputs : "r11", "memory", clobbers...): one asm
 * statement whose exception, if any, resumes right after it, with
 * exc_vector set. It uses r11: the clobbers must name it.
 */
#define GUARD(insn, ...)						\
	do {								\
		exc_vector = EXC_NONE;					\
		__asm__ volatile("leaq 1f(%%rip), %%r11\n\t"		\
				 "movq %%r11, exc_recover_rip(%%rip)\n\t" \
				 insn "\n1:" __VA_ARGS__);		\
	} while (0)

#endif /* GUEST_IDT_H */
