// SPDX-License-Identifier: GPL-2.0
/* Completing an exit userspace handled: IN, INS, MMIO read, hypercall. */
#include <linux/string.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

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
void vcpu_complete_userspace_exit(struct minivmm_vcpu *vcpu)
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
	if (vcpu->pending_policy)
		exit_policy_complete(vcpu);
	if (vcpu->pending_hypercall) {
		vcpu->regs[VCPU_RAX] = run->hypercall.ret;
		vcpu->pending_hypercall = false;
	}
}

