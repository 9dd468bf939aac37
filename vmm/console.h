/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's console input: stdin feeds COM1's receiver. On a terminal
 * (and when asked, for kernels with a shell) the terminal goes to raw
 * mode, restored on every way out, and Ctrl-A starts an escape as in
 * QEMU: Ctrl-A x quits, Ctrl-A Ctrl-A sends a Ctrl-A. Otherwise stdin
 * is read as is, so scripts can drive the guest; at end of file input
 * stops.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>

struct vcpu;

#define CONSOLE_ESCAPE	0x01	/* Ctrl-A */

/* Take input from @fd; @raw: raw mode if it is a terminal. 0 or -errno. */
int console__init(int fd, bool raw);
/* Put the terminal back as it was (idempotent; also at exit). */
void console__restore(void);
/* The fd to poll for input, or -1 (no input, end of file, UART full). */
int console__poll_fd(void);
/* Move what stdin has into COM1's receiver, without blocking. */
void console__read(struct vcpu *v);
/* Whether input could wake a halted guest (COM1 receive interrupt on). */
bool console__can_wake(void);

#endif /* VMM_CONSOLE_H */
