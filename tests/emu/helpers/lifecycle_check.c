// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle_check: fds and processes going away at awkward moments
 * (the CVE-2019-6974 class: an object freed while still in use). Each
 * case must end with every fd closed, no kernel splat (the harness checks
 * the log) and the module unloadable (the suite checks).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/minivmm.h>
#include "mvtest.h"

#define MEM_SIZE	(1u << 20)

struct vm {
	int dev, vm, vcpu;
	struct minivmm_run *run;
	uint8_t *mem;
};

/* A VM whose vCPU spins at 1000:0000 (real mode) with IF as asked. */
static int vm_spinning(struct vm *v, int irqs_on)
{
	static const uint8_t sti_loop[] = { 0xfb, 0xeb, 0xfe };	/* sti; jmp . */
	static const uint8_t cli_loop[] = { 0xfa, 0xeb, 0xfe };	/* cli; jmp . */
	struct minivmm_memory_region r;
	struct minivmm_sregs s;
	struct minivmm_regs regs = { .rflags = 2 };

	v->dev = open("/dev/minivmm", O_RDWR | O_CLOEXEC);
	v->vm = ioctl(v->dev, MINIVMM_CREATE_VM, 0);
	v->vcpu = ioctl(v->vm, MINIVMM_CREATE_VCPU, 0);
	if (v->dev < 0 || v->vm < 0 || v->vcpu < 0)
		return -1;
	v->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	v->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->run == MAP_FAILED || v->mem == MAP_FAILED)
		return -1;
	memcpy(v->mem + 0x10000, irqs_on ? sti_loop : cli_loop, 3);
	r = (struct minivmm_memory_region){ .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)v->mem };
	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r) ||
	    ioctl(v->vcpu, MINIVMM_GET_SREGS, &s))
		return -1;
	s.cs.selector = 0x1000;
	s.cs.base = 0x10000;
	if (ioctl(v->vcpu, MINIVMM_SET_SREGS, &s))
		return -1;
	return ioctl(v->vcpu, MINIVMM_SET_REGS, &regs);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct runner {
	struct vm *v;
	pthread_t thread;
	int ret, err;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = ioctl(r->v->vcpu, MINIVMM_RUN, 0);
	r->err = errno;
	return NULL;
}

/* Close the VM fd (and the device) while a vCPU of it runs elsewhere. */
static void test_close_vm_while_vcpu_runs(void)
{
	struct runner r = { 0 };
	struct vm v;

	if (!check(vm_spinning(&v, 1) == 0, "lc-create", "%s", strerror(errno)))
		return;
	r.v = &v;
	pthread_create(&r.thread, NULL, run_thread, &r);
	usleep(300000);
	close(v.vm);
	close(v.dev);
	usleep(300000);
	pthread_kill(r.thread, SIGUSR1);
	pthread_join(r.thread, NULL);
	check(r.ret == -1 && r.err == EINTR, "lc-close-vm-fd-while-vcpu-runs",
	      "RUN returned %d errno %d", r.ret, r.err);
	munmap(v.run, 4096);
	close(v.vcpu);
	munmap(v.mem, MEM_SIZE);
}

/* A second thread's RUN on a running vCPU waits its turn; both return. */
static void test_concurrent_run(void)
{
	struct runner a = { 0 }, b = { 0 };
	struct vm v;

	if (vm_spinning(&v, 1))
		return;
	a.v = b.v = &v;
	pthread_create(&a.thread, NULL, run_thread, &a);
	usleep(200000);
	pthread_create(&b.thread, NULL, run_thread, &b);
	usleep(200000);
	pthread_kill(a.thread, SIGUSR1);
	pthread_join(a.thread, NULL);
	usleep(200000);
	pthread_kill(b.thread, SIGUSR1);
	pthread_join(b.thread, NULL);
	check(a.ret == -1 && a.err == EINTR && b.ret == -1 && b.err == EINTR,
	      "lc-concurrent-run-serialised", "first %d/%d second %d/%d",
	      a.ret, a.err, b.ret, b.err);
	munmap(v.run, 4096);
	close(v.vcpu);
	close(v.vm);
	close(v.dev);
	munmap(v.mem, MEM_SIZE);
}

struct churn {
	struct vm *v;
	volatile int stop;
	int runs, io, gone, bad;		/* exits seen, and bad ones */
	int bad_what;				/* last bad: exit reason, or -errno */
	uint8_t bad_byte;
};

/* One RUN of the churn guest, counted in @c. */
static void churn_run_once(struct churn *c)
{
	struct minivmm_run *run = c->v->run;
	const uint8_t *d;
	uint32_t i, n;

	c->runs++;
	if (ioctl(c->v->vcpu, MINIVMM_RUN, 0)) {
		/* EINTR: immediate_exit, set to stop this thread. */
		if (errno != EINTR) {
			c->bad_what = -errno;
			c->bad++;
		}
		return;
	}
	if (run->exit_reason == MINIVMM_EXIT_INTERNAL_ERROR) {
		c->gone++;		/* slot 1 absent at that moment */
		return;
	}
	if (run->exit_reason != MINIVMM_EXIT_IO || run->io.size != 1) {
		c->bad_what = run->exit_reason;
		c->bad++;
		return;
	}
	c->io++;
	d = (const uint8_t *)run + run->io.data_offset;
	n = run->io.count;
	/* Bytes from either backing, never from anything else. */
	for (i = 0; i < n; i++)
		if (d[i] != 0xaa && d[i] != 0xbb) {
			c->bad_byte = d[i];
			c->bad++;
			break;
		}
}

/* Run a guest that keeps reading slot 1 with REP OUTSB until told to stop. */
static void *churn_run_thread(void *arg)
{
	struct churn *c = arg;

	while (!c->stop)
		churn_run_once(c);
	return NULL;
}

/*
 * Slot churn during string I/O (needs 2 CPUs to bite): one thread runs a
 * guest whose REP OUTSB the kernel copies out of slot 1, the other
 * deletes slot 1 and maps it again from another buffer, 300 times. The
 * kernel must never copy from a slot being withdrawn (its pages are
 * unpinned right after): every byte that reaches the run page comes
 * from one of the two buffers.
 */
static void test_slot_churn_during_string_io(void)
{
	static const uint8_t code[] = {
		0xb8, 0x00, 0x80,		/* mov ax, 0x8000 */
		0x8e, 0xd8,			/* mov ds, ax */
		0x31, 0xf6,			/* 1: xor si, si */
		0xb9, 0x00, 0x01,		/* mov cx, 0x100 */
		0xba, 0x80, 0x00,		/* mov dx, 0x80 */
		0xf3, 0x6e,			/* rep outsb */
		0xeb, 0xf4,			/* jmp 1b */
	};
	struct minivmm_memory_region low = { .slot = 0, .memory_size = 0x80000 },
		r1 = { .slot = 1, .guest_phys_addr = 0x80000, .memory_size = 0x10000 };
	struct churn c = { 0 };
	uint8_t *buf[2];
	pthread_t t;
	struct vm v;
	int i, io_before, err = 0;

	if (vm_spinning(&v, 0))
		return;
	memcpy(v.mem + 0x10000, code, sizeof(code));
	buf[0] = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	buf[1] = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(buf[0], 0xaa, 0x10000);
	memset(buf[1], 0xbb, 0x10000);
	low.userspace_addr = (uintptr_t)v.mem;
	r1.userspace_addr = (uintptr_t)buf[0];
	if (ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &low) ||
	    ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r1)) {
		check(0, "lc-slot-churn-setup", "%s", strerror(errno));
		return;
	}
	c.v = &v;
	pthread_create(&t, NULL, churn_run_thread, &c);
	for (i = 0; i < 300 && !err; i++) {
		r1.memory_size = 0;			/* delete */
		err = ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r1);
		r1.memory_size = 0x10000;
		r1.userspace_addr = (uintptr_t)buf[(i + 1) & 1];
		err = err ?: ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r1);
	}
	c.stop = 1;
	v.run->immediate_exit = 1;
	pthread_join(t, NULL);
	/*
	 * With one CPU, whether a RUN ever meets slot 1 present during the
	 * churn is up to the scheduler. Once it is over the slot is there:
	 * the guest's string I/O must work again, from the last buffer.
	 */
	c.stop = 0;
	v.run->immediate_exit = 0;
	io_before = c.io;
	churn_run_once(&c);
	check(c.io == io_before + 1, "lc-slot-churn-io-after",
	      "the RUN after the churn: exit/-errno %d", c.bad_what);
	printf("MVTEST: INFO slot churn: %d slot changes, %d runs: %d I/O exits, %d with slot 1 gone, %d bad (last: exit/-errno %d, byte %#x)\n",
	       i, c.runs, c.io, c.gone, c.bad, c.bad_what, c.bad_byte);
	check(!err && i == 300 && c.io > 0 && c.bad == 0,
	      "lc-slot-churn-during-string-io", "err %d at change %d, %d bad exits, %d I/O exits",
	      err ? errno : 0, i, c.bad, c.io);
	munmap(v.run, 4096);
	close(v.vcpu);
	close(v.vm);
	close(v.dev);
	munmap(v.mem, MEM_SIZE);
	munmap(buf[0], 0x10000);
	munmap(buf[1], 0x10000);
}

/*
 * EPT table memory is bounded: a 64 KiB slot added and removed at 64
 * places straddling 2 MiB boundaries (a new page table each side) and
 * 1 GiB boundaries (new page directories and a PDPT) leaves the VM's
 * table-page count where it started, and never needs more than the few
 * tables one such slot spans (GET_VCPU_STATS ept_table_pages).
 */
static uint64_t ept_tables(struct vm *v)
{
	struct minivmm_vcpu_stats st;

	if (ioctl(v->vcpu, MINIVMM_GET_VCPU_STATS, &st))
		return ~0ull;
	return st.ept_table_pages;
}

static void test_ept_tables_bounded(void)
{
	struct minivmm_memory_region r = { .slot = 1, .memory_size = 0x10000 };
	uint64_t base, now, most = 0;
	uint8_t *buf;
	struct vm v;
	int i, err = 0;

	if (vm_spinning(&v, 0))
		return;
	buf = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r.userspace_addr = (uintptr_t)buf;
	base = ept_tables(&v);
	for (i = 0; i < 64 && !err; i++) {
		r.guest_phys_addr = (i % 8 == 7 ? (uint64_t)(i / 8 + 1) << 30 :
				     (uint64_t)(i + 2) << 21) - 0x8000;
		r.memory_size = 0x10000;
		err = ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r);
		now = ept_tables(&v);
		if (now > most)
			most = now;
		r.memory_size = 0;
		err = err ?: ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r);
	}
	now = ept_tables(&v);
	printf("MVTEST: INFO EPT tables: %llu before, at most %llu with the slot, %llu after 64 moves\n",
	       (unsigned long long)base, (unsigned long long)most,
	       (unsigned long long)now);
	check(!err && base >= 4 && base != ~0ull, "lc-ept-tables-counted",
	      "err %d, %llu tables for a VM with memory (root, PDPT, PD, PT at least)",
	      err ? errno : 0, (unsigned long long)base);
	check(now == base, "lc-ept-tables-freed", "%llu before, %llu after",
	      (unsigned long long)base, (unsigned long long)now);
	check(most > base && most <= base + 5, "lc-ept-tables-bounded",
	      "%llu at most, %llu before", (unsigned long long)most,
	      (unsigned long long)base);
	munmap(v.run, 4096);
	close(v.vcpu);
	close(v.vm);
	close(v.dev);
	munmap(v.mem, MEM_SIZE);
	munmap(buf, 0x10000);
}

/* SIGKILL a VMM whose guest spins with IF=0: it dies, everything is freed. */
static void test_kill_during_run(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct vm v;

		if (vm_spinning(&v, 0))
			_exit(2);
		ioctl(v.vcpu, MINIVMM_RUN, 0);
		_exit(3);
	}
	sleep(1);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "lc-kill-9-during-run", "child status %#x", status);
}

static int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/minivmm/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Release resource @what of @v: 0 dev fd, 1 VM fd, 2 vCPU fd, 3 run page, 4 memory. */
static void vm_release_one(struct vm *v, int what)
{
	switch (what) {
	case 0: close(v->dev); break;
	case 1: close(v->vm); break;
	case 2: close(v->vcpu); break;
	case 3: munmap(v->run, 4096); break;
	case 4: munmap(v->mem, MEM_SIZE); break;
	}
}

/* The @k-th (0..119) ordering of 0..4: @k written in the factorial base. */
static void nth_order(int k, int order[5])
{
	int left[5] = { 0, 1, 2, 3, 4 }, fact = 24, i, j;

	for (i = 0; i < 5; i++) {
		int pick = k / fact;

		k %= fact;
		if (i < 4)
			fact /= 4 - i;
		order[i] = left[pick];
		for (j = pick; j < 4 - i; j++)
			left[j] = left[j + 1];
	}
}

/*
 * Every order of letting go: the device fd, the VM fd, the vCPU fd, the
 * run page and the guest memory (120 orders), each after a guest ran.
 * Afterwards the module holds no more references than before.
 */
static void test_every_release_order(void)
{
	int before = module_refcnt(), after, bad = -1, k, j, order[5];
	struct vm v;

	for (k = 0; k < 120 && bad < 0; k++) {
		nth_order(k, order);
		if (vm_spinning(&v, 0)) {
			bad = k;
			break;
		}
		v.mem[0x10000] = 0xf4;		/* hlt instead of the spin */
		if (ioctl(v.vcpu, MINIVMM_RUN, 0) ||
		    v.run->exit_reason != MINIVMM_EXIT_HLT)
			bad = k;
		for (j = 0; j < 5; j++)
			vm_release_one(&v, order[j]);
	}
	after = module_refcnt();
	check(bad < 0, "lc-every-release-order", "order %d failed: %s", bad,
	      strerror(errno));
	printf("MVTEST: INFO module refcount %d before 120 release orders, %d after\n",
	       before, after);
	check(before >= 0 && after == before, "lc-release-orders-refcount",
	      "refcount %d before, %d after", before, after);
}

/* rmmod is refused while an fd is open and works once all are closed. */
static void test_rmmod_with_open_fds(void)
{
	int dev = open("/dev/minivmm", O_RDWR | O_CLOEXEC);
	int vm = ioctl(dev, MINIVMM_CREATE_VM, 0);

	close(dev);		/* only the VM fd keeps the module now */
	check(vm >= 0 && system("rmmod minivmm 2>/dev/null") != 0,
	      "lc-rmmod-refused-with-vm-fd-open", "rmmod succeeded (vm fd %d)", vm);
	close(vm);
	check(system("rmmod minivmm") == 0, "lc-rmmod-after-fds-closed",
	      "rmmod failed");
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	test_close_vm_while_vcpu_runs();
	test_concurrent_run();
	test_kill_during_run();
	test_slot_churn_during_string_io();
	test_ept_tables_bounded();
	test_every_release_order();
	test_rmmod_with_open_fds();
	return failures ? 1 : 0;
}
