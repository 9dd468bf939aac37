/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM entry and exit: the only code that runs with guest register values.
 *
 * int vmx_enter_guest(u64 *regs, bool launched)
 *   regs: the guest GPRs, indexed by enum vcpu_reg (RSP lives in the VMCS).
 *   Returns 0 after a VM exit (guest GPRs saved back into regs), 1 if
 *   VMLAUNCH/VMRESUME failed (VMfail: the guest never ran; the caller reads
 *   VM_INSTRUCTION_ERROR).
 *
 * A VM exit loads RSP from HOST_RSP and RIP from HOST_RIP = vmx_vmexit
 * (SDM Vol. 3C 28.5 "Loading Host State"); everything else the host needs
 * is restored here from the stack or by the C caller.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>

#define VMCS_HOST_RSP	0x6c14

/* Offsets into regs[] (enum vcpu_reg in vcpu.h). */
#define R_RAX	0*8
#define R_RCX	1*8
#define R_RDX	2*8
#define R_RBX	3*8
#define R_RBP	5*8
#define R_RSI	6*8
#define R_RDI	7*8
#define R_R8	8*8
#define R_R9	9*8
#define R_R10	10*8
#define R_R11	11*8
#define R_R12	12*8
#define R_R13	13*8
#define R_R14	14*8
#define R_R15	15*8

	.text
SYM_FUNC_START(vmx_enter_guest)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	/* regs: the exit path finds it at the top of the stack (HOST_RSP). */
	push	%rdi

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfailed

	/*
	 * The launch/resume choice in CF (CF set: launch): MOVs leave it,
	 * and so does VERW below, which writes only ZF.
	 */
	cmp	$1, %sil
	mov	%rdi, %rax
	mov	R_RCX(%rax), %rcx
	mov	R_RDX(%rax), %rdx
	mov	R_RBX(%rax), %rbx
	mov	R_RBP(%rax), %rbp
	mov	R_RSI(%rax), %rsi
	mov	R_RDI(%rax), %rdi
	mov	R_R8(%rax), %r8
	mov	R_R9(%rax), %r9
	mov	R_R10(%rax), %r10
	mov	R_R11(%rax), %r11
	mov	R_R12(%rax), %r12
	mov	R_R13(%rax), %r13
	mov	R_R14(%rax), %r14
	mov	R_R15(%rax), %r15
	mov	R_RAX(%rax), %rax
	/*
	 * MDS, TAA, MMIO stale data: clear the CPU buffers last thing
	 * before entry where the kernel says the CPU needs it (its
	 * X86_FEATURE_CLEAR_CPU_BUF_VM, as KVM's vmenter.S does).
	 */
	VM_CLEAR_CPU_BUFFERS
	jnc	.Lresume
	vmlaunch
	jmp	.Lfailed
.Lresume:
	vmresume
	/* Falling through means VMfail: RSP is still ours. */
.Lfailed:
	add	$8, %rsp
	mov	$1, %eax
	jmp	.Lout

SYM_INNER_LABEL(vmx_vmexit, SYM_L_GLOBAL)
	ENDBR
	push	%rax
	mov	8(%rsp), %rax
	mov	%rcx, R_RCX(%rax)
	mov	%rdx, R_RDX(%rax)
	mov	%rbx, R_RBX(%rax)
	mov	%rbp, R_RBP(%rax)
	mov	%rsi, R_RSI(%rax)
	mov	%rdi, R_RDI(%rax)
	mov	%r8, R_R8(%rax)
	mov	%r9, R_R9(%rax)
	mov	%r10, R_R10(%rax)
	mov	%r11, R_R11(%rax)
	mov	%r12, R_R12(%rax)
	mov	%r13, R_R13(%rax)
	mov	%r14, R_R14(%rax)
	mov	%r15, R_R15(%rax)
	popq	R_RAX(%rax)
	add	$8, %rsp
	/* Leave no guest values in caller-saved registers. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	/*
	 * Spectre v2: the guest must not steer the host's returns through
	 * return-stack entries it left; refill the RSB first thing after
	 * the exit where the kernel asks for it (X86_FEATURE_RSB_VMEXIT,
	 * _LITE for eIBRS parts), as KVM does.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	xor	%ecx, %ecx
	xor	%eax, %eax
.Lout:
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(vmx_enter_guest)
/* Entered twice (call, then VM exit at vmx_vmexit): not a standard frame. */
STACK_FRAME_NON_STANDARD vmx_enter_guest
