/* SPDX-License-Identifier: GPL-2.0 */
/* Real mode: print a line on COM1, exit 0. */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	mov	$msg, %si
	call	puts16
	xor	%al, %al
	call	exit16

	.section .rodata
msg:	.asciz	"Hello from real mode\n"
