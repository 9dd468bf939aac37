// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU: its VMCS, its run page, and the run loop.
 *
 * A VMCS is active on at most one CPU (SDM Vol. 3C 25.11.1 "Software Use
 * of the VMCS and Related Structures"): before it runs elsewhere it is
 * VMCLEARed where it was, and a CPU leaving VMX operation VMCLEARs every
 * VMCS active on it (per-CPU list, touched only on that CPU with
 * interrupts off).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_ops.h"

static DEFINE_PER_CPU(struct list_head, vmx_loaded_vmcss);
static DEFINE_PER_CPU(struct minivmm_vcpu *, vmx_current_vcpu);

void vcpu_init_loaded_lists(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(&per_cpu(vmx_loaded_vmcss, cpu));
}

/* VMCLEAR @vcpu's VMCS on this CPU, where it is active. IRQs off. */
static void vcpu_clear_here(struct minivmm_vcpu *vcpu)
{
	vmx_vmclear(__pa(vcpu->vmcs));
	if (this_cpu_read(vmx_current_vcpu) == vcpu)
		this_cpu_write(vmx_current_vcpu, NULL);
	list_del(&vcpu->loaded_link);
	/* Order: the list entry goes before another CPU may load it. */
	smp_wmb();
	vcpu->cpu = -1;
	vcpu->launched = false;
}

static void vcpu_clear_ipi(void *data)
{
	struct minivmm_vcpu *vcpu = data;

	if (vcpu->cpu == smp_processor_id())
		vcpu_clear_here(vcpu);
}

static void vcpu_clear(struct minivmm_vcpu *vcpu)
{
	int cpu = READ_ONCE(vcpu->cpu);

	if (cpu >= 0)
		smp_call_function_single(cpu, vcpu_clear_ipi, vcpu, 1);
}

/* CPU going offline or rebooting: no VMCS may stay active here. */
void vcpu_clear_loaded_on_this_cpu(void)
{
	struct minivmm_vcpu *vcpu, *tmp;

	list_for_each_entry_safe(vcpu, tmp, this_cpu_ptr(&vmx_loaded_vmcss),
				 loaded_link)
		vcpu_clear_here(vcpu);
}

/* Make @vcpu's VMCS current on this CPU. Preemption is off. */
static int vcpu_load(struct minivmm_vcpu *vcpu)
{
	int cpu = smp_processor_id();
	int err;

	if (vcpu->cpu != cpu) {
		if (vcpu->cpu >= 0) {
			/* Active elsewhere: clear it there first. */
			preempt_enable();
			vcpu_clear(vcpu);
			preempt_disable();
			return -EAGAIN;		/* we may have moved: retry */
		}
		local_irq_disable();
		list_add(&vcpu->loaded_link, this_cpu_ptr(&vmx_loaded_vmcss));
		vcpu->cpu = cpu;
		local_irq_enable();
		err = vmx_vmptrld(__pa(vcpu->vmcs));
		if (err)
			return err;
		this_cpu_write(vmx_current_vcpu, vcpu);
		vmx_set_host_per_cpu_state(cpu);
		/* Entries tagged with our VPID here may be from an old visit. */
		vpid_flush(vcpu->vpid);
	} else if (this_cpu_read(vmx_current_vcpu) != vcpu) {
		err = vmx_vmptrld(__pa(vcpu->vmcs));
		if (err)
			return err;
		this_cpu_write(vmx_current_vcpu, vcpu);
	}
	return 0;
}

/* Run @fn with @vcpu's VMCS current (for register ioctls). */
static long vcpu_with_vmcs(struct minivmm_vcpu *vcpu,
			   long (*fn)(struct minivmm_vcpu *, void *), void *arg)
{
	long ret;

	do {
		preempt_disable();
		ret = vcpu_load(vcpu);
		if (!ret)
			ret = fn(vcpu, arg);
		preempt_enable();
	} while (ret == -EAGAIN);
	return ret;
}

static long vcpu_get_regs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct minivmm_regs *r = arg;
	u64 *g = vcpu->regs;

	*r = (struct minivmm_regs) {
		.rax = g[VCPU_RAX], .rbx = g[VCPU_RBX], .rcx = g[VCPU_RCX],
		.rdx = g[VCPU_RDX], .rsi = g[VCPU_RSI], .rdi = g[VCPU_RDI],
		.rbp = g[VCPU_RBP], .r8 = g[VCPU_R8], .r9 = g[VCPU_R9],
		.r10 = g[VCPU_R10], .r11 = g[VCPU_R11], .r12 = g[VCPU_R12],
		.r13 = g[VCPU_R13], .r14 = g[VCPU_R14], .r15 = g[VCPU_R15],
		.rsp = vmcs_read(GUEST_RSP), .rip = vmcs_read(GUEST_RIP),
		.rflags = vmcs_read(GUEST_RFLAGS),
	};
	return 0;
}

static long vcpu_set_regs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	struct minivmm_regs *r = arg;
	u64 *g = vcpu->regs;

	g[VCPU_RAX] = r->rax; g[VCPU_RBX] = r->rbx; g[VCPU_RCX] = r->rcx;
	g[VCPU_RDX] = r->rdx; g[VCPU_RSI] = r->rsi; g[VCPU_RDI] = r->rdi;
	g[VCPU_RBP] = r->rbp; g[VCPU_R8] = r->r8; g[VCPU_R9] = r->r9;
	g[VCPU_R10] = r->r10; g[VCPU_R11] = r->r11; g[VCPU_R12] = r->r12;
	g[VCPU_R13] = r->r13; g[VCPU_R14] = r->r14; g[VCPU_R15] = r->r15;
	vmcs_write(GUEST_RSP, r->rsp);
	vmcs_write(GUEST_RIP, r->rip);
	/* Bit 1 of RFLAGS is always 1; reserved bits are 0 (SDM 27.3.1.4). */
	vmcs_write(GUEST_RFLAGS, (r->rflags & 0x3f7fd7) | X86_EFLAGS_FIXED);
	return 0;
}

static long vcpu_get_sregs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	vmx_get_sregs(vcpu, arg);
	return 0;
}

static long vcpu_set_sregs_fn(struct minivmm_vcpu *vcpu, void *arg)
{
	return vmx_set_sregs(vcpu, arg);
}

/*
 * SET_SREGS input: the named padding and reserved[] must be zero, so a
 * later ABI can give them a meaning without old callers' garbage being
 * taken for it (include/uapi/minivmm.h). The unnamed tail padding of
 * struct minivmm_segment is not checked: C initializers need not zero it.
 */
static bool sregs_reserved_clear(const struct minivmm_sregs *s)
{
	const struct minivmm_segment *seg;

	for (seg = &s->cs; seg <= &s->ldt; seg++)
		if (memchr_inv(seg->pad, 0, sizeof(seg->pad)))
			return false;
	return !memchr_inv(s->gdt.pad, 0, sizeof(s->gdt.pad)) &&
	       !memchr_inv(s->idt.pad, 0, sizeof(s->idt.pad)) &&
	       !memchr_inv(s->reserved, 0, sizeof(s->reserved));
}

/*
 * Write an MMIO read's data into its register like the CPU would: a
 * 32-bit destination zero-extends into 64 bits, 8/16-bit ones merge,
 * MOVZX/MOVSX extend to the destination size.
 */
static void vcpu_complete_mmio_read(struct minivmm_vcpu *vcpu)
{
	const struct mmio_insn *in = &vcpu->mmio_insn;
	unsigned int bits = 8 * in->size, dbits = 8 * in->dst_size;
	u64 val = 0, old, mask;

	memcpy(&val, vcpu->run->mmio.data, in->size);
	if (in->ext == MMIO_EXT_SIGN && bits < 64 && (val & (1ull << (bits - 1))))
		val |= ~0ull << bits;
	old = vcpu_gpr_get(vcpu, in->reg);
	if (in->reg_high8) {
		val = (old & ~0xff00ull) | ((val & 0xff) << 8);
	} else if (dbits < 32) {
		mask = (1ull << dbits) - 1;
		val = (old & ~mask) | (val & mask);
	} else if (dbits == 32) {
		val &= 0xffffffffull;
	}
	vcpu_gpr_set(vcpu, in->reg, val);
}

/*
 * Finish what the last exit left to userspace (KVM's complete_userspace_io).
 * The run page is userspace's to write at any time: only the answers
 * (I/O data, MMIO data, hypercall return) are read back from it. Where
 * the I/O data lies and how big an item is come from the kernel's own
 * record of the exit (the data area's fixed offset, the qualification of
 * the I/O exit, still in vcpu->exit): never from run->io, which a VMM
 * could have changed into an offset outside the page or a size larger
 * than RAX.
 */
static void vcpu_complete_userspace_exit(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	u8 *data = (u8 *)run + MINIVMM_RUN_DATA_OFFSET;

	if (vcpu->pending_io_in && vcpu->pending_ins_bytes) {
		/* INS: the data goes to guest memory; what is not guest
		 * memory is dropped, like a write to nothing.
		 */
		vcpu_write_guest_virt(vcpu, vcpu->pending_ins_gva, data,
				      vcpu->pending_ins_bytes);
		vcpu->pending_ins_bytes = 0;
		vcpu->pending_io_in = false;
	}
	if (vcpu->pending_io_in) {
		/* Size - 1 in bits 2:0 of an I/O exit's qualification: 0, 1, 3. */
		unsigned int size = (vcpu->exit.qualification & 7) + 1;
		u64 val = 0, mask;

		memcpy(&val, data, size);
		mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
		/* A 32-bit IN zero-extends into RAX like any 32-bit write in
		 * 64-bit mode; smaller ones keep the upper bits.
		 */
		if (size == 4)
			vcpu->regs[VCPU_RAX] = val & mask;
		else
			vcpu->regs[VCPU_RAX] = (vcpu->regs[VCPU_RAX] & ~mask) | (val & mask);
		vcpu->pending_io_in = false;
	}
	if (vcpu->pending_mmio_read) {
		vcpu_complete_mmio_read(vcpu);
		vcpu->pending_mmio_read = false;
	}
	if (vcpu->pending_hypercall) {
		vcpu->regs[VCPU_RAX] = run->hypercall.ret;
		vcpu->pending_hypercall = false;
	}
}

static void vmcs_write_if_changed(u64 *cached, unsigned long field, u64 value)
{
	if (*cached != value) {
		vmcs_write(field, value);
		*cached = value;
	}
}

/*
 * One guest entry and exit (0; 1 if VMLAUNCH/VMRESUME failed; -EAGAIN if
 * the VMCS was taken away meanwhile), with what VMX does not switch done
 * around it:
 * the guest FPU state, MSR_KERNEL_GS_BASE (SWAPGS in the guest changes
 * it without an exit), the host FS base and, after the exit, the GDTR/
 * IDTR limits, TR's limit and DS/ES (SDM 28.5 leaves these as noted).
 */
static int vcpu_enter_exit(struct minivmm_vcpu *vcpu)
{
	struct desc_ptr gdt, idt;
	u64 fs_base, host_kgs;
	bool guest_drs;
	u16 ds, es;
	int failed;

	kernel_fpu_begin();
	asm volatile("fxrstor64 %0" : : "m"(*(u8 (*)[512])vcpu->fpu));
	local_irq_disable();
	/*
	 * An IPI since vcpu_load() (reboot: VMCLEAR and VMXOFF on every CPU)
	 * may have taken our VMCS away; VMLAUNCH would then fault. Retry
	 * from vcpu_load(), which fails cleanly if VMX is off.
	 */
	if (this_cpu_read(vmx_current_vcpu) != vcpu) {
		local_irq_enable();
		kernel_fpu_end();
		return -EAGAIN;
	}

	native_store_gdt(&gdt);
	store_idt(&idt);
	savesegment(ds, ds);
	savesegment(es, es);
	/*
	 * Per task and per CPU (PCID, CR4.TSD...), so checked per entry;
	 * like KVM, written only when they differ from what the VMCS holds.
	 */
	vmcs_write_if_changed(&vcpu->host_cr3, HOST_CR3, __read_cr3());
	vmcs_write_if_changed(&vcpu->host_cr4, HOST_CR4, cr4_read_shadow());
	rdmsrl(MSR_FS_BASE, fs_base);
	vmcs_write_if_changed(&vcpu->host_fs_base, HOST_FS_BASE, fs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, host_kgs);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);

	/* DR7 comes from the VMCS; DR0-3 only matter when it enables them. */
	guest_drs = vcpu->dr7 & VCPU_DR7_ENABLES;
	if (guest_drs) {
		set_debugreg(vcpu->dr[0], 0);
		set_debugreg(vcpu->dr[1], 1);
		set_debugreg(vcpu->dr[2], 2);
		set_debugreg(vcpu->dr[3], 3);
	}

	failed = vmx_enter_guest(vcpu->regs, vcpu->launched);

	/*
	 * A VM exit leaves DR7 = 0x400 (SDM 28.5.1): the host's breakpoints
	 * are back only once its debug registers are.
	 */
	if (guest_drs || hw_breakpoint_active())
		hw_breakpoint_restore();

	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->guest_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, host_kgs);
	load_gdt(&gdt);
	load_idt(&idt);
	invalidate_tss_limit();
	loadsegment(ds, ds);
	loadsegment(es, es);

	if (!failed) {
		vcpu->exit.reason = vmcs_read(VM_EXIT_REASON);
		/*
		 * Only an entry that succeeded makes the VMCS "launched"; one
		 * that failed loading guest state (bit 31 of the reason, SDM
		 * 27.8) leaves it as it was, and VMRESUME of a clear VMCS is
		 * VM-instruction error 5 (KVM checks the same bit).
		 */
		if (!(vcpu->exit.reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
			vcpu->launched = true;
		vcpu->exit.qualification = vmcs_read(EXIT_QUALIFICATION);
		vcpu->exit.instr_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
		vcpu->exit.gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
		vcpu->exit.intr_info = vmcs_read(VM_EXIT_INTR_INFO);
		vcpu->exit.intr_error = vmcs_read(VM_EXIT_INTR_ERROR_CODE);
		vcpu->exit.idt_vectoring = vmcs_read(IDT_VECTORING_INFO_FIELD);
		vcpu->exit.idt_error = vmcs_read(IDT_VECTORING_ERROR_CODE);
		/*
		 * An NMI that caused the exit was the host's: deliver it to the
		 * host now, before interrupts are enabled (SDM 25.1.2; the
		 * exit consumed it). "int $2" reaches the kernel's NMI handler.
		 */
		if ((vcpu->exit.reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
		    (vcpu->exit.intr_info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
		    (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR))
			asm volatile("int $2");
	}
	/* A pending host interrupt (exit reason 1) is taken here. */
	local_irq_enable();
	asm volatile("fxsave64 %0" : "=m"(*(u8 (*)[512])vcpu->fpu));
	kernel_fpu_end();
	return failed;
}

/*
 * MINIVMM_RUN: enter the guest until an exit userspace must see. Returns
 * 0 with run->exit_reason set, or -EINTR (run->exit_reason
 * MINIVMM_EXIT_INTR) for a pending signal or immediate_exit.
 */
static long vcpu_run(struct minivmm_vcpu *vcpu)
{
	struct minivmm_run *run = vcpu->run;
	bool completed = false;
	long ret;

	for (;;) {
		if (READ_ONCE(run->immediate_exit) || signal_pending(current)) {
			run->exit_reason = MINIVMM_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();
		preempt_disable();
		ret = vcpu_load(vcpu);
		if (ret) {
			preempt_enable();
			if (ret == -EAGAIN)
				continue;
			return ret;
		}
		/* Results userspace produced for the last exit (the VMCS is
		 * needed: RSP and RIP live there).
		 */
		if (!completed) {
			vcpu_complete_userspace_exit(vcpu);
			completed = true;
		}
		ret = vcpu_enter_exit(vcpu);
		if (ret == -EAGAIN) {
			preempt_enable();
			continue;
		}
		if (ret) {
			run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
			run->fail_entry.hardware_exit_reason = 0;
			run->fail_entry.qualification = vmcs_read(VM_INSTRUCTION_ERROR);
			preempt_enable();
			pr_err_ratelimited(MINIVMM_NAME ": VMLAUNCH/VMRESUME failed: VM-instruction error %llu\n",
					   run->fail_entry.qualification);
			return 0;
		}
		ret = vmx_handle_exit(vcpu);
		preempt_enable();
		if (!ret)
			vcpu->stats.userspace_exits++;
		if (ret <= 0)
			return ret;
	}
}

/* MINIVMM_SET_CPUID: validate, then swap the table in (we hold vcpu->mutex). */
static long vcpu_set_cpuid(struct minivmm_vcpu *vcpu, struct minivmm_cpuid __user *argp)
{
	struct minivmm_cpuid hdr;
	struct minivmm_cpuid_entry *e = NULL;
	u32 i;

	if (copy_from_user(&hdr, argp, sizeof(hdr)))
		return -EFAULT;
	if (hdr.pad)
		return -EINVAL;
	if (hdr.nent > MINIVMM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	if (hdr.nent) {
		e = memdup_user(argp->entries, array_size(hdr.nent, sizeof(*e)));
		if (IS_ERR(e))
			return PTR_ERR(e);
		for (i = 0; i < hdr.nent; i++) {
			if ((e[i].flags & ~MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX) || e[i].pad) {
				kfree(e);
				return -EINVAL;
			}
		}
	}
	kfree(vcpu->cpuid);
	vcpu->cpuid = e;
	vcpu->cpuid_nent = hdr.nent;
	return 0;
}

static long vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct minivmm_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	union {
		struct minivmm_regs regs;
		struct minivmm_sregs sregs;
	} u;
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	/* Counters only: readable while another thread runs the vCPU. */
	if (cmd == MINIVMM_GET_VCPU_STATS)
		return copy_to_user(argp, &vcpu->stats, sizeof(vcpu->stats)) ?
		       -EFAULT : 0;
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (cmd) {
	case MINIVMM_RUN:
		ret = arg ? -EINVAL : vcpu_run(vcpu);
		break;
	case MINIVMM_SET_CPUID:
		ret = vcpu_set_cpuid(vcpu, argp);
		break;
	case MINIVMM_GET_REGS:
		ret = vcpu_with_vmcs(vcpu, vcpu_get_regs_fn, &u.regs);
		if (!ret && copy_to_user(argp, &u.regs, sizeof(u.regs)))
			ret = -EFAULT;
		break;
	case MINIVMM_SET_REGS:
		ret = copy_from_user(&u.regs, argp, sizeof(u.regs)) ? -EFAULT :
		      vcpu_with_vmcs(vcpu, vcpu_set_regs_fn, &u.regs);
		break;
	case MINIVMM_GET_SREGS:
		ret = vcpu_with_vmcs(vcpu, vcpu_get_sregs_fn, &u.sregs);
		if (!ret && copy_to_user(argp, &u.sregs, sizeof(u.sregs)))
			ret = -EFAULT;
		break;
	case MINIVMM_SET_SREGS:
		if (copy_from_user(&u.sregs, argp, sizeof(u.sregs)))
			ret = -EFAULT;
		else if (!sregs_reserved_clear(&u.sregs))
			ret = -EINVAL;
		else
			ret = vcpu_with_vmcs(vcpu, vcpu_set_sregs_fn, &u.sregs);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&vcpu->mutex);
	return ret;
}

/* vma->vm_flags is written through vm_flags_mod() since Linux 6.3. */
static void vcpu_vma_flags_mod(struct vm_area_struct *vma, vm_flags_t set,
			       vm_flags_t clear)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * The run page: one page at offset 0, MAP_SHARED (a private copy would
 * hide userspace's writes, e.g. immediate_exit, from the kernel), never
 * executable (it is data; mprotect cannot add PROT_EXEC later either),
 * never grown by mremap, and only in the VM's own process (like every
 * ioctl). Errors: EINVAL, EPERM (PROT_EXEC), EIO (another process).
 */
static int vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct minivmm_vcpu *vcpu = filp->private_data;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	vcpu_vma_flags_mod(vma, VM_DONTEXPAND, VM_MAYEXEC);
	return vm_insert_page(vma, vma->vm_start, vcpu->run_page);
}

static void vcpu_flush_vpid_ipi(void *data)
{
	vpid_flush(*(u16 *)data);
}

static void vcpu_free(struct minivmm_vcpu *vcpu)
{
	vcpu_clear(vcpu);
	/* The next owner of this VPID must not see our translations. */
	if (vcpu->vpid) {
		on_each_cpu(vcpu_flush_vpid_ipi, &vcpu->vpid, 1);
		vpid_free(vcpu->vpid);
	}
	free_page((unsigned long)vcpu->vmcs);
	if (vcpu->run_page)
		__free_page(vcpu->run_page);
	kfree(vcpu->fpu);
	kfree(vcpu->cpuid);
	kfree(vcpu);
}

static int vcpu_release(struct inode *inode, struct file *filp)
{
	struct minivmm_vcpu *vcpu = filp->private_data;
	struct minivmm_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vm->vcpus[vcpu->id] = NULL;
	mutex_unlock(&vm->lock);
	vcpu_free(vcpu);
	vm_put(vm);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner = THIS_MODULE,
	.release = vcpu_release,
	.unlocked_ioctl = vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vcpu_mmap,
	.llseek = noop_llseek,
};

/* MINIVMM_CREATE_VCPU: EINVAL (id), EEXIST (id in use), ENOMEM, EMFILE. */
long vcpu_create(struct minivmm_vm *vm, unsigned long id)
{
	struct minivmm_vcpu *vcpu;
	struct fxregs_state *fx;
	long ret;

	if (id >= MINIVMM_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpu = -1;
	mutex_init(&vcpu->mutex);
	INIT_LIST_HEAD(&vcpu->loaded_link);
	vcpu->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->run_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	/* kmalloc(512) is 512-byte aligned: FXSAVE needs 16. */
	vcpu->fpu = kzalloc(512, GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmcs || !vcpu->run_page || !vcpu->fpu) {
		vcpu_free(vcpu);
		return -ENOMEM;
	}
	*(u32 *)vcpu->vmcs = minivmm_basic_revision(vmx_caps.basic);
	vcpu->run = page_address(vcpu->run_page);
	fx = vcpu->fpu;
	fx->cwd = 0x37f;		/* FPU state after FNINIT */
	fx->mxcsr = 0x1f80;		/* and after RESET */
	vcpu->vpid = vpid_alloc();
	vcpu->apic_base = 0xfee00000 | (1 << 11) | (id == 0 ? 1 << 8 : 0);

	ret = vcpu_with_vmcs(vcpu, vmx_setup_vmcs, NULL);
	if (ret) {
		vcpu_free(vcpu);
		return ret;
	}

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		vcpu_free(vcpu);
		return -EEXIST;
	}
	vm->vcpus[id] = vcpu;
	/* The vCPU's reference on the VM is taken before its fd exists. */
	kref_get(&vm->ref);
	mutex_unlock(&vm->lock);
	ret = anon_inode_getfd("minivmm-vcpu", &vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		mutex_lock(&vm->lock);
		vm->vcpus[id] = NULL;
		mutex_unlock(&vm->lock);
		vcpu_free(vcpu);
		vm_put(vm);
	}
	return ret;
}
