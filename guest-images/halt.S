/* SPDX-License-Identifier: GPL-2.0 */
/* HLT with interrupts disabled: nothing can wake it (status 118). */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	hlt
	mov	$msg, %si		/* not reached */
	call	puts16
	mov	$1, %al
	call	exit16

	.section .rodata
msg:	.asciz	"halt: HLT returned\n"
