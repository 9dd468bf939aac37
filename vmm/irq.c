// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include "irq.h"

static const struct irq_controller *irq_ctl;
static const struct irq_cpu *irq_cpu;

void irq__set_controller(const struct irq_controller *c)
{
	irq_ctl = c;
}

void irq__set_cpu(const struct irq_cpu *c)
{
	irq_cpu = c;
}

void irq__line(unsigned int irq, int level)
{
	if (irq_ctl)
		irq_ctl->line(irq, level);
}

void irq__pulse(unsigned int irq)
{
	irq__line(irq, 1);
	irq__line(irq, 0);
}

bool irq__extint_pending(void)
{
	return irq_ctl && irq_ctl->pending();
}

int irq__extint_ack(void)
{
	return irq_ctl ? irq_ctl->ack() : -1;
}

bool irq__pending(void)
{
	return irq_cpu ? irq_cpu->pending() : irq__extint_pending();
}

int irq__ack(void)
{
	return irq_cpu ? irq_cpu->ack() : irq__extint_ack();
}
