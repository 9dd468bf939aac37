/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit with status 7: a 4-byte OUT of 0x12345607 to port 0xf4, of which
 * minivmm keeps the low byte.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	mov	$0x12345607, %eax
	out	%eax, $0xf4
1:	cli
	hlt
	jmp	1b
