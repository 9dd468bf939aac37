// SPDX-License-Identifier: GPL-2.0
/* The exit table: what each exit reason does and which status it gives. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "debug_exit.h"
#include "exit_status.h"
#include "helpers.h"
#include "mmio.h"
#include "pio.h"
#include "serial.h"
#include "vcpu.h"

#define RUN_SIZE	4096

static struct vcpu v;
static struct minivmm_run *run;
static struct membuf errb;
static struct minivmm_regs fake_regs;
static int fake_regs_errno;

/* A fake device: GET_REGS/GET_SREGS answer, RUN plays a script. */
#define MAX_SCRIPT	8
static struct minivmm_run script[MAX_SCRIPT];
static unsigned int script_len, script_pos, runs;
static int run_errno;		/* RUN fails with this (after the script) */
static bool endless_io;		/* RUN always exits with an OUT to 0x80 */
static struct minivmm_vcpu_stats fake_stats;	/* GET_VCPU_STATS answer */

static int fake_ioctl(int fd, unsigned long req, unsigned long arg)
{
	(void)fd;
	switch (req) {
	case MINIVMM_GET_REGS:
		if (fake_regs_errno)
			return -fake_regs_errno;
		memcpy((void *)arg, &fake_regs, sizeof(fake_regs));
		return 0;
	case MINIVMM_GET_SREGS:
		memset((void *)arg, 0, sizeof(struct minivmm_sregs));
		return 0;
	case MINIVMM_GET_VCPU_STATS:
		memcpy((void *)arg, &fake_stats, sizeof(fake_stats));
		return 0;
	case MINIVMM_RUN:
		runs++;
		if (run->immediate_exit) {
			run->exit_reason = MINIVMM_EXIT_INTR;
			return -EINTR;
		}
		if (endless_io) {
			run->exit_reason = MINIVMM_EXIT_IO;
			run->io.direction = MINIVMM_EXIT_IO_OUT;
			run->io.port = 0x80;
			run->io.size = 1;
			run->io.count = 1;
			run->io.data_offset = 1024;
			return 0;
		}
		if (script_pos < script_len) {
			__u8 immediate = run->immediate_exit;

			memcpy(run, &script[script_pos++], sizeof(*run));
			run->immediate_exit = immediate;
			return 0;
		}
		if (run_errno == EINTR) {	/* block until a signal */
			pause();
			return -EINTR;
		}
		return -run_errno;
	default:
		return -ENOTTY;
	}
}

static void setup(void)
{
	run = aligned_alloc(4096, RUN_SIZE);
	memset(run, 0, RUN_SIZE);
	vcpu_init(&v, -1, run, RUN_SIZE);
	v.ioctl = fake_ioctl;
	v.err = membuf_open(&errb);
	pio__reset();
	mmio__reset();
	memset(&fake_regs, 0, sizeof(fake_regs));
	fake_regs.rip = 0x1234;
	fake_regs.rflags = 0x2;
	fake_regs_errno = 0;
	script_len = script_pos = runs = 0;
	run_errno = EIO;
	endless_io = false;
	memset(&fake_stats, 0, sizeof(fake_stats));
}

static void teardown(void)
{
	if (errb.f)
		free(membuf_str(&errb));
	free(run);
}

TestSuite(vcpu, .init = setup, .fini = teardown);

static char *err_text(void)
{
	return membuf_str(&errb);
}

/* Handle one exit of @reason; returns the action, *status set if it stopped. */
static enum vcpu_action exit_with(__u32 reason, int *status)
{
	run->exit_reason = reason;
	*status = -1;
	return vcpu_handle_exit(&v, status);
}

static void set_io(__u8 dir, __u16 port, __u8 size, __u32 count,
		   const void *data)
{
	run->exit_reason = MINIVMM_EXIT_IO;
	run->io.direction = dir;
	run->io.port = port;
	run->io.size = size;
	run->io.count = count;
	run->io.data_offset = 1024;
	if (data)
		memcpy((char *)run + 1024, data, size * count);
}

Test(vcpu, io_out_continues)
{
	struct serial uart;
	struct membuf out;
	int status = -1;
	char *s;

	cr_assert_eq(serial__setup(&uart, SERIAL_COM1_BASE, membuf_open(&out)), 0);
	set_io(MINIVMM_EXIT_IO_OUT, 0x3f8, 1, 3, "abc");
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_CONTINUE);
	s = membuf_str(&out);
	cr_assert_str_eq(s, "abc");
	free(s);
}

Test(vcpu, io_in_fills_data_area)
{
	struct serial uart;
	int status;

	cr_assert_eq(serial__setup(&uart, SERIAL_COM1_BASE, stdout), 0);
	set_io(MINIVMM_EXIT_IO_IN, 0x3fd, 1, 1, "\0");
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_CONTINUE);
	cr_assert_eq(((__u8 *)run)[1024], 0x60);
	set_io(MINIVMM_EXIT_IO_IN, 0x80, 2, 1, "\0\0");
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_CONTINUE);
	cr_assert_arr_eq((__u8 *)run + 1024, "\xff\xff", 2);
}

Test(vcpu, debug_exit_stops_with_guest_code)
{
	int status;

	cr_assert_eq(debug_exit__setup(), 0);
	set_io(MINIVMM_EXIT_IO_OUT, 0xf4, 4, 1, "\x2a\x01\x00\x00");
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_STOP);
	cr_assert_eq(status, 42);
	cr_assert_str_empty(err_text(), "a guest exit is silent");
}

Test(vcpu, malformed_io)
{
	int status;
	char *e;

	set_io(MINIVMM_EXIT_IO_OUT, 0x80, 3, 1, NULL);
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_INTERNAL_ERROR);
	set_io(MINIVMM_EXIT_IO_OUT, 0x80, 4, RUN_SIZE, NULL);	/* past the page */
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_STOP);
	set_io(MINIVMM_EXIT_IO_OUT, 0x80, 1, 1, NULL);
	run->io.data_offset = 8;				/* inside the header */
	cr_assert_eq(vcpu_handle_exit(&v, &status), VCPU_STOP);
	e = err_text();
	cr_assert(starts_with(e, "minivmm: malformed IO exit from the module\n"), "%s", e);
	free(e);
}

Test(vcpu, mmio_read_all_ones)
{
	int status;

	run->mmio.phys_addr = 0xd0000000;
	run->mmio.len = 4;
	run->mmio.is_write = 0;
	memset(run->mmio.data, 0, 8);
	cr_assert_eq(exit_with(MINIVMM_EXIT_MMIO, &status), VCPU_CONTINUE);
	cr_assert_arr_eq(run->mmio.data, "\xff\xff\xff\xff\x00", 5,
			 "data for the next MINIVMM_RUN");
	run->mmio.len = 9;
	cr_assert_eq(exit_with(MINIVMM_EXIT_MMIO, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_INTERNAL_ERROR);
}

Test(vcpu, hlt_interrupts_disabled)
{
	int status;
	char *e;

	fake_regs.rflags = 0x46;
	cr_assert_eq(exit_with(MINIVMM_EXIT_HLT, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_GUEST_HLT);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: guest halted with interrupts disabled at rip 0x1234: nothing can wake it\n");
	free(e);
}

Test(vcpu, hlt_interrupts_enabled)
{
	int status;
	char *e;

	fake_regs.rflags = 0x202;
	cr_assert_eq(exit_with(MINIVMM_EXIT_HLT, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_GUEST_HLT_IF);
	e = err_text();
	cr_assert(starts_with(e, "minivmm: guest halted with interrupts enabled at rip 0x1234: "), "%s", e);
	free(e);
}

Test(vcpu, hlt_get_regs_fails)
{
	int status;

	fake_regs_errno = EIO;
	cr_assert_eq(exit_with(MINIVMM_EXIT_HLT, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_IOCTL);
}

Test(vcpu, shutdown)
{
	int status;
	char *e;

	cr_assert_eq(exit_with(MINIVMM_EXIT_SHUTDOWN, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_GUEST_SHUTDOWN);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: guest shut down (triple fault) at rip 0x1234\n");
	free(e);
}

Test(vcpu, fail_entry)
{
	int status;
	char *e;

	run->fail_entry.hardware_exit_reason = 0x80000021;
	run->fail_entry.qualification = 3;
	cr_assert_eq(exit_with(MINIVMM_EXIT_FAIL_ENTRY, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_ENTRY_FAILED);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: VM entry failed: hardware exit reason 0x80000021 (invalid guest state), qualification 0x3\n");
	free(e);
}

Test(vcpu, internal_error)
{
	int status;
	char *e;

	run->internal.exit_reason = 10;
	run->internal.qualification = 0;
	run->internal.rip = 0xfff0;
	cr_assert_eq(exit_with(MINIVMM_EXIT_INTERNAL_ERROR, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_INTERNAL_ERROR);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: internal error: the module cannot handle VMX exit reason 10 (CPUID), qualification 0, rip 0xfff0\n");
	free(e);
}

Test(vcpu, unknown_reasons)
{
	int status;
	char *e;

	cr_assert_eq(exit_with(MINIVMM_EXIT_UNKNOWN, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_UNKNOWN_EXIT);
	cr_assert_eq(exit_with(99, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_UNKNOWN_EXIT);
	cr_assert_eq(exit_with(~0u, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_UNKNOWN_EXIT);
	e = err_text();
	cr_assert_not_null(strstr(e, "minivmm: unknown exit reason 99 from the module\n"), "%s", e);
	free(e);
}

Test(vcpu, hypercall_returns_minus_one)
{
	int status;
	char *e;
	unsigned int i;

	run->hypercall.nr = 1;
	for (i = 0; i < 5; i++)
		run->hypercall.args[i] = i + 2;
	cr_assert_eq(exit_with(MINIVMM_EXIT_HYPERCALL, &status), VCPU_CONTINUE);
	cr_assert_eq(run->hypercall.ret, (__u64)-1);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: hypercall 0x1 (0x2, 0x3, 0x4, 0x5, 0x6): not implemented, returning -1\n");
	free(e);
}

Test(vcpu, intr_without_timeout_continues)
{
	int status;

	cr_assert_eq(exit_with(MINIVMM_EXIT_INTR, &status), VCPU_CONTINUE);
	cr_assert_not(vcpu_timed_out());
}

Test(vcpu, every_reason_has_a_name)
{
	__u32 r;

	for (r = 0; r <= MINIVMM_EXIT_EXCEPTION; r++)
		cr_assert_not_null(vcpu_exit_reason_name(r), "%u", r);
	cr_assert_null(vcpu_exit_reason_name(MINIVMM_EXIT_EXCEPTION + 1));
	cr_assert_str_eq(vmx_exit_reason_name(48), "EPT violation");
	cr_assert_null(vmx_exit_reason_name(35));
	cr_assert_null(vmx_exit_reason_name(1000));
}

Test(vcpu, trace_lines)
{
	struct serial uart;
	int status;
	char *e;

	cr_assert_eq(serial__setup(&uart, SERIAL_COM1_BASE, stdout), 0);
	cr_assert_eq(debug_exit__setup(), 0);
	v.trace = true;
	set_io(MINIVMM_EXIT_IO_IN, 0x3fd, 1, 1, "\0");
	vcpu_handle_exit(&v, &status);
	set_io(MINIVMM_EXIT_IO_OUT, 0xf4, 1, 1, "\x03");
	vcpu_handle_exit(&v, &status);
	e = err_text();
	cr_assert_str_eq(e,
		"minivmm: trace: exit 1: IO IN port 0x03fd size 1 count 1 data 60\n"
		"minivmm: trace: exit 2: IO OUT port 0x00f4 size 1 count 1 data 03\n"
		"minivmm: trace: stop: exit status 3\n");
	free(e);
}

/* vcpu_run(): the loop, on a scripted fake device */

static void script_io_out(__u16 port, __u8 byte)
{
	struct minivmm_run *r = &script[script_len++];

	memset(r, 0, sizeof(*r));
	r->exit_reason = MINIVMM_EXIT_IO;
	r->io.direction = MINIVMM_EXIT_IO_OUT;
	r->io.port = port;
	r->io.size = 1;
	r->io.count = 1;
	r->io.data_offset = 1024;
	/* The data area is outside struct minivmm_run: write it at run time. */
	((__u8 *)run)[1024] = byte;
}

Test(vcpu, run_until_guest_exit)
{
	struct minivmm_run *r;

	cr_assert_eq(debug_exit__setup(), 0);
	script_io_out(0x80, 0);
	r = &script[script_len++];
	memset(r, 0, sizeof(*r));
	r->exit_reason = MINIVMM_EXIT_HYPERCALL;
	script_io_out(0xf4, 5);
	cr_assert_eq(vcpu_run(&v), 5);
	cr_assert_eq(runs, 3);
	cr_assert_eq(v.exits, 3);
}

Test(vcpu, run_ioctl_failure)
{
	char *e, want[128];

	run_errno = EFAULT;
	cr_assert_eq(vcpu_run(&v), VMM_EXIT_IOCTL);
	e = err_text();
	snprintf(want, sizeof(want), "minivmm: MINIVMM_RUN failed: %s\n",
		 strerror(EFAULT));
	cr_assert_str_eq(e, want);
	free(e);
}

Test(vcpu, run_timeout_while_in_guest)
{
	struct timespec t0, t1;
	double dt;
	char *e;

	run_errno = EINTR;		/* the guest never exits by itself */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(vcpu_arm_timeout(&v, 0.05), 0);
	cr_assert_eq(vcpu_run(&v), VMM_EXIT_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert_geq(dt, 0.04);
	cr_assert_lt(dt, 5);
	cr_assert(vcpu_timed_out());
	cr_assert_eq(run->immediate_exit, 1, "the handler set immediate_exit");
	e = err_text();
	cr_assert_str_eq(e, "minivmm: timeout: guest stopped after 0.05 s\n");
	free(e);
}

Test(vcpu, run_timeout_during_exit_storm)
{
	/*
	 * The guest exits all the time (OUTs to 0x80): the alarm mostly
	 * fires while minivmm handles an exit, and immediate_exit makes the
	 * next RUN return at once.
	 */
	endless_io = true;
	cr_assert_eq(vcpu_arm_timeout(&v, 0.05), 0);
	cr_assert_eq(vcpu_run(&v), VMM_EXIT_TIMEOUT);
	cr_assert_gt(runs, 1);
	cr_assert_eq(pio__unhandled_ports(), 1);
}

Test(vcpu, intr_exit_after_timeout_stops)
{
	int status;

	cr_assert_eq(vcpu_arm_timeout(&v, 0.01), 0);
	while (!vcpu_timed_out())
		pause();
	cr_assert_eq(run->immediate_exit, 1);
	cr_assert_eq(exit_with(MINIVMM_EXIT_INTR, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_TIMEOUT);
}

Test(vcpu, disarm_timeout)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	cr_assert_eq(vcpu_arm_timeout(&v, 0.02), 0);
	cr_assert_eq(vcpu_arm_timeout(&v, 0), 0);
	nanosleep(&ts, NULL);
	cr_assert_not(vcpu_timed_out(), "the alarm still fired");
	cr_assert_eq(run->immediate_exit, 0);
}

/* --timeout in an #AC loop: status 117, and the message names #AC. */
Test(vcpu, timeout_in_exception_loop)
{
	char *e;

	fake_stats.exits = 50000 + 30;
	fake_stats.by_reason[0] = 50000;
	fake_stats.exceptions[17] = 50000;
	fake_stats.by_reason[52] = 30;		/* the host's, not counted */
	run_errno = EINTR;
	cr_assert_eq(vcpu_arm_timeout(&v, 0.05), 0);
	cr_assert_eq(vcpu_run(&v), VMM_EXIT_GUEST_EXC_STORM);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: timeout: guest stopped after 0.05 s in an exception loop: 50000 of its 50000 exits were #AC (alignment check)\n");
	free(e);
}

/* --timeout in a CPUID storm: status 116, and the message names CPUID. */
Test(vcpu, timeout_in_exit_storm)
{
	char *e;

	fake_stats.exits = 3000;
	fake_stats.by_reason[10] = 2000;	/* CPUID */
	fake_stats.by_reason[30] = 1000;	/* I/O */
	run_errno = EINTR;
	cr_assert_eq(vcpu_arm_timeout(&v, 0.05), 0);
	cr_assert_eq(vcpu_run(&v), VMM_EXIT_GUEST_EXIT_STORM);
	e = err_text();
	cr_assert_str_eq(e, "minivmm: timeout: guest stopped after 0.05 s in an exit storm: 3000 exits, the most (2000) for CPUID\n");
	free(e);
}
