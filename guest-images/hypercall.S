/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMCALL nr 1 with arguments 2..6 in RBX, RCX, RDX, RSI, RDI: minivmm
 * prints it and returns -1 in RAX. Prints "hypercall: returned -1" and
 * exits 0, or exits 1 on any other value.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	mov	$1, %eax
	mov	$2, %ebx
	mov	$3, %ecx
	mov	$4, %edx
	mov	$5, %esi
	mov	$6, %edi
	vmcall
	cmp	$0xffffffff, %eax
	jne	fail
	xor	%al, %al
	mov	$ok, %si
	jmp	puts_exit16
fail:
	mov	$1, %al
	mov	$bad, %si
	jmp	puts_exit16

	.section .rodata
ok:	.asciz	"hypercall: returned -1\n"
bad:	.asciz	"hypercall: unexpected return value\n"
