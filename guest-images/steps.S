/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For --step: known instructions at known offsets from the load address
 * (CS:IP = 0x1000:0), then exit 0 through port 0xf4. The suite checks
 * the RIP of each step against these offsets.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	nop				/* 0x00, 1 byte */
	mov	$1, %ax			/* 0x01, 3 bytes */
	inc	%ax			/* 0x04, 1 byte */
	add	%ax, %bx		/* 0x05, 2 bytes */
	xor	%eax, %eax		/* 0x07, 3 bytes (66 31 c0) */
	cpuid				/* 0x0a, 2 bytes: emulated by the module */
	xor	%ax, %ax		/* 0x0c, 2 bytes */
	out	%al, $0xf4		/* 0x0e: exit 0 */
1:	cli
	hlt
	jmp	1b
