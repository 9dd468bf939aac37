// SPDX-License-Identifier: GPL-2.0
/*
 * vm_check: runs tiny real-mode guests through the VM/vCPU ABI and
 * asserts every exit, printing "MVTEST: PASS|FAIL <name>" lines (the
 * KVM-selftests way: guest code and checks side by side).
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <asm/ldt.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/minivmm.h>
#include "mvtest.h"

#define MEM_SIZE	(1u << 20)
#define CODE_GPA	0x10000u

struct vm {
	int dev, vm, vcpu;
	struct minivmm_run *run;
	uint8_t *mem;
};

static void seg(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = (uint64_t)sel << 4;
	s->limit = 0xffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
}

/* A VM with 1 MiB at guest-physical 0 and @code at 1000:0000, real mode. */
static int vm_create(struct vm *v, const uint8_t *code, size_t len)
{
	struct minivmm_memory_region r;
	struct minivmm_sregs s;
	struct minivmm_regs regs;

	v->dev = open("/dev/minivmm", O_RDWR | O_CLOEXEC);
	v->vm = ioctl(v->dev, MINIVMM_CREATE_VM, 0);
	if (v->vm < 0)
		return -1;
	v->vcpu = ioctl(v->vm, MINIVMM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return -1;
	v->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	v->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->run == MAP_FAILED || v->mem == MAP_FAILED)
		return -1;
	memcpy(v->mem + CODE_GPA, code, len);
	r = (struct minivmm_memory_region){ .slot = 0, .guest_phys_addr = 0,
		.memory_size = MEM_SIZE, .userspace_addr = (uintptr_t)v->mem };
	if (ioctl(v->vm, MINIVMM_SET_MEMORY_REGION, &r))
		return -1;
	if (ioctl(v->vcpu, MINIVMM_GET_SREGS, &s))
		return -1;
	seg(&s.cs, CODE_GPA >> 4, 11);
	seg(&s.ds, 0, 3);
	seg(&s.es, 0, 3);
	seg(&s.ss, 0, 3);
	if (ioctl(v->vcpu, MINIVMM_SET_SREGS, &s))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 2;
	regs.rsp = 0xfff0;
	return ioctl(v->vcpu, MINIVMM_SET_REGS, &regs);
}

static void vm_destroy(struct vm *v)
{
	munmap(v->run, 4096);
	munmap(v->mem, MEM_SIZE);
	close(v->vcpu);
	close(v->vm);
	close(v->dev);
}

static int vm_run(struct vm *v)
{
	return ioctl(v->vcpu, MINIVMM_RUN, 0);
}

static const char *exit_name(uint32_t r)
{
	static const char *const n[] = { "UNKNOWN", "IO", "MMIO", "HLT",
		"HYPERCALL", "SHUTDOWN", "FAIL_ENTRY", "INTERNAL_ERROR", "INTR" };

	return r < sizeof(n) / sizeof(n[0]) ? n[r] : "?";
}

/* OUT, IN, CPUID in the kernel, VMCALL, HLT: each exit as expected. */
static void test_basic_exits(void)
{
	static const uint8_t code[] = {
		0xba, 0xf8, 0x03,		/* mov dx, 0x3f8 */
		0xb0, 'H',			/* mov al, 'H' */
		0xee,				/* out dx, al */
		0xec,				/* in al, dx */
		0x89, 0xc5,			/* mov bp, ax (CPUID clobbers bx) */
		0x66, 0xb8, 1, 0, 0, 0,		/* mov eax, 1 */
		0x0f, 0xa2,			/* cpuid */
		0x66, 0x89, 0xcf,		/* mov edi, ecx */
		0x66, 0xb8, 0x2a, 0, 0, 0,	/* mov eax, 42 */
		0x0f, 0x01, 0xc1,		/* vmcall */
		0x66, 0x89, 0xc6,		/* mov esi, eax */
		0xf4,				/* hlt */
	};
	struct minivmm_regs regs;
	struct vm v;
	uint8_t *data;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create",
		   "%s", strerror(errno)))
		return;
	data = (uint8_t *)v.run + v.run->io.data_offset;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.direction == MINIVMM_EXIT_IO_OUT && v.run->io.port == 0x3f8 &&
	      v.run->io.size == 1 && v.run->io.count == 1 &&
	      ((uint8_t *)v.run + v.run->io.data_offset)[0] == 'H',
	      "vm-exit-io-out", "exit %s port %#x size %u", exit_name(v.run->exit_reason),
	      v.run->io.port, v.run->io.size);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.direction == MINIVMM_EXIT_IO_IN && v.run->io.port == 0x3f8,
	      "vm-exit-io-in", "exit %s", exit_name(v.run->exit_reason));
	data = (uint8_t *)v.run + v.run->io.data_offset;
	data[0] = 0x5a;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HYPERCALL &&
	      v.run->hypercall.nr == 42, "vm-exit-hypercall",
	      "exit %s nr %llu", exit_name(v.run->exit_reason),
	      (unsigned long long)v.run->hypercall.nr);
	v.run->hypercall.ret = 0x77;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-exit-hlt", "exit %s", exit_name(v.run->exit_reason));
	memset(&regs, 0, sizeof(regs));
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check((regs.rbp & 0xff) == 0x5a, "vm-io-in-data-reaches-guest",
	      "bp=%#llx", (unsigned long long)regs.rbp);
	check((regs.rdi & (1u << 31)) && !(regs.rdi & (1u << 5)),
	      "vm-cpuid-hypervisor-bit-no-vmx", "cpuid.1:ecx=%#llx",
	      (unsigned long long)regs.rdi);
	check((regs.rsi & 0xffff) == 0x77, "vm-hypercall-return-value",
	      "esi=%#llx", (unsigned long long)regs.rsi);
	check(regs.rip == sizeof(code), "vm-rip-after-hlt", "rip=%#llx",
	      (unsigned long long)regs.rip);
	vm_destroy(&v);
}

/* lidt limit 0 + int3: #GP, #DF, triple fault (SDM 6.15, "Interrupt 8"). */
static void test_triple_fault(void)
{
	static const uint8_t code[] = {
		0x0f, 0x01, 0x1e, 0x08, 0x00,	/* lidt [0x0008] (ds=0: zero IDTR) */
		0xcc,				/* int3 */
		0xf4,
	};
	struct vm v;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-triple", "%s",
		   strerror(errno)))
		return;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_SHUTDOWN,
	      "vm-exit-shutdown-on-triple-fault", "exit %s", exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

/* A CS that is not present: VM entry fails, reason 33 (SDM 27.3.1.2). */
static void test_entry_failure(void)
{
	static const uint8_t code[] = { 0xf4 };
	struct minivmm_sregs s;
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-badstate", "%s",
		   strerror(errno)))
		return;
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	s.cs.present = 0;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_FAIL_ENTRY &&
	      v.run->fail_entry.hardware_exit_reason == 33,
	      "vm-exit-fail-entry-invalid-state", "exit %s hw %llu",
	      exit_name(v.run->exit_reason),
	      (unsigned long long)v.run->fail_entry.hardware_exit_reason);
	/*
	 * The failed entry did not launch the VMCS: with the state repaired
	 * the guest runs (found by tests/fuzz: VMRESUME failed with
	 * VM-instruction error 5 from then on).
	 */
	s.cs.present = 1;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	ret = vm_run(&v);	/* before check(): its arguments see the result */
	check(ret == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-runs-after-fail-entry-repaired", "exit %s hw %llu qual %llu",
	      exit_name(v.run->exit_reason),
	      (unsigned long long)v.run->fail_entry.hardware_exit_reason,
	      (unsigned long long)v.run->fail_entry.qualification);
	vm_destroy(&v);
}

/* Flat 32-bit protected-mode segment: base 0, 4 GiB. */
static void seg32(struct minivmm_segment *s, uint16_t sel, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
	s->db = 1;
	s->g = 1;
}

/*
 * SET_SREGS drops an event an exit left pending: a #GP(0) (WRMSR of an
 * unknown MSR) whose delivery hits an IDT outside memory is pending
 * re-delivery when that exit reaches userspace (internal error, EPT
 * violation). Userspace then puts the vCPU in real mode, where an event
 * with an error code cannot be injected (SDM 27.2.1.3): without the drop,
 * every RUN failed with VM-instruction error 7 (found by tests/fuzz).
 */
static void test_sregs_drop_pending_event(void)
{
	static const uint8_t code[] = {
		0xb9, 0x45, 0x23, 0x01, 0x00,	/* mov ecx, 0x12345 */
		0x0f, 0x30,			/* wrmsr: #GP(0) */
		0xf4,				/* hlt (real mode, IP 7) */
	};
	struct minivmm_sregs s;
	struct minivmm_regs regs = { .rip = CODE_GPA, .rflags = 2 };
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-pending-event",
		   "%s", strerror(errno)))
		return;
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	seg32(&s.cs, 8, 11);
	seg32(&s.ds, 16, 3);
	seg32(&s.es, 16, 3);
	seg32(&s.ss, 16, 3);
	s.cr0 |= 1;				/* PE */
	s.idt.base = 0x10000000;		/* not guest memory */
	s.idt.limit = 0x7ff;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	ioctl(v.vcpu, MINIVMM_SET_REGS, &regs);
	ret = vm_run(&v);
	check(ret == 0 && v.run->exit_reason == MINIVMM_EXIT_INTERNAL_ERROR &&
	      v.run->internal.exit_reason == 48, "vm-event-delivery-hits-mmio-idt",
	      "exit %s reason %llu", exit_name(v.run->exit_reason),
	      (unsigned long long)v.run->internal.exit_reason);
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	seg(&s.cs, CODE_GPA >> 4, 11);
	seg(&s.ds, 0, 3);
	seg(&s.es, 0, 3);
	seg(&s.ss, 0, 3);
	s.cr0 &= ~1ull;
	s.idt.base = 0;
	s.idt.limit = 0xffff;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	regs.rip = 7;
	regs.rsp = 0xfff0;
	ioctl(v.vcpu, MINIVMM_SET_REGS, &regs);
	ret = vm_run(&v);
	check(ret == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-set-sregs-drops-pending-event", "exit %s hw %llu qual %llu",
	      exit_name(v.run->exit_reason),
	      (unsigned long long)v.run->fail_entry.hardware_exit_reason,
	      (unsigned long long)v.run->fail_entry.qualification);
	vm_destroy(&v);
}

/* One MMIO exit: check what the guest did, answer a read with @reply. */
static int mmio_step(struct vm *v, uint64_t addr, unsigned int len,
		     int is_write, uint64_t data)
{
	uint64_t got = 0;

	if (vm_run(v) || v->run->exit_reason != MINIVMM_EXIT_MMIO ||
	    v->run->mmio.phys_addr != addr || v->run->mmio.len != len ||
	    v->run->mmio.is_write != is_write) {
		printf("MVTEST: INFO mmio: exit %s addr %#llx len %u write %u\n",
		       exit_name(v->run->exit_reason),
		       (unsigned long long)v->run->mmio.phys_addr,
		       v->run->mmio.len, v->run->mmio.is_write);
		return 0;
	}
	if (is_write) {
		memcpy(&got, v->run->mmio.data, len);
		return got == data;
	}
	memcpy(v->run->mmio.data, &data, sizeof(data));
	return 1;
}

/*
 * Guest-physical addresses no slot maps (DS base 256 MiB) reach userspace
 * as MMIO, decoded: MOV in both directions, an immediate, a high-byte
 * register, MOVZX and MOVSX; reads land in the right registers.
 */
static void test_mmio(void)
{
	static const uint8_t code[] = {
		0xa0, 0x00, 0x00,			/* mov al, [0] */
		0xc7, 0x06, 0x02, 0x00, 0x34, 0x12,	/* mov word [2], 0x1234 */
		0x66, 0x8b, 0x1e, 0x08, 0x00,		/* mov ebx, [8] */
		0xb4, 0x5a,				/* mov ah, 0x5a */
		0x88, 0x26, 0x10, 0x00,			/* mov [0x10], ah */
		0x0f, 0xb6, 0x0e, 0x20, 0x00,		/* movzx cx, byte [0x20] */
		0x0f, 0xbe, 0x16, 0x21, 0x00,		/* movsx dx, byte [0x21] */
		0xf4,
	};
	const uint64_t base = 0x10000000;
	struct minivmm_sregs s;
	struct minivmm_regs regs;
	struct vm v;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-mmio", "%s",
		   strerror(errno)))
		return;
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	s.ds.base = base;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	check(mmio_step(&v, base, 1, 0, 0x99), "vm-mmio-read-moffs8", "see the INFO line above");
	check(mmio_step(&v, base + 2, 2, 1, 0x1234), "vm-mmio-write-imm16", "see the INFO line above");
	check(mmio_step(&v, base + 8, 4, 0, 0xdeadbeef), "vm-mmio-read-r32", "see the INFO line above");
	check(mmio_step(&v, base + 0x10, 1, 1, 0x5a), "vm-mmio-write-ah", "see the INFO line above");
	check(mmio_step(&v, base + 0x20, 1, 0, 0xf0), "vm-mmio-read-movzx", "see the INFO line above");
	check(mmio_step(&v, base + 0x21, 1, 0, 0x80), "vm-mmio-read-movsx", "see the INFO line above");
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-mmio-guest-continues", "exit %s", exit_name(v.run->exit_reason));
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check((regs.rax & 0xffff) == 0x5a99 && (regs.rbx & 0xffffffff) == 0xdeadbeef &&
	      (regs.rcx & 0xffff) == 0x00f0 && (regs.rdx & 0xffff) == 0xff80,
	      "vm-mmio-reads-reach-registers", "ax %#llx ebx %#llx cx %#llx dx %#llx",
	      (unsigned long long)regs.rax, (unsigned long long)regs.rbx,
	      (unsigned long long)regs.rcx, (unsigned long long)regs.rdx);
	vm_destroy(&v);
}

/*
 * RDMSR of a known MSR, then of an unknown one: #GP(0) reaches the
 * guest's own handler (real-mode IVT entry 13), which sets TF: the
 * single-step #DB is intercepted (always, see vmx_exit.c) and reinjected
 * into the guest's IVT entry 1. Each handler reports on port 0x80.
 */
static void test_msr_and_exceptions(void)
{
	static const uint8_t main_code[] = {
		0xc7, 0x06, 0x34, 0x00, 0x40, 0x00,	/* IVT[13].ip = 0x40 */
		0xc7, 0x06, 0x36, 0x00, 0x00, 0x10,	/* IVT[13].cs = 0x1000 */
		0xc7, 0x06, 0x04, 0x00, 0x60, 0x00,	/* IVT[1].ip = 0x60 */
		0xc7, 0x06, 0x06, 0x00, 0x00, 0x10,	/* IVT[1].cs = 0x1000 */
		0x66, 0xb9, 0xa0, 0x01, 0x00, 0x00,	/* mov ecx, MISC_ENABLE */
		0x0f, 0x32,				/* rdmsr */
		0xe6, 0x80,				/* out 0x80, al */
		0x66, 0xb9, 0x78, 0x56, 0x34, 0x12,	/* mov ecx, 0x12345678 */
		0x0f, 0x32,				/* rdmsr: #GP */
		0xf4,
	};
	static const uint8_t gp_handler[] = {		/* at 0x40 */
		0xb0, 0x0d, 0xe6, 0x80,			/* out 0x80, 13 */
		0x9c, 0x5b,				/* pushf; pop bx */
		0x81, 0xcb, 0x00, 0x01,			/* or bx, TF */
		0x53, 0x9d,				/* push bx; popf */
		0x90,					/* nop: #DB after it */
		0xf4,
	};
	static const uint8_t db_handler[] = {		/* at 0x60 */
		0xb0, 0x01, 0xe6, 0x80,			/* out 0x80, 1 */
		0xf4,
	};
	uint8_t code[0x80];
	struct vm v;
	int i;
	const uint8_t want[] = { 1, 13, 1 };

	memset(code, 0xf4, sizeof(code));
	memcpy(code, main_code, sizeof(main_code));
	memcpy(code + 0x40, gp_handler, sizeof(gp_handler));
	memcpy(code + 0x60, db_handler, sizeof(db_handler));
	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-exc", "%s",
		   strerror(errno)))
		return;
	for (i = 0; i < 3; i++) {
		int ok = vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
			 v.run->io.port == 0x80 &&
			 ((uint8_t *)v.run + v.run->io.data_offset)[0] == want[i];
		static const char *const names[] = { "vm-rdmsr-misc-enable",
			"vm-rdmsr-unknown-injects-gp", "vm-db-intercepted-and-reinjected" };

		if (!check(ok, names[i], "exit %s port %#x data %u",
			   exit_name(v.run->exit_reason), v.run->io.port,
			   ((uint8_t *)v.run + v.run->io.data_offset)[0]))
			break;
	}
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-exc-guest-halts", "exit %s", exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

/*
 * CR0.NE is forced by VMX: a guest clearing it traps, and then reads its
 * own value back (read shadow). Setting CR4.VMXE raises #GP (no nested
 * VMX). CR8 set through SET_SREGS reads back through GET_SREGS.
 */
static void test_control_registers(void)
{
	static const uint8_t main_code[] = {
		0xc7, 0x06, 0x34, 0x00, 0x40, 0x00,	/* IVT[13].ip = 0x40 */
		0xc7, 0x06, 0x36, 0x00, 0x00, 0x10,	/* IVT[13].cs = 0x1000 */
		0x0f, 0x20, 0xc0,			/* mov eax, cr0 */
		0x66, 0x83, 0xe0, 0xdf,			/* and eax, ~0x20 (NE) */
		0x0f, 0x22, 0xc0,			/* mov cr0, eax */
		0x0f, 0x20, 0xc0,			/* mov eax, cr0 */
		0xe6, 0x80,				/* out 0x80, al */
		0x0f, 0x20, 0xe0,			/* mov eax, cr4 */
		0x66, 0x0d, 0x00, 0x20, 0x00, 0x00,	/* or eax, 0x2000 (VMXE) */
		0x0f, 0x22, 0xe0,			/* mov cr4, eax: #GP */
		0xf4,
	};
	static const uint8_t gp_handler[] = {		/* at 0x40 */
		0xb0, 0x0d, 0xe6, 0x80, 0xf4,		/* out 0x80, 13; hlt */
	};
	struct minivmm_sregs s;
	uint8_t code[0x60];
	struct vm v;

	memset(code, 0xf4, sizeof(code));
	memcpy(code, main_code, sizeof(main_code));
	memcpy(code + 0x40, gp_handler, sizeof(gp_handler));
	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-cr", "%s",
		   strerror(errno)))
		return;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      ((uint8_t *)v.run + v.run->io.data_offset)[0] == 0x10,
	      "vm-cr0-forced-bit-shadowed", "exit %s cr0 low byte %#x",
	      exit_name(v.run->exit_reason),
	      ((uint8_t *)v.run + v.run->io.data_offset)[0]);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      ((uint8_t *)v.run + v.run->io.data_offset)[0] == 13,
	      "vm-cr4-vmxe-raises-gp", "exit %s data %u", exit_name(v.run->exit_reason),
	      ((uint8_t *)v.run + v.run->io.data_offset)[0]);
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	check(!(s.cr0 & 0x20) && !(s.cr4 & 0x2000), "vm-sregs-show-guest-cr-view",
	      "cr0 %#llx cr4 %#llx", (unsigned long long)s.cr0,
	      (unsigned long long)s.cr4);
	s.cr8 = 5;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	memset(&s, 0, sizeof(s));
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	check(s.cr8 == 5, "vm-cr8-round-trip", "cr8 %llu", (unsigned long long)s.cr8);
	vm_destroy(&v);
}

/*
 * SET_CPUID replaces what the guest sees: a listed leaf answers from the
 * table, an unlisted one reads as zeros; errors for too many entries and
 * unknown flags; nent 0 restores the default (hypervisor bit set).
 */
static void test_set_cpuid(void)
{
	static const uint8_t code[] = {
		0x66, 0xb8, 0x00, 0x00, 0x00, 0x40,	/* mov eax, 0x40000000 */
		0x0f, 0xa2,				/* cpuid */
		0x66, 0x89, 0xdf,			/* mov edi, ebx */
		0x66, 0xb8, 0x07, 0x00, 0x00, 0x00,	/* mov eax, 7 (not listed) */
		0x0f, 0xa2,				/* cpuid */
		0x66, 0x89, 0xc6,			/* mov esi, eax */
		0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov eax, 1 */
		0x0f, 0xa2,				/* cpuid */
		0xf4,
	};
	struct {
		struct minivmm_cpuid hdr;
		struct minivmm_cpuid_entry e[2];
	} t = { .hdr.nent = 2 };
	struct minivmm_cpuid big = { .nent = MINIVMM_MAX_CPUID_ENTRIES + 1 };
	struct minivmm_cpuid none = { .nent = 0 };
	struct minivmm_regs regs;
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-cpuid", "%s",
		   strerror(errno)))
		return;
	t.e[0] = (struct minivmm_cpuid_entry){ .function = 0x40000000,
		.eax = 0x40000000, .ebx = 0x696e696d /* "mini" */ };
	t.e[1] = (struct minivmm_cpuid_entry){ .function = 1, .ecx = 0x1234 };
	errno = 0;
	ret = ioctl(v.vcpu, MINIVMM_SET_CPUID, &big);
	check(ret == -1 && errno == E2BIG, "vm-set-cpuid-too-many-e2big",
	      "ret %d errno %d", ret, errno);
	t.e[1].flags = 0x80;
	errno = 0;
	ret = ioctl(v.vcpu, MINIVMM_SET_CPUID, &t);
	check(ret == -1 && errno == EINVAL, "vm-set-cpuid-bad-flags-einval",
	      "ret %d errno %d", ret, errno);
	t.e[1].flags = 0;
	check(ioctl(v.vcpu, MINIVMM_SET_CPUID, &t) == 0, "vm-set-cpuid", "%s",
	      strerror(errno));
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-cpuid-guest-halts", "exit %s", exit_name(v.run->exit_reason));
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check((uint32_t)regs.rdi == 0x696e696d && (uint32_t)regs.rsi == 0 &&
	      (uint32_t)regs.rcx == 0x1234, "vm-cpuid-table-answers",
	      "ebx(40000000) %#x eax(7) %#x ecx(1) %#x", (uint32_t)regs.rdi,
	      (uint32_t)regs.rsi, (uint32_t)regs.rcx);
	/* Back to the default, and run the CPUIDs again from the start. */
	check(ioctl(v.vcpu, MINIVMM_SET_CPUID, &none) == 0, "vm-set-cpuid-reset",
	      "%s", strerror(errno));
	regs.rip = 0;
	ioctl(v.vcpu, MINIVMM_SET_REGS, &regs);
	vm_run(&v);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check(regs.rcx & (1u << 31), "vm-cpuid-default-after-reset",
	      "ecx(1) %#llx", (unsigned long long)regs.rcx);
	vm_destroy(&v);
}

/*
 * Replacing slot 0 with other memory takes effect for the guest at once
 * (EPT updated, INVEPT run); overlapping and misaligned regions are
 * refused; a deleted slot leaves the guest nothing to fetch from.
 */
static void test_memory_slots(void)
{
	static const uint8_t code[] = {
		0xa0, 0x00, 0x05,	/* 1: mov al, [0x500] */
		0xe6, 0x80,		/* out 0x80, al */
		0xeb, 0xf9,		/* jmp 1b */
	};
	struct minivmm_memory_region r;
	uint8_t *mem2;
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-slots", "%s",
		   strerror(errno)))
		return;
	v.mem[0x500] = 0x11;
	check(vm_run(&v) == 0 && ((uint8_t *)v.run + v.run->io.data_offset)[0] == 0x11,
	      "vm-slot-original-memory", "read %#x",
	      ((uint8_t *)v.run + v.run->io.data_offset)[0]);
	mem2 = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(mem2 + CODE_GPA, code, sizeof(code));
	mem2[0x500] = 0x22;
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)mem2 };
	check(ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r) == 0, "vm-slot-replace",
	      "%s", strerror(errno));
	check(vm_run(&v) == 0 && ((uint8_t *)v.run + v.run->io.data_offset)[0] == 0x22,
	      "vm-slot-replaced-memory-seen", "read %#x",
	      ((uint8_t *)v.run + v.run->io.data_offset)[0]);
	r.slot = 1;
	r.guest_phys_addr = 0x80000;
	errno = 0;
	ret = ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r);
	check(ret == -1 && errno == EEXIST, "vm-slot-overlap-eexist",
	      "ret %d errno %d", ret, errno);
	r.guest_phys_addr = 0x200000 + 8;
	errno = 0;
	ret = ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r);
	check(ret == -1 && errno == EINVAL, "vm-slot-unaligned-einval",
	      "ret %d errno %d", ret, errno);
	r = (struct minivmm_memory_region){ .slot = 0, .memory_size = 0 };
	check(ioctl(v.vm, MINIVMM_SET_MEMORY_REGION, &r) == 0, "vm-slot-delete",
	      "%s", strerror(errno));
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_INTERNAL_ERROR,
	      "vm-slot-deleted-guest-cannot-run", "exit %s",
	      exit_name(v.run->exit_reason));
	munmap(mem2, MEM_SIZE);
	vm_destroy(&v);
}

/* REP OUTSB and REP INSB: items, data and registers, through the run page. */
static void test_string_io(void)
{
	static const uint8_t code[] = {
		0xbe, 0x00, 0x01,	/* mov si, 0x100 */
		0xb9, 0x05, 0x00,	/* mov cx, 5 */
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xf3, 0x6e,		/* rep outsb */
		0xbf, 0x00, 0x02,	/* mov di, 0x200 */
		0xb9, 0x03, 0x00,	/* mov cx, 3 */
		0xf3, 0x6c,		/* rep insb */
		0xf4,
	};
	struct minivmm_regs regs;
	struct vm v;
	uint8_t *data;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-strio", "%s",
		   strerror(errno)))
		return;
	memcpy(v.mem + 0x100, "HELLO", 5);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.direction == MINIVMM_EXIT_IO_OUT && v.run->io.count == 5 &&
	      v.run->io.size == 1 && !memcmp((uint8_t *)v.run + v.run->io.data_offset,
					     "HELLO", 5),
	      "vm-rep-outsb", "exit %s count %u", exit_name(v.run->exit_reason),
	      v.run->io.count);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.direction == MINIVMM_EXIT_IO_IN && v.run->io.count == 3,
	      "vm-rep-insb-exit", "exit %s count %u", exit_name(v.run->exit_reason),
	      v.run->io.count);
	data = (uint8_t *)v.run + v.run->io.data_offset;
	memcpy(data, "abc", 3);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-strio-guest-continues", "exit %s", exit_name(v.run->exit_reason));
	check(!memcmp(v.mem + 0x200, "abc", 3), "vm-rep-insb-data-in-guest-memory",
	      "memory holds %.3s", v.mem + 0x200);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check((regs.rsi & 0xffff) == 0x105 && (regs.rdi & 0xffff) == 0x203 &&
	      (regs.rcx & 0xffff) == 0, "vm-strio-registers-advanced",
	      "si %#llx di %#llx cx %#llx", (unsigned long long)regs.rsi,
	      (unsigned long long)regs.rdi, (unsigned long long)regs.rcx);
	vm_destroy(&v);
}

/*
 * The run page is userspace's to scribble on: an IN and a REP INSB
 * complete with the size and data offset of the exit itself, whatever
 * io.size and io.data_offset say by then (found by tests/fuzz: a size of
 * 200 overflowed a kernel stack variable, an offset read kernel memory).
 */
static void test_run_page_scribbled(void)
{
	static const uint8_t code[] = {
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xec,			/* in al, dx */
		0xbf, 0x00, 0x02,	/* mov di, 0x200 */
		0xb9, 0x02, 0x00,	/* mov cx, 2 */
		0xf3, 0x6c,		/* rep insb */
		0xf4,
	};
	struct minivmm_regs regs;
	struct vm v;
	uint8_t *data;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-scribble",
		   "%s", strerror(errno)))
		return;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.direction == MINIVMM_EXIT_IO_IN, "vm-scribble-in-exit",
	      "exit %s", exit_name(v.run->exit_reason));
	data = (uint8_t *)v.run + 512;
	data[0] = 0x5a;
	v.run->io.size = 200;
	v.run->io.data_offset = 0xffff888000000000ull;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.count == 2, "vm-scribble-insb-exit", "exit %s",
	      exit_name(v.run->exit_reason));
	memcpy(data, "ok", 2);
	v.run->io.data_offset = 1ull << 40;
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-scribble-guest-halts", "exit %s", exit_name(v.run->exit_reason));
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check((regs.rax & 0xff) == 0x5a && !memcmp(v.mem + 0x200, "ok", 2),
	      "vm-scribbled-run-page-ignored", "al %#llx memory %.2s",
	      (unsigned long long)regs.rax & 0xff, v.mem + 0x200);
	vm_destroy(&v);
}

/*
 * MINIVMM_PROBE_VMX between two register ioctls leaves the vCPU's VMCS
 * current: registers read back, the guest still runs (found by
 * tests/fuzz: GET_REGS read zeros after a probe, and RUN came back with
 * another thread's FS base, the host-state writes having gone nowhere).
 */
static void test_probe_keeps_vcpu_state(void)
{
	static const uint8_t code[] = { 0xf4 };
	struct minivmm_vmx_probe *probe = calloc(1, sizeof(*probe));
	struct minivmm_regs regs;
	struct vm v;
	int ret;

	if (!check(probe && vm_create(&v, code, sizeof(code)) == 0,
		   "vm-create-probe", "%s", strerror(errno)))
		return;
	check(ioctl(v.dev, MINIVMM_PROBE_VMX, probe) == 0, "vm-probe-with-vcpu",
	      "%s", strerror(errno));
	memset(&regs, 0, sizeof(regs));
	ioctl(v.vcpu, MINIVMM_GET_REGS, &regs);
	check(regs.rsp == 0xfff0 && regs.rflags == 2, "vm-probe-keeps-vcpu-registers",
	      "rsp %#llx rflags %#llx", (unsigned long long)regs.rsp,
	      (unsigned long long)regs.rflags);
	ioctl(v.dev, MINIVMM_PROBE_VMX, probe);
	ret = vm_run(&v);
	check(ret == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT,
	      "vm-probe-then-run", "exit %s", exit_name(v.run->exit_reason));
	free(probe);
	vm_destroy(&v);
}

/*
 * REP OUTSB of 65535 bytes from a buffer whose last 256 bytes are the end
 * of guest memory: one bounded exit with those 256, then an internal error
 * (nothing left to copy), never a read past guest memory.
 */
static void test_string_io_past_memory(void)
{
	static const uint8_t code[] = {
		0x31, 0xf6,		/* xor si, si */
		0xb9, 0xff, 0xff,	/* mov cx, 0xffff */
		0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
		0xf3, 0x6e,		/* rep outsb */
		0xf4,
	};
	struct minivmm_sregs s;
	struct vm v;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-strio-end",
		   "%s", strerror(errno)))
		return;
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	s.ds.base = MEM_SIZE - 0x100;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
	      v.run->io.count == 0x100, "vm-rep-outsb-stops-at-end-of-memory",
	      "exit %s count %u", exit_name(v.run->exit_reason), v.run->io.count);
	check(vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_INTERNAL_ERROR &&
	      v.run->internal.exit_reason == 30, "vm-rep-outsb-beyond-memory-reported",
	      "exit %s", exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* immediate_exit, then a spinning guest (IF=1) stopped by a signal. */
static void test_interrupted(void)
{
	static const uint8_t code[] = { 0xfb, 0xeb, 0xfe };	/* sti; jmp . */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-spin", "%s",
		   strerror(errno)))
		return;
	v.run->immediate_exit = 1;
	errno = 0;
	ret = vm_run(&v);
	check(ret == -1 && errno == EINTR && v.run->exit_reason == MINIVMM_EXIT_INTR,
	      "vm-immediate-exit", "ret %d errno %d exit %s", ret, errno,
	      exit_name(v.run->exit_reason));
	v.run->immediate_exit = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	ret = vm_run(&v);
	check(ret == -1 && errno == EINTR && v.run->exit_reason == MINIVMM_EXIT_INTR,
	      "vm-signal-stops-spinning-guest", "ret %d errno %d exit %s", ret,
	      errno, exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

/*
 * A guest spinning with interrupts off: under Bochs no host interrupt
 * gets it out (see tools/emu/README.md), the VMX-preemption timer must.
 */
static void test_interrupted_if0(void)
{
	static const uint8_t code[] = { 0xfa, 0xeb, 0xfe };	/* cli; jmp . */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vm v;
	int ret;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-spin-if0",
		   "%s", strerror(errno)))
		return;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	errno = 0;
	ret = vm_run(&v);
	check(ret == -1 && errno == EINTR && v.run->exit_reason == MINIVMM_EXIT_INTR,
	      "vm-signal-stops-spinning-guest-if0", "ret %d errno %d exit %s",
	      ret, errno, exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

/*
 * A #DB storm: TF set and an IRET handler, so every guest instruction
 * raises #DB. Each one exits (always intercepted) and is reinjected; the
 * host keeps control and a signal still stops the guest.
 */
static void test_db_storm(void)
{
	static const uint8_t main_code[] = {
		0xc7, 0x06, 0x04, 0x00, 0x40, 0x00,	/* IVT[1].ip = 0x40 */
		0xc7, 0x06, 0x06, 0x00, 0x00, 0x10,	/* IVT[1].cs = 0x1000 */
		0x9c, 0x5b,				/* pushf; pop bx */
		0x81, 0xcb, 0x00, 0x01,			/* or bx, TF */
		0x53, 0x9d,				/* push bx; popf */
		0x40,					/* 1: inc ax */
		0xeb, 0xfd,				/* jmp 1b */
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	uint8_t code[0x48];
	struct vm v;
	int ret;

	memset(code, 0xf4, sizeof(code));
	memcpy(code, main_code, sizeof(main_code));
	code[0x40] = 0xcf;				/* iret */
	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-db-storm",
		   "%s", strerror(errno)))
		return;
	sigaction(SIGALRM, &sa, NULL);
	alarm(2);
	errno = 0;
	ret = vm_run(&v);
	check(ret == -1 && errno == EINTR && v.run->exit_reason == MINIVMM_EXIT_INTR,
	      "vm-db-storm-contained", "ret %d errno %d exit %s", ret, errno,
	      exit_name(v.run->exit_reason));
	vm_destroy(&v);
}

static volatile uint64_t watched;

/* A hardware write watchpoint on `watched` for this thread, or -1. */
static int watch_open(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(a),
		.bp_type = HW_BREAKPOINT_W,
		.bp_addr = (uintptr_t)&watched,
		.bp_len = HW_BREAKPOINT_LEN_8,
		.sample_period = 1,
		.exclude_kernel = 1,
	};

	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static long long watch_count(int fd)
{
	long long n = -1;

	return read(fd, &n, sizeof(n)) == sizeof(n) ? n : -1;
}

/*
 * Debug registers: MOV DR exits and is emulated per vCPU (DR7's reserved
 * bit 12 reads 0, DR6 reads its reset value), and the host's own
 * breakpoints survive a guest that loads DR0-3 and DR7: VM exits clear
 * DR7, the module restores the host's.
 */
static void test_debug_registers(void)
{
	static const uint8_t code[] = {
		0x66, 0xb8, 0x34, 0x12, 0x00, 0x00,	/* mov eax, 0x1234 */
		0x0f, 0x23, 0xc0,			/* mov dr0, eax */
		0x66, 0xb8, 0x78, 0x56, 0x00, 0x00,	/* mov eax, 0x5678 */
		0x0f, 0x23, 0xd8,			/* mov dr3, eax */
		0x66, 0xb8, 0x01, 0x14, 0x00, 0x00,	/* mov eax, 0x1401 */
		0x0f, 0x23, 0xf8,			/* mov dr7, eax */
		0x0f, 0x21, 0xc3,			/* mov ebx, dr0 */
		0x0f, 0x21, 0xd9,			/* mov ecx, dr3 */
		0x0f, 0x21, 0xfa,			/* mov edx, dr7 */
		0x0f, 0x21, 0xf6,			/* mov esi, dr6 */
		0xf4,					/* hlt */
	};
	struct minivmm_regs r;
	long long before, after;
	struct vm v;
	int wfd, ret, i;

	wfd = watch_open();
	if (!check(wfd >= 0, "host-watchpoint-available", "perf_event_open: %s",
		   strerror(errno)))
		return;
	watched = 1;
	before = watch_count(wfd);
	check(before == 1, "host-watchpoint-baseline", "count %lld after one write",
	      before);
	if (vm_create(&v, code, sizeof(code))) {
		check(0, "vm-create-dr", "%s", strerror(errno));
		close(wfd);
		return;
	}
	ret = vm_run(&v);
	ioctl(v.vcpu, MINIVMM_GET_REGS, &r);
	check(ret == 0 && v.run->exit_reason == MINIVMM_EXIT_HLT &&
	      r.rbx == 0x1234 && r.rcx == 0x5678 && r.rdx == 0x401 &&
	      r.rsi == 0xffff0ff0, "vm-mov-dr-emulated",
	      "exit %s dr0 %#llx dr3 %#llx dr7 %#llx dr6 %#llx",
	      exit_name(v.run->exit_reason), (unsigned long long)r.rbx,
	      (unsigned long long)r.rcx, (unsigned long long)r.rdx,
	      (unsigned long long)r.rsi);
	for (i = 0; i < 3; i++)
		watched = i;
	after = watch_count(wfd);
	check(after == before + 3, "host-watchpoint-survives-guest-drs",
	      "count %lld, want %lld", after, before + 3);
	vm_destroy(&v);
	close(wfd);
}

/* A VM fd used by another process gets EIO. */
static void test_fork(void)
{
	static const uint8_t code[] = { 0xf4 };
	struct vm v;
	int status;
	pid_t pid;

	if (vm_create(&v, code, sizeof(code)))
		return;
	pid = fork();
	if (pid == 0)
		_exit(ioctl(v.vcpu, MINIVMM_RUN, 0) == -1 && errno == EIO ? 0 : 1);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "vm-fd-in-child-eio",
	      "child status %#x", status);
	vm_destroy(&v);
}

/*
 * Move the vCPU's thread between CPUs between runs: its VMCS must be
 * VMCLEARed on the old CPU and launched afresh on the new one, with the
 * guest state intact (a counter the guest keeps in AL).
 */
static void test_migration(void)
{
	static const uint8_t code[] = {
		0x31, 0xc0,		/* xor ax, ax */
		0xe6, 0x80,		/* 1: out 0x80, al */
		0xfe, 0xc0,		/* inc al */
		0xeb, 0xfa,		/* jmp 1b */
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	struct vm v;
	int i, ok = 1;

	if (ncpu < 2) {
		printf("MVTEST: INFO vm-migration needs 2 CPUs, have %ld\n", ncpu);
		return;
	}
	if (vm_create(&v, code, sizeof(code)))
		return;
	for (i = 0; i < 40 && ok; i++) {
		CPU_ZERO(&set);
		CPU_SET(i & 1, &set);
		sched_setaffinity(0, sizeof(set), &set);
		ok = vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO &&
		     ((uint8_t *)v.run + v.run->io.data_offset)[0] == i &&
		     sched_getcpu() == (i & 1);
	}
	check(ok, "vm-migration-between-cpus", "run %d: exit %s data %u cpu %d",
	      i - 1, exit_name(v.run->exit_reason),
	      ((uint8_t *)v.run + v.run->io.data_offset)[0], sched_getcpu());
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(1, &set);
	sched_setaffinity(0, sizeof(set), &set);
	vm_destroy(&v);
}

static long meminfo_kb(const char *key)
{
	char line[128];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			val = atol(line + strlen(key));
	if (f)
		fclose(f);
	return val;
}

/* Sum of active_objs over /proc/slabinfo (root only), -1 if unreadable. */
static long slab_active_objs(void)
{
	char line[512], name[64];
	long sum = 0, active;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && sscanf(line, "%63s %ld", name, &active) == 2)
			sum += active;
	fclose(f);
	return sum;
}

static long module_refcnt(void)
{
	long val = -1;
	FILE *f = fopen("/sys/module/minivmm/refcnt", "r");

	if (f) {
		if (fscanf(f, "%ld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

struct mem_sample {
	long memfree_kb, slab_kb, sunreclaim_kb, slab_objs, refcnt;
};

/*
 * A steady sample: freed files and VMAs reach their slabs after an RCU
 * grace period, so wait a moment, and drop the reclaimable caches (dentries,
 * inodes, page cache) whose size has nothing to do with us.
 */
static void mem_sample(struct mem_sample *m)
{
	FILE *f;

	sleep(1);
	f = fopen("/proc/sys/vm/drop_caches", "w");
	if (f) {
		fputs("3\n", f);
		fclose(f);
	}
	m->memfree_kb = meminfo_kb("MemFree:");
	m->slab_kb = meminfo_kb("Slab:");
	m->sunreclaim_kb = meminfo_kb("SUnreclaim:");
	m->slab_objs = slab_active_objs();
	m->refcnt = module_refcnt();
}

/*
 * One VM through create, memory, vCPU, run and destroy; fds closed in the
 * order @i picks. What a failed vm_create() did not open is -1 (or
 * MAP_FAILED): closing it is harmless.
 */
static int vm_cycle(int i)
{
	static const uint8_t code[] = { 0xf4 };
	struct vm v = { .dev = -1, .vm = -1, .vcpu = -1, .run = MAP_FAILED,
			.mem = MAP_FAILED };
	int ok;

	ok = vm_create(&v, code, sizeof(code)) == 0 && vm_run(&v) == 0 &&
	     v.run->exit_reason == MINIVMM_EXIT_HLT;
	munmap(v.run, 4096);
	munmap(v.mem, MEM_SIZE);
	if (i & 1) {		/* VM fd first, then the vCPU */
		close(v.vm);
		close(v.vcpu);
	} else {
		close(v.vcpu);
		close(v.vm);
	}
	close(v.dev);
	return ok;
}

#define LOOP_VMS	1000

/*
 * 1,000 VMs, each with memory, a vCPU, a run and fds closed in a different
 * order, leave memory, slabs and the module's refcount where they were.
 * One VM takes > 20 KiB of pages (VMCS, run page, EPT tables) and about
 * ten slab objects (VM ~1.5 KiB, vCPU, 512-byte FPU area, 2 KiB page
 * array, files, dentries, VMAs). Tolerances, over all 1,000 VMs:
 *   MemFree      2 MiB    (2 bytes per VM: a leaked page per VM is 4 MiB)
 *   SUnreclaim   256 KiB  (256 bytes per VM: below each of the module's
 *                          own per-VM allocations)
 *   slab objects 500      (half an object per VM: one leaked object of any
 *                          size per VM, e.g. a file, is 1,000; not 0
 *                          because SLUB counts per-CPU slabs as active)
 *   refcount     exact    (every fd's module reference returned)
 * Measured in Bochs (1 CPU, 512 MiB): MemFree 12 kB higher after, Slab,
 * SUnreclaim and active objects unchanged; the 1,000 VMs take ~25 s.
 */
static void test_create_destroy_loop(void)
{
	struct mem_sample before, after;
	int i, ok = 1;

	/* Warm caches and slabs first, so the baseline is steady. */
	for (i = 0; i < 10 && ok; i++)
		ok = vm_cycle(i);
	mem_sample(&before);
	printf("MVTEST: INFO vm-%d-loop: start\n", LOOP_VMS);
	fflush(stdout);
	for (i = 0; i < LOOP_VMS && ok; i++)
		ok = vm_cycle(i);
	printf("MVTEST: INFO vm-%d-loop: end\n", LOOP_VMS);
	fflush(stdout);
	mem_sample(&after);
	check(ok, "vm-1000-create-run-destroy", "failed at VM %d: %s", i - 1,
	      strerror(errno));
	printf("MVTEST: SHOW %d VMs: MemFree %ld -> %ld kB, Slab %ld -> %ld kB, SUnreclaim %ld -> %ld kB, slab objects %ld -> %ld, module refcnt %ld -> %ld\n",
	       LOOP_VMS, before.memfree_kb, after.memfree_kb, before.slab_kb,
	       after.slab_kb, before.sunreclaim_kb, after.sunreclaim_kb,
	       before.slab_objs, after.slab_objs, before.refcnt, after.refcnt);
	check(before.memfree_kb - after.memfree_kb < 2048, "vm-1000-no-leaked-memory",
	      "MemFree dropped by %ld kB", before.memfree_kb - after.memfree_kb);
	check(after.sunreclaim_kb - before.sunreclaim_kb < 256,
	      "vm-1000-no-leaked-slab", "SUnreclaim grew by %ld kB",
	      after.sunreclaim_kb - before.sunreclaim_kb);
	check(before.slab_objs >= 0 && after.slab_objs - before.slab_objs < 500,
	      "vm-1000-no-leaked-slab-objects", "active objects %ld -> %ld",
	      before.slab_objs, after.slab_objs);
	check(before.refcnt >= 0 && after.refcnt == before.refcnt,
	      "vm-1000-module-refcount", "refcnt %ld -> %ld", before.refcnt,
	      after.refcnt);
}

/* vm_check [--no-loop]: --no-loop skips the 1,000-VM loop (slow on 2 CPUs). */
/*
 * CR2 is not in the VMCS: SET_SREGS/GET_SREGS carry the guest's, and the
 * guest reads its own even though this thread page-faulted (setting the
 * CPU's CR2) right before RUN.
 */
static void test_cr2(void)
{
	static const uint8_t code[] = {
		0xba, 0x80, 0x00,		/* mov dx, 0x80 */
		0x0f, 0x20, 0xd0,		/* mov eax, cr2 */
		0x66, 0xef,			/* out dx, eax */
		0xf4,				/* hlt */
	};
	struct minivmm_sregs s;
	volatile uint8_t *fresh;
	uint32_t got;
	struct vm v;

	if (!check(vm_create(&v, code, sizeof(code)) == 0, "vm-create-cr2", "%s",
		   strerror(errno)))
		return;
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	s.cr2 = 0x12345000;
	ioctl(v.vcpu, MINIVMM_SET_SREGS, &s);
	memset(&s, 0, sizeof(s));
	ioctl(v.vcpu, MINIVMM_GET_SREGS, &s);
	check(s.cr2 == 0x12345000, "sregs-cr2-roundtrip", "GET_SREGS cr2 %#llx",
	      (unsigned long long)s.cr2);
	/* A host page fault now: the CPU's CR2 becomes this address. */
	fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fresh[0] = 1;
	got = 0;
	if (vm_run(&v) == 0 && v.run->exit_reason == MINIVMM_EXIT_IO)
		memcpy(&got, (uint8_t *)v.run + v.run->io.data_offset, 4);
	check(got == 0x12345000, "vm-guest-reads-own-cr2",
	      "guest CR2 %#x (host fault address %p)", got, (void *)fresh);
	munmap((void *)fresh, 4096);
	vm_destroy(&v);
}

/* In a child: GS loaded from an LDT entry survives RUN, and so does LDTR. */
static int ldt_child(void)
{
	static const uint8_t code[] = {
		0xe6, 0x80,			/* 1: out 0x80, al */
		0xeb, 0xfc,			/* jmp 1b */
	};
	static volatile uint32_t magic = 0x5eed1dd7;
	struct user_desc d = {
		.entry_number = 0, .base_addr = (uintptr_t)&magic,
		.limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1,
		.useable = 1,
	};
	uint16_t gs, ldt_before = 0, ldt_after = 0;
	uint32_t val;
	struct vm v;
	int i;

	if ((uintptr_t)&magic >> 32)
		return 10;		/* a static binary's data is below 4 GiB */
	if (syscall(SYS_modify_ldt, 1, &d, sizeof(d)))
		return 11;
	asm volatile("mov %0, %%gs" : : "r"((uint16_t)0x7));
	asm volatile("sldt %0" : "=r"(ldt_before));
	if (vm_create(&v, code, sizeof(code)))
		return 12;
	for (i = 0; i < 100; i++)
		if (vm_run(&v) || v.run->exit_reason != MINIVMM_EXIT_IO)
			return 13;
	asm volatile("mov %%gs, %0" : "=r"(gs));
	asm volatile("sldt %0" : "=r"(ldt_after));
	if (gs != 0x7)
		return 14;
	/* sldt reads 0 under UMIP emulation: then the reload below decides. */
	if (ldt_before && ldt_after != ldt_before)
		return 15;
	/* Through the LDT again: faults if LDTR was left null. */
	asm volatile("mov %0, %%gs" : : "r"((uint16_t)0x7));
	asm volatile("movl %%gs:0, %0" : "=r"(val));
	if (val != magic)
		return 16;
	vm_destroy(&v);
	return 0;
}

static void test_host_ldt_and_gs(void)
{
	static const char *const why[] = {
		[10] = "data above 4 GiB", [11] = "modify_ldt failed",
		[12] = "cannot create the VM", [13] = "RUN did not exit with IO",
		[14] = "GS selector lost (0 after RUN)", [15] = "LDTR changed by RUN",
		[16] = "GS:0 does not read the LDT segment",
	};
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(ldt_child());
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "vm-host-ldt-and-gs-survive-run", "%s",
	      WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
	      WEXITSTATUS(status) < 17 && why[WEXITSTATUS(status)] ?
	      why[WEXITSTATUS(status)] : "?");
}

int main(int argc, char **argv)
{
	test_basic_exits();
	test_triple_fault();
	test_entry_failure();
	test_sregs_drop_pending_event();
	test_mmio();
	test_msr_and_exceptions();
	test_control_registers();
	test_cr2();
	test_host_ldt_and_gs();
	test_set_cpuid();
	test_memory_slots();
	test_string_io();
	test_string_io_past_memory();
	test_run_page_scribbled();
	test_probe_keeps_vcpu_state();
	test_interrupted();
	test_interrupted_if0();
	test_db_storm();
	test_debug_registers();
	test_fork();
	test_migration();
	if (argc < 2 || strcmp(argv[1], "--no-loop"))
		test_create_destroy_loop();
	return failures ? 1 : 0;
}
