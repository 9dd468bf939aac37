// SPDX-License-Identifier: GPL-2.0
/*
 * minivmm.ko: module entry, load-time checks and /dev/minivmm.
 *
 * Loading refuses cleanly (one log line, a distinct errno) when VT-x is
 * missing, disabled by firmware or owned by another hypervisor. VMX
 * operation itself starts only when something needs it (vmx_hw.c).
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/tsc.h>
#include "minivmm.h"
#include "vm.h"

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "mode of /dev/minivmm (default 0600, root only; at most 0666)");

static long minivmm_check_cap(unsigned long cap)
{
	switch (cap) {
	case MINIVMM_CAP_VMX_CAPS:
		return 1;
	case MINIVMM_CAP_PROBE_VMX:
		return MINIVMM_PROBE_MAX_CPUS;
	case MINIVMM_CAP_VCPU_STATS:
		return 1;
	case MINIVMM_CAP_EPT:
		return !!(vmx_caps.features & MINIVMM_VMX_F_EPT);
	case MINIVMM_CAP_VPID:
		return !!(vmx_caps.features & MINIVMM_VMX_F_VPID);
	case MINIVMM_CAP_UNRESTRICTED_GUEST:
		return !!(vmx_caps.features & MINIVMM_VMX_F_UNRESTRICTED);
	case MINIVMM_CAP_IRQ_INJECTION:
		return 1;
	case MINIVMM_CAP_TSC_KHZ:
		return tsc_khz;
	case MINIVMM_CAP_EXIT_TRACE:
		return 1;
	case MINIVMM_CAP_EXIT_POLICY:
	case MINIVMM_CAP_APIC_BASE:
		return 1;
	case MINIVMM_CAP_SINGLE_STEP:	/* 2: the monitor trap flag, 1: RFLAGS.TF */
		return vmx_mtf_supported() ? 2 : 1;
	case MINIVMM_CAP_PREEMPTION_TIMER:
		return !!(vmx_caps.features & MINIVMM_VMX_F_PREEMPT_TIMER);
	default:
		return 0;	/* unknown: absent, so newer CLIs can probe */
	}
}

static long minivmm_probe_vmx(void __user *argp)
{
	struct minivmm_vmx_probe *probe;
	long ret;

	probe = kzalloc(sizeof(*probe), GFP_KERNEL);
	if (!probe)
		return -ENOMEM;
	ret = vmx_probe(probe);
	if (!ret && copy_to_user(argp, probe, sizeof(*probe)))
		ret = -EFAULT;
	kfree(probe);
	return ret;
}

static long minivmm_dev_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case MINIVMM_GET_API_VERSION:
		return MINIVMM_API_VERSION;
	case MINIVMM_CHECK_CAP:
		return minivmm_check_cap(arg);
	case MINIVMM_GET_VMX_CAPS:
		if (copy_to_user(argp, &vmx_caps, sizeof(vmx_caps)))
			return -EFAULT;
		return 0;
	case MINIVMM_PROBE_VMX:
		return minivmm_probe_vmx(argp);
	case MINIVMM_CREATE_VM:
		return arg ? -EINVAL : minivmm_create_vm();
	case MINIVMM_GET_VCPU_MMAP_SIZE:
		return PAGE_SIZE;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations minivmm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = minivmm_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice minivmm_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MINIVMM_NAME,
	.fops = &minivmm_dev_fops,
};

static int __init minivmm_init(void)
{
	int ret;

	if (dev_mode & ~0666) {
		pr_err(MINIVMM_NAME ": dev_mode=%#o is invalid: use read/write bits only, e.g. 0600 or 0660\n",
		       dev_mode);
		return -EINVAL;
	}
	ret = vmx_caps_check_cpu();
	if (ret)
		return ret;
	vmx_caps_read(&vmx_caps);
	/* VMXON needs a 4 KiB region in write-back memory (SDM Vol. 3D A.1). */
	if (minivmm_basic_vmcs_size(vmx_caps.basic) > PAGE_SIZE ||
	    minivmm_basic_mem_type(vmx_caps.basic) != 6) {
		pr_err(MINIVMM_NAME ": unsupported IA32_VMX_BASIC %#llx (VMCS larger than a page or not write-back)\n",
		       vmx_caps.basic);
		return -EOPNOTSUPP;
	}
	vmx_caps_log_summary(&vmx_caps);
	ret = vmx_setup_controls();
	if (ret)
		return ret;
	ret = vmx_msr_bitmap_init();
	if (ret)
		return ret;
	vcpu_init_loaded_lists();
	vcpu_fpu_caps_init();
	spec_log_unmitigated();

	ret = vmx_hw_init();
	if (ret) {
		vmx_msr_bitmap_free();
		return ret;
	}
	minivmm_dev.mode = dev_mode;
	ret = misc_register(&minivmm_dev);
	if (ret) {
		vmx_hw_exit();
		vmx_msr_bitmap_free();
		return ret;
	}
	return 0;
}

static void __exit minivmm_exit(void)
{
	misc_deregister(&minivmm_dev);
	vmx_hw_exit();
	vmx_msr_bitmap_free();
}

module_init(minivmm_init);
module_exit(minivmm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("minivmm: a small VT-x hypervisor");
MODULE_VERSION(MINIVMM_VERSION);	/* from ../dkms.conf, see Kbuild */
