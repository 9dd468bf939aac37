// SPDX-License-Identifier: GPL-2.0
/*
 * The exit trace: every VM exit the vCPU takes, in a ring userspace
 * drains with MINIVMM_READ_TRACE. The ring never overwrites: an exit
 * that finds it full is counted as lost, and the next read reports the
 * count, so a trace is complete or says what it misses. Recording costs
 * two TSC reads and one 80-byte store per exit, and nothing while
 * tracing is off.
 */
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/vmx.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

struct minivmm_trace {
	struct minivmm_trace_record *rec;
	u32 mask;		/* nr_records - 1 */
	u64 head, tail;		/* records written, records read */
	u64 seq;		/* exits recorded or lost */
	u64 lost;		/* since the last read */
};

/*
 * The ring's memory, 0 while tracing is off: a number kept beside the
 * ring, so GET_VCPU_STATS, which does not take vcpu->mutex, never reads
 * a ring SET_TRACE may be freeing.
 */
u64 exit_trace_bytes(struct minivmm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->trace_bytes);
}

void exit_trace_free(struct minivmm_vcpu *vcpu)
{
	if (!vcpu->trace)
		return;
	vfree(vcpu->trace->rec);
	kfree(vcpu->trace);
	vcpu->trace = NULL;
	WRITE_ONCE(vcpu->trace_bytes, 0);
}

/* MINIVMM_SET_TRACE (vcpu->mutex held). */
long exit_trace_setup(struct minivmm_vcpu *vcpu,
		      struct minivmm_trace_setup __user *argp)
{
	struct minivmm_trace_setup s;
	struct minivmm_trace *t;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	if (s.flags || s.reserved[0] || s.reserved[1])
		return -EINVAL;
	if (s.nr_records && (!is_power_of_2(s.nr_records) ||
			     s.nr_records > MINIVMM_TRACE_MAX_RECORDS))
		return -EINVAL;
	exit_trace_free(vcpu);
	if (!s.nr_records)
		return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->rec = vmalloc(array_size(s.nr_records, sizeof(*t->rec)));
	if (!t->rec) {
		kfree(t);
		return -ENOMEM;
	}
	t->mask = s.nr_records - 1;
	vcpu->trace = t;
	WRITE_ONCE(vcpu->trace_bytes, sizeof(*t) + (u64)s.nr_records * sizeof(*t->rec));
	vcpu->trace_exit_tsc = 0;
	return 0;
}

/* MINIVMM_READ_TRACE (vcpu->mutex held: the ring does not move). */
long exit_trace_read(struct minivmm_vcpu *vcpu,
		     struct minivmm_trace_read __user *argp)
{
	struct minivmm_trace *t = vcpu->trace;
	struct minivmm_trace_record __user *dst;
	struct minivmm_trace_read r;
	u64 n, i, chunk;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (!t || r.reserved[0] || r.reserved[1])
		return -EINVAL;
	dst = u64_to_user_ptr(r.records);
	n = min_t(u64, t->head - t->tail, r.max);
	/* At most two runs: to the end of the array, then from its start. */
	for (i = 0; i < n; i += chunk) {
		u64 at = (t->tail + i) & t->mask;

		chunk = min_t(u64, n - i, (u64)t->mask + 1 - at);
		if (copy_to_user(dst + i, t->rec + at, chunk * sizeof(*dst)))
			return -EFAULT;
	}
	r.count = n;
	r.lost = t->lost;
	if (copy_to_user(argp, &r, sizeof(r)))
		return -EFAULT;
	t->tail += n;
	t->lost = 0;
	return 0;
}

/*
 * What the exit was about, where that is a register (read before the
 * handler changes any): the source of MOV to CR (Table 28-3) or DR
 * (Table 28-4), EDX:EAX of WRMSR and XSETBV, RAX of OUT.
 */
static u64 exit_trace_value(struct minivmm_vcpu *vcpu, u32 basic)
{
	u64 q = vcpu->exit.qualification;

	switch (basic) {
	case EXIT_REASON_CR_ACCESS:
		return ((q >> 4) & 3) == 0 ? vcpu_gpr_get(vcpu, (q >> 8) & 15) : 0;
	case EXIT_REASON_DR_ACCESS:
		return (q & BIT(4)) ? 0 : vcpu_gpr_get(vcpu, (q >> 8) & 15);
	case EXIT_REASON_MSR_WRITE:
	case EXIT_REASON_XSETBV:
		return (u32)vcpu->regs[VCPU_RAX] | (vcpu->regs[VCPU_RDX] << 32);
	case EXIT_REASON_IO_INSTRUCTION:
		return (q & BIT(3)) ? 0 : vcpu->regs[VCPU_RAX];
	default:
		return 0;
	}
}

/*
 * Right after an exit, before its handler (VMCS loaded): take the
 * record down. exit_trace_commit() stores it once the handler said
 * where the exit went.
 */
void exit_trace_begin(struct minivmm_vcpu *vcpu)
{
	struct minivmm_trace_record *r = &vcpu->trace_pending;
	u32 basic = vcpu->exit.reason & 0xffff;

	*r = (struct minivmm_trace_record) {
		.reason = vcpu->exit.reason,
		.qualification = vcpu->exit.qualification,
		.rip = vmcs_read(GUEST_RIP),
		.gpa = vcpu->exit.gpa,
		.intr_info = vcpu->exit.intr_info,
		.intr_error = vcpu->exit.intr_error,
		.rax = vcpu->regs[VCPU_RAX],
		.rcx = vcpu->regs[VCPU_RCX],
		.value = exit_trace_value(vcpu, basic),
		.prev_cycles = vcpu->trace_prev_cycles,
	};
}

void exit_trace_commit(struct minivmm_vcpu *vcpu, bool to_user)
{
	struct minivmm_trace *t = vcpu->trace;
	struct minivmm_trace_record *r = &vcpu->trace_pending;

	r->seq = ++t->seq;
	if (to_user)
		r->flags |= MINIVMM_TRACE_F_USER;
	if (t->head - t->tail > t->mask) {
		t->lost++;
		return;
	}
	t->rec[t->head++ & t->mask] = *r;
}
