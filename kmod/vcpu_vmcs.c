// SPDX-License-Identifier: GPL-2.0
/*
 * Where a vCPU's VMCS is active, and making it current.
 *
 * A VMCS is active on at most one CPU (SDM Vol. 3C 25.11.1 "Software Use
 * of the VMCS and Related Structures"): before it runs elsewhere it is
 * VMCLEARed where it was, and a CPU leaving VMX operation VMCLEARs every
 * VMCS active on it (per-CPU list, touched only on that CPU with
 * interrupts off).
 */
#include <linux/percpu.h>
#include <linux/smp.h>
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

void vcpu_clear(struct minivmm_vcpu *vcpu)
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
int vcpu_load(struct minivmm_vcpu *vcpu)
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
		/*
		 * Active nowhere: either VMCLEARed where it was, or new. A new
		 * VMCS must be VMCLEARed before its first VMPTRLD (SDM Vol. 3C
		 * 25.11.3); doing it each time costs one instruction per move.
		 */
		err = vmx_vmclear(__pa(vcpu->vmcs));
		if (err)
			return err;
		vcpu->launched = false;
		local_irq_disable();
		list_add(&vcpu->loaded_link, this_cpu_ptr(&vmx_loaded_vmcss));
		vcpu->cpu = cpu;
		local_irq_enable();
		err = vmx_vmptrld(__pa(vcpu->vmcs));
		if (err)
			return err;
		this_cpu_write(vmx_current_vcpu, vcpu);
		vmx_set_host_per_cpu_state(cpu);
		vmx_capture_host_msrs(vcpu);
		/* This VM's first run here: nothing cached for its EPTP may be
		 * trusted (an old VM's tables may live at the same address).
		 */
		if (!cpumask_test_and_set_cpu(cpu, &vcpu->vm->ept_cpus))
			ept_invalidate_here();
		/* Entries tagged with our VPID here may be from an old visit. */
		vpid_flush(vcpu->vpid);
	} else if (this_cpu_read(vmx_current_vcpu) != vcpu) {
		err = vmx_vmptrld(__pa(vcpu->vmcs));
		if (err)
			return err;
		this_cpu_write(vmx_current_vcpu, vcpu);
	}
	/* Another VM ran here last: it must not steer our branches (IBPB). */
	spec_vm_switch(vcpu->vm->serial);
	return 0;
}

/* Run @fn with @vcpu's VMCS current (for register ioctls). */
long vcpu_with_vmcs(struct minivmm_vcpu *vcpu,
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


/* Still @vcpu's VMCS here? An IPI (reboot) may have cleared it. IRQs off. */
bool vcpu_vmcs_is_current(struct minivmm_vcpu *vcpu)
{
	return this_cpu_read(vmx_current_vcpu) == vcpu;
}
