/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An #AC loop (CVE-2015-5307): alignment checking on (CR0.AM, EFLAGS.AC,
 * CPL 3), a misaligned load, and an #AC handler that runs at CPL 3 on a
 * misaligned stack. Delivering #AC pushes to that stack, which raises
 * #AC again, and again: on bare metal the CPU never reaches an
 * instruction boundary again. minivmm always intercepts #AC, so each
 * round is a VM exit, the host stays in control and --timeout ends it
 * with status 117.
 *
 * 32-bit protected mode, every segment based at the load address
 * (0x10000, the default) so the link-time offsets are the segment
 * offsets.
 */
#define LOAD	0x10000

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	mov	$hello, %si
	call	puts16
	lgdtl	gdt_desc
	lidtl	idt_desc
	mov	%cr0, %eax
	or	$0x40001, %eax		/* PE, AM */
	mov	%eax, %cr0
	ljmpl	$0x08, $pm32

	.code32
pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x8000, %esp
	/* IRET to CPL 3 with EFLAGS.AC, on a misaligned user stack. */
	push	$0x23			/* SS: user data */
	push	$0x7001			/* ESP */
	pushf
	orl	$0x40000, (%esp)	/* AC */
	push	$0x1b			/* CS: user code */
	push	$user
	iret

user:
	mov	$0x23, %ax
	mov	%ax, %ds
	movl	0x5001, %eax		/* misaligned: #AC(0) */
	jmp	user

	/* CPL 3, same stack: should the push get through, fault again. */
ac_handler:
	mov	$0x7001, %esp
	movl	0x5001, %eax
	jmp	ac_handler

	.section .rodata
	.balign	8
gdt:
	.quad	0
	/* base LOAD, limit 4 GiB: 0x08 code, 0x10 data (DPL 0), 0x18 code, 0x20 data (DPL 3) */
	.word	0xffff, 0
	.byte	LOAD >> 16, 0x9a, 0xcf, 0
	.word	0xffff, 0
	.byte	LOAD >> 16, 0x92, 0xcf, 0
	.word	0xffff, 0
	.byte	LOAD >> 16, 0xfa, 0xcf, 0
	.word	0xffff, 0
	.byte	LOAD >> 16, 0xf2, 0xcf, 0
gdt_end:
	.balign	8
idt:
	.fill	17, 8, 0
	/* vector 17, #AC: 32-bit interrupt gate to CPL-3 code */
	.word	ac_handler, 0x1b
	.byte	0, 0xee
	.word	0
idt_end:
	.balign	4
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	LOAD + gdt
idt_desc:
	.word	idt_end - idt - 1
	.long	LOAD + idt
hello:	.asciz	"acloop: entering CPL 3 with alignment checks\n"
