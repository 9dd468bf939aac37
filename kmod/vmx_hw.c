// SPDX-License-Identifier: GPL-2.0
/*
 * VMX operation on every CPU: VMXON when the first user (a VM, or the
 * probe ioctl) needs VT-x, VMXOFF when the last one goes.
 *
 * Why lazily: a CPU has one VMX root operation, so minivmm and another
 * hypervisor (kvm_intel on Linux < 6.12 does the same) can take turns
 * without unloading each other; while neither has VMs, both stay loaded.
 *
 * Locking: vmx_hw_lock serialises users; cpus_read_lock() keeps the set of
 * online CPUs stable while all of them are switched, and the CPU-hotplug
 * callbacks (which run with the hotplug lock held for write) may then read
 * vmx_hw_users without the mutex.
 *
 * SDM Vol. 3C 24.7 "Enabling and Entering VMX Operation", 24.8
 * "Restrictions on VMX Operation" (CR0/CR4 fixed bits), 24.11.5 "VMXON
 * Region".
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <linux/atomic.h>
#include <asm/tlbflush.h>
#include "minivmm.h"
#include "vm.h"
#include "vmx_ops.h"

struct vmx_cpu {
	void *vmxon_region;	/* 4 KiB, page aligned, revision id first */
	bool on;		/* this CPU is in VMX operation for us */
	u64 vmxon_count;	/* VMXONs executed, for tests and the probe */
};

static DEFINE_PER_CPU(struct vmx_cpu, vmx_cpu);
static DEFINE_MUTEX(vmx_hw_lock);
static unsigned int vmx_hw_users;
static bool vmx_hw_rebooting;
static int vmx_hw_hp_state;

/* Enter VMX operation on this CPU. Interrupts are off. */
static int vmx_cpu_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu);
	int err;

	if (vc->on)
		return 0;
	/* Someone else (kvm_intel) is in VMX operation here: never share. */
	if (__read_cr4() & X86_CR4_VMXE)
		return -EBUSY;
	cr4_set_bits(X86_CR4_VMXE);
	err = vmx_vmxon(__pa(vc->vmxon_region));
	if (err) {
		cr4_clear_bits(X86_CR4_VMXE);
		return err;
	}
	vc->on = true;
	vc->vmxon_count++;
	/*
	 * Whatever EPT translations this CPU cached before (another
	 * hypervisor, or an EPTP of ours since reused) are stale now
	 * (SDM Vol. 3C 29.4.3.1 "Operations that Invalidate Cached Mappings").
	 */
	ept_invalidate_here();
	return 0;
}

/* In VMX operation on this CPU? (The reboot notifier may have left it.) */
bool vmx_hw_cpu_on(void)
{
	return this_cpu_ptr(&vmx_cpu)->on;
}

/* Leave VMX operation on this CPU, if we entered it. Interrupts are off. */
static void vmx_cpu_disable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu);

	if (!vc->on)
		return;
	/* No VMCS may stay active on a CPU leaving VMX operation. */
	vcpu_clear_loaded_on_this_cpu();
	/* A fault here would mean someone else left VMX under us. */
	WARN_ON_ONCE(vmx_vmxoff());
	cr4_clear_bits(X86_CR4_VMXE);
	vc->on = false;
}

struct vmx_enable_result {
	atomic_t failed;
	int err;
	int cpu;
};

static void vmx_cpu_enable_ipi(void *data)
{
	struct vmx_enable_result *res = data;
	int err = vmx_cpu_enable();

	/* Keep the first failure for the caller's log line. */
	if (err && atomic_inc_return(&res->failed) == 1) {
		res->err = err;
		res->cpu = smp_processor_id();
	}
}

static void vmx_cpu_disable_ipi(void *unused)
{
	vmx_cpu_disable();
}

/* Take VT-x on every online CPU, or on none. */
int vmx_hw_get(void)
{
	struct vmx_enable_result res = { .failed = ATOMIC_INIT(0) };
	int err = 0;

	mutex_lock(&vmx_hw_lock);
	cpus_read_lock();
	if (vmx_hw_rebooting) {
		err = -EBUSY;
		goto out;
	}
	if (vmx_hw_users++)
		goto out;
	on_each_cpu(vmx_cpu_enable_ipi, &res, 1);
	if (atomic_read(&res.failed)) {
		on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
		vmx_hw_users--;
		err = res.err;
		if (err == -EBUSY)
			pr_err(MINIVMM_NAME ": VT-x is in use by another hypervisor on CPU %d (CR4.VMXE set), e.g. kvm_intel with running VMs: stop them or run 'rmmod kvm_intel', then retry\n",
			       res.cpu);
		else
			pr_err(MINIVMM_NAME ": VMXON failed on CPU %d (%s); see IA32_FEATURE_CONTROL and the CR0/CR4 fixed bits\n",
			       res.cpu, err == -EFAULT ? "fault" : "VMfail");
		if (err != -EBUSY)
			err = -EIO;
		goto out;
	}
	pr_debug(MINIVMM_NAME ": VMXON on CPUs %*pbl\n",
		 cpumask_pr_args(cpu_online_mask));
out:
	cpus_read_unlock();
	mutex_unlock(&vmx_hw_lock);
	return err;
}

void vmx_hw_put(void)
{
	mutex_lock(&vmx_hw_lock);
	cpus_read_lock();
	if (!WARN_ON_ONCE(!vmx_hw_users) && !--vmx_hw_users) {
		on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
		pr_debug(MINIVMM_NAME ": VMXOFF on CPUs %*pbl\n",
			 cpumask_pr_args(cpu_online_mask));
	}
	cpus_read_unlock();
	mutex_unlock(&vmx_hw_lock);
}

bool vmx_hw_cpu_is_on(int cpu)
{
	return per_cpu(vmx_cpu, cpu).on;
}

u64 vmx_hw_cpu_vmxon_count(int cpu)
{
	return per_cpu(vmx_cpu, cpu).vmxon_count;
}

static void vmx_cpu_count_vmxe(void *count)
{
	if (this_cpu_read(vmx_cpu.on) || (__read_cr4() & X86_CR4_VMXE))
		atomic_inc(count);
}

/* True if no user holds VT-x and no online CPU is left with CR4.VMXE. */
bool vmx_hw_all_off(void)
{
	atomic_t on = ATOMIC_INIT(0);
	bool idle;

	mutex_lock(&vmx_hw_lock);
	cpus_read_lock();
	idle = !vmx_hw_users;
	if (idle)
		on_each_cpu(vmx_cpu_count_vmxe, &on, 1);
	cpus_read_unlock();
	mutex_unlock(&vmx_hw_lock);
	return idle && !atomic_read(&on);
}

/* CPU hotplug: a CPU coming online joins VMX operation if VT-x is held. */
static int vmx_hw_cpu_online(unsigned int cpu)
{
	int err = 0;

	if (READ_ONCE(vmx_hw_users)) {
		local_irq_disable();
		err = vmx_cpu_enable();
		local_irq_enable();
		if (err)
			pr_err(MINIVMM_NAME ": VMXON failed on CPU %u coming online (%d)\n",
			       cpu, err);
	}
	return err;
}

static int vmx_hw_cpu_offline(unsigned int cpu)
{
	local_irq_disable();
	vmx_cpu_disable();
	local_irq_enable();
	return 0;
}

/*
 * INIT is blocked in VMX root operation (SDM 24.8), so a reboot must leave
 * VMX on every CPU first. New users are refused from here on.
 */
static int vmx_hw_reboot(struct notifier_block *nb, unsigned long code,
			 void *unused)
{
	mutex_lock(&vmx_hw_lock);
	vmx_hw_rebooting = true;
	on_each_cpu(vmx_cpu_disable_ipi, NULL, 1);
	mutex_unlock(&vmx_hw_lock);
	return NOTIFY_OK;
}

/* Panic: other CPUs are being stopped; only this one can be switched. */
static int vmx_hw_panic(struct notifier_block *nb, unsigned long code,
			void *unused)
{
	vmx_cpu_disable();
	return NOTIFY_DONE;
}

static struct notifier_block vmx_hw_reboot_nb = {
	.notifier_call = vmx_hw_reboot,
};

static struct notifier_block vmx_hw_panic_nb = {
	.notifier_call = vmx_hw_panic,
};

static void vmx_hw_free_regions(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpu, cpu);

		if (vc->vmxon_region)
			free_page((unsigned long)vc->vmxon_region);
		vc->vmxon_region = NULL;
	}
}

int vmx_hw_init(void)
{
	u32 rev = minivmm_basic_revision(vmx_caps.basic);
	int cpu, ret;

	/* One VMXON region per possible CPU, on its node, revision id first. */
	for_each_possible_cpu(cpu) {
		struct page *page = alloc_pages_node(cpu_to_node(cpu),
						     GFP_KERNEL | __GFP_ZERO, 0);

		if (!page) {
			vmx_hw_free_regions();
			return -ENOMEM;
		}
		per_cpu(vmx_cpu, cpu).vmxon_region = page_address(page);
		*(u32 *)page_address(page) = rev;
	}

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "minivmm/vmx:online",
				vmx_hw_cpu_online, vmx_hw_cpu_offline);
	if (ret < 0) {
		vmx_hw_free_regions();
		return ret;
	}
	vmx_hw_hp_state = ret;
	register_reboot_notifier(&vmx_hw_reboot_nb);
	atomic_notifier_chain_register(&panic_notifier_list, &vmx_hw_panic_nb);
	return 0;
}

/* Module unload: the fds hold module references, so nobody uses VT-x. */
void vmx_hw_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &vmx_hw_panic_nb);
	unregister_reboot_notifier(&vmx_hw_reboot_nb);
	cpuhp_remove_state(vmx_hw_hp_state);
	WARN_ON(vmx_hw_users);
	vmx_hw_free_regions();
}
