// SPDX-License-Identifier: GPL-2.0
/*
 * errno_check: the error table of docs/uapi.md ("Errors"), one check per
 * row. Each prints "MVTEST: PASS errno-<ID>" or "MVTEST: FAIL errno-<ID>:
 * got ..., want ...". tools/check-errno-table.sh fails CI for a row of the
 * table without a PASS line here, so rows and checks stay 1:1.
 *
 * Needs the module loaded and root (it changes RLIMIT_NOFILE).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/minivmm.h>
#include "mvtest.h"

#define PAGE		4096ul
/* An address in the kernel half: every copy from or to it must fail. */
#define KERNEL_PTR	((void *)0xffff888000000000ul)
/*
 * Fixed low addresses nothing maps (a static binary lives at 0x400000,
 * mmap() without a hint allocates top-down): UNMAPPED stays unmapped,
 * HALF is one mapped page followed by an unmapped one.
 */
#define UNMAPPED	((void *)0x10000000ul)
#define HALF		((void *)0x20000000ul)

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "?";
}

/* Report one row: the call returned @ret with @err; @want is an errno. */
static void row_err(const char *id, long ret, int err, int want)
{
	char name[96];

	snprintf(name, sizeof(name), "errno-%s", id);
	check(ret == -1 && err == want, name, "got ret %ld errno %s, want %s",
	      ret, ret == -1 ? ename(err) : "-", ename(want));
}

/* Report one row whose call must succeed (@ok) with what it returned. */
static void row_ok(const char *id, int ok, long ret, int err)
{
	char name[96];

	snprintf(name, sizeof(name), "errno-%s", id);
	check(ok, name, "got ret %ld errno %s", ret, ret == -1 ? ename(err) : "-");
}

/* EXPECT_ERR(id, errno, call): the call fails with that errno. */
#define EXPECT_ERR(id, want, call) do {				\
	long r_;						\
	errno = 0;						\
	r_ = (long)(call);					\
	row_err(id, r_, errno, want);				\
} while (0)

/* EXPECT_RET(id, value, call): the call returns exactly that value. */
#define EXPECT_RET(id, want, call) do {				\
	long r_;						\
	errno = 0;						\
	r_ = (long)(call);					\
	row_ok(id, r_ == (long)(want), r_, errno);		\
} while (0)

/* EXPECT_FD(id, call): the call returns a new fd (closed again). */
#define EXPECT_FD(id, call) do {				\
	long r_;						\
	errno = 0;						\
	r_ = (long)(call);					\
	row_ok(id, r_ >= 0, r_, errno);				\
	if (r_ >= 0)						\
		close((int)r_);					\
} while (0)

static int new_vm(int dev)
{
	int vm = ioctl(dev, MINIVMM_CREATE_VM, 0);

	if (vm < 0) {
		printf("MVTEST: FAIL errno-setup: CREATE_VM: %s\n", strerror(errno));
		exit(1);
	}
	return vm;
}

static int new_vcpu(int vm, unsigned long id)
{
	int vcpu = ioctl(vm, MINIVMM_CREATE_VCPU, id);

	if (vcpu < 0) {
		printf("MVTEST: FAIL errno-setup: CREATE_VCPU: %s\n", strerror(errno));
		exit(1);
	}
	return vcpu;
}

static void *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("MVTEST: FAIL errno-setup: mmap: %s\n", strerror(errno));
		exit(1);
	}
	return p;
}

/* The fixed layout of UNMAPPED and HALF (see above). */
static void setup_fixed_pages(void)
{
	void *p = mmap(HALF, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != HALF || mmap(UNMAPPED, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
				  MAP_FIXED_NOREPLACE, -1, 0) != UNMAPPED) {
		printf("MVTEST: FAIL errno-setup: fixed pages: %s\n", strerror(errno));
		exit(1);
	}
	munmap(UNMAPPED, PAGE);
	munmap((char *)HALF + PAGE, PAGE);	/* no-op unless something was there */
}

/* Ioctls meant for one kind of fd, sent to the device fd. */
static void test_dev_fd(int dev)
{
	struct minivmm_vmx_caps *ro = map_anon(2 * PAGE, PROT_READ);
	struct minivmm_memory_region r = { 0 };
	struct minivmm_regs regs;
	struct minivmm_vcpu_stats stats;

	EXPECT_ERR("dev-unknown-nr", ENOTTY, ioctl(dev, _IO(MINIVMMIO, 0x7f)));
	EXPECT_ERR("dev-other-magic", ENOTTY, ioctl(dev, _IO(0xAE, 0x00)));
	EXPECT_ERR("dev-wrong-size", ENOTTY,
		   ioctl(dev, _IOR(MINIVMMIO, 0x02, __u32), ro));
	EXPECT_ERR("dev-wrong-direction", ENOTTY,
		   ioctl(dev, _IOW(MINIVMMIO, 0x02, struct minivmm_vmx_caps), ro));
	EXPECT_ERR("dev-create-vm-wrong-encoding", ENOTTY,
		   ioctl(dev, _IOW(MINIVMMIO, 0x10, int), 0));
	EXPECT_ERR("dev-set-memory-region", ENOTTY,
		   ioctl(dev, MINIVMM_SET_MEMORY_REGION, &r));
	EXPECT_ERR("dev-create-vcpu", ENOTTY, ioctl(dev, MINIVMM_CREATE_VCPU, 0));
	EXPECT_ERR("dev-run", ENOTTY, ioctl(dev, MINIVMM_RUN, 0));
	EXPECT_ERR("dev-get-regs", ENOTTY, ioctl(dev, MINIVMM_GET_REGS, &regs));
	EXPECT_ERR("dev-get-stats", ENOTTY, ioctl(dev, MINIVMM_GET_VCPU_STATS, &stats));
	EXPECT_ERR("dev-interrupt", ENOTTY, ioctl(dev, MINIVMM_INTERRUPT, &stats));
	EXPECT_ERR("dev-set-trace", ENOTTY, ioctl(dev, MINIVMM_SET_TRACE, &stats));
	EXPECT_ERR("dev-set-guest-debug", ENOTTY, ioctl(dev, MINIVMM_SET_GUEST_DEBUG, &stats));
	EXPECT_ERR("dev-mmap", ENODEV,
		   mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dev, 0) == MAP_FAILED ? -1 : 0);
	EXPECT_RET("dev-api-version-arg-ignored", MINIVMM_API_VERSION,
		   ioctl(dev, MINIVMM_GET_API_VERSION, 12345));
	EXPECT_RET("dev-mmap-size-arg-ignored", PAGE,
		   ioctl(dev, MINIVMM_GET_VCPU_MMAP_SIZE, 12345));
	EXPECT_RET("dev-check-cap-unknown", 0, ioctl(dev, MINIVMM_CHECK_CAP, 0xdead));
	EXPECT_ERR("dev-create-vm-arg", EINVAL, ioctl(dev, MINIVMM_CREATE_VM, 1));

	EXPECT_ERR("dev-get-vmx-caps-null", EFAULT,
		   ioctl(dev, MINIVMM_GET_VMX_CAPS, NULL));
	EXPECT_ERR("dev-get-vmx-caps-kernel-ptr", EFAULT,
		   ioctl(dev, MINIVMM_GET_VMX_CAPS, KERNEL_PTR));
	EXPECT_ERR("dev-get-vmx-caps-unmapped-ptr", EFAULT,
		   ioctl(dev, MINIVMM_GET_VMX_CAPS, UNMAPPED));
	EXPECT_ERR("dev-get-vmx-caps-readonly-ptr", EFAULT,
		   ioctl(dev, MINIVMM_GET_VMX_CAPS, ro));
	EXPECT_ERR("dev-probe-vmx-kernel-ptr", EFAULT,
		   ioctl(dev, MINIVMM_PROBE_VMX, KERNEL_PTR));
	EXPECT_ERR("dev-probe-vmx-unmapped-ptr", EFAULT,
		   ioctl(dev, MINIVMM_PROBE_VMX, UNMAPPED));
	munmap(ro, 2 * PAGE);
}

/* The lowest free fd: with RLIMIT_NOFILE set to it, the next fd fails. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	close(fd);
	return fd;
}

/* Run @fn(@arg) with no fd left under RLIMIT_NOFILE; returns its result. */
static long with_no_free_fd(long (*fn)(int), int arg, int *err)
{
	struct rlimit old, lim;
	long ret;

	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = lowest_free_fd();
	setrlimit(RLIMIT_NOFILE, &lim);
	errno = 0;
	ret = fn(arg);
	*err = errno;
	setrlimit(RLIMIT_NOFILE, &old);
	return ret;
}

static long create_vm(int dev)
{
	return ioctl(dev, MINIVMM_CREATE_VM, 0);
}

static long create_vcpu3(int vm)
{
	return ioctl(vm, MINIVMM_CREATE_VCPU, 3);
}

/* VMs are limited by RLIMIT_NOFILE only. */
static void test_vm_count(int dev)
{
	int vms[32], i, n, err;
	long ret;

	for (n = 0; n < 32; n++) {
		vms[n] = ioctl(dev, MINIVMM_CREATE_VM, 0);
		if (vms[n] < 0)
			break;
	}
	row_ok("dev-create-vm-32-at-once", n == 32, n < 32 ? vms[n] : 0, errno);
	for (i = 0; i < n; i++)
		close(vms[i]);
	ret = with_no_free_fd(create_vm, dev, &err);
	row_err("dev-create-vm-emfile", ret, err, EMFILE);
	if (ret >= 0)
		close(ret);
	/* The refused VM gave its VT-x reference back: creation works again. */
	EXPECT_FD("dev-create-vm-after-emfile", ioctl(dev, MINIVMM_CREATE_VM, 0));
}

/* Device ioctls on a VM fd, vCPU ioctls on it, bad encodings. */
static void test_vm_fd(int dev)
{
	int vm = new_vm(dev);
	struct minivmm_regs regs;
	struct minivmm_vcpu_stats stats;

	EXPECT_ERR("vm-unknown-nr", ENOTTY, ioctl(vm, _IO(MINIVMMIO, 0x7f)));
	EXPECT_ERR("vm-region-wrong-size", ENOTTY,
		   ioctl(vm, _IOW(MINIVMMIO, 0x13, __u64), &regs));
	EXPECT_ERR("vm-region-wrong-direction", ENOTTY,
		   ioctl(vm, _IOR(MINIVMMIO, 0x13, struct minivmm_memory_region), &regs));
	EXPECT_ERR("vm-create-vm", ENOTTY, ioctl(vm, MINIVMM_CREATE_VM, 0));
	EXPECT_ERR("vm-api-version", ENOTTY, ioctl(vm, MINIVMM_GET_API_VERSION, 0));
	EXPECT_ERR("vm-run", ENOTTY, ioctl(vm, MINIVMM_RUN, 0));
	EXPECT_ERR("vm-get-regs", ENOTTY, ioctl(vm, MINIVMM_GET_REGS, &regs));
	EXPECT_ERR("vm-get-stats", ENOTTY, ioctl(vm, MINIVMM_GET_VCPU_STATS, &stats));
	EXPECT_ERR("vm-interrupt", ENOTTY, ioctl(vm, MINIVMM_INTERRUPT, &stats));
	EXPECT_ERR("vm-read-trace", ENOTTY, ioctl(vm, MINIVMM_READ_TRACE, &stats));
	EXPECT_ERR("vm-set-guest-debug", ENOTTY, ioctl(vm, MINIVMM_SET_GUEST_DEBUG, &stats));
	EXPECT_ERR("vm-mmap", ENODEV,
		   mmap(NULL, PAGE, PROT_READ, MAP_SHARED, vm, 0) == MAP_FAILED ? -1 : 0);
	close(vm);
}

static long set_region(int vm, __u32 slot, __u32 flags, __u64 gpa, __u64 size,
		       const void *uaddr)
{
	struct minivmm_memory_region r = { .slot = slot, .flags = flags,
		.guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)uaddr };

	return ioctl(vm, MINIVMM_SET_MEMORY_REGION, &r);
}

/* Every slot in use, then slot 32. */
static void test_region_slots(int vm, uint8_t *mem)
{
	int i, ok = 1;

	for (i = 0; i < 32 && ok; i++)
		ok = set_region(vm, i, 0, 0x100000 + i * PAGE, PAGE, mem + i * PAGE) == 0;
	row_ok("vm-region-32-slots", ok, ok ? 0 : -1, errno);
	EXPECT_ERR("vm-region-slot-32", EINVAL,
		   set_region(vm, 32, 0, 0x200000, PAGE, mem));
	EXPECT_ERR("vm-region-slot-huge", EINVAL,
		   set_region(vm, 0xffffffff, 0, 0x200000, PAGE, mem));
	for (i = 0; i < 32; i++)
		set_region(vm, i, 0, 0, 0, NULL);
}

static void test_region_pointers(int vm)
{
	EXPECT_ERR("vm-region-null-ptr", EFAULT,
		   ioctl(vm, MINIVMM_SET_MEMORY_REGION, NULL));
	EXPECT_ERR("vm-region-kernel-ptr", EFAULT,
		   ioctl(vm, MINIVMM_SET_MEMORY_REGION, KERNEL_PTR));
	EXPECT_ERR("vm-region-unmapped-ptr", EFAULT,
		   ioctl(vm, MINIVMM_SET_MEMORY_REGION, UNMAPPED));
	/* The structure runs off the end of HALF's mapped page. */
	EXPECT_ERR("vm-region-ptr-straddles-unmapped", EFAULT,
		   ioctl(vm, MINIVMM_SET_MEMORY_REGION, (char *)HALF + PAGE - 16));
}

/* Alignment, wrap-around, sizes, the user memory itself. */
static void test_region_values(int vm, uint8_t *mem, uint8_t *ro)
{
	EXPECT_ERR("vm-region-bad-flags", EINVAL,
		   set_region(vm, 0, 2, 0, PAGE, mem));
	EXPECT_ERR("vm-region-unaligned-gpa", EINVAL,
		   set_region(vm, 0, 0, 0x800, PAGE, mem));
	EXPECT_ERR("vm-region-unaligned-size", EINVAL,
		   set_region(vm, 0, 0, 0, PAGE + 1, mem));
	EXPECT_ERR("vm-region-unaligned-uaddr", EINVAL,
		   set_region(vm, 0, 0, 0, PAGE, mem + 8));
	EXPECT_ERR("vm-region-gpa-wraps", EINVAL,
		   set_region(vm, 0, 0, -PAGE, 2 * PAGE, mem));
	EXPECT_ERR("vm-region-gpa-above-48-bits", EINVAL,
		   set_region(vm, 0, 0, 1ull << 48, PAGE, mem));
	EXPECT_ERR("vm-region-end-above-48-bits", EINVAL,
		   set_region(vm, 0, 0, (1ull << 48) - PAGE, 2 * PAGE, mem));
	EXPECT_ERR("vm-region-uaddr-wraps", EINVAL,
		   set_region(vm, 0, 0, 0, 2 * PAGE, (void *)-PAGE));
	EXPECT_ERR("vm-region-uaddr-kernel", EINVAL,
		   set_region(vm, 0, 0, 0, PAGE, KERNEL_PTR));
	EXPECT_ERR("vm-region-size-over-int-max-pages", EINVAL,
		   set_region(vm, 0, 0, 0, 1ull << 46, UNMAPPED));
	EXPECT_ERR("vm-region-size-beyond-ram", ENOMEM,
		   set_region(vm, 0, 0, 0, 1ull << 40, UNMAPPED));
	EXPECT_ERR("vm-region-uaddr-unmapped", EFAULT,
		   set_region(vm, 0, 0, 0, PAGE, UNMAPPED));
	EXPECT_ERR("vm-region-uaddr-partly-unmapped", EFAULT,
		   set_region(vm, 0, 0, 0, 2 * PAGE, HALF));
	EXPECT_ERR("vm-region-readonly-memory", EFAULT,
		   set_region(vm, 0, 0, 0, PAGE, ro));
	EXPECT_RET("vm-region-readonly-memory-readonly-flag", 0,
		   set_region(vm, 0, MINIVMM_MEM_READONLY, 0, PAGE, ro));
	EXPECT_RET("vm-region-delete-unused-slot", 0,
		   set_region(vm, 7, 0, 0, 0, NULL));
	set_region(vm, 0, 0, 0, 0, NULL);
}

/* Overlaps, and what a refused replacement leaves behind. */
static void test_region_overlap(int vm, uint8_t *mem)
{
	set_region(vm, 0, 0, 0x10000, 4 * PAGE, mem);
	EXPECT_ERR("vm-region-overlap", EEXIST,
		   set_region(vm, 1, 0, 0x12000, 4 * PAGE, mem + 4 * PAGE));
	EXPECT_ERR("vm-region-overlap-inside", EEXIST,
		   set_region(vm, 1, 0, 0x11000, PAGE, mem + 4 * PAGE));
	EXPECT_ERR("vm-region-overlap-around", EEXIST,
		   set_region(vm, 1, 0, 0x8000, 16 * PAGE, mem + 8 * PAGE));
	EXPECT_RET("vm-region-adjacent-ok", 0,
		   set_region(vm, 1, 0, 0x14000, PAGE, mem + 4 * PAGE));
	EXPECT_RET("vm-region-replace-overlapping-itself", 0,
		   set_region(vm, 0, 0, 0x0f000, 2 * PAGE, mem));
	EXPECT_ERR("vm-region-replace-refused", EFAULT,
		   set_region(vm, 0, 0, 0x30000, PAGE, UNMAPPED));
	/* Slot 0 still covers 0xf000-0x10fff: a new slot there overlaps it. */
	EXPECT_ERR("vm-region-refused-replace-keeps-slot", EEXIST,
		   set_region(vm, 2, 0, 0x10000, PAGE, mem + 8 * PAGE));
	set_region(vm, 0, 0, 0, 0, NULL);
	set_region(vm, 1, 0, 0, 0, NULL);
}

static void test_regions(int dev)
{
	uint8_t *mem = map_anon(32 * PAGE, PROT_READ | PROT_WRITE);
	uint8_t *ro = map_anon(PAGE, PROT_READ);
	int vm = new_vm(dev);

	test_region_pointers(vm);
	test_region_values(vm, mem, ro);
	test_region_slots(vm, mem);
	test_region_overlap(vm, mem);
	close(vm);
	munmap(mem, 32 * PAGE);
	munmap(ro, PAGE);
}

static void test_create_vcpu(int dev)
{
	int vm = new_vm(dev), fds[16], i, n, err;
	long ret;

	for (n = 0; n < 16; n++) {
		fds[n] = ioctl(vm, MINIVMM_CREATE_VCPU, n);
		if (fds[n] < 0)
			break;
	}
	row_ok("vm-create-vcpu-ids-0-to-15", n == 16, n < 16 ? fds[n] : 0, errno);
	EXPECT_ERR("vm-create-vcpu-id-16", EINVAL, ioctl(vm, MINIVMM_CREATE_VCPU, 16));
	EXPECT_ERR("vm-create-vcpu-id-high-bits", EINVAL,
		   ioctl(vm, MINIVMM_CREATE_VCPU, 1ul << 32));
	EXPECT_ERR("vm-create-vcpu-duplicate-id", EEXIST,
		   ioctl(vm, MINIVMM_CREATE_VCPU, 5));
	for (i = 0; i < n; i++)
		close(fds[i]);
	EXPECT_FD("vm-create-vcpu-id-reusable-after-close",
		  ioctl(vm, MINIVMM_CREATE_VCPU, 5));
	ret = with_no_free_fd(create_vcpu3, vm, &err);
	row_err("vm-create-vcpu-emfile", ret, err, EMFILE);
	if (ret >= 0)
		close(ret);
	EXPECT_FD("vm-create-vcpu-after-emfile", ioctl(vm, MINIVMM_CREATE_VCPU, 3));
	close(vm);
}

/* Bad pointers for every pointer-taking vCPU ioctl. */
static void test_vcpu_pointers(int vcpu)
{
	void *ro = map_anon(PAGE, PROT_READ);
	static const struct {
		const char *id;
		unsigned long cmd;
	} calls[] = {
		{ "vcpu-get-regs", MINIVMM_GET_REGS },
		{ "vcpu-set-regs", MINIVMM_SET_REGS },
		{ "vcpu-get-sregs", MINIVMM_GET_SREGS },
		{ "vcpu-set-sregs", MINIVMM_SET_SREGS },
		{ "vcpu-set-cpuid", MINIVMM_SET_CPUID },
		{ "vcpu-get-stats", MINIVMM_GET_VCPU_STATS },
		{ "vcpu-interrupt", MINIVMM_INTERRUPT },
		{ "vcpu-set-trace", MINIVMM_SET_TRACE },
		{ "vcpu-read-trace", MINIVMM_READ_TRACE },
		{ "vcpu-set-guest-debug", MINIVMM_SET_GUEST_DEBUG },
	};
	char id[64];
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(id, sizeof(id), "%s-kernel-ptr", calls[i].id);
		EXPECT_ERR(id, EFAULT, ioctl(vcpu, calls[i].cmd, KERNEL_PTR));
		snprintf(id, sizeof(id), "%s-unmapped-ptr", calls[i].id);
		EXPECT_ERR(id, EFAULT, ioctl(vcpu, calls[i].cmd, UNMAPPED));
	}
	EXPECT_ERR("vcpu-get-regs-readonly-ptr", EFAULT,
		   ioctl(vcpu, MINIVMM_GET_REGS, ro));
	EXPECT_ERR("vcpu-get-sregs-readonly-ptr", EFAULT,
		   ioctl(vcpu, MINIVMM_GET_SREGS, ro));
	EXPECT_ERR("vcpu-get-stats-readonly-ptr", EFAULT,
		   ioctl(vcpu, MINIVMM_GET_VCPU_STATS, ro));
	munmap(ro, PAGE);
}

static void test_vcpu_encodings(int vcpu)
{
	struct minivmm_memory_region r = { 0 };
	struct minivmm_regs regs;

	EXPECT_ERR("vcpu-unknown-nr", ENOTTY, ioctl(vcpu, _IO(MINIVMMIO, 0x7f)));
	EXPECT_ERR("vcpu-regs-wrong-size", ENOTTY,
		   ioctl(vcpu, _IOR(MINIVMMIO, 0x20, __u64), &regs));
	EXPECT_ERR("vcpu-regs-wrong-direction", ENOTTY,
		   ioctl(vcpu, _IOWR(MINIVMMIO, 0x20, struct minivmm_regs), &regs));
	EXPECT_ERR("vcpu-run-wrong-encoding", ENOTTY,
		   ioctl(vcpu, _IOR(MINIVMMIO, 0x24, __u32), &regs));
	EXPECT_ERR("vcpu-set-cpuid-wrong-size", ENOTTY,
		   ioctl(vcpu, _IOW(MINIVMMIO, 0x25, struct minivmm_cpuid_entry), &regs));
	EXPECT_ERR("vcpu-create-vm", ENOTTY, ioctl(vcpu, MINIVMM_CREATE_VM, 0));
	EXPECT_ERR("vcpu-create-vcpu", ENOTTY, ioctl(vcpu, MINIVMM_CREATE_VCPU, 1));
	EXPECT_ERR("vcpu-set-memory-region", ENOTTY,
		   ioctl(vcpu, MINIVMM_SET_MEMORY_REGION, &r));
	EXPECT_ERR("vcpu-run-arg", EINVAL, ioctl(vcpu, MINIVMM_RUN, 1));
}

/* MINIVMM_INTERRUPT: a vector 0..255, one at a time. */
static void test_interrupt(int vcpu)
{
	struct minivmm_interrupt irq = { .irq = 256 };

	EXPECT_ERR("vcpu-interrupt-irq-256", EINVAL, ioctl(vcpu, MINIVMM_INTERRUPT, &irq));
	irq.irq = 0xffffffff;
	EXPECT_ERR("vcpu-interrupt-irq-max-u32", EINVAL, ioctl(vcpu, MINIVMM_INTERRUPT, &irq));
	EXPECT_ERR("vcpu-interrupt-wrong-size", ENOTTY,
		   ioctl(vcpu, _IOW(MINIVMMIO, 0x27, __u64), &irq));
	irq.irq = 0x30;
	EXPECT_RET("vcpu-interrupt-queued", 0, ioctl(vcpu, MINIVMM_INTERRUPT, &irq));
	EXPECT_ERR("vcpu-interrupt-queued-twice", EEXIST, ioctl(vcpu, MINIVMM_INTERRUPT, &irq));
}

/* The exit trace: a power-of-two ring, read only while on. */
static void test_trace(int vcpu)
{
	struct minivmm_trace_setup s = { .nr_records = 64 };
	struct minivmm_trace_read r = { 0 };
	struct minivmm_trace_record rec[4];

	EXPECT_ERR("vcpu-read-trace-off", EINVAL, ioctl(vcpu, MINIVMM_READ_TRACE, &r));
	s.nr_records = 100;
	EXPECT_ERR("vcpu-set-trace-not-power-of-2", EINVAL, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	s.nr_records = MINIVMM_TRACE_MAX_RECORDS * 2;
	EXPECT_ERR("vcpu-set-trace-too-many", EINVAL, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	s.nr_records = 64;
	s.flags = 1;
	EXPECT_ERR("vcpu-set-trace-flags", EINVAL, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	s.flags = 0;
	s.reserved[1] = 1;
	EXPECT_ERR("vcpu-set-trace-reserved", EINVAL, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	s.reserved[1] = 0;
	EXPECT_RET("vcpu-set-trace-on", 0, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	r.records = (unsigned long)rec;
	r.max = 4;
	r.reserved[0] = 1;
	EXPECT_ERR("vcpu-read-trace-reserved", EINVAL, ioctl(vcpu, MINIVMM_READ_TRACE, &r));
	r.reserved[0] = 0;
	r.count = 99;
	r.lost = 99;
	EXPECT_RET("vcpu-read-trace-empty", 0, ioctl(vcpu, MINIVMM_READ_TRACE, &r) ?:
		   (r.count || r.lost ? -1 : 0));
	s.nr_records = 0;
	EXPECT_RET("vcpu-set-trace-off", 0, ioctl(vcpu, MINIVMM_SET_TRACE, &s));
	EXPECT_ERR("vcpu-read-trace-after-off", EINVAL, ioctl(vcpu, MINIVMM_READ_TRACE, &r));
}

/* Single-stepping: one flag, padding and reserved zero. */
static void test_guest_debug(int vcpu_dev_fd, int vcpu)
{
	struct minivmm_guest_debug d = { .flags = 4 };

	EXPECT_ERR("vcpu-set-guest-debug-flags", EINVAL, ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.flags = MINIVMM_GUEST_DEBUG_SINGLESTEP;
	d.pad = 1;
	EXPECT_ERR("vcpu-set-guest-debug-pad", EINVAL, ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.pad = 0;
	d.reserved[0] = 1;
	EXPECT_ERR("vcpu-set-guest-debug-reserved", EINVAL, ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.reserved[0] = 0;
	/* The monitor trap flag, or RFLAGS.TF where the CPU lacks it. */
	EXPECT_RET("vcpu-cap-single-step", 1,
		   ioctl(vcpu_dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_SINGLE_STEP) > 0);
	EXPECT_RET("vcpu-set-guest-debug-singlestep", 0,
		   ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.flags = MINIVMM_GUEST_DEBUG_BREAKPOINT;
	d.breakpoint = 0x0000800000000000ull;
	EXPECT_ERR("vcpu-set-guest-debug-breakpoint-noncanonical", EINVAL,
		   ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.breakpoint = 0x100000;
	EXPECT_RET("vcpu-set-guest-debug-breakpoint", 0, ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
	d.flags = 0;
	d.breakpoint = 0;
	EXPECT_RET("vcpu-set-guest-debug-off", 0, ioctl(vcpu, MINIVMM_SET_GUEST_DEBUG, &d));
}

/* SET_SREGS: named padding and reserved[] must be zero. */
static void test_sregs_reserved(int vcpu)
{
	struct minivmm_sregs s;

	ioctl(vcpu, MINIVMM_GET_SREGS, &s);
	s.reserved[7] = 1;
	EXPECT_ERR("vcpu-set-sregs-reserved", EINVAL, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
	s.reserved[7] = 0;
	s.ss.pad[2] = 1;
	EXPECT_ERR("vcpu-set-sregs-segment-pad", EINVAL, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
	s.ss.pad[2] = 0;
	s.idt.pad[0] = 1;
	EXPECT_ERR("vcpu-set-sregs-dtable-pad", EINVAL, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
	s.idt.pad[0] = 0;
	s.cr4 |= 1ull << 22;		/* PKE: PKRU is not switched */
	EXPECT_ERR("vcpu-set-sregs-cr4-pke", EINVAL, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
	s.cr4 &= ~(1ull << 22);
	s.cr4 |= 1ull << 13;		/* VMXE: no nested VMX */
	EXPECT_ERR("vcpu-set-sregs-cr4-vmxe", EINVAL, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
	s.cr4 &= ~(1ull << 13);
	s.idt.pad[0] = 0;
	EXPECT_RET("vcpu-set-sregs-from-get-sregs", 0, ioctl(vcpu, MINIVMM_SET_SREGS, &s));
}

static void test_set_cpuid(int vcpu)
{
	struct {
		struct minivmm_cpuid hdr;
		struct minivmm_cpuid_entry e[MINIVMM_MAX_CPUID_ENTRIES + 1];
	} *t = calloc(1, sizeof(*t));
	/* A header on HALF's mapped page, its entries on the unmapped one. */
	struct minivmm_cpuid *edge = (void *)((char *)HALF + PAGE - sizeof(*edge));

	t->hdr.nent = MINIVMM_MAX_CPUID_ENTRIES + 1;
	EXPECT_ERR("vcpu-set-cpuid-nent-257", E2BIG, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->hdr.nent = 0xffffffff;
	EXPECT_ERR("vcpu-set-cpuid-nent-max-u32", E2BIG, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->hdr.nent = 1;
	t->hdr.pad = 1;
	EXPECT_ERR("vcpu-set-cpuid-header-pad", EINVAL, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->hdr.pad = 0;
	t->e[0].pad = 1;
	EXPECT_ERR("vcpu-set-cpuid-entry-pad", EINVAL, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->e[0].pad = 0;
	t->e[0].flags = 2;
	EXPECT_ERR("vcpu-set-cpuid-entry-flags", EINVAL, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->e[0].flags = 0;
	edge->nent = 2;
	edge->pad = 0;
	EXPECT_ERR("vcpu-set-cpuid-entries-unmapped", EFAULT,
		   ioctl(vcpu, MINIVMM_SET_CPUID, edge));
	t->hdr.nent = MINIVMM_MAX_CPUID_ENTRIES;
	EXPECT_RET("vcpu-set-cpuid-nent-256", 0, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	t->hdr.nent = 0;
	EXPECT_RET("vcpu-set-cpuid-nent-0", 0, ioctl(vcpu, MINIVMM_SET_CPUID, t));
	free(t);
}

static void test_run_page_mmap(int vcpu)
{
	void *p;

#define MAP(len, prot, flags, off) \
	((p = mmap(NULL, len, prot, flags, vcpu, off)) == MAP_FAILED ? -1 : \
	 (munmap(p, len), 0))
	EXPECT_ERR("vcpu-mmap-offset", EINVAL,
		   MAP(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, PAGE));
	EXPECT_ERR("vcpu-mmap-two-pages", EINVAL,
		   MAP(2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0));
	EXPECT_ERR("vcpu-mmap-length-0", EINVAL,
		   MAP(0, PROT_READ | PROT_WRITE, MAP_SHARED, 0));
	EXPECT_ERR("vcpu-mmap-private", EINVAL,
		   MAP(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0));
	EXPECT_ERR("vcpu-mmap-exec", EPERM,
		   MAP(PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, 0));
	EXPECT_RET("vcpu-mmap-readonly", 0, MAP(PAGE, PROT_READ, MAP_SHARED, 0));
	EXPECT_RET("vcpu-mmap-partial-page-length", 0,
		   MAP(100, PROT_READ | PROT_WRITE, MAP_SHARED, 0));
#undef MAP
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (p == MAP_FAILED) {
		check(0, "errno-setup", "run page mmap: %s", strerror(errno));
		return;
	}
	EXPECT_ERR("vcpu-mprotect-exec", EACCES, mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_ERR("vcpu-mremap-grow", EFAULT,
		   mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
	munmap(p, PAGE);
}

/* SET_EXIT_POLICY (VM fd): classes, io ranges, padding, reserved. */
static void test_exit_policy(int vm)
{
	struct minivmm_exit_policy p = { .to_user = MINIVMM_POLICY_ALL };

	EXPECT_ERR("vm-set-exit-policy-kernel-ptr", EFAULT,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, KERNEL_PTR));
	EXPECT_RET("vm-set-exit-policy-all-user", 0, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.to_user = 1u << 4;
	EXPECT_ERR("vm-set-exit-policy-unknown-class", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.to_user = 0;
	p.nr_io_ignore = MINIVMM_POLICY_MAX_IO_IGNORE + 1;
	EXPECT_ERR("vm-set-exit-policy-too-many-ranges", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.nr_io_ignore = 1;
	p.io_ignore[0].port = 0x80;
	EXPECT_ERR("vm-set-exit-policy-range-len-0", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.io_ignore[0].port = 0xffff;
	p.io_ignore[0].len = 2;
	EXPECT_ERR("vm-set-exit-policy-range-past-ffff", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.nr_io_ignore = 2;
	p.io_ignore[0].port = 0x80;
	p.io_ignore[0].len = 4;
	p.io_ignore[1].port = 0x83;
	p.io_ignore[1].len = 1;
	EXPECT_ERR("vm-set-exit-policy-overlap", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.io_ignore[1].port = 0x84;
	EXPECT_RET("vm-set-exit-policy-io-ranges", 0, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.io_ignore[1].pad = 1;
	EXPECT_ERR("vm-set-exit-policy-pad", EINVAL, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.io_ignore[1].pad = 0;
	p.io_ignore[5].port = 1;	/* past nr_io_ignore: must be zero */
	EXPECT_ERR("vm-set-exit-policy-unused-range", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.io_ignore[5].port = 0;
	p.reserved[2] = 1;
	EXPECT_ERR("vm-set-exit-policy-reserved", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.reserved[2] = 0;
	p.to_kernel = 2;
	EXPECT_ERR("vm-set-exit-policy-unknown-kernel-class", EINVAL,
		   ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.to_kernel = MINIVMM_POLICY_KERNEL_VMCALL;
	p.pad = 1;
	EXPECT_ERR("vm-set-exit-policy-pad2", EINVAL, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	p.pad = 0;
	EXPECT_RET("vm-set-exit-policy-vmcall-kernel", 0, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
	memset(&p, 0, sizeof(p));
	EXPECT_RET("vm-set-exit-policy-default", 0, ioctl(vm, MINIVMM_SET_EXIT_POLICY, &p));
}

/* GET_CPUID and GET_MSRS/SET_MSRS (vCPU fd). */
static void test_cpuid_msrs(int vcpu)
{
	struct {
		struct minivmm_cpuid hdr;
		struct minivmm_cpuid_entry e[2];
	} c = { .hdr.nent = 2, .e = { { .function = 0 }, { .function = 1 } } };
	struct {
		struct minivmm_msrs hdr;
		struct minivmm_msr_entry e[2];
	} m = { .hdr.nmsrs = 2, .e = { { .index = 0xc0000102 }, { .index = 0x12345 } } };

	EXPECT_ERR("vcpu-get-cpuid-kernel-ptr", EFAULT, ioctl(vcpu, MINIVMM_GET_CPUID, KERNEL_PTR));
	EXPECT_RET("vcpu-get-cpuid", 1, ioctl(vcpu, MINIVMM_GET_CPUID, &c) == 0 &&
		   c.e[0].eax >= 1 && (c.e[1].ecx >> 31));
	c.hdr.nent = MINIVMM_MAX_CPUID_ENTRIES + 1;
	EXPECT_ERR("vcpu-get-cpuid-too-many", E2BIG, ioctl(vcpu, MINIVMM_GET_CPUID, &c));
	c.hdr.nent = 2;
	c.e[1].flags = 2;
	EXPECT_ERR("vcpu-get-cpuid-flags", EINVAL, ioctl(vcpu, MINIVMM_GET_CPUID, &c));
	c.e[1].flags = 0;
	c.hdr.pad = 1;
	EXPECT_ERR("vcpu-get-cpuid-pad", EINVAL, ioctl(vcpu, MINIVMM_GET_CPUID, &c));

	EXPECT_ERR("vcpu-get-msrs-kernel-ptr", EFAULT, ioctl(vcpu, MINIVMM_GET_MSRS, KERNEL_PTR));
	/* The first is the guest's to read, the second raises #GP: 1 done. */
	EXPECT_RET("vcpu-get-msrs-stops-at-gp", 1, ioctl(vcpu, MINIVMM_GET_MSRS, &m));
	m.e[0].data = 0xffff888000001000ull;
	m.hdr.nmsrs = 1;
	EXPECT_RET("vcpu-set-msrs", 1, ioctl(vcpu, MINIVMM_SET_MSRS, &m));
	m.e[0].data = 0;
	EXPECT_RET("vcpu-get-msrs-read-back", 1, ioctl(vcpu, MINIVMM_GET_MSRS, &m) == 1 &&
		   m.e[0].data == 0xffff888000001000ull);
	/* A non-canonical base is #GP for the guest, so 0 done. */
	m.e[0].data = 0x0000800000000000ull;
	EXPECT_RET("vcpu-set-msrs-noncanonical", 0, ioctl(vcpu, MINIVMM_SET_MSRS, &m));
	m.hdr.nmsrs = MINIVMM_MAX_MSR_ENTRIES + 1;
	EXPECT_ERR("vcpu-get-msrs-too-many", E2BIG, ioctl(vcpu, MINIVMM_GET_MSRS, &m));
	m.hdr.nmsrs = 1;
	m.e[0].reserved = 1;
	EXPECT_ERR("vcpu-set-msrs-reserved", EINVAL, ioctl(vcpu, MINIVMM_SET_MSRS, &m));
	m.e[0].reserved = 0;
	m.hdr.pad = 1;
	EXPECT_ERR("vcpu-get-msrs-pad", EINVAL, ioctl(vcpu, MINIVMM_GET_MSRS, &m));
}

static void test_vcpu_fd(int dev)
{
	int vm = new_vm(dev), vcpu = new_vcpu(vm, 0);

	test_vcpu_encodings(vcpu);
	test_vcpu_pointers(vcpu);
	test_sregs_reserved(vcpu);
	test_interrupt(vcpu);
	test_trace(vcpu);
	test_guest_debug(dev, vcpu);
	test_set_cpuid(vcpu);
	test_cpuid_msrs(vcpu);
	test_exit_policy(vm);
	test_run_page_mmap(vcpu);
	close(vcpu);
	close(vm);
}

struct vm {
	int vm, vcpu;
	struct minivmm_run *run;
	uint8_t *mem;
	size_t mem_size;
};

/* A VM with one vCPU (id 0), its run page and, if @size, memory at @gpa. */
static void vm_open(struct vm *v, int dev, __u64 gpa, size_t size)
{
	v->vm = new_vm(dev);
	v->vcpu = new_vcpu(v->vm, 0);
	v->run = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	v->mem_size = size;
	v->mem = size ? map_anon(size, PROT_READ | PROT_WRITE) : NULL;
	if (v->run == MAP_FAILED ||
	    (size && set_region(v->vm, 0, 0, gpa, size, v->mem))) {
		printf("MVTEST: FAIL errno-setup: vm_open: %s\n", strerror(errno));
		exit(1);
	}
}

static void vm_close(struct vm *v)
{
	munmap(v->run, PAGE);
	if (v->mem)
		munmap(v->mem, v->mem_size);
	close(v->vcpu);
	if (v->vm >= 0)
		close(v->vm);
}

/* A real-mode guest at 1000:0000 running @code, 64 KiB of memory at 0. */
static void vm_open_code(struct vm *v, int dev, const uint8_t *code, size_t len)
{
	struct minivmm_sregs s;
	struct minivmm_regs regs = { .rflags = 2 };

	vm_open(v, dev, 0, 0x20000);
	memcpy(v->mem + 0x10000, code, len);
	ioctl(v->vcpu, MINIVMM_GET_SREGS, &s);
	s.cs.selector = 0x1000;
	s.cs.base = 0x10000;
	ioctl(v->vcpu, MINIVMM_SET_SREGS, &s);
	ioctl(v->vcpu, MINIVMM_SET_REGS, &regs);
}

/*
 * A new vCPU is in the reset state (f000:fff0, CS base 0xffff0000, so it
 * fetches from 0xfffffff0). Without memory there, RUN reports an internal
 * error: EPT violation (48) on an instruction fetch (qualification bit 2)
 * at RIP 0xfff0, and does so again on every RUN.
 */
static void test_run_without_setup(int dev)
{
	struct minivmm_sregs s;
	struct minivmm_regs regs;
	struct vm v;
	long ret;
	int i, ok;

	vm_open(&v, dev, 0, 0);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	row_ok("vcpu-reset-state", regs.rip == 0xfff0 && regs.rflags == 2 &&
	       s.cs.selector == 0xf000 && s.cs.base == 0xffff0000, 0, 0);
	for (i = 0; i < 2; i++) {
		errno = 0;
		ret = ioctl(v.vcpu, MINIVMM_RUN, 0);
		ok = ret == 0 && v.run->exit_reason == MINIVMM_EXIT_INTERNAL_ERROR &&
		     v.run->internal.exit_reason == 48 &&
		     (v.run->internal.qualification & 4) &&
		     v.run->internal.rip == 0xfff0;
		if (!ok)
			printf("MVTEST: INFO run without memory: exit %u internal %llu qual %#llx rip %#llx\n",
			       v.run->exit_reason,
			       (unsigned long long)v.run->internal.exit_reason,
			       (unsigned long long)v.run->internal.qualification,
			       (unsigned long long)v.run->internal.rip);
		row_ok(i ? "vcpu-run-no-memory-again" : "vcpu-run-no-memory", ok,
		       ret, errno);
	}
	vm_close(&v);

	/* Memory at the reset vector, registers never set: HLT at 0xfffffff0. */
	vm_open(&v, dev, 0xffff0000, 0x10000);
	v.mem[0xfff0] = 0xf4;
	errno = 0;
	ret = ioctl(v.vcpu, MINIVMM_RUN, 0);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	row_ok("vcpu-run-reset-state-hlt", ret == 0 &&
	       v.run->exit_reason == MINIVMM_EXIT_HLT && regs.rip == 0xfff1, ret, errno);
	v.run->immediate_exit = 1;
	EXPECT_ERR("vcpu-run-immediate-exit", EINTR, ioctl(v.vcpu, MINIVMM_RUN, 0));
	vm_close(&v);
}

/* The VM fd closed: its vCPUs keep it alive and keep working. */
static void test_vm_fd_closed(int dev)
{
	static const uint8_t hlt[] = { 0xf4 };
	struct minivmm_regs regs;
	struct vm v;
	long ret;

	vm_open_code(&v, dev, hlt, sizeof(hlt));
	close(v.vm);
	v.vm = -1;
	EXPECT_RET("vcpu-vm-fd-closed-get-regs", 0, ioctl(v.vcpu, MINIVMM_GET_REGS, &regs));
	errno = 0;
	ret = ioctl(v.vcpu, MINIVMM_RUN, 0);
	row_ok("vcpu-vm-fd-closed-run", ret == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	       ret, errno);
	vm_close(&v);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct runner {
	int vcpu;
	pthread_t thread;
	volatile int done;
	long ret;
	int err;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = ioctl(r->vcpu, MINIVMM_RUN, 0);
	r->err = errno;
	r->done = 1;
	return NULL;
}

/*
 * Two threads RUN one vCPU: the second waits for the first (vcpu->mutex)
 * and gets the vCPU when the first returns; a signal ends each run.
 */
static void test_concurrent_run(int dev)
{
	static const uint8_t spin[] = { 0xfb, 0xeb, 0xfe };	/* sti; jmp . */
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct runner a = { 0 }, b = { 0 };
	struct vm v;
	int waited;

	sigaction(SIGUSR1, &sa, NULL);
	vm_open_code(&v, dev, spin, sizeof(spin));
	a.vcpu = b.vcpu = v.vcpu;
	pthread_create(&a.thread, NULL, run_thread, &a);
	usleep(200000);
	pthread_create(&b.thread, NULL, run_thread, &b);
	usleep(300000);
	waited = !a.done && !b.done;
	pthread_kill(a.thread, SIGUSR1);
	pthread_join(a.thread, NULL);
	usleep(300000);
	row_ok("vcpu-run-concurrent-second-waits", waited && !b.done, b.done ? b.ret : 0,
	       b.err);
	pthread_kill(b.thread, SIGUSR1);
	pthread_join(b.thread, NULL);
	row_err("vcpu-run-concurrent-first-eintr", a.ret, a.err, EINTR);
	row_err("vcpu-run-concurrent-second-eintr", b.ret, b.err, EINTR);
	vm_close(&v);
}

/* Forked child: only the device fd is usable; VM and vCPU fds get EIO. */
static void test_fork(int dev)
{
	struct minivmm_regs regs;
	struct minivmm_cpuid none = { 0 };
	struct minivmm_vcpu_stats stats;
	struct vm v;
	int status;
	pid_t pid;

	vm_open(&v, dev, 0, 0x10000);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		EXPECT_ERR("vm-fd-in-child-set-memory-region", EIO,
			   set_region(v.vm, 1, 0, 0x100000, PAGE, v.mem));
		EXPECT_ERR("vm-fd-in-child-create-vcpu", EIO,
			   ioctl(v.vm, MINIVMM_CREATE_VCPU, 1));
		EXPECT_ERR("vcpu-fd-in-child-run", EIO, ioctl(v.vcpu, MINIVMM_RUN, 0));
		EXPECT_ERR("vcpu-fd-in-child-get-regs", EIO,
			   ioctl(v.vcpu, MINIVMM_GET_REGS, &regs));
		EXPECT_ERR("vcpu-fd-in-child-set-cpuid", EIO,
			   ioctl(v.vcpu, MINIVMM_SET_CPUID, &none));
		EXPECT_ERR("vcpu-fd-in-child-get-stats", EIO,
			   ioctl(v.vcpu, MINIVMM_GET_VCPU_STATS, &stats));
		EXPECT_ERR("vcpu-fd-in-child-interrupt", EIO,
			   ioctl(v.vcpu, MINIVMM_INTERRUPT, &stats));
		EXPECT_ERR("vcpu-fd-in-child-read-trace", EIO,
			   ioctl(v.vcpu, MINIVMM_READ_TRACE, &stats));
		EXPECT_ERR("vcpu-fd-in-child-set-guest-debug", EIO,
			   ioctl(v.vcpu, MINIVMM_SET_GUEST_DEBUG, &stats));
		EXPECT_ERR("vcpu-fd-in-child-mmap", EIO,
			   mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
				v.vcpu, 0) == MAP_FAILED ? -1 : 0);
		EXPECT_FD("dev-fd-in-child-create-vm", ioctl(dev, MINIVMM_CREATE_VM, 0));
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failures++;	/* the child printed its FAIL lines */
	vm_close(&v);
}

/*
 * The run page is userspace's to write: the kernel must read back only the
 * answers, sized and placed by its own record of the exit. A guest does
 * two 1-byte INs; before each completes, io.data_offset (then io.size) is
 * changed to nonsense, which must change nothing.
 */
static void test_run_page_tampered(int dev)
{
	static const uint8_t code[] = {
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xec,			/* in al, dx */
		0x88, 0xc3,		/* mov bl, al */
		0xec,			/* in al, dx */
		0xf4,			/* hlt */
	};
	struct minivmm_regs regs = { 0 };
	struct vm v;
	uint8_t *data;
	long ret;

	vm_open_code(&v, dev, code, sizeof(code));
	if (ioctl(v.vcpu, MINIVMM_RUN, 0) || v.run->exit_reason != MINIVMM_EXIT_IO) {
		check(0, "errno-setup", "no IN exit: %s", strerror(errno));
		vm_close(&v);
		return;
	}
	data = (uint8_t *)v.run + v.run->io.data_offset;
	data[0] = 0x5a;
	data[1] = 0x77;
	v.run->io.data_offset = 1ull << 40;
	ret = ioctl(v.vcpu, MINIVMM_RUN, 0);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	row_ok("vcpu-run-page-io-offset-tampered", ret == 0 &&
	       v.run->exit_reason == MINIVMM_EXIT_IO && (regs.rbx & 0xff) == 0x5a,
	       ret, errno);
	data[0] = 0xa5;
	data[1] = 0x66;
	v.run->io.size = 255;
	ret = ioctl(v.vcpu, MINIVMM_RUN, 0);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	row_ok("vcpu-run-page-io-size-tampered", ret == 0 &&
	       v.run->exit_reason == MINIVMM_EXIT_HLT && (regs.rax & 0xffff) == 0xa5,
	       ret, errno);
	vm_close(&v);
}

int main(void)
{
	int dev;

	setup_fixed_pages();
	dev = mv_open_dev("errno-setup");
	test_dev_fd(dev);
	test_vm_count(dev);
	test_vm_fd(dev);
	test_regions(dev);
	test_create_vcpu(dev);
	test_vcpu_fd(dev);
	test_run_without_setup(dev);
	test_vm_fd_closed(dev);
	test_concurrent_run(dev);
	test_fork(dev);
	test_run_page_tampered(dev);
	close(dev);
	return failures ? 1 : 0;
}
