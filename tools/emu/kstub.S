/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kstub.S: 32-bit loader stub of the "fast" emulator kernel built by
 * tools/emu/repack-kernel.py. Do not assemble by hand: the repacker passes
 * the layout constants below with `as --defsym` and links the stub at HIGH.
 *
 * Why: under Bochs, the stock kernel spends ~60 s of a ~85 s boot in its
 * own XZ decompressor. The repacked bzImage keeps the stock real-mode setup
 * code, but its protected-mode part is this stub followed (at PAY_OFF) by
 * the kernel's *uncompressed* vmlinux ELF. The stub does what the stock
 * decompressor would have done, minus the decompression:
 *
 *   1. move itself and the payload out of the way, to HIGH (the setup code
 *      put us at 0x100000, which overlaps where the kernel must go);
 *   2. copy every PT_LOAD segment of the ELF to its physical address and
 *      zero its bss tail (segments are read from the ELF program headers at
 *      run time, so this file does not depend on the kernel build);
 *   3. identity-map 0-4 GiB with 2 MiB pages and enter long mode;
 *   4. jump to the ELF entry (startup_64, a physical address) with
 *      RSI = boot_params, as the 64-bit boot protocol requires.
 *
 * The kernel runs at its link-time physical address, so no relocation or
 * KASLR work is needed (the harness boots with nokaslr anyway).
 *
 * Constants (from --defsym):
 *   HIGH          link and run address of stub + payload after step 1
 *   PT_BASE       6 pages for the page tables (PML4, PDPT, 4 PDs)
 *   PAY_OFF       offset of the vmlinux ELF from the start of the stub
 *   IMAGE_DWORDS  size of stub + payload in 32-bit words
 */

	.set	BP_SCRATCH, 0x1e4	/* boot_params.scratch: 4-byte stack */
	.set	MSR_EFER, 0xc0000080
	.set	EFER_LME, 0x100
	.set	CR4_PAE, 0x20
	.set	CR0_PE_PG, 0x80000001
	.set	PT_LOAD, 1
	.set	BOOT_CS, 0x10		/* the selectors startup_64 expects */
	.set	BOOT_DS, 0x18

	.text
	.code32
	.globl	_start
_start:
	cli
	cld
	/*
	 * The 32-bit boot protocol guarantees no stack. Like the kernel's
	 * own startup_32, borrow boot_params.scratch for the call/pop that
	 * finds out where we were loaded.
	 */
	movl	%esi, %edx			/* edx = boot_params */
	leal	(BP_SCRATCH + 4)(%esi), %esp
	call	1f
1:	popl	%ebp
	subl	$(1b - _start), %ebp		/* ebp = load address */

	/* 1. memmove(HIGH, load address, image size) */
	movl	$HIGH, %edi
	movl	%ebp, %esi
	movl	$IMAGE_DWORDS, %ecx
	cmpl	%edi, %esi
	je	3f
	ja	2f
	/* destination above source: copy backwards */
	leal	-4(%esi,%ecx,4), %esi
	leal	-4(%edi,%ecx,4), %edi
	std
	rep movsl
	cld
	jmp	3f
2:	rep movsl
3:	movl	$relocated, %eax		/* absolute: we are linked at HIGH */
	jmp	*%eax

relocated:
	movl	$stack_top, %esp
	movl	%edx, boot_params_ptr

	/* 2. copy the PT_LOAD segments of the ELF at HIGH + PAY_OFF */
	movl	$(HIGH + PAY_OFF), %ebx		/* ebx = ELF header */
	movl	0x18(%ebx), %eax		/* e_entry (low half) */
	movl	%eax, entry_ptr
	movl	0x20(%ebx), %ebp		/* e_phoff (low half) */
	addl	%ebx, %ebp			/* ebp = program header */
	movzwl	0x38(%ebx), %eax		/* e_phnum */
	movl	%eax, phdrs_left
4:	cmpl	$0, phdrs_left
	je	6f
	cmpl	$PT_LOAD, (%ebp)		/* p_type */
	jne	5f
	movl	0x08(%ebp), %esi		/* p_offset */
	addl	%ebx, %esi
	movl	0x18(%ebp), %edi		/* p_paddr */
	movl	0x20(%ebp), %ecx		/* p_filesz */
	movl	%ecx, %eax
	shrl	$2, %ecx
	rep movsl
	movl	%eax, %ecx
	andl	$3, %ecx
	rep movsb
	movl	0x28(%ebp), %ecx		/* p_memsz: zero the bss tail */
	subl	0x20(%ebp), %ecx
	movl	%ecx, %edx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl				/* dwords: ~23 MB of .bss/.brk */
	movl	%edx, %ecx
	andl	$3, %ecx
	rep stosb
5:	movzwl	0x36(%ebx), %eax		/* e_phentsize */
	addl	%eax, %ebp
	decl	phdrs_left
	jmp	4b

	/* 3. identity map 0-4 GiB: PML4[0] -> PDPT[0..3] -> 4 x 512 2 MiB pages */
6:	movl	$PT_BASE, %edi
	xorl	%eax, %eax
	movl	$(6 * 4096 / 4), %ecx
	rep stosl
	movl	$(PT_BASE + 0x1000 + 3), PT_BASE	/* present, writable */
	movl	$(PT_BASE + 0x1000), %edi
	movl	$(PT_BASE + 0x2000 + 3), %eax
	movl	$4, %ecx
7:	movl	%eax, (%edi)
	addl	$0x1000, %eax
	addl	$8, %edi
	loop	7b
	movl	$(PT_BASE + 0x2000), %edi
	movl	$0x83, %eax			/* present, writable, 2 MiB */
	movl	$2048, %ecx
8:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	8b

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PT_BASE, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	lgdt	gdt_desc
	movl	%cr0, %eax
	orl	$CR0_PE_PG, %eax
	movl	%eax, %cr0
	ljmp	$BOOT_CS, $long_mode

	.code64
long_mode:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$stack_top, %esp
	pushq	$0				/* clean RFLAGS (IF=0, DF=0) */
	popfq
	/* 4. startup_64(boot_params); 32-bit loads zero-extend */
	movl	boot_params_ptr(%rip), %esi
	movl	entry_ptr(%rip), %eax
	xorl	%ebp, %ebp
	jmp	*%rax

	.balign	16
gdt:	.quad	0, 0
	.quad	0x00af9a000000ffff		/* BOOT_CS: 64-bit code */
	.quad	0x00cf92000000ffff		/* BOOT_DS: flat data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
	.balign	4
boot_params_ptr: .long 0
entry_ptr:	.long 0
phdrs_left:	.long 0
	.balign	16
	.fill	256, 1, 0
stack_top:
