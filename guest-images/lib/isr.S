/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception stubs of the long-mode test guests (lib/idt.c): each pushes
 * an error code where the CPU does not, then its vector, and calls
 * exc_handler(vector, error), with the RIP the CPU pushed in exc_rip;
 * the common code then returns to exc_recover_rip with TF clear, so a
 * check survives the exception it provoked.
 */
	.macro	isr vec, has_err
	.globl	isr_\vec
isr_\vec:
	.if	\has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	isr_common
	.endm

	.text
	isr 0, 0
	isr 1, 0
	isr 2, 0
	isr 3, 0
	isr 4, 0
	isr 5, 0
	isr 6, 0
	isr 7, 0
	isr 8, 1
	isr 9, 0
	isr 10, 1
	isr 11, 1
	isr 12, 1
	isr 13, 1
	isr 14, 1
	isr 15, 0
	isr 16, 0
	isr 17, 1
	isr 18, 0
	isr 19, 0
	isr 20, 0
	isr 21, 1

/* Frame: vector, error, RIP, CS, RFLAGS, RSP, SS; 9 saved registers below. */
isr_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	72(%rsp), %rdi
	movq	80(%rsp), %rsi
	/* The CPU aligned RSP to 16 before its 5 words; 2 + 9 more: 16 again. */
	movq	88(%rsp), %rax
	movq	%rax, exc_rip(%rip)
	call	exc_handler
	movq	exc_recover_rip(%rip), %rax
	movq	%rax, 88(%rsp)
	/* Back at the recovery point without single-stepping (RFLAGS.TF). */
	andq	$~0x100, 104(%rsp)
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
