/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Triple fault in real mode: with an IDT limit of 0, INT3 cannot find its
 * vector (#GP), neither can the #GP (so #DF), nor the #DF: shutdown
 * (status 120). Should the CPU get past INT3, the guest says so and
 * exits 1.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	lidt	idt_empty
	int3
	mov	$1, %al
	mov	$msg, %si
	jmp	puts_exit16

	.section .rodata
	.balign	8
idt_empty:
	.word	0		/* limit */
	.long	0		/* base */
msg:	.asciz	"triple: INT3 returned, no triple fault\n"
