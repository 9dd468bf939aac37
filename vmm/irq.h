/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt lines from devices to the 8259 pair (i8259.c), and from
 * there to the vCPU through its local APIC (lapic.c), which passes the
 * 8259's INTR on as ExtINT or delivers its own vectors. The run loop
 * asks whether an interrupt is pending and, when the guest can take it,
 * acks it (the INTA cycle) and queues the vector with MINIVMM_INTERRUPT.
 */
#ifndef VMM_IRQ_H
#define VMM_IRQ_H

#include <stdbool.h>

/* Device lines in, INTR out: the 8259 pair. */
struct irq_controller {
	void (*line)(unsigned int irq, int level);
	bool (*pending)(void);
	int (*ack)(void);	/* the vector to inject */
};

/* The CPU's side: what reaches the vCPU (the local APIC). */
struct irq_cpu {
	bool (*pending)(void);
	int (*ack)(void);
};

/* The controller, or NULL: lines then go nowhere. */
void irq__set_controller(const struct irq_controller *c);
/* The local APIC, or NULL: the controller's INTR goes straight to the CPU. */
void irq__set_cpu(const struct irq_cpu *c);

/* Device input line @irq (0..15) is now @level. */
void irq__line(unsigned int irq, int level);
/* A rising and falling edge (a PIT tick). */
void irq__pulse(unsigned int irq);
/* An interrupt for the vCPU, and its vector (acknowledged). */
bool irq__pending(void);
int irq__ack(void);
/* The controller's INTR and INTA alone, for the APIC's LINT0. */
bool irq__extint_pending(void);
int irq__extint_ack(void);

#endif /* VMM_IRQ_H */
