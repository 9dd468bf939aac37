// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "accel.h"
#include "console.h"
#include "dev.h"
#include "devices.h"
#include "die.h"
#include "errors.h"
#include "exit_policy.h"
#include "exit_stats.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "irq.h"
#include "mmio.h"
#include "pio.h"
#include "power.h"
#include "step.h"
#include "vcpu.h"

#define X86_RFLAGS_IF	(1ull << 9)

void vcpu_init(struct vcpu *v, int fd, struct minivmm_run *run,
	       size_t run_size)
{
	*v = (struct vcpu) {
		.fd = fd,
		.run = run,
		.run_size = run_size,
		.err = stderr,
		.ioctl = __dev_ioctl,
	};
}

void vcpu_create(struct vcpu *v, int dev_fd, int vm_fd)
{
	int fd, size;
	void *run;

	fd = dev_ioctl(vm_fd, MINIVMM_CREATE_VCPU, 0);
	size = dev_ioctl(dev_fd, MINIVMM_GET_VCPU_MMAP_SIZE, 0);
	if ((size_t)size < sizeof(struct minivmm_run))
		die(VMM_EXIT_ERROR, "MINIVMM_GET_VCPU_MMAP_SIZE returned %d, less than struct minivmm_run (%zu bytes)",
		    size, sizeof(struct minivmm_run));
	run = dev_map_run(fd, size);
	if (run == MAP_FAILED)
		die(VMM_EXIT_ERROR, "cannot map the vCPU's run page: %s",
		    strerror(errno));
	vcpu_init(v, fd, run, size);
}

void vcpu_stop(struct vcpu *v, int status)
{
	v->stop = true;
	v->stop_status = status;
}

/* GET_REGS; on failure report it and return its exit status. */
static int vcpu_get_regs(struct vcpu *v, struct minivmm_regs *regs)
{
	int ret = v->ioctl(v->fd, MINIVMM_GET_REGS, (unsigned long)regs);

	if (ret < 0)
		return report_ioctl_error(v->err, "MINIVMM_GET_REGS",
					  MINIVMM_GET_REGS, -ret);
	return 0;
}

/* The guest's RIP for a message, or ~0 if it cannot be read. */
static unsigned long long vcpu_rip(struct vcpu *v)
{
	struct minivmm_regs regs;

	if (v->ioctl(v->fd, MINIVMM_GET_REGS, (unsigned long)&regs) < 0)
		return ~0ull;
	return regs.rip;
}

static void vcpu_dump_seg(FILE *f, const char *name,
			  const struct minivmm_segment *s)
{
	fprintf(f, VMM_PROG ": trace:   %-3s sel %#06x base %#llx limit %#x type %#x s %u p %u dpl %u db %u l %u g %u%s\n",
		name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->s, s->present, s->dpl, s->db, s->l, s->g,
		s->unusable ? " unusable" : "");
}

/* With --trace: the guest's registers, for exits that end in an error. */
static void vcpu_dump_state(struct vcpu *v)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	FILE *f = v->err;

	if (!v->trace)
		return;
	if (v->ioctl(v->fd, MINIVMM_GET_REGS, (unsigned long)&r) >= 0)
		fprintf(f, VMM_PROG ": trace:   rip %#llx rsp %#llx rflags %#llx rax %#llx rbx %#llx rcx %#llx rdx %#llx\n",
			(unsigned long long)r.rip, (unsigned long long)r.rsp,
			(unsigned long long)r.rflags, (unsigned long long)r.rax,
			(unsigned long long)r.rbx, (unsigned long long)r.rcx,
			(unsigned long long)r.rdx);
	if (v->ioctl(v->fd, MINIVMM_GET_SREGS, (unsigned long)&s) < 0)
		return;
	fprintf(f, VMM_PROG ": trace:   cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx gdt %#llx/%#x idt %#llx/%#x\n",
		(unsigned long long)s.cr0, (unsigned long long)s.cr3,
		(unsigned long long)s.cr4, (unsigned long long)s.efer,
		(unsigned long long)s.gdt.base, s.gdt.limit,
		(unsigned long long)s.idt.base, s.idt.limit);
	vcpu_dump_seg(f, "cs", &s.cs);
	vcpu_dump_seg(f, "ds", &s.ds);
	vcpu_dump_seg(f, "ss", &s.ss);
	vcpu_dump_seg(f, "tr", &s.tr);
	vcpu_dump_seg(f, "ldt", &s.ldt);
}

/* Exit handlers, one per MINIVMM_EXIT_* */

static enum vcpu_action vcpu_malformed(struct vcpu *v, int *status,
				       const char *what)
{
	fprintf(v->err, VMM_PROG ": malformed %s exit from the module\n", what);
	*status = VMM_EXIT_INTERNAL_ERROR;
	return VCPU_STOP;
}

static enum vcpu_action handle_io(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	__u32 size = run->io.size, count = run->io.count;
	__u64 off = run->io.data_offset;

	if ((size != 1 && size != 2 && size != 4) || !count ||
	    off < sizeof(*run) || off > v->run_size ||
	    (__u64)count * size > v->run_size - off ||
	    run->io.direction > MINIVMM_EXIT_IO_OUT)
		return vcpu_malformed(v, status, "IO");
	pio__io(v, run->io.port, (__u8 *)run + off, size, count,
		run->io.direction == MINIVMM_EXIT_IO_OUT);
	return VCPU_CONTINUE;
}

static enum vcpu_action handle_mmio(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;

	if (!run->mmio.len || run->mmio.len > sizeof(run->mmio.data))
		return vcpu_malformed(v, status, "MMIO");
	mmio__access(v, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
		     run->mmio.is_write);
	return VCPU_CONTINUE;
}

/*
 * The signal that asked the run to stop: SIGALRM (--timeout), SIGINT or
 * SIGTERM; 0 while none did. The handler also sets immediate_exit in the
 * run page, so a RUN about to enter the guest returns at once.
 */
static volatile sig_atomic_t vcpu_stop_sig;
static enum vcpu_action vcpu_stop_requested(struct vcpu *v, int *status);

/*
 * HLT with interrupts enabled: sleep until a device deadline (the PIT),
 * input, or a signal, then let the run loop inject what became pending.
 * The host spends the guest's idle time in ppoll(), not spinning.
 */
static enum vcpu_action vcpu_hlt_sleep(struct vcpu *v, int *status)
{
	struct pollfd pfd = { .events = POLLIN };
	struct timespec ts, *tsp;
	__u64 now, deadline;

	for (;;) {
		now = devices__now();
		devices__tick(now);
		console__read(v);
		if (v->stop || irq__pending())
			return VCPU_CONTINUE;
		deadline = devices__next_deadline();
		pfd.fd = console__poll_fd();
		if (!deadline && !console__can_wake()) {
			fprintf(v->err, VMM_PROG ": guest halted with interrupts enabled: no timer is armed and no input can wake it\n");
			*status = VMM_EXIT_GUEST_HLT_IF;
			return VCPU_STOP;
		}
		tsp = NULL;
		if (deadline) {
			deadline = deadline > now ? deadline - now : 0;
			ts.tv_sec = deadline / 1000000000ull;
			ts.tv_nsec = deadline % 1000000000ull;
			tsp = &ts;
		}
		if (ppoll(&pfd, 1, tsp, NULL) < 0 && errno == EINTR && vcpu_stop_sig)
			return vcpu_stop_requested(v, status);
	}
}

static enum vcpu_action handle_hlt(struct vcpu *v, int *status)
{
	struct minivmm_regs regs;
	int ret;

	if (v->irq_injection && v->run->if_flag)
		return vcpu_hlt_sleep(v, status);
	if (v->os_guest && !v->run->if_flag) {
		power__off(v, "HLT with interrupts disabled");
		return VCPU_CONTINUE;
	}
	ret = vcpu_get_regs(v, &regs);
	if (ret) {
		*status = ret;
		return VCPU_STOP;
	}
	if (regs.rflags & X86_RFLAGS_IF) {
		fprintf(v->err, VMM_PROG ": guest halted with interrupts enabled at rip %#llx: this module cannot inject interrupts, stopping it\n",
			(unsigned long long)regs.rip);
		*status = VMM_EXIT_GUEST_HLT_IF;
	} else {
		fprintf(v->err, VMM_PROG ": guest halted with interrupts disabled at rip %#llx: nothing can wake it\n",
			(unsigned long long)regs.rip);
		*status = VMM_EXIT_GUEST_HLT;
	}
	return VCPU_STOP;
}

/* The deadline userspace set passed: devices act in vcpu_sync_devices(). */
static enum vcpu_action handle_timer(struct vcpu *v, int *status)
{
	(void)status;
	console__read(v);
	return VCPU_CONTINUE;
}

/*
 * --step: the guest ran (or minivmm or the module emulated) one
 * instruction; print the next. After the last step asked for, the guest
 * runs on without stepping.
 */
static enum vcpu_action handle_debug(struct vcpu *v, int *status)
{
	int ret;

	/* --break: print the hit; with --step, the stepping starts here. */
	if (v->run->debug.dr6 & 1) {
		ret = step__print_break(v);
		if (!ret && v->step_at_break && !v->stepping) {
			v->step_at_break = false;
			ret = step__set(v, 1);
			if (ret) {
				fprintf(v->err, VMM_PROG ": break: cannot start stepping\n");
				ret = VMM_EXIT_IOCTL;
			}
		} else if (!ret && !v->stepping) {
			return VCPU_CONTINUE;
		}
		if (ret) {
			*status = ret;
			return VCPU_STOP;
		}
	}
	ret = step__print(v);
	if (ret) {
		*status = ret;
		return VCPU_STOP;
	}
	if (v->step_limit && v->steps >= v->step_limit && step__set(v, 0) < 0) {
		fprintf(v->err, VMM_PROG ": step: cannot turn single-stepping off\n");
		*status = VMM_EXIT_IOCTL;
		return VCPU_STOP;
	}
	return VCPU_CONTINUE;
}

/* The window asked for opened: the run loop injects what is pending. */
static enum vcpu_action handle_irq_window(struct vcpu *v, int *status)
{
	(void)v, (void)status;
	return VCPU_CONTINUE;
}

static enum vcpu_action handle_hypercall(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	const __u64 *a = run->hypercall.args;

	(void)status;
	/* A line each for the first few; a guest calling in a loop gets a count. */
	if (++v->hypercalls > VCPU_HYPERCALLS_SHOWN) {
		run->hypercall.ret = (__u64)-1;
		return VCPU_CONTINUE;
	}
	fprintf(v->err, VMM_PROG ": hypercall %#llx (%#llx, %#llx, %#llx, %#llx, %#llx): not implemented, returning -1\n",
		(unsigned long long)run->hypercall.nr,
		(unsigned long long)a[0], (unsigned long long)a[1],
		(unsigned long long)a[2], (unsigned long long)a[3],
		(unsigned long long)a[4]);
	run->hypercall.ret = (__u64)-1;
	return VCPU_CONTINUE;
}

static enum vcpu_action handle_shutdown(struct vcpu *v, int *status)
{
	unsigned long long rip;

	/* Linux with reboot=t, or after its other reset methods failed. */
	if (v->os_guest) {
		power__reset(v, "a triple fault");
		return VCPU_CONTINUE;
	}
	rip = vcpu_rip(v);

	if (rip == ~0ull)
		fprintf(v->err, VMM_PROG ": guest shut down (triple fault)\n");
	else
		fprintf(v->err, VMM_PROG ": guest shut down (triple fault) at rip %#llx\n",
			rip);
	vcpu_dump_state(v);
	*status = VMM_EXIT_GUEST_SHUTDOWN;
	return VCPU_STOP;
}

/* " (name)" of VMX basic exit reason @reason, or "". */
static void vmx_reason_suffix(char *buf, size_t len, __u64 reason)
{
	const char *name = vmx_exit_reason_name(reason);

	if (name)
		snprintf(buf, len, " (%s)", name);
	else
		buf[0] = '\0';
}

static enum vcpu_action handle_fail_entry(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	__u64 reason = run->fail_entry.hardware_exit_reason;
	char name[48];

	vmx_reason_suffix(name, sizeof(name), reason & 0xffff);
	fprintf(v->err, VMM_PROG ": VM entry failed: hardware exit reason %#llx%s, qualification %#llx\n",
		(unsigned long long)reason, name,
		(unsigned long long)run->fail_entry.qualification);
	vcpu_dump_state(v);
	*status = VMM_EXIT_ENTRY_FAILED;
	return VCPU_STOP;
}

/*
 * The event the guest was delivering when the exit came (IDT-vectoring
 * information, SDM Vol. 3C 25.9.3: vector 7:0, type 10:8, error code
 * valid 11, valid 31), e.g. an exception whose IDT or stack is not RAM.
 */
static void vcpu_report_vectoring(struct vcpu *v, __u64 info, __u64 error)
{
	static const char *const types[8] = {
		"external interrupt", "type 1", "NMI", "exception",
		"software interrupt", "privileged software exception",
		"software exception", "type 7",
	};

	if (!(info & (1u << 31)))
		return;
	fprintf(v->err, VMM_PROG ": internal error: during delivery of %s, vector %llu",
		types[(info >> 8) & 7], (unsigned long long)(info & 0xff));
	if (info & (1u << 11))
		fprintf(v->err, ", error code %#llx", (unsigned long long)error);
	fprintf(v->err, " (IDT-vectoring info %#llx)\n", (unsigned long long)info);
}

static enum vcpu_action handle_internal_error(struct vcpu *v, int *status)
{
	struct minivmm_run *run = v->run;
	char name[48];

	vmx_reason_suffix(name, sizeof(name), run->internal.exit_reason);
	fprintf(v->err, VMM_PROG ": internal error: the module cannot handle VMX exit reason %llu%s, qualification %#llx, rip %#llx\n",
		(unsigned long long)run->internal.exit_reason, name,
		(unsigned long long)run->internal.qualification,
		(unsigned long long)run->internal.rip);
	vcpu_report_vectoring(v, run->internal.idt_vectoring_info,
			      run->internal.idt_vectoring_error);
	vcpu_dump_state(v);
	*status = VMM_EXIT_INTERNAL_ERROR;
	return VCPU_STOP;
}

/* The run page whose immediate_exit the stop handler sets (see vcpu_stop_sig). */
static struct minivmm_run *volatile vcpu_stop_run;

/*
 * The guest did not finish in time: say whether it was computing or
 * stuck in a storm of exits (an #AC or #DB loop, say), from the exit
 * counts the module keeps. A module without them gets the plain verdict.
 */
static enum vcpu_action vcpu_timeout_stop(struct vcpu *v, int *status)
{
	struct minivmm_vcpu_stats st;
	struct storm storm = { .kind = STORM_NONE };
	const char *name;
	char buf[32];

	if (v->ioctl(v->fd, MINIVMM_GET_VCPU_STATS, (unsigned long)&st) >= 0)
		exit_stats_classify(&st, v->timeout, &storm);
	switch (storm.kind) {
	case STORM_EXCEPTION:
		fprintf(v->err, VMM_PROG ": timeout: guest stopped after %g s in an exception loop: %llu of its %llu exits were %s\n",
			v->timeout, storm.count, storm.guest_exits,
			exception_name(storm.vector, buf, sizeof(buf)));
		*status = VMM_EXIT_GUEST_EXC_STORM;
		break;
	case STORM_EXIT:
		name = vmx_exit_reason_name(storm.reason);
		fprintf(v->err, VMM_PROG ": timeout: guest stopped after %g s in an exit storm: %llu exits, the most (%llu) for %s\n",
			v->timeout, storm.guest_exits, storm.count,
			name ? name : "?");
		*status = VMM_EXIT_GUEST_EXIT_STORM;
		break;
	default:
		fprintf(v->err, VMM_PROG ": timeout: guest stopped after %g s\n",
			v->timeout);
		*status = VMM_EXIT_TIMEOUT;
	}
	return VCPU_STOP;
}

/* SIGINT or SIGTERM: stop as --timeout does, with the shell's 128 + N. */
static enum vcpu_action vcpu_signal_stop(struct vcpu *v, int sig, int *status)
{
	fprintf(v->err, VMM_PROG ": %s: guest stopped after %llu exits\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM", v->exits);
	*status = sig == SIGINT ? VMM_EXIT_SIGINT : VMM_EXIT_SIGTERM;
	return VCPU_STOP;
}

/* The run was asked to stop: say why; VCPU_CONTINUE if it was not. */
static enum vcpu_action vcpu_stop_requested(struct vcpu *v, int *status)
{
	switch (vcpu_stop_sig) {
	case 0:
		return VCPU_CONTINUE;
	case SIGALRM:
		return vcpu_timeout_stop(v, status);
	default:
		return vcpu_signal_stop(v, vcpu_stop_sig, status);
	}
}

static enum vcpu_action handle_intr(struct vcpu *v, int *status)
{
	/* Any other signal: run on. */
	return vcpu_stop_requested(v, status);
}

static enum vcpu_action handle_unknown(struct vcpu *v, int *status)
{
	if (accel_is_kvm())
		fprintf(v->err, VMM_PROG ": KVM exit reason %llu has no minivmm equivalent\n",
			(unsigned long long)v->run->internal.exit_reason);
	else
		fprintf(v->err, VMM_PROG ": unknown exit reason %u from the module\n",
			v->run->exit_reason);
	vcpu_dump_state(v);
	*status = VMM_EXIT_UNKNOWN_EXIT;
	return VCPU_STOP;
}

struct vcpu_exit {
	const char *name;
	vcpu_exit_fn fn;
};

static const struct vcpu_exit vcpu_exits[] = {
	[MINIVMM_EXIT_UNKNOWN]		= { "UNKNOWN", handle_unknown },
	[MINIVMM_EXIT_IO]		= { "IO", handle_io },
	[MINIVMM_EXIT_MMIO]		= { "MMIO", handle_mmio },
	[MINIVMM_EXIT_HLT]		= { "HLT", handle_hlt },
	[MINIVMM_EXIT_HYPERCALL]	= { "HYPERCALL", handle_hypercall },
	[MINIVMM_EXIT_SHUTDOWN]		= { "SHUTDOWN", handle_shutdown },
	[MINIVMM_EXIT_FAIL_ENTRY]	= { "FAIL_ENTRY", handle_fail_entry },
	[MINIVMM_EXIT_INTERNAL_ERROR]	= { "INTERNAL_ERROR", handle_internal_error },
	[MINIVMM_EXIT_INTR]		= { "INTR", handle_intr },
	[MINIVMM_EXIT_IRQ_WINDOW_OPEN]	= { "IRQ_WINDOW_OPEN", handle_irq_window },
	[MINIVMM_EXIT_TIMER]		= { "TIMER", handle_timer },
	[MINIVMM_EXIT_DEBUG]		= { "DEBUG", handle_debug },
	[MINIVMM_EXIT_CPUID]		= { "CPUID", exit_policy_cpuid },
	[MINIVMM_EXIT_MSR]		= { "MSR", exit_policy_msr },
	[MINIVMM_EXIT_CR]		= { "CR", exit_policy_cr },
	[MINIVMM_EXIT_EXCEPTION]	= { "EXCEPTION", exit_policy_exception },
};

#define VCPU_NR_EXITS	(sizeof(vcpu_exits) / sizeof(vcpu_exits[0]))

const char *vcpu_exit_reason_name(__u32 reason)
{
	return reason < VCPU_NR_EXITS ? vcpu_exits[reason].name : NULL;
}

/* --trace: one line per exit, after it was handled (IN data filled). */
static void vcpu_trace_exit(struct vcpu *v)
{
	const struct minivmm_run *run = v->run;
	const char *name = vcpu_exit_reason_name(run->exit_reason);
	const __u8 *d;
	__u32 i, n;
	FILE *f = v->err;

	fprintf(f, VMM_PROG ": trace: exit %llu: %s", v->exits,
		name ? name : "?");
	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
		fprintf(f, " %s port %#06x size %u count %u data",
			run->io.direction == MINIVMM_EXIT_IO_OUT ? "OUT" : "IN",
			run->io.port, run->io.size, run->io.count);
		n = run->io.size * run->io.count;
		if (run->io.data_offset > v->run_size ||
		    n > v->run_size - run->io.data_offset)
			n = 0;
		d = (const __u8 *)run + run->io.data_offset;
		for (i = 0; i < n && i < 16; i++)
			fprintf(f, " %02x", d[i]);
		if (n > 16)
			fprintf(f, " ...");
		break;
	case MINIVMM_EXIT_MMIO:
		fprintf(f, " %s %#llx len %u data",
			run->mmio.is_write ? "write" : "read",
			(unsigned long long)run->mmio.phys_addr, run->mmio.len);
		for (i = 0; i < run->mmio.len && i < 8; i++)
			fprintf(f, " %02x", run->mmio.data[i]);
		break;
	case MINIVMM_EXIT_HYPERCALL:
		fprintf(f, " nr %#llx", (unsigned long long)run->hypercall.nr);
		break;
	default:
		if (!name)
			fprintf(f, " (reason %u)", run->exit_reason);
		break;
	}
	fputc('\n', f);
}

enum vcpu_action vcpu_handle_exit(struct vcpu *v, int *status)
{
	__u32 reason = v->run->exit_reason;
	vcpu_exit_fn fn = handle_unknown;
	enum vcpu_action action;

	v->exits++;
	if (reason < VCPU_NR_EXITS && vcpu_exits[reason].fn)
		fn = vcpu_exits[reason].fn;
	v->stop = false;
	action = fn(v, status);
	if (v->xt)
		exit_trace_note_answer(v->xt, v->run, v->run_size);
	/* With the module's trace, every exit is in it (vcpu_run()). */
	if (v->trace && !v->xt)
		vcpu_trace_exit(v);
	if (action == VCPU_CONTINUE && v->stop) {	/* a device stopped it */
		*status = v->stop_status;
		action = VCPU_STOP;
	}
	if (action == VCPU_STOP && v->trace)
		fprintf(v->xt && v->xt->out ? v->xt->out : v->err,
			VMM_PROG ": trace: stop: exit status %d\n",
			*status);
	return action;
}

static void vcpu_stop_handler(int sig)
{
	if (!vcpu_stop_sig)
		vcpu_stop_sig = sig;
	if (vcpu_stop_run)
		vcpu_stop_run->immediate_exit = 1;
}

bool vcpu_timed_out(void)
{
	return vcpu_stop_sig == SIGALRM;
}

int vcpu_arm_timeout(struct vcpu *v, double seconds)
{
	struct sigaction sa = { .sa_handler = vcpu_stop_handler };
	struct itimerval it = { 0 };

	/* Disarm first: the handler must not touch a run page going away. */
	if (setitimer(ITIMER_REAL, &it, NULL))
		return -errno;
	vcpu_stop_run = NULL;
	vcpu_stop_sig = 0;
	v->timeout = seconds;
	if (seconds <= 0)
		return 0;

	vcpu_stop_run = v->run;
	/* No SA_RESTART: MINIVMM_RUN must return EINTR. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -errno;
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (time_t)seconds) * 1e6);
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL))
		return -errno;
	return 0;
}

int vcpu_catch_stop_signals(struct vcpu *v, bool catch)
{
	/*
	 * SA_RESETHAND: a second Ctrl-C kills at once, should the first
	 * not get the guest stopped. SA_RESTART keeps device output (stdio
	 * writes) from failing with EINTR; MINIVMM_RUN is not restarted,
	 * it returns EINTR (or exit INTR) on a signal.
	 */
	struct sigaction sa = {
		.sa_handler = catch ? vcpu_stop_handler : SIG_DFL,
		.sa_flags = catch ? SA_RESETHAND | SA_RESTART : 0,
	};

	if (catch)
		vcpu_stop_run = v->run;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

/*
 * Before each MINIVMM_RUN: devices whose deadline passed act (the PIT
 * raises IRQ 0); an interrupt the PIC has pending is acked and queued if
 * the guest can take it, or else the module is asked to exit when it
 * can; the next device deadline becomes the module's timer deadline.
 */
static int vcpu_sync_devices(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	struct minivmm_interrupt irq = { 0 };
	int ret;

	devices__tick(devices__now());
	run->request_interrupt_window = 0;
	if (irq__pending()) {
		if (run->ready_for_interrupt_injection) {
			irq.irq = irq__ack();
			ret = v->ioctl(v->fd, MINIVMM_INTERRUPT, (unsigned long)&irq);
			if (ret < 0)
				return report_ioctl_error(v->err, "MINIVMM_INTERRUPT",
							  MINIVMM_INTERRUPT, -ret);
			run->ready_for_interrupt_injection = 0;
			v->injected++;
		} else {
			run->request_interrupt_window = 1;
		}
	}
	run->timer_deadline_ns = devices__next_deadline();
	return 0;
}

int vcpu_run(struct vcpu *v)
{
	int ret, status = VMM_EXIT_OK;

	for (;;) {
		if (vcpu_stop_sig)
			break;
		if (v->irq_injection) {
			ret = vcpu_sync_devices(v);
			if (ret)
				return ret;
		}
		ret = v->ioctl(v->fd, MINIVMM_RUN, 0);
		if (v->xt && exit_trace_drain(v->xt, v) < 0) {
			fprintf(v->err, VMM_PROG ": trace: MINIVMM_READ_TRACE failed: the trace stops here\n");
			v->xt = NULL;
		}
		if (ret < 0) {
			if (ret == -EINTR || ret == -EAGAIN)
				continue;	/* the loop checks for the timeout */
			return report_ioctl_error(v->err, "MINIVMM_RUN",
						  MINIVMM_RUN, -ret);
		}
		if (vcpu_handle_exit(v, &status) == VCPU_STOP)
			return status;
	}
	vcpu_stop_requested(v, &status);
	return status;
}

/* VMX basic exit reasons, SDM Vol. 3D, Appendix C. */
static const char *const vmx_exit_reasons[] = {
	[0] = "exception or NMI",
	[1] = "external interrupt",
	[2] = "triple fault",
	[3] = "INIT signal",
	[4] = "start-up IPI",
	[5] = "I/O SMI",
	[6] = "other SMI",
	[7] = "interrupt window",
	[8] = "NMI window",
	[9] = "task switch",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "control-register access",
	[29] = "MOV DR",
	[30] = "I/O instruction",
	[31] = "RDMSR",
	[32] = "WRMSR",
	[33] = "invalid guest state",
	[34] = "MSR loading",
	[36] = "MWAIT",
	[37] = "monitor trap flag",
	[39] = "MONITOR",
	[40] = "PAUSE",
	[41] = "machine-check event",
	[43] = "TPR below threshold",
	[44] = "APIC access",
	[45] = "virtualized EOI",
	[46] = "GDTR or IDTR access",
	[47] = "LDTR or TR access",
	[48] = "EPT violation",
	[49] = "EPT misconfiguration",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "VMX-preemption timer expired",
	[53] = "INVVPID",
	[54] = "WBINVD",
	[55] = "XSETBV",
	[56] = "APIC write",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "page-modification log full",
	[63] = "XSAVES",
	[64] = "XRSTORS",
};

const char *vmx_exit_reason_name(__u64 reason)
{
	if (reason >= sizeof(vmx_exit_reasons) / sizeof(vmx_exit_reasons[0]))
		return NULL;
	return vmx_exit_reasons[reason];
}
