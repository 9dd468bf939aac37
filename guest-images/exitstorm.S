/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An exit storm: CPUID (answered in the kernel) and an OUT to an unused
 * port (answered by minivmm) as fast as the guest can, forever, with
 * interrupts off. The host must stay responsive and --timeout must end
 * it, naming the storm (status 116).
 */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
1:	xor	%eax, %eax
	cpuid
	out	%al, $0x80
	jmp	1b
