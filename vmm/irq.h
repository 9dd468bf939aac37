/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt lines from devices to the interrupt controller in userspace
 * (the 8259 pair, i8259.c), and from it to the vCPU: the run loop asks
 * whether an interrupt is pending and, when the guest can take it, acks
 * it (the INTA cycle) and queues the vector with MINIVMM_INTERRUPT.
 */
#ifndef VMM_IRQ_H
#define VMM_IRQ_H

#include <stdbool.h>

struct irq_controller {
	void (*line)(unsigned int irq, int level);
	bool (*pending)(void);
	int (*ack)(void);	/* the vector to inject */
};

/* The controller, or NULL: lines then go nowhere. */
void irq__set_controller(const struct irq_controller *c);

/* Device input line @irq (0..15) is now @level. */
void irq__line(unsigned int irq, int level);
/* A rising and falling edge (a PIT tick). */
void irq__pulse(unsigned int irq);
bool irq__pending(void);
int irq__ack(void);

#endif /* VMM_IRQ_H */
