// SPDX-License-Identifier: GPL-2.0
/*
 * Reading guest memory from the kernel: guest-physical through the VM's
 * slots, guest-virtual through the guest's own page tables.
 *
 * Used to fetch the instruction behind an MMIO exit. Paging off (real
 * mode, flat protected mode) and 4-level long-mode paging with 4 KiB,
 * 2 MiB and 1 GiB pages are walked (SDM Vol. 3A 4.5 "4-Level Paging");
 * 32-bit and PAE paging are not (yet): such a fetch fails.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

/*
 * The slot holding @gpa, or NULL. Call with vm->slots_lock held: another
 * thread may change the slots meanwhile (SET_MEMORY_REGION), and the
 * pages stay pinned only while the slot is published.
 */
static struct minivmm_slot *vm_find_slot(struct minivmm_vm *vm, u64 gpa)
{
	int i;

	for (i = 0; i < MINIVMM_MAX_SLOTS; i++) {
		struct minivmm_slot *s = &vm->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < (s->npages << PAGE_SHIFT))
			return s;
	}
	return NULL;
}

/*
 * Copy @len bytes at @gpa, not crossing a page, to (@write false) or
 * from @buf. Only slot memory, and no writes to read-only slots: 0 or
 * -EFAULT. This bound is what keeps guest-driven copies (string I/O)
 * inside guest memory.
 */
static int vm_access_gpa(struct minivmm_vm *vm, u64 gpa, void *buf,
			 unsigned int len, bool write)
{
	struct minivmm_slot *s;
	int ret = -EFAULT;
	void *va;

	read_lock(&vm->slots_lock);
	s = vm_find_slot(vm, gpa);
	if (s && (gpa & ~PAGE_MASK) + len <= PAGE_SIZE &&
	    !(write && (s->flags & MINIVMM_MEM_READONLY))) {
		va = kmap_local_page(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
		if (write)
			memcpy(va + (gpa & ~PAGE_MASK), buf, len);
		else
			memcpy(buf, va + (gpa & ~PAGE_MASK), len);
		kunmap_local(va);
		ret = 0;
	}
	read_unlock(&vm->slots_lock);
	return ret;
}

/* The MINIVMM_MEM_* flags of the slot holding @gpa, or -1 if none does. */
int vm_gpa_flags(struct minivmm_vm *vm, u64 gpa)
{
	struct minivmm_slot *s;
	int flags;

	read_lock(&vm->slots_lock);
	s = vm_find_slot(vm, gpa);
	flags = s ? s->flags : -1;
	read_unlock(&vm->slots_lock);
	return flags;
}

static int vm_read_gpa(struct minivmm_vm *vm, u64 gpa, void *buf, unsigned int len)
{
	return vm_access_gpa(vm, gpa, buf, len, false);
}

/* Guest-virtual to guest-physical under the current VMCS's CR0/CR3/CR4/EFER. */
static int vcpu_gva_to_gpa(struct minivmm_vcpu *vcpu, u64 gva, u64 *gpa)
{
	u64 cr0 = vmcs_read(GUEST_CR0), efer = vmcs_read(GUEST_IA32_EFER);
	u64 table = vmcs_read(GUEST_CR3) & 0x000ffffffffff000ull;
	int level;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(efer & EFER_LMA))
		return -EOPNOTSUPP;	/* 32-bit or PAE paging */
	for (level = 3; level >= 0; level--) {
		u64 entry;

		if (vm_read_gpa(vcpu->vm, table + ((gva >> (12 + 9 * level)) & 511) * 8,
				&entry, sizeof(entry)))
			return -EFAULT;
		if (!(entry & _PAGE_PRESENT))
			return -EFAULT;
		/* 1 GiB (level 2) and 2 MiB (level 1) leaves. */
		if ((level == 2 || level == 1) && (entry & _PAGE_PSE)) {
			u64 mask = (1ull << (12 + 9 * level)) - 1;

			*gpa = (entry & 0x000ffffffffff000ull & ~mask) | (gva & mask);
			return 0;
		}
		table = entry & 0x000ffffffffff000ull;
	}
	*gpa = table | (gva & ~PAGE_MASK);
	return 0;
}

/*
 * Copy up to @len bytes at guest-virtual @gva to or from @buf, page by
 * page; returns the bytes done, stopping at the first page that is not
 * guest memory (or is read-only, for writes).
 */
static int vcpu_access_guest_virt(struct minivmm_vcpu *vcpu, u64 gva, u8 *buf,
				  unsigned int len, bool write)
{
	unsigned int done = 0;

	while (done < len) {
		unsigned int chunk = min_t(unsigned int, len - done,
					   PAGE_SIZE - ((gva + done) & ~PAGE_MASK));
		u64 gpa;

		if (vcpu_gva_to_gpa(vcpu, gva + done, &gpa) ||
		    vm_access_gpa(vcpu->vm, gpa, buf + done, chunk, write))
			break;
		done += chunk;
	}
	return done;
}

int vcpu_read_guest_virt(struct minivmm_vcpu *vcpu, u64 gva, u8 *buf,
			 unsigned int len)
{
	return vcpu_access_guest_virt(vcpu, gva, buf, len, false);
}

int vcpu_write_guest_virt(struct minivmm_vcpu *vcpu, u64 gva, const u8 *buf,
			  unsigned int len)
{
	return vcpu_access_guest_virt(vcpu, gva, (u8 *)buf, len, true);
}
