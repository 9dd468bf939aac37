/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A #DB loop (the CVE-2015-8104 class): an instruction breakpoint (DR0,
 * DR7.L0) on the first instruction of the #DB handler. Every delivery of
 * #DB lands on the breakpoint and raises #DB again, before the handler
 * runs a single instruction: the guest never gets anywhere, but each
 * round trip is a VM exit (minivmm always intercepts #DB), so the host
 * stays in control and --timeout ends it with status 117.
 *
 * It first checks that DR0 and DR7 read back what it wrote (MOV DR
 * exits, emulated by the module): exits 1 if not.
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	/* A stack of its own: each delivery pushes 6 bytes, and SP wraps. */
	mov	$0x2000, %ax
	mov	%ax, %ss
	xor	%sp, %sp
	/* IVT[1] = CS:db_handler */
	xor	%ax, %ax
	mov	%ax, %es
	movw	$db_handler, %es:4
	mov	%cs, %es:6
	/* DR0 = the handler's linear address: CS * 16 + offset */
	xor	%eax, %eax
	mov	%cs, %ax
	shl	$4, %eax
	add	$db_handler, %eax
	mov	%eax, %dr0
	mov	%dr0, %ebx
	cmp	%eax, %ebx
	jne	fail
	mov	$0x401, %eax		/* L0, execute, 1 byte; bit 10 is 1 */
	mov	%eax, %dr7
	mov	%dr7, %ebx
	cmp	%eax, %ebx
	jne	fail
	mov	$armed, %si
	call	puts16
	jmp	db_handler		/* the breakpoint fires here, forever */

db_handler:
	nop				/* never executed */
	mov	$2, %al
	mov	$escaped, %si
	jmp	puts_exit16

fail:
	mov	$1, %al
	mov	$bad, %si
	jmp	puts_exit16

	.section .rodata
armed:	.asciz	"dbloop: breakpoint on the #DB handler armed\n"
escaped: .asciz	"dbloop: the #DB handler ran: no breakpoint\n"
bad:	.asciz	"dbloop: DR0/DR7 did not read back\n"
