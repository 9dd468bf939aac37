/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the long-mode guests: minivmm starts them at e_entry in 64-bit
 * mode with RSP = 0x80000. Calls main() and exits with its return value.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	and	$-16, %rsp
	call	main
	mov	%eax, %edi
	call	guest_exit
