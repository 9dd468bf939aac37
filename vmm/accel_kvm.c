// SPDX-License-Identifier: GPL-2.0
/*
 * --accel kvm: the same VMM on /dev/kvm. The backend speaks minivmm's
 * ABI to the rest of minivmm (dev.c routes every ioctl and the run-page
 * mapping here) and KVM's to the kernel: each minivmm ioctl becomes its
 * KVM counterpart, and a KVM exit is rewritten into a minivmm run page
 * that minivmm's exit handlers read and answer as usual; the answers (IN
 * and MMIO-read data) go back into KVM's run page before the next
 * KVM_RUN. One VM with one vCPU, no in-kernel irqchip (KVM_INTERRUPT is
 * the userspace-irqchip ABI minivmm's own follows).
 *
 * What KVM does not have is reported, not faked: no exit trace, no exit
 * policy, no per-reason exit counts (CHECK_CAP says 0, the ioctls
 * ENOTTY); VMCALL is KVM's own (it answers -KVM_ENOSYS, -1000, where
 * minivmm returns -1); run->timer_deadline_ns is a host timer signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "accel.h"
#include "uapi/minivmm.h"

#define KVM_MAX_CPUID	128

/* Where the two ABIs are the same structure, passed through as is. */
_Static_assert(sizeof(struct minivmm_regs) == sizeof(struct kvm_regs), "regs");
_Static_assert(sizeof(struct minivmm_interrupt) == sizeof(struct kvm_interrupt), "irq");

/* I/O data in minivmm's run page, where the module puts it too. */
#define KVM_SHADOW_DATA_OFFSET	512
#define KVM_SHADOW_DATA_SIZE	(ACCEL_RUN_PAGE_SIZE - KVM_SHADOW_DATA_OFFSET)
_Static_assert(sizeof(struct minivmm_run) <= KVM_SHADOW_DATA_OFFSET, "run page");

enum kvm_fd_kind { KFD_NONE, KFD_DEV, KFD_VM, KFD_VCPU };

/* The one vCPU: KVM's run page, minivmm's shadow of it, the last exit. */
static struct {
	int dev, vm, vcpu;
	struct kvm_run *krun;
	size_t krun_size;
	struct minivmm_run *run;	/* what minivmm sees (ACCEL_RUN_PAGE_SIZE) */
	__u32 last_exit;		/* MINIVMM_EXIT_* of the last RUN */
	timer_t timer;
	bool timer_made;
	__u64 timer_armed;		/* the deadline the timer is set for */
} kvm = { .dev = -1, .vm = -1, .vcpu = -1 };

static enum kvm_fd_kind kvm_fd_kind(int fd)
{
	if (fd < 0)
		return KFD_NONE;
	if (fd == kvm.dev)
		return KFD_DEV;
	if (fd == kvm.vm)
		return KFD_VM;
	if (fd == kvm.vcpu)
		return KFD_VCPU;
	return KFD_NONE;
}

static int kvm_call(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

int accel_kvm_open(const char *path)
{
	int fd = open(path ? path : "/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	kvm.dev = fd;
	return fd;
}

static __u64 kvm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A signal that only interrupts KVM_RUN: timer_deadline_ns's timer. */
static void kvm_timer_signal(int sig)
{
	(void)sig;
}

static int kvm_timer_init(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	struct sigaction sa = { .sa_handler = kvm_timer_signal };

	if (sigaction(SIGRTMIN, &sa, NULL) || timer_create(CLOCK_MONOTONIC, &sev, &kvm.timer))
		return -errno;
	kvm.timer_made = true;
	return 0;
}

/* The deadline minivmm set: a one-shot timer at it (0: none). */
static void kvm_timer_arm(__u64 deadline)
{
	struct itimerspec its = { 0 };

	if (!kvm.timer_made || deadline == kvm.timer_armed)
		return;
	if (deadline) {
		its.it_value.tv_sec = deadline / 1000000000ull;
		its.it_value.tv_nsec = deadline % 1000000000ull;
		/* Again every ms until moved: a signal just before KVM_RUN is not lost. */
		its.it_interval.tv_nsec = 1000000;
	}
	timer_settime(kvm.timer, TIMER_ABSTIME, &its, NULL);
	kvm.timer_armed = deadline;
}

static int kvm_create_vm(void)
{
	int fd = kvm_call(kvm.dev, KVM_CREATE_VM, 0);

	if (fd < 0)
		return fd;
	kvm.vm = fd;
	/* Real mode without unrestricted guest needs these pages (Intel). */
	kvm_call(fd, KVM_SET_TSS_ADDR, (void *)0xfffbd000ul);
	return fd;
}

/*
 * KVM starts a vCPU with an empty CPUID table; minivmm's module starts
 * it with the host's, filtered. The nearest KVM has: what it supports,
 * with the hypervisor bit, until minivmm sets its own (--kernel does).
 */
static int kvm_default_cpuid(int vcpu)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[KVM_MAX_CPUID];
	} t = { .c.nent = KVM_MAX_CPUID };
	__u32 i;
	int ret = kvm_call(kvm.dev, KVM_GET_SUPPORTED_CPUID, &t);

	if (ret < 0)
		return ret;
	for (i = 0; i < t.c.nent; i++) {
		/* The hypervisor bit; minivmm's APIC is xAPIC, no TSC-deadline. */
		if (t.e[i].function == 1)
			t.e[i].ecx = (t.e[i].ecx | 1u << 31) & ~(1u << 21 | 1u << 24);
		/* No KVM paravirt leaves: minivmm's guests do not know them. */
		if (t.e[i].function >= 0x40000000 && t.e[i].function < 0x40000100)
			t.e[i].eax = t.e[i].ebx = t.e[i].ecx = t.e[i].edx = 0;
	}
	return kvm_call(vcpu, KVM_SET_CPUID2, &t);
}

static int kvm_create_vcpu(unsigned long id)
{
	int fd, size, ret;

	if (id != 0)
		return -EINVAL;		/* one vCPU: all minivmm run uses */
	fd = kvm_call(kvm.vm, KVM_CREATE_VCPU, (void *)id);
	if (fd < 0)
		return fd;
	size = kvm_call(kvm.dev, KVM_GET_VCPU_MMAP_SIZE, NULL);
	if (size < 0)
		return size;
	kvm.krun = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (kvm.krun == MAP_FAILED)
		return -errno;
	kvm.krun_size = size;
	kvm.run = mmap(NULL, ACCEL_RUN_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (kvm.run == MAP_FAILED)
		return -errno;
	ret = kvm_default_cpuid(fd);
	if (ret < 0)
		return ret;
	ret = kvm_timer_init();
	if (ret < 0)
		return ret;
	kvm.vcpu = fd;
	return fd;
}

void *accel_kvm_map_run(int fd, size_t size)
{
	if (fd != kvm.vcpu || size > ACCEL_RUN_PAGE_SIZE)
		return MAP_FAILED;
	return kvm.run;
}

static void seg_to_kvm(struct kvm_segment *k, const struct minivmm_segment *m)
{
	*k = (struct kvm_segment) {
		.base = m->base, .limit = m->limit, .selector = m->selector,
		.type = m->type, .present = m->present, .dpl = m->dpl,
		.db = m->db, .s = m->s, .l = m->l, .g = m->g, .avl = m->avl,
		.unusable = m->unusable,
	};
}

static void seg_from_kvm(struct minivmm_segment *m, const struct kvm_segment *k)
{
	*m = (struct minivmm_segment) {
		.base = k->base, .limit = k->limit, .selector = k->selector,
		.type = k->type, .present = k->present, .dpl = k->dpl,
		.db = k->db, .s = k->s, .l = k->l, .g = k->g, .avl = k->avl,
		.unusable = k->unusable,
	};
}

static int kvm_sregs(int fd, struct minivmm_sregs *m, bool set)
{
	struct kvm_sregs k;
	struct kvm_segment *ks[8] = { &k.cs, &k.ds, &k.es, &k.fs, &k.gs, &k.ss, &k.tr, &k.ldt };
	struct minivmm_segment *ms[8] = { &m->cs, &m->ds, &m->es, &m->fs, &m->gs, &m->ss,
					  &m->tr, &m->ldt };
	int i, ret;

	ret = kvm_call(fd, KVM_GET_SREGS, &k);
	if (ret < 0 || !set) {
		if (ret < 0)
			return ret;
		memset(m, 0, sizeof(*m));
		for (i = 0; i < 8; i++)
			seg_from_kvm(ms[i], ks[i]);
		m->gdt.base = k.gdt.base;
		m->gdt.limit = k.gdt.limit;
		m->idt.base = k.idt.base;
		m->idt.limit = k.idt.limit;
		m->cr0 = k.cr0, m->cr2 = k.cr2, m->cr3 = k.cr3, m->cr4 = k.cr4;
		m->cr8 = k.cr8, m->efer = k.efer, m->apic_base = k.apic_base;
		return 0;
	}
	for (i = 0; i < 8; i++)
		seg_to_kvm(ks[i], ms[i]);
	k.gdt.base = m->gdt.base;
	k.gdt.limit = m->gdt.limit;
	k.idt.base = m->idt.base;
	k.idt.limit = m->idt.limit;
	k.cr0 = m->cr0, k.cr2 = m->cr2, k.cr3 = m->cr3, k.cr4 = m->cr4;
	k.cr8 = m->cr8, k.efer = m->efer, k.apic_base = m->apic_base;
	return kvm_call(fd, KVM_SET_SREGS, &k);
}

static int kvm_set_cpuid(int fd, const struct minivmm_cpuid *m)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[MINIVMM_MAX_CPUID_ENTRIES];
	} *t;
	__u32 i;
	int ret;

	if (m->nent > MINIVMM_MAX_CPUID_ENTRIES)
		return -E2BIG;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->c.nent = m->nent;
	for (i = 0; i < m->nent; i++) {
		t->e[i].function = m->entries[i].function;
		t->e[i].index = m->entries[i].index;
		t->e[i].flags = m->entries[i].flags & MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX ?
				KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
		t->e[i].eax = m->entries[i].eax;
		t->e[i].ebx = m->entries[i].ebx;
		t->e[i].ecx = m->entries[i].ecx;
		t->e[i].edx = m->entries[i].edx;
	}
	ret = kvm_call(fd, KVM_SET_CPUID2, t);
	free(t);
	return ret;
}

static int kvm_guest_debug(int fd, const struct minivmm_guest_debug *d)
{
	struct kvm_guest_debug g = { 0 };

	if (d->flags & ~(MINIVMM_GUEST_DEBUG_SINGLESTEP | MINIVMM_GUEST_DEBUG_BREAKPOINT))
		return -EINVAL;
	if (d->flags)
		g.control = KVM_GUESTDBG_ENABLE;
	if (d->flags & MINIVMM_GUEST_DEBUG_SINGLESTEP)
		g.control |= KVM_GUESTDBG_SINGLESTEP;
	if (d->flags & MINIVMM_GUEST_DEBUG_BREAKPOINT) {
		g.control |= KVM_GUESTDBG_USE_HW_BP;
		g.arch.debugreg[0] = d->breakpoint;
		g.arch.debugreg[7] = 0x401;	/* L0, execute, 1 byte */
	}
	return kvm_call(fd, KVM_SET_GUEST_DEBUG, &g);
}

static int kvm_msrs(int fd, struct minivmm_msrs *m, bool set)
{
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[MINIVMM_MAX_MSR_ENTRIES];
	} k = { .h.nmsrs = m->nmsrs };
	__u32 i;
	int ret;

	if (m->nmsrs > MINIVMM_MAX_MSR_ENTRIES)
		return -E2BIG;
	for (i = 0; i < m->nmsrs; i++) {
		k.e[i].index = m->entries[i].index;
		k.e[i].data = m->entries[i].data;
	}
	ret = kvm_call(fd, set ? KVM_SET_MSRS : KVM_GET_MSRS, &k);
	for (i = 0; !set && ret > 0 && i < (__u32)ret; i++)
		m->entries[i].data = k.e[i].data;
	return ret;
}

/* Before KVM_RUN: what minivmm answered for the last exit, and its requests. */
static void kvm_run_enter(void)
{
	struct minivmm_run *run = kvm.run;
	struct kvm_run *k = kvm.krun;
	__u32 n;

	if (kvm.last_exit == MINIVMM_EXIT_IO && k->exit_reason == KVM_EXIT_IO &&
	    k->io.direction == KVM_EXIT_IO_IN) {
		n = k->io.size * k->io.count;
		if (n <= KVM_SHADOW_DATA_SIZE && k->io.data_offset + n <= kvm.krun_size)
			memcpy((__u8 *)k + k->io.data_offset,
			       (__u8 *)run + KVM_SHADOW_DATA_OFFSET, n);
	}
	if (kvm.last_exit == MINIVMM_EXIT_MMIO && k->exit_reason == KVM_EXIT_MMIO &&
	    !k->mmio.is_write)
		memcpy(k->mmio.data, run->mmio.data, sizeof(k->mmio.data));
	kvm.last_exit = MINIVMM_EXIT_UNKNOWN;
	k->request_interrupt_window = run->request_interrupt_window;
	k->immediate_exit = run->immediate_exit;
	kvm_timer_arm(run->timer_deadline_ns);
}

/* After KVM_RUN: KVM's exit as minivmm's run page says it. */
static __u32 kvm_run_exit(void)
{
	struct minivmm_run *run = kvm.run;
	struct kvm_run *k = kvm.krun;
	__u32 n;

	run->ready_for_interrupt_injection = k->ready_for_interrupt_injection;
	run->if_flag = k->if_flag;
	run->apic_base = k->apic_base;
	switch (k->exit_reason) {
	case KVM_EXIT_IO:
		n = k->io.size * k->io.count;
		if (n > KVM_SHADOW_DATA_SIZE || k->io.data_offset + n > kvm.krun_size)
			return MINIVMM_EXIT_INTERNAL_ERROR;
		run->io.direction = k->io.direction == KVM_EXIT_IO_OUT ?
				    MINIVMM_EXIT_IO_OUT : MINIVMM_EXIT_IO_IN;
		run->io.size = k->io.size;
		run->io.port = k->io.port;
		run->io.count = k->io.count;
		run->io.data_offset = KVM_SHADOW_DATA_OFFSET;
		memcpy((__u8 *)run + KVM_SHADOW_DATA_OFFSET,
		       (__u8 *)k + k->io.data_offset, n);
		return MINIVMM_EXIT_IO;
	case KVM_EXIT_MMIO:
		run->mmio.phys_addr = k->mmio.phys_addr;
		run->mmio.len = k->mmio.len;
		run->mmio.is_write = k->mmio.is_write;
		memcpy(run->mmio.data, k->mmio.data, sizeof(run->mmio.data));
		return MINIVMM_EXIT_MMIO;
	case KVM_EXIT_HLT:
		return MINIVMM_EXIT_HLT;
	case KVM_EXIT_SHUTDOWN:
		return MINIVMM_EXIT_SHUTDOWN;
	case KVM_EXIT_FAIL_ENTRY:
		run->fail_entry.hardware_exit_reason = k->fail_entry.hardware_entry_failure_reason;
		run->fail_entry.qualification = 0;
		return MINIVMM_EXIT_FAIL_ENTRY;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		return MINIVMM_EXIT_IRQ_WINDOW_OPEN;
	case KVM_EXIT_INTR:
		return MINIVMM_EXIT_INTR;
	case KVM_EXIT_DEBUG:
		run->debug.rip = k->debug.arch.pc;
		run->debug.dr6 = k->debug.arch.dr6 & ((1u << 14) | 1);
		return MINIVMM_EXIT_DEBUG;
	case KVM_EXIT_UNKNOWN:	/* a VMX exit KVM does not handle */
		memset(&run->internal, 0, sizeof(run->internal));
		run->internal.exit_reason = k->hw.hardware_exit_reason;
		return MINIVMM_EXIT_INTERNAL_ERROR;
	case KVM_EXIT_INTERNAL_ERROR:
		memset(&run->internal, 0, sizeof(run->internal));
		run->internal.exit_reason = k->internal.suberror;
		return MINIVMM_EXIT_INTERNAL_ERROR;
	default:	/* KVM's reason for minivmm's message (vcpu.c) */
		memset(&run->internal, 0, sizeof(run->internal));
		run->internal.exit_reason = k->exit_reason;
		return MINIVMM_EXIT_UNKNOWN;
	}
}

static int kvm_run(void)
{
	struct minivmm_run *run = kvm.run;
	__u64 deadline = run->timer_deadline_ns;
	int ret;

	if (deadline && kvm_now_ns() >= deadline) {
		run->exit_reason = MINIVMM_EXIT_TIMER;
		return 0;
	}
	kvm_run_enter();
	do {
		ret = kvm_call(kvm.vcpu, KVM_RUN, NULL);
		/* A CR8 write without KVM's LAPIC: the TPR is in kvm_run, go on. */
	} while (!ret && kvm.krun->exit_reason == KVM_EXIT_SET_TPR);
	if (ret == -EINTR || (!ret && kvm.krun->exit_reason == KVM_EXIT_INTR)) {
		/* The deadline's signal, or another (minivmm's stop signals). */
		run->ready_for_interrupt_injection = kvm.krun->ready_for_interrupt_injection;
		run->if_flag = kvm.krun->if_flag;
		kvm.krun->exit_reason = KVM_EXIT_INTR;
		if (deadline && kvm_now_ns() >= deadline && !run->immediate_exit) {
			run->exit_reason = MINIVMM_EXIT_TIMER;
			return 0;
		}
		run->exit_reason = MINIVMM_EXIT_INTR;
		return -EINTR;
	}
	if (ret < 0)
		return ret;
	run->exit_reason = kvm.last_exit = kvm_run_exit();
	return 0;
}

static long kvm_check_cap(unsigned long cap)
{
	switch (cap) {
	case MINIVMM_CAP_IRQ_INJECTION:
	case MINIVMM_CAP_APIC_BASE:
	case MINIVMM_CAP_EPT:
	case MINIVMM_CAP_UNRESTRICTED_GUEST:
		return 1;
	case MINIVMM_CAP_SINGLE_STEP:
		return kvm_call(kvm.dev, KVM_CHECK_EXTENSION, (void *)KVM_CAP_SET_GUEST_DEBUG) > 0;
	case MINIVMM_CAP_TSC_KHZ:
		/* KVM_GET_TSC_KHZ is a vCPU ioctl: the guest's, the host's by default. */
		return kvm.vcpu >= 0 ? kvm_call(kvm.vcpu, KVM_GET_TSC_KHZ, NULL) : 0;
	default:
		return 0;	/* trace, policy, stats, VMX caps: minivmm's own */
	}
}

int accel_kvm_ioctl(int fd, unsigned long req, unsigned long arg)
{
	void *p = (void *)arg;

	switch (kvm_fd_kind(fd)) {
	case KFD_DEV:
		switch (req) {
		case MINIVMM_GET_API_VERSION:
			/* KVM's is 12 since Linux 2.6.22: then ours is spoken. */
			return kvm_call(fd, KVM_GET_API_VERSION, NULL) == KVM_API_VERSION ?
			       MINIVMM_API_VERSION : -EINVAL;
		case MINIVMM_CHECK_CAP:
			return kvm_check_cap(arg);
		case MINIVMM_CREATE_VM:
			return arg ? -EINVAL : kvm_create_vm();
		case MINIVMM_GET_VCPU_MMAP_SIZE:
			return ACCEL_RUN_PAGE_SIZE;
		}
		break;
	case KFD_VM:
		switch (req) {
		case MINIVMM_SET_MEMORY_REGION: {
			const struct minivmm_memory_region *m = p;
			struct kvm_userspace_memory_region r = {
				.slot = m->slot, .guest_phys_addr = m->guest_phys_addr,
				.memory_size = m->memory_size, .userspace_addr = m->userspace_addr,
				.flags = m->flags & MINIVMM_MEM_READONLY ? KVM_MEM_READONLY : 0,
			};

			return kvm_call(fd, KVM_SET_USER_MEMORY_REGION, &r);
		}
		case MINIVMM_CREATE_VCPU:
			return kvm_create_vcpu(arg);
		}
		break;
	case KFD_VCPU:
		switch (req) {
		case MINIVMM_RUN:
			return kvm_run();
		case MINIVMM_GET_REGS:	/* struct minivmm_regs is struct kvm_regs */
			return kvm_call(fd, KVM_GET_REGS, p);
		case MINIVMM_SET_REGS:
			return kvm_call(fd, KVM_SET_REGS, p);
		case MINIVMM_GET_SREGS:
			return kvm_sregs(fd, p, false);
		case MINIVMM_SET_SREGS:
			return kvm_sregs(fd, p, true);
		case MINIVMM_SET_CPUID:
			return kvm_set_cpuid(fd, p);
		case MINIVMM_INTERRUPT:	/* struct minivmm_interrupt is struct kvm_interrupt */
			return kvm_call(fd, KVM_INTERRUPT, p);
		case MINIVMM_SET_GUEST_DEBUG:
			return kvm_guest_debug(fd, p);
		case MINIVMM_GET_MSRS:
			return kvm_msrs(fd, p, false);
		case MINIVMM_SET_MSRS:
			return kvm_msrs(fd, p, true);
		}
		break;
	case KFD_NONE:
		break;
	}
	return -ENOTTY;
}
