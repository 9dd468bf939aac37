/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unhandled ports: OUTs to 0x84 (twice: reported once) and an IN from
 * 0x65 that must read all-ones; the COM1 scratch register must hold what
 * is written to it. Prints "ports: ok" and exits 0, or exits 1.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	mov	$0x12, %al
	out	%al, $0x84
	out	%al, $0x84
	in	$0x65, %al
	cmp	$0xff, %al
	jne	fail
	in	$0x65, %ax		/* a 2-byte IN: 0xffff */
	cmp	$0xffff, %ax
	jne	fail
	mov	$0x3ff, %dx		/* COM1 scratch */
	mov	$0x5a, %al
	out	%al, %dx
	in	%dx, %al
	cmp	$0x5a, %al
	jne	fail
	xor	%al, %al
	mov	$ok, %si
	jmp	puts_exit16
fail:
	mov	$1, %al
	mov	$bad, %si
	jmp	puts_exit16

	.section .rodata
ok:	.asciz	"ports: ok\n"
bad:	.asciz	"ports: FAILED\n"
