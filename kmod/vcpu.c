// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU: its fd (ioctls, the mmap'd run page), creation and the run
 * loop. Where its VMCS is active: vcpu_vmcs.c; the register ioctls:
 * vcpu_regs.c; finishing an exit userspace handled: vcpu_complete.c; the
 * world switch: vcpu_switch.c; the exit handlers: vmx_exit.c.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_ops.h"

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
		exit_policy_before_entry(vcpu);
		vmx_inject_deferred(vcpu);
		/* The deadline passed, or an emulated step: no VM exit to count. */
		if (vcpu_irq_before_entry(vcpu) || vcpu_step_before_entry(vcpu)) {
			vcpu_irq_report(vcpu);
			preempt_enable();
			return 0;
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
			vcpu_irq_report(vcpu);
			preempt_enable();
			pr_err_ratelimited(MINIVMM_NAME ": VMLAUNCH/VMRESUME failed: VM-instruction error %llu\n",
					   run->fail_entry.qualification);
			return 0;
		}
		if (vcpu->trace)
			exit_trace_begin(vcpu);
		ret = vmx_handle_exit(vcpu);
		if (vcpu->trace)
			exit_trace_commit(vcpu, ret <= 0);
		if (ret <= 0)
			vcpu_irq_report(vcpu);
		preempt_enable();
		if (!ret)
			vcpu->stats.userspace_exits++;
		if (ret <= 0)
			return ret;
	}
}

/*
 * The argument of SET_CPUID, GET_CPUID, GET_MSRS and SET_MSRS: a header
 * of a u32 count and a u32 pad (zero), then count entries of @elem bytes,
 * at most @max. Copied in whole, once: the count checked is the count
 * used. Returns the kernel copy (kfree() it), or an ERR_PTR: EFAULT,
 * EINVAL (pad), E2BIG, ENOMEM.
 */
void *vcpu_copy_array_in(const void __user *argp, u32 max, size_t elem,
			 size_t *size)
{
	u32 hdr[2], *copy;

	if (copy_from_user(hdr, argp, sizeof(hdr)))
		return ERR_PTR(-EFAULT);
	if (hdr[1])
		return ERR_PTR(-EINVAL);
	if (hdr[0] > max)
		return ERR_PTR(-E2BIG);
	*size = sizeof(hdr) + array_size(hdr[0], elem);
	copy = memdup_user(argp, *size);
	if (!IS_ERR(copy))
		copy[0] = hdr[0];
	return copy;
}

/* The flags and padding of CPUID entries: 0 or -EINVAL. */
int vcpu_check_cpuid_entries(const struct minivmm_cpuid *c)
{
	u32 i;

	for (i = 0; i < c->nent; i++)
		if ((c->entries[i].flags & ~MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX) ||
		    c->entries[i].pad)
			return -EINVAL;
	return 0;
}

/*
 * What the module allocated for @vcpu: the structure, the VMCS, run and
 * MSR-area pages, the XSAVE area, the CPUID table and the trace ring
 * (vcpu_create(), SET_CPUID, SET_TRACE), as MINIVMM_GET_VCPU_STATS
 * reports it. Read racily: a figure, not a lock-protected snapshot.
 */
static u64 vcpu_kernel_bytes(struct minivmm_vcpu *vcpu)
{
	return sizeof(*vcpu) + 3 * PAGE_SIZE + vcpu_fpu_area_bytes() +
	       READ_ONCE(vcpu->cpuid_nent) * sizeof(struct minivmm_cpuid_entry) +
	       exit_trace_bytes(vcpu);
}

/* MINIVMM_SET_CPUID: validate, then swap the table in (we hold vcpu->mutex). */
static long vcpu_set_cpuid(struct minivmm_vcpu *vcpu, struct minivmm_cpuid __user *argp)
{
	struct minivmm_cpuid_entry *e;
	struct minivmm_cpuid *c;
	size_t size;
	int ret;

	c = vcpu_copy_array_in(argp, MINIVMM_MAX_CPUID_ENTRIES,
			       sizeof(c->entries[0]), &size);
	if (IS_ERR(c))
		return PTR_ERR(c);
	ret = vcpu_check_cpuid_entries(c);
	if (ret) {
		kfree(c);
		return ret;
	}
	/* The entries alone, as cpuid.c indexes them; the old table kept on failure. */
	e = c->nent ? kmemdup(c->entries, array_size(c->nent, sizeof(*e)),
			      GFP_KERNEL_ACCOUNT) : NULL;
	if (c->nent && !e) {
		kfree(c);
		return -ENOMEM;
	}
	kfree(vcpu->cpuid);
	vcpu->cpuid = e;
	vcpu->cpuid_nent = c->nent;
	kfree(c);
	return 0;
}

static long vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct minivmm_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	/* Counters only: readable while another thread runs the vCPU. */
	if (cmd == MINIVMM_GET_VCPU_STATS) {
		struct minivmm_vcpu_stats st = vcpu->stats;

		st.ept_table_pages = READ_ONCE(vcpu->vm->ept.nr_tables);
		st.vcpu_bytes = vcpu_kernel_bytes(vcpu);
		st.vm_bytes = sizeof(*vcpu->vm) + st.ept_table_pages * PAGE_SIZE;
		return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
	}
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (cmd) {
	case MINIVMM_RUN:
		ret = arg ? -EINVAL : vcpu_run(vcpu);
		break;
	case MINIVMM_SET_CPUID:
		ret = vcpu_set_cpuid(vcpu, argp);
		break;
	case MINIVMM_INTERRUPT:
		ret = vcpu_irq_queue(vcpu, argp);
		break;
	case MINIVMM_SET_TRACE:
		ret = exit_trace_setup(vcpu, argp);
		break;
	case MINIVMM_READ_TRACE:
		ret = exit_trace_read(vcpu, argp);
		break;
	case MINIVMM_SET_GUEST_DEBUG:
		ret = vcpu_set_guest_debug(vcpu, argp);
		break;
	case MINIVMM_GET_CPUID:
		ret = vcpu_get_cpuid(vcpu, argp);
		break;
	case MINIVMM_GET_MSRS:
	case MINIVMM_SET_MSRS:
		ret = vcpu_msrs_ioctl(vcpu, argp, cmd == MINIVMM_SET_MSRS);
		break;
	default:
		ret = vcpu_regs_ioctl(vcpu, cmd, argp);
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
	free_page((unsigned long)vcpu->msr_guest);
	if (vcpu->run_page)
		__free_page(vcpu->run_page);
	vcpu_fpu_free(vcpu);
	exit_trace_free(vcpu);
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
	vcpu->msr_guest = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmcs || !vcpu->run_page || !vcpu->msr_guest ||
	    vcpu_fpu_alloc(vcpu)) {
		vcpu_free(vcpu);
		return -ENOMEM;
	}
	vmx_init_msr_areas(vcpu);
	*(u32 *)vcpu->vmcs = minivmm_basic_revision(vmx_caps.basic);
	vcpu->run = page_address(vcpu->run_page);
	vcpu->vpid = vpid_alloc();
	vcpu->apic_base = 0xfee00000 | (1 << 11) | (id == 0 ? 1 << 8 : 0);
	vcpu->run->apic_base = vcpu->apic_base;	/* valid before the first RUN */

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
