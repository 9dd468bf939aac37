/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a guest kernel ends: a reset (i8042 0xfe, or a triple fault from a
 * guest that reboots that way) ends the run with status 0 and one line
 * saying why, unless the guest's console showed a kernel panic first:
 * then the status is VMM_EXIT_GUEST_PANIC and the line quotes the panic.
 * A HLT with interrupts disabled is a power-off for guests that boot as
 * kernels (vcpu.c).
 */
#ifndef VMM_POWER_H
#define VMM_POWER_H

#include <stdbool.h>

struct vcpu;

/* The guest asked for a reset: stop @v with the status above. */
void power__reset(struct vcpu *v, const char *why);
/* The guest halted for good (HLT with IF=0): a power-off, or a panic. */
void power__off(struct vcpu *v, const char *why);
/* A console line (serial line_fn): remembers a Linux panic message. */
void power__console_line(void *opaque, const char *line);
/* Forget any panic seen (a new run, tests). */
void power__clear(void);

#endif /* VMM_POWER_H */
