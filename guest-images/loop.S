/* SPDX-License-Identifier: GPL-2.0 */
/* Spin forever with interrupts off: only --timeout ends it (status 124). */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
1:	jmp	1b
