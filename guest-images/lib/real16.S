/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the flat real-mode guests (DS = CS, as minivmm starts them). */
	.code16
	.text

/* putc16: write %al to COM1 once its transmitter is empty. */
	.globl putc16
putc16:
	push	%dx
	push	%ax
	mov	$0x3fd, %dx		/* LSR */
1:	in	%dx, %al
	test	$0x20, %al		/* THR empty */
	jz	1b
	pop	%ax
	mov	$0x3f8, %dx		/* THR */
	out	%al, %dx
	pop	%dx
	ret

/* puts16: write the NUL-terminated string at %ds:%si. */
	.globl puts16
puts16:
	push	%ax
	push	%si
	cld
2:	lodsb
	test	%al, %al
	jz	3f
	call	putc16
	jmp	2b
3:	pop	%si
	pop	%ax
	ret

/* exit16: end the run with status %al (debug-exit port 0xf4). */
	.globl exit16
exit16:
	out	%al, $0xf4
4:	cli				/* not reached under minivmm */
	hlt
	jmp	4b

/* puts_exit16: write the string at %ds:%si, then exit with status %al. */
	.globl puts_exit16
puts_exit16:
	call	puts16
	call	exit16
