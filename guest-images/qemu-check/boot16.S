/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-check, flat guests: a boot sector that reads the image (sectors
 * 1..64 of the disk) to 0x10000 and starts it as `minivmm run` does:
 * CS = DS = ES = FS = GS = 0x1000, IP = 0, SS:SP = 0:0xfff0.
 */
	.code16
	.globl _start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x7c00, %sp
	mov	$0x42, %ah		/* extended read, %dl = boot drive */
	mov	$dap, %si
	int	$0x13
	jc	fail
	mov	$0x1000, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	xor	%ax, %ax
	mov	%ax, %ss
	mov	$0xfff0, %sp
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	ljmp	$0x1000, $0
fail:
	mov	$0xee, %al		/* status 0xee: could not read the disk */
	out	%al, $0xf4
	hlt

	.balign	4
dap:	.byte	16, 0
	.word	64			/* sectors */
	.word	0, 0x1000		/* offset, segment */
	.quad	1			/* LBA */
	.org	510
	.byte	0x55, 0xaa
