// SPDX-License-Identifier: GPL-2.0
/*
 * The VM half of the fake /dev/minivmm: CREATE_VM and CREATE_VCPU return
 * memfds the shim recognises, the vCPU's is the mmap'able run page, and
 * MINIVMM_RUN plays the exits listed in $MINIVMM_FAKE_RUN, blank- or
 * comma-separated:
 *
 *   out:PORT:SIZE:VALUE     an OUT exit
 *   outs:PORT:TEXT          REP OUTSB of TEXT (count = its length)
 *   in:PORT:SIZE            an IN exit
 *   mmio-r:ADDR:LEN         an MMIO read; mmio-w:ADDR:LEN:VALUE a write
 *   hlt, hlt-if             HLT, with RFLAGS.IF clear / set
 *   shutdown, intr          triple fault, MINIVMM_EXIT_INTR
 *   fail-entry:REASON:QUAL  internal:REASON:QUAL:RIP  hypercall:NR
 *   reason:N                exit reason N, nothing else set
 *   block                   sleep until a signal, then fail with EINTR
 *
 * Past the end of the script RUN fails with ENOEXEC. As KVM_RUN does,
 * RUN with immediate_exit set fails with EINTR at once (exit INTR).
 * $MINIVMM_FAKE_LOG names a file that gets one line per VM ioctl, what
 * minivmm handed back for the previous exit (IN data, MMIO read data,
 * hypercall ret) and, at the first RUN, the 8 bytes of guest memory at
 * the entry point.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/minivmm.h"
#include "fake.h"

#define FAKE_RUN_SIZE	4096
#define FAKE_DATA_OFF	1024

static int vm_fd = -1, vcpu_fd = -1;
static struct minivmm_run *run;
static struct minivmm_memory_region region;
static struct minivmm_regs regs;
static struct minivmm_sregs sregs = { .apic_base = 0xfee00900 };
static unsigned int nr_runs;
static char *script, *script_pos;

static void fake_log(const char *fmt, ...)
{
	const char *path = getenv("MINIVMM_FAKE_LOG");
	va_list ap;
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

bool fake_vm_owns(int fd)
{
	return fd >= 0 && (fd == vm_fd || fd == vcpu_fd);
}

int fake_vcpu_mmap_size(void)
{
	return FAKE_RUN_SIZE;
}

int fake_create_vm(void)
{
	if (vm_fd >= 0) {
		errno = EEXIST;		/* one VM is all minivmm makes */
		return -1;
	}
	vm_fd = memfd_create("fake-minivmm-vm", MFD_CLOEXEC);
	/* Who minivmm is by now: the user it switched to, if any. */
	fake_log("CREATE_VM uid=%u gid=%u", (unsigned int)getuid(),
		 (unsigned int)getgid());
	return vm_fd;
}

static int fake_create_vcpu(unsigned long id)
{
	vcpu_fd = memfd_create("fake-minivmm-vcpu", MFD_CLOEXEC);
	if (vcpu_fd < 0)
		return -1;
	if (ftruncate(vcpu_fd, FAKE_RUN_SIZE))
		return -1;
	run = mmap(NULL, FAKE_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu_fd, 0);
	if (run == MAP_FAILED)
		return -1;
	fake_log("CREATE_VCPU id=%lu", id);
	return vcpu_fd;
}

static void log_seg(char *buf, size_t len, const char *name,
		    const struct minivmm_segment *s)
{
	snprintf(buf, len, " %s=%#x/%#llx/%#x/%#x/s%u/p%u/db%u/l%u/g%u%s", name,
		 s->selector, (unsigned long long)s->base, s->limit, s->type,
		 s->s, s->present, s->db, s->l, s->g,
		 s->unusable ? "/unusable" : "");
}

static void log_sregs(void)
{
	char cs[96], ds[96], ss[96], tr[96], ldt[96];

	log_seg(cs, sizeof(cs), "cs", &sregs.cs);
	log_seg(ds, sizeof(ds), "ds", &sregs.ds);
	log_seg(ss, sizeof(ss), "ss", &sregs.ss);
	log_seg(tr, sizeof(tr), "tr", &sregs.tr);
	log_seg(ldt, sizeof(ldt), "ldt", &sregs.ldt);
	fake_log("SET_SREGS cr0=%#llx cr3=%#llx cr4=%#llx efer=%#llx apic_base=%#llx gdt=%#llx/%#x idt=%#llx/%#x%s%s%s%s%s",
		 (unsigned long long)sregs.cr0, (unsigned long long)sregs.cr3,
		 (unsigned long long)sregs.cr4, (unsigned long long)sregs.efer,
		 (unsigned long long)sregs.apic_base,
		 (unsigned long long)sregs.gdt.base, sregs.gdt.limit,
		 (unsigned long long)sregs.idt.base, sregs.idt.limit,
		 cs, ds, ss, tr, ldt);
}

/* What minivmm handed back for the exit RUN returned last. */
static void log_completion(void)
{
	const __u8 *d = (const __u8 *)run + FAKE_DATA_OFF;
	char hex[64] = "";
	unsigned int i, n;

	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
		if (run->io.direction != MINIVMM_EXIT_IO_IN)
			return;
		n = run->io.size * run->io.count;
		for (i = 0; i < n && i < 16; i++)
			sprintf(hex + 2 * i, "%02x", d[i]);
		fake_log("IN port=%#x data=%s", run->io.port, hex);
		break;
	case MINIVMM_EXIT_MMIO:
		if (run->mmio.is_write)
			return;
		for (i = 0; i < run->mmio.len && i < 8; i++)
			sprintf(hex + 2 * i, "%02x", run->mmio.data[i]);
		fake_log("MMIO addr=%#llx data=%s",
			 (unsigned long long)run->mmio.phys_addr, hex);
		break;
	case MINIVMM_EXIT_HYPERCALL:
		fake_log("HYPERCALL ret=%#llx",
			 (unsigned long long)run->hypercall.ret);
		break;
	}
}

/* The first RUN: the guest's first bytes, at CS.base + RIP (identity paging). */
static void log_code(void)
{
	__u64 gpa = sregs.cs.base + regs.rip;
	const __u8 *p;
	char hex[17] = "";
	unsigned int i;

	if (!region.memory_size || gpa + 8 > region.memory_size) {
		fake_log("CODE gpa=%#llx outside memory",
			 (unsigned long long)gpa);
		return;
	}
	p = (const __u8 *)(uintptr_t)region.userspace_addr + gpa;
	for (i = 0; i < 8; i++)
		sprintf(hex + 2 * i, "%02x", p[i]);
	fake_log("CODE gpa=%#llx bytes=%s", (unsigned long long)gpa, hex);
}

static unsigned long long num(char **save)
{
	char *tok = strtok_r(NULL, ":", save);

	return tok ? strtoull(tok, NULL, 0) : 0;
}

static void set_io(__u8 dir, __u16 port, __u8 size, __u32 count)
{
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = dir;
	run->io.port = port;
	run->io.size = size;
	run->io.count = count;
	run->io.data_offset = FAKE_DATA_OFF;
}

/* Turn the next script item into an exit: 0, or -1 with errno. */
static int fake_next_exit(void)
{
	char *item, *kind, *save, *text;
	unsigned long long v;
	__u8 *data = (__u8 *)run + FAKE_DATA_OFF;

	if (!script) {
		const char *s = getenv("MINIVMM_FAKE_RUN");

		script = strdup(s ? s : "");
		script_pos = script;
	}
	item = strtok_r(script_pos, " ,", &script_pos);
	if (!item) {
		errno = ENOEXEC;
		return -1;
	}
	memset(&run->exit_reason, 0, offsetof(struct minivmm_run, reserved) -
	       offsetof(struct minivmm_run, exit_reason));
	kind = strtok_r(item, ":", &save);
	if (!strcmp(kind, "out")) {
		__u16 port = num(&save);
		__u8 size = num(&save);

		v = num(&save);
		set_io(MINIVMM_EXIT_IO_OUT, port, size, 1);
		memcpy(data, &v, size);
	} else if (!strcmp(kind, "outs")) {
		__u16 port = num(&save);

		text = strtok_r(NULL, "", &save);
		set_io(MINIVMM_EXIT_IO_OUT, port, 1, strlen(text));
		memcpy(data, text, strlen(text));
	} else if (!strcmp(kind, "in")) {
		__u16 port = num(&save);
		__u8 size = num(&save);

		set_io(MINIVMM_EXIT_IO_IN, port, size, 1);
		memset(data, 0xa5, size);
	} else if (!strcmp(kind, "mmio-r") || !strcmp(kind, "mmio-w")) {
		run->exit_reason = MINIVMM_EXIT_MMIO;
		run->mmio.phys_addr = num(&save);
		run->mmio.len = num(&save);
		run->mmio.is_write = kind[5] == 'w';
		v = num(&save);
		memcpy(run->mmio.data, &v, 8);
	} else if (!strcmp(kind, "hlt") || !strcmp(kind, "hlt-if")) {
		run->exit_reason = MINIVMM_EXIT_HLT;
		if (kind[3])
			regs.rflags |= 0x200;
		else
			regs.rflags &= ~0x200ull;
		regs.rip += 1;
	} else if (!strcmp(kind, "shutdown")) {
		run->exit_reason = MINIVMM_EXIT_SHUTDOWN;
	} else if (!strcmp(kind, "intr")) {
		run->exit_reason = MINIVMM_EXIT_INTR;
	} else if (!strcmp(kind, "fail-entry")) {
		run->exit_reason = MINIVMM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_exit_reason = num(&save);
		run->fail_entry.qualification = num(&save);
	} else if (!strcmp(kind, "internal")) {
		run->exit_reason = MINIVMM_EXIT_INTERNAL_ERROR;
		run->internal.exit_reason = num(&save);
		run->internal.qualification = num(&save);
		run->internal.rip = num(&save);
	} else if (!strcmp(kind, "hypercall")) {
		run->exit_reason = MINIVMM_EXIT_HYPERCALL;
		run->hypercall.nr = num(&save);
	} else if (!strcmp(kind, "reason")) {
		run->exit_reason = num(&save);
	} else if (!strcmp(kind, "block")) {
		run->exit_reason = MINIVMM_EXIT_INTR;
		/*
		 * Polled rather than pause(): a signal landing between the
		 * check and pause() would be lost and block forever.
		 */
		while (!run->immediate_exit)
			if (nanosleep(&(struct timespec){ 0, 1000000 }, NULL))
				break;	/* EINTR: some other signal */
		errno = EINTR;
		return -1;
	} else {
		fake_log("SCRIPT bad item '%s'", kind);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int fake_run(void)
{
	if (!nr_runs++)
		log_code();
	else
		log_completion();
	if (run->immediate_exit) {
		fake_log("RUN %u: immediate_exit", nr_runs);
		run->exit_reason = MINIVMM_EXIT_INTR;
		errno = EINTR;
		return -1;
	}
	if (fake_next_exit())
		return -1;
	fake_log("RUN %u: exit %u", nr_runs, run->exit_reason);
	return 0;
}

static const char *fake_vm_ioctl_name(unsigned long req)
{
	switch (req) {
	case MINIVMM_CREATE_VCPU:	return "CREATE_VCPU";
	case MINIVMM_SET_MEMORY_REGION:	return "SET_MEMORY_REGION";
	case MINIVMM_GET_REGS:		return "GET_REGS";
	case MINIVMM_SET_REGS:		return "SET_REGS";
	case MINIVMM_GET_SREGS:		return "GET_SREGS";
	case MINIVMM_SET_SREGS:		return "SET_SREGS";
	case MINIVMM_RUN:		return "RUN";
	default:			return NULL;
	}
}

int fake_vm_ioctl(int fd, unsigned long req, unsigned long arg)
{
	const char *name = fake_vm_ioctl_name(req);
	bool on_vm = fd == vm_fd;
	int err;

	if (!name || on_vm != (req == MINIVMM_CREATE_VCPU ||
			       req == MINIVMM_SET_MEMORY_REGION)) {
		errno = ENOTTY;
		return -1;
	}
	err = fake_check(name);
	if (err) {
		errno = err;
		return -1;
	}

	switch (req) {
	case MINIVMM_CREATE_VCPU:
		return fake_create_vcpu(arg);
	case MINIVMM_SET_MEMORY_REGION:
		memcpy(&region, (void *)arg, sizeof(region));
		fake_log("SET_MEMORY_REGION slot=%u flags=%#x gpa=%#llx size=%#llx page_aligned=%d",
			 region.slot, region.flags,
			 (unsigned long long)region.guest_phys_addr,
			 (unsigned long long)region.memory_size,
			 !(region.userspace_addr & 0xfff));
		return 0;
	case MINIVMM_GET_REGS:
		memcpy((void *)arg, &regs, sizeof(regs));
		return 0;
	case MINIVMM_SET_REGS:
		memcpy(&regs, (void *)arg, sizeof(regs));
		fake_log("SET_REGS rip=%#llx rsp=%#llx rflags=%#llx rax=%#llx",
			 (unsigned long long)regs.rip,
			 (unsigned long long)regs.rsp,
			 (unsigned long long)regs.rflags,
			 (unsigned long long)regs.rax);
		return 0;
	case MINIVMM_GET_SREGS:
		memcpy((void *)arg, &sregs, sizeof(sregs));
		return 0;
	case MINIVMM_SET_SREGS:
		memcpy(&sregs, (void *)arg, sizeof(sregs));
		log_sregs();
		return 0;
	default:
		return fake_run();
	}
}
