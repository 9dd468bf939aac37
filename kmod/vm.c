// SPDX-License-Identifier: GPL-2.0
/*
 * A VM: its fd, its guest memory slots and its EPT.
 *
 * The VM lives while its fd or any vCPU holds a reference; VT-x is taken
 * (vmx_hw_get) for exactly that long. Guest memory is the creating
 * process's memory, pinned while a slot maps it.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "minivmm.h"
#include "vm.h"

/*
 * Withdraw a slot (vm->lock held): first from the exit handlers (once
 * the write lock is taken none of them uses it), then from the EPT and
 * every CPU's TLB, and only then unpin its pages.
 */
static void slot_release(struct minivmm_vm *vm, struct minivmm_slot *slot)
{
	struct minivmm_slot old = *slot;
	LIST_HEAD(freed);

	if (!old.used)
		return;
	write_lock(&vm->slots_lock);
	memset(slot, 0, sizeof(*slot));
	write_unlock(&vm->slots_lock);
	ept_unmap_slot(&vm->ept, &old, &freed);
	ept_invalidate_all();
	ept_free_tables(&freed);
	unpin_user_pages_dirty_lock(old.pages, old.npages,
				    !(old.flags & MINIVMM_MEM_READONLY));
	kvfree(old.pages);
}

static void vm_destroy(struct kref *ref)
{
	struct minivmm_vm *vm = container_of(ref, struct minivmm_vm, ref);
	int i;

	for (i = 0; i < MINIVMM_MAX_SLOTS; i++)
		slot_release(vm, &vm->slots[i]);
	ept_free(&vm->ept);
	mmdrop(vm->mm);
	kfree(vm);
	vmx_hw_put();
}

void vm_put(struct minivmm_vm *vm)
{
	kref_put(&vm->ref, vm_destroy);
}

static bool slot_overlaps(struct minivmm_vm *vm, u32 skip, u64 gpa, u64 size)
{
	int i;

	for (i = 0; i < MINIVMM_MAX_SLOTS; i++) {
		struct minivmm_slot *s = &vm->slots[i];

		if (i != skip && s->used && gpa < s->gpa + (s->npages << PAGE_SHIFT) &&
		    s->gpa < gpa + size)
			return true;
	}
	return false;
}

/*
 * Pin the caller's memory for a new slot. No VM lock is needed: the memory
 * is the caller's, and nothing else sees @new yet.
 */
static long slot_pin(struct minivmm_slot *new,
		     const struct minivmm_memory_region *r)
{
	unsigned int gup = FOLL_LONGTERM;
	long pinned;

	new->flags = r->flags;
	new->gpa = r->guest_phys_addr;
	new->npages = r->memory_size >> PAGE_SHIFT;
	new->uaddr = r->userspace_addr;
	/*
	 * Pinned pages are resident: a slot larger than RAM can never be
	 * pinned. Refusing it first also keeps the page array below
	 * kvmalloc's INT_MAX limit, which WARNs.
	 */
	if (new->npages > totalram_pages())
		return -ENOMEM;
	new->pages = kvcalloc(new->npages, sizeof(*new->pages), GFP_KERNEL_ACCOUNT);
	if (!new->pages)
		return -ENOMEM;
	if (!(r->flags & MINIVMM_MEM_READONLY))
		gup |= FOLL_WRITE;
	pinned = pin_user_pages_fast(r->userspace_addr, new->npages, gup, new->pages);
	if (pinned != new->npages) {
		if (pinned > 0)
			unpin_user_pages(new->pages, pinned);
		kvfree(new->pages);
		return pinned < 0 ? pinned : -EFAULT;
	}
	return 0;
}

static void slot_unpin(struct minivmm_slot *new)
{
	unpin_user_pages(new->pages, new->npages);
	kvfree(new->pages);
}

/*
 * MINIVMM_SET_MEMORY_REGION: create, replace or (size 0) delete a slot.
 * Errors: EINVAL (slot number, flags, alignment, wrap, size beyond the
 * 4-level EPT), EEXIST (overlaps another slot), EFAULT (not the caller's
 * memory), ENOMEM (more than RAM, or no memory for the tables). The new
 * memory is pinned before the old slot goes, so a refused replacement
 * leaves the slot as it was, unless it is refused for want of memory for
 * EPT tables (the old slot is gone by then).
 */
static long vm_set_memory_region(struct minivmm_vm *vm,
				 struct minivmm_memory_region __user *argp)
{
	struct minivmm_memory_region r;
	struct minivmm_slot new = {}, *slot;
	long ret;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (r.slot >= MINIVMM_MAX_SLOTS || (r.flags & ~MINIVMM_MEM_READONLY))
		return -EINVAL;
	if (!PAGE_ALIGNED(r.guest_phys_addr) || !PAGE_ALIGNED(r.memory_size) ||
	    !PAGE_ALIGNED(r.userspace_addr))
		return -EINVAL;
	if (r.memory_size &&
	    (r.guest_phys_addr + r.memory_size < r.guest_phys_addr ||
	     r.guest_phys_addr + r.memory_size > (1ull << 48) ||
	     r.userspace_addr + r.memory_size < r.userspace_addr ||
	     r.memory_size >> PAGE_SHIFT > INT_MAX ||
	     !access_ok((void __user *)(unsigned long)r.userspace_addr, r.memory_size)))
		return -EINVAL;
	if (r.memory_size) {
		ret = slot_pin(&new, &r);
		if (ret)
			return ret;
	}

	mutex_lock(&vm->lock);
	slot = &vm->slots[r.slot];
	if (r.memory_size &&
	    slot_overlaps(vm, r.slot, r.guest_phys_addr, r.memory_size)) {
		ret = -EEXIST;
		goto out_unpin;
	}
	slot_release(vm, slot);
	ret = 0;
	if (!r.memory_size)
		goto out;
	ret = ept_map_slot(&vm->ept, &new);
	if (ret) {
		/* A vCPU may have used the partial mapping: flush it first. */
		ept_invalidate_all();
		goto out_unpin;
	}
	new.used = true;
	write_lock(&vm->slots_lock);
	*slot = new;
	write_unlock(&vm->slots_lock);
	mutex_unlock(&vm->lock);
	return 0;
out_unpin:
	slot_unpin(&new);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

static long vm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct minivmm_vm *vm = filp->private_data;

	/* Guest memory is the creator's: no other process may drive the VM. */
	if (vm->mm != current->mm)
		return -EIO;
	switch (cmd) {
	case MINIVMM_SET_MEMORY_REGION:
		return vm_set_memory_region(vm, (void __user *)arg);
	case MINIVMM_CREATE_VCPU:
		return vcpu_create(vm, arg);
	case MINIVMM_SET_EXIT_POLICY:
		return vm_set_exit_policy(vm, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int vm_release(struct inode *inode, struct file *filp)
{
	vm_put(filp->private_data);
	return 0;
}

static const struct file_operations vm_fops = {
	.owner = THIS_MODULE,
	.release = vm_release,
	.unlocked_ioctl = vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* MINIVMM_CREATE_VM: EBUSY if another hypervisor holds VT-x, ENOMEM, EMFILE. */
long minivmm_create_vm(void)
{
	struct minivmm_vm *vm;
	int ret;

	ret = vmx_hw_get();
	if (ret)
		return ret;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm) {
		vmx_hw_put();
		return -ENOMEM;
	}
	kref_init(&vm->ref);
	vm->serial = spec_new_vm_serial();
	mutex_init(&vm->lock);
	rwlock_init(&vm->slots_lock);
	spin_lock_init(&vm->policy_lock);
	ret = ept_init(&vm->ept);
	if (ret) {
		kfree(vm);
		vmx_hw_put();
		return ret;
	}
	mmgrab(current->mm);
	vm->mm = current->mm;
	/* The fd owns the initial reference: publishing it is the last step. */
	ret = anon_inode_getfd("minivmm-vm", &vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (ret < 0)
		vm_put(vm);
	return ret;
}
