/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String I/O past the end of guest memory (run it with --mem 1M): a
 * REP INSB of 65535 bytes from port 0x80 into 0xffff:0, which crosses
 * the end of memory at 1 MiB after 16 bytes (the rest is dropped, like a
 * write to nothing), then a REP OUTSB of 65535 bytes from the same
 * place, whose source runs out of memory: the module stops it as an
 * internal error (status 122). Every step is bounded by the run page and
 * by guest memory: no count makes the kernel touch anything else.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	cld
	mov	$0x80, %dx
	mov	$0xffff, %ax
	mov	%ax, %es
	xor	%di, %di
	mov	$0xffff, %cx
	rep insb
	mov	%cs, %ax
	mov	%ax, %es
	mov	$ins_done, %si
	call	puts16
	mov	$0xffff, %ax
	mov	%ax, %ds
	xor	%si, %si
	mov	$0xffff, %cx
	rep outsb
	mov	%cs, %ax
	mov	%ax, %ds
	mov	$1, %al
	mov	$outs_done, %si
	jmp	puts_exit16

	.section .rodata
ins_done:  .asciz "strio: REP INSB past the end of memory done\n"
outs_done: .asciz "strio: REP OUTSB past the end of memory completed\n"
