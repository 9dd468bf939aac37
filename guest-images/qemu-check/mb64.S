/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-check, ELF guests: a multiboot (a.out kludge) stub loaded at 32 MiB
 * with, 4 KiB after it, a snapshot of guest memory as minivmm's own loader
 * and boot code (libvmm.a, see snapshot.c) left it: image, GDT, TSS, page
 * tables. It copies the snapshot to 0 and enters long mode with the state
 * of boot.h: CR4 = PAE, CR3 = 0x2000, EFER.LME, CR0 = 0x80010033, GDT at
 * 0x1000, data segments 0x10, RSP = 0x80000, then a far jump to 0x08:entry.
 * (No LTR: the TSS descriptor is already marked busy.) snapshot.c patches
 * snap_size and the far pointer's offset.
 */
	.code32
	.set	LOAD, 0x2000000
	.globl	_start
_start:
	jmp	entry

	.balign	4
mbh:	.long	0x1badb002
	.long	0x00010000		/* the address fields below are valid */
	.long	-(0x1badb002 + 0x00010000)
	.long	LOAD + (mbh - _start)	/* header_addr */
	.long	LOAD			/* load_addr */
	.long	0			/* load_end_addr: the whole file */
	.long	0			/* bss_end_addr */
	.long	LOAD + (entry - _start)	/* entry_addr */

entry:
	cli
	mov	$LOAD + 0x1000, %esi
	xor	%edi, %edi
	mov	LOAD + (snap_size - _start), %ecx
	cld
	rep movsb
	lgdt	LOAD + (gdtr - _start)
	mov	$0x20, %eax
	mov	%eax, %cr4
	mov	$0x2000, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* EFER */
	rdmsr
	or	$0x100, %eax		/* LME */
	wrmsr
	mov	$0x80010033, %eax
	mov	%eax, %cr0
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	$0x80000, %esp
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	ljmp	*LOAD + (farptr - _start)

	.balign	8
gdtr:	.word	0x27
	.long	0x1000
	.globl	farptr
farptr:	.long	0			/* entry, patched */
	.word	0x08
	.org	0x800
snap_size:
	.long	0			/* patched */
	.org	0x1000
