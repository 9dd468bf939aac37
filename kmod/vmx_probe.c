// SPDX-License-Identifier: GPL-2.0
/*
 * MINIVMM_PROBE_VMX: take VT-x the way VM creation does, show on every
 * CPU that VMX operation really works, and give it back.
 *
 * "Works" means the CPU accepts a VMCS of our revision: VMCLEAR, VMPTRLD,
 * then VMPTRST returns the same pointer (SDM Vol. 3C 25.11.3 "Initializing
 * a VMCS"), and VMCLEAR again so no VMCS stays current.
 */
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include "minivmm.h"
#include "vmx_ops.h"

struct vmx_probe_ctx {
	struct minivmm_vmx_probe *probe;
	void **vmcs;		/* scratch VMCS per CPU number */
};

/*
 * Runs in an IPI, possibly between two VMREAD/VMWRITEs of a vCPU whose
 * VMCS is current here (vcpu.c also remembers which one is): that VMCS
 * is made current again afterwards, or the vCPU's next accesses would hit
 * no VMCS at all, VMWRITEs lost without a trace.
 */
static void vmx_probe_cpu(void *data)
{
	struct vmx_probe_ctx *ctx = data;
	int cpu = smp_processor_id();
	struct minivmm_vmx_probe_cpu *pc;
	u64 pa, prev;

	if (cpu >= MINIVMM_PROBE_MAX_CPUS)
		return;
	pc = &ctx->probe->cpu[cpu];
	pc->flags |= MINIVMM_PROBE_CPU_ONLINE;
	if (!vmx_hw_cpu_is_on(cpu) || !ctx->vmcs[cpu])
		return;
	pc->flags |= MINIVMM_PROBE_CPU_VMXON;
	prev = vmx_vmptrst();		/* all ones: none */
	pa = __pa(ctx->vmcs[cpu]);
	if (!vmx_vmclear(pa) && !vmx_vmptrld(pa) && vmx_vmptrst() == pa &&
	    !vmx_vmclear(pa))
		pc->flags |= MINIVMM_PROBE_CPU_VMCS;
	if (prev != ~0ull)
		vmx_vmptrld(prev);
}

static int vmx_probe_alloc(void **vmcs, u32 rev)
{
	int cpu;

	for_each_online_cpu(cpu) {
		if (cpu >= MINIVMM_PROBE_MAX_CPUS)
			break;
		vmcs[cpu] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!vmcs[cpu])
			return -ENOMEM;
		*(u32 *)vmcs[cpu] = rev;
	}
	return 0;
}

int vmx_probe(struct minivmm_vmx_probe *probe)
{
	struct vmx_probe_ctx ctx = { .probe = probe };
	u32 rev = minivmm_basic_revision(vmx_caps.basic);
	bool all_off;
	int cpu, err;

	memset(probe, 0, sizeof(*probe));
	probe->vmcs_revision = rev;
	ctx.vmcs = kcalloc(MINIVMM_PROBE_MAX_CPUS, sizeof(void *), GFP_KERNEL);
	if (!ctx.vmcs)
		return -ENOMEM;

	err = vmx_hw_get();
	if (err)
		goto out_free;
	/* VM creation is silent; the probe says what it did. */
	pr_info(MINIVMM_NAME ": VMXON on CPUs %*pbl\n",
		cpumask_pr_args(cpu_online_mask));
	cpus_read_lock();
	err = vmx_probe_alloc(ctx.vmcs, rev);
	if (!err)
		on_each_cpu(vmx_probe_cpu, &ctx, 1);
	probe->nr_online = num_online_cpus();
	cpus_read_unlock();
	vmx_hw_put();
	if (err)
		goto out_free;

	/* VMXOFF is proven only when nobody else (a VM) still holds VT-x. */
	all_off = vmx_hw_all_off();
	if (all_off)
		pr_info(MINIVMM_NAME ": VMXOFF on CPUs %*pbl\n",
			cpumask_pr_args(cpu_online_mask));
	for (cpu = 0; cpu < MINIVMM_PROBE_MAX_CPUS; cpu++) {
		struct minivmm_vmx_probe_cpu *pc = &probe->cpu[cpu];

		if (!(pc->flags & MINIVMM_PROBE_CPU_ONLINE))
			continue;
		pc->cpu = cpu;
		pc->vmxon_count = vmx_hw_cpu_vmxon_count(cpu);
		if (all_off)
			pc->flags |= MINIVMM_PROBE_CPU_VMXOFF;
		probe->nr_cpus = cpu + 1;
	}
out_free:
	for (cpu = 0; cpu < MINIVMM_PROBE_MAX_CPUS; cpu++)
		free_page((unsigned long)ctx.vmcs[cpu]);
	kfree(ctx.vmcs);
	return err;
}
