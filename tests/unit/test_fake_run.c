// SPDX-License-Identifier: GPL-2.0
/*
 * ./minivmm run end to end against the fake device of fake/: the shim
 * creates the VM and vCPU, logs what minivmm sets up, and plays a script
 * of exits ($MINIVMM_FAKE_RUN) instead of running the guest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "exit_status.h"
#include "helpers.h"

/* cli; hlt; 4 more bytes to fill the 8 logged at the entry point */
static const __u8 flat_code[] = { 0xfa, 0xf4, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };

static char dev[] = "/tmp/minivmm-fake-XXXXXX";
static char log_path[] = "/tmp/minivmm-fake-log-XXXXXX";
/* Named *.bin: minivmm runs no other file that is not ELF without --flat. */
static char flat[] = "/tmp/minivmm-flat-XXXXXX.bin";
static char elf[] = "/tmp/minivmm-elf-XXXXXX";
static char env_preload[256], env_dev[64], env_log[64], env_run[512];
static struct run_result res;
static char *log_text;

static void setup(void)
{
	struct test_elf e;
	int fd;

	cr_assert(access(minivmm_bin(), X_OK) == 0, "%s not built",
		  minivmm_bin());
	cr_assert(access(FAKE_MINIVMM_SO, R_OK) == 0,
		  "%s not built (make unit)", FAKE_MINIVMM_SO);
	fd = mkstemp(dev);
	cr_assert_geq(fd, 0);
	close(fd);
	fd = mkstemp(log_path);
	cr_assert_geq(fd, 0);
	close(fd);
	write_tmpfile(flat, flat_code, sizeof(flat_code));
	make_test_elf(&e);
	write_tmpfile(elf, &e, sizeof(e));
	snprintf(env_preload, sizeof(env_preload), "LD_PRELOAD=%s",
		 FAKE_MINIVMM_SO);
	snprintf(env_dev, sizeof(env_dev), "MINIVMM_FAKE_DEV=%s", dev);
	snprintf(env_log, sizeof(env_log), "MINIVMM_FAKE_LOG=%s", log_path);
}

static void teardown(void)
{
	unlink(dev);
	unlink(log_path);
	unlink(flat);
	unlink(elf);
	run_result_free(&res);
	free(log_text);
}

TestSuite(fake_run, .init = setup, .fini = teardown);

#define ASAN_PRELOAD_OK	"ASAN_OPTIONS=verify_asan_link_order=0"

/* A run that takes longer has hung: SIGALRM ends it, and the test fails. */
#define RUN_HANG_SECS	10

/* Run ./minivmm -d <fake> run @args with the exit script @script. */
#define RUN(knob, script, ...) ({					\
	char *env_[] = { env_preload, env_dev, env_log, env_run,	\
			 ASAN_PRELOAD_OK, knob, NULL };			\
	char *argv_[] = { (char *)minivmm_bin(), "-d", dev, "run",	\
			  __VA_ARGS__, NULL };				\
	snprintf(env_run, sizeof(env_run), "MINIVMM_FAKE_RUN=%s", script); \
	cr_assert_eq(run_prog_timeout(argv_, env_, RUN_HANG_SECS, &res), 0); \
	cr_assert(WIFEXITED(res.wstatus), "died: %#x", res.wstatus);	\
	free(log_text);							\
	log_text = slurp_path(log_path);				\
	WEXITSTATUS(res.wstatus);					\
})

static char *slurp_path(const char *path)
{
	FILE *f = fopen(path, "r");
	struct membuf m;
	char buf[4096];
	size_t n;

	cr_assert_not_null(f);
	membuf_open(&m);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m.f);
	fclose(f);
	return membuf_str(&m);
}

/* The log must contain the line starting with @prefix and containing @want. */
static void expect_log(const char *prefix, const char *want)
{
	const char *line;

	for (line = log_text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		size_t len = strcspn(line, "\n");
		char *l = strndup(line, len);
		bool hit = starts_with(l, prefix) && strstr(l, want);

		free(l);
		if (hit)
			return;
	}
	cr_assert_fail("no '%s' line with '%s' in the log:\n%s", prefix, want,
		       log_text);
}

Test(fake_run, flat_guest_prints_and_exits)
{
	cr_assert_eq(RUN(NULL, "outs:0x3f8:Hello in:0x3fd:1 out:0x3f8:1:0x0a out:0xf4:1:3",
			 flat), 3, "%s", res.err);
	cr_assert_str_eq(res.out, "Hello\n");
	cr_assert_str_empty(res.err);
	expect_log("CREATE_VM", "");
	expect_log("SET_MEMORY_REGION", "slot=0 flags=0 gpa=0 size=0x4000000 page_aligned=1");
	expect_log("CREATE_VCPU", "id=0");
	expect_log("SET_SREGS", "cr0=0x30 cr3=0 cr4=0 efer=0 apic_base=0xfee00900");
	expect_log("SET_SREGS", "idt=0/0x3ff");
	expect_log("SET_SREGS", " cs=0x1000/0x10000/0xffff/0xb/s1/p1/db0/l0/g0 ");
	expect_log("SET_SREGS", " ds=0x1000/0x10000/0xffff/0x3/s1/p1/");
	expect_log("SET_SREGS", " ss=0/0/0xffff/0x3/s1/p1/");
	expect_log("SET_SREGS", " tr=0/0/0xff/0xb/s0/p1/");
	expect_log("SET_SREGS", " ldt=0/0/0/0x2/s0/p0/db0/l0/g0/unusable");
	expect_log("SET_REGS", "rip=0 rsp=0xfff0 rflags=0x2");
	expect_log("CODE", "gpa=0x10000 bytes=faf4909090909090");
	expect_log("IN", "port=0x3fd data=60");
	/* The order of the set-up ioctls. */
	cr_assert(strstr(log_text, "CREATE_VM") < strstr(log_text, "SET_MEMORY_REGION"));
	cr_assert(strstr(log_text, "SET_MEMORY_REGION") < strstr(log_text, "CREATE_VCPU"));
	cr_assert(strstr(log_text, "SET_REGS") < strstr(log_text, "RUN 1"));
}

Test(fake_run, flat_load_addr_and_mem)
{
	cr_assert_eq(RUN(NULL, "out:0xf4:2:0x100", "--mem", "2M",
			 "--load-addr", "0x7c00", flat), 0, "%s", res.err);
	expect_log("SET_MEMORY_REGION", "size=0x200000");
	expect_log("SET_SREGS", " cs=0x7c0/0x7c00/");
	expect_log("SET_REGS", "rip=0 rsp=0x7c00 ");
	expect_log("CODE", "gpa=0x7c00 bytes=faf4");
}

Test(fake_run, elf_guest_long_mode)
{
	cr_assert_eq(RUN(NULL, "hlt", elf), VMM_EXIT_GUEST_HLT, "%s", res.err);
	cr_assert_str_eq(res.err, "minivmm: guest halted with interrupts disabled at rip 0x100005: nothing can wake it\n");
	expect_log("SET_SREGS", "cr0=0x80010033 cr3=0x2000 cr4=0x20 efer=0x500 apic_base=0xfee00900 gdt=0x1000/0x27 idt=0/0");
	expect_log("SET_SREGS", " cs=0x8/0/0xffffffff/0xb/s1/p1/db0/l1/g1 ");
	expect_log("SET_SREGS", " ds=0x10/0/0xffffffff/0x3/s1/p1/db1/l0/g1 ");
	expect_log("SET_SREGS", " tr=0x18/0x1080/0x67/0xb/s0/p1/");
	expect_log("SET_REGS", "rip=0x100004 rsp=0x80000 rflags=0x2");
	expect_log("CODE", "gpa=0x100004 bytes=9495969798999a9b");
}

Test(fake_run, hlt_with_interrupts_enabled)
{
	cr_assert_eq(RUN(NULL, "hlt-if", elf), VMM_EXIT_GUEST_HLT_IF);
}

Test(fake_run, mmio_and_unhandled_ports)
{
	cr_assert_eq(RUN(NULL, "mmio-r:0xd0000000:4 mmio-w:0xd0000000:4:5 mmio-r:0xd0000000:4 "
			 "out:0x84:1:1 out:0x84:1:2 in:0x65:2 out:0xf4:1:0", elf),
		     0, "%s", res.err);
	expect_log("MMIO", "addr=0xd0000000 data=ffffffff");
	expect_log("IN", "port=0x65 data=ffff");
	cr_assert_str_eq(res.err,
		"minivmm: unhandled MMIO at 0xd0000000: read of 4 bytes reads all-ones (reported once per address)\n"
		"minivmm: unhandled port 0x0084: OUT of 1 byte ignored (reported once per port)\n"
		"minivmm: unhandled port 0x0065: IN of 2 bytes reads all-ones (reported once per port)\n");
}

Test(fake_run, hypercall_then_exit)
{
	cr_assert_eq(RUN(NULL, "hypercall:7 intr out:0xf4:4:0x1ff", flat), 0xff);
	expect_log("HYPERCALL", "ret=0xffffffffffffffff");
	cr_assert(starts_with(res.err, "minivmm: hypercall 0x7 ("), "%s", res.err);
}

Test(fake_run, fatal_exits)
{
	cr_assert_eq(RUN(NULL, "shutdown", flat), VMM_EXIT_GUEST_SHUTDOWN);
	cr_assert_str_eq(res.err, "minivmm: guest shut down (triple fault) at rip 0\n");
	cr_assert_eq(RUN(NULL, "fail-entry:0x80000021:0", flat),
		     VMM_EXIT_ENTRY_FAILED);
	cr_assert(starts_with(res.err, "minivmm: VM entry failed: hardware exit reason 0x80000021 (invalid guest state)"),
		  "%s", res.err);
	cr_assert_eq(RUN(NULL, "internal:48:0x181:0x10000", flat),
		     VMM_EXIT_INTERNAL_ERROR);
	cr_assert(starts_with(res.err, "minivmm: internal error: the module cannot handle VMX exit reason 48 (EPT violation)"),
		  "%s", res.err);
	cr_assert_eq(RUN(NULL, "reason:77", flat), VMM_EXIT_UNKNOWN_EXIT);
	cr_assert_eq(RUN(NULL, "", flat), VMM_EXIT_IOCTL, "RUN failing");
	cr_assert(starts_with(res.err, "minivmm: MINIVMM_RUN failed: "), "%s", res.err);
}

Test(fake_run, trace)
{
	cr_assert_eq(RUN(NULL, "in:0x3fd:1 out:0xf4:1:0", "--trace", flat), 0);
	cr_assert(starts_with(res.err, "minivmm: trace: "), "%s", res.err);
	cr_assert_not_null(strstr(res.err, ": flat, real mode, 1 segment 0x10000-0x10007, entry 0x10000, 65536 KiB of memory\n"),
			   "%s", res.err);
	cr_assert_not_null(strstr(res.err, "minivmm: trace: exit 1: IO IN port 0x03fd size 1 count 1 data 60\n"),
			   "%s", res.err);
	cr_assert_not_null(strstr(res.err, "minivmm: trace: stop: exit status 0\n"),
			   "%s", res.err);
	cr_assert_not_null(strstr(res.err, "minivmm: trace: 2 exits, 0 bytes on COM1,"),
			   "%s", res.err);
}

Test(fake_run, timeout)
{
	struct timespec t0, t1;
	double dt;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(RUN(NULL, "out:0x80:1:0 block", "--timeout", "0.3", flat),
		     VMM_EXIT_TIMEOUT, "%s", res.err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert_geq(dt, 0.25);
	cr_assert_lt(dt, 10);
	cr_assert_not_null(strstr(res.err, "minivmm: timeout: guest stopped after 0.3 s\n"),
			   "%s", res.err);
}

Test(fake_run, bad_image_creates_no_vm)
{
	char bad[] = "/tmp/minivmm-bad-XXXXXX";
	struct test_elf e;

	make_test_elf(&e);
	e.eh.e_ident[EI_CLASS] = ELFCLASS32;
	write_tmpfile(bad, &e, sizeof(e));
	cr_assert_eq(RUN(NULL, "", bad), VMM_EXIT_BAD_IMAGE);
	unlink(bad);
	cr_assert(starts_with(res.err, "minivmm: /tmp/minivmm-bad-"), "%s", res.err);
	cr_assert_not_null(strstr(res.err, "only ELF64"), "%s", res.err);
	cr_assert_null(strstr(log_text, "CREATE_VM"), "%s", log_text);

	cr_assert_eq(RUN(NULL, "", "/nonexistent/guest.bin"), VMM_EXIT_BAD_IMAGE);
	cr_assert_str_eq(res.err, "minivmm: /nonexistent/guest.bin: cannot open: No such file or directory\n");
}

Test(fake_run, load_addr_is_for_flat_images)
{
	cr_assert_eq(RUN(NULL, "", "--load-addr", "0x7c00", elf), VMM_EXIT_USAGE);
	cr_assert(starts_with(res.err, "minivmm: run: --load-addr is for flat binaries; "),
		  "%s", res.err);
	cr_assert_str_empty(log_text);
}

Test(fake_run, image_too_big_for_memory)
{
	char big[] = "/tmp/minivmm-big-XXXXXX.bin";
	size_t len = 1 << 20;
	void *zeros = calloc(1, len);

	write_tmpfile(big, zeros, len);
	free(zeros);
	cr_assert_eq(RUN(NULL, "", "--mem", "1M", big), VMM_EXIT_BAD_IMAGE);
	unlink(big);
	cr_assert_not_null(strstr(res.err, ": 1048576 bytes at 0x10000 do not fit in 1024 KiB of guest memory\n"),
			   "%s", res.err);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:0", "--mem", "1M", "--load-addr", "0xffff0", flat), 0,
		     "the last 16 bytes below 1M: %s", res.err);
}

Test(fake_run, api_mismatch)
{
	cr_assert_eq(RUN("MINIVMM_FAKE_API=2", "", flat), VMM_EXIT_API_MISMATCH);
	cr_assert_str_empty(log_text);
}

Test(fake_run, real_mode_needs_unrestricted_guest)
{
	cr_assert_eq(RUN("MINIVMM_FAKE_NO_CAPS=1", "", flat), VMM_EXIT_UNSUPPORTED);
	cr_assert_not_null(strstr(res.err, "unrestricted guest"), "%s", res.err);
	cr_assert_eq(RUN("MINIVMM_FAKE_NO_CAPS=1", "out:0xf4:1:0", elf), 0,
		     "long mode does not need it: %s", res.err);
}

Test(fake_run, create_vm_fails)
{
	char knob[64];

	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FAIL=CREATE_VM:%d", ENOMEM);
	cr_assert_eq(RUN(knob, "", flat), VMM_EXIT_IOCTL);
	cr_assert(starts_with(res.err, "minivmm: MINIVMM_CREATE_VM failed: "),
		  "%s", res.err);
}

Test(fake_run, create_vm_vmx_busy)
{
	char knob[64];

	/* What minivmm.ko says while kvm_intel holds VT-x. */
	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FAIL=CREATE_VM:%d", EBUSY);
	cr_assert_eq(RUN(knob, "", flat), VMM_EXIT_VMX_BUSY, "%s", res.err);
	cr_assert_str_eq(res.err, "minivmm: MINIVMM_CREATE_VM: VT-x is in use by another hypervisor (e.g. kvm_intel: stop its VMs or 'rmmod kvm_intel', then retry); see the kernel log\n");
}

/* SIGINT/SIGTERM while the guest runs: stopped as on --timeout, 128 + N. */
static void stop_by_signal(int sig, int want_status, const char *name)
{
	char *env[] = { env_preload, env_dev, env_log, env_run,
			ASAN_PRELOAD_OK, NULL };
	char *argv[] = { (char *)minivmm_bin(), "-d", dev, "run", "--stats",
			 flat, NULL };
	char want[64];

	snprintf(env_run, sizeof(env_run),
		 "MINIVMM_FAKE_RUN=out:0x80:1:0 block");
	/* The handlers are in place before the first RUN is logged. */
	cr_assert_eq(run_prog_signal(argv, env, sig, log_path, "RUN 1: exit",
				     &res), 0);
	cr_assert(WIFEXITED(res.wstatus), "killed by the signal: %#x",
		  res.wstatus);
	cr_assert_eq(WEXITSTATUS(res.wstatus), want_status, "%s", res.err);
	snprintf(want, sizeof(want), "minivmm: %s: guest stopped after 1 exits\n",
		 name);
	cr_assert_not_null(strstr(res.err, want), "%s", res.err);
	/* --stats still asked for, after the stop message, as on a timeout */
	cr_assert_not_null(strstr(strstr(res.err, want), "\nminivmm: stats: "),
			   "%s", res.err);
}

Test(fake_run, sigint_stops_the_guest)
{
	stop_by_signal(SIGINT, VMM_EXIT_SIGINT, "SIGINT");
	cr_assert_eq(VMM_EXIT_SIGINT, 130);
}

Test(fake_run, sigterm_stops_the_guest)
{
	stop_by_signal(SIGTERM, VMM_EXIT_SIGTERM, "SIGTERM");
	cr_assert_eq(VMM_EXIT_SIGTERM, 143);
}

Test(fake_run, vm_ioctls_run_without_privileges)
{
	/* The shim fails every ioctl with EPERM while caps remain. */
	if (geteuid() != 0)
		cr_skip_test("not root: nothing to drop");
	cr_assert_eq(RUN(NULL, "out:0xf4:1:0", elf), 0, "%s", res.err);
}

/*
 * Under sudo minivmm becomes the caller once the device is open, so the
 * image is opened with the caller's rights: `sudo minivmm run
 * /etc/shadow` must not read a root-only file.
 */
Test(fake_run, sudo_runs_as_the_caller)
{
	if (geteuid() != 0)
		cr_skip_test("not root: no sudo to undo");
	cr_assert_eq(chmod(log_path, 0666), 0);
	cr_assert_eq(chmod(flat, 0644), 0);
	cr_assert_eq(RUN("SUDO_UID=65534", "out:0xf4:1:0", flat), 0, "%s",
		     res.err);
	expect_log("CREATE_VM", "uid=65534 gid=65534");
	cr_assert_eq(RUN("SUDO_UID=65534", "out:0xf4:1:0", "--user", "0",
			 flat), 0, "%s", res.err);
	expect_log("CREATE_VM", "uid=0 gid=0");

	/* Root-only now: root may, the sudo caller may not. */
	cr_assert_eq(chmod(flat, 0600), 0);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:0", flat), 0, "%s", res.err);
	expect_log("CREATE_VM", "uid=0 gid=0");
	cr_assert_eq(RUN("SUDO_UID=65534", "out:0xf4:1:0", flat),
		     VMM_EXIT_BAD_IMAGE);
	cr_assert_not_null(strstr(res.err, strerror(EACCES)), "%s", res.err);
	cr_assert_eq(truncate(log_path, 0), 0);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:0", "--user", "nobody", flat),
		     VMM_EXIT_BAD_IMAGE);
	cr_assert_not_null(strstr(res.err, strerror(EACCES)), "%s", res.err);
	cr_assert_str_empty(log_text, "no VM for an image it could not open");
}

Test(fake_run, user_unknown_is_a_usage_error)
{
	cr_assert_eq(RUN(NULL, "", "--user", "no-such-user-here", flat),
		     VMM_EXIT_USAGE);
	cr_assert_str_eq(res.err, "minivmm: --user 'no-such-user-here': no such user\n");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The image was refused before a VM was made: status 10 and @want. */
static void expect_refused(int status, const char *want)
{
	cr_assert_eq(status, VMM_EXIT_BAD_IMAGE, "%s", res.err);
	cr_assert_str_eq(res.err, want);
	cr_assert_null(strstr(log_text, "CREATE_VM"), "%s", log_text);
}

/* open(2) of a FIFO used to wait for a writer: forever. */
Test(fake_run, fifo_refused_promptly)
{
	char dir[] = "/tmp/minivmm-fifo-XXXXXX", fifo[64], want[128];
	struct timespec t0;
	int status;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/guest.bin", dir);
	cr_assert_eq(mkfifo(fifo, 0666), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = RUN(NULL, "", fifo);
	unlink(fifo);
	rmdir(dir);
	cr_assert_lt(seconds_since(&t0), 5);
	snprintf(want, sizeof(want), "minivmm: %s: is a FIFO, not a regular file\n",
		 fifo);
	expect_refused(status, want);
}

#define SPARSE_SIZE	(1ll << 30)
/* minivmm's own high-water mark, far below the GiB a full read costs. */
#define MAX_RSS_KIB	(64 << 10)

/* A 1 GiB sparse flat image: it was read whole (1 GiB, 5 s) to be refused. */
Test(fake_run, sparse_flat_refused_by_its_size)
{
	char big[] = "/tmp/minivmm-sparse-XXXXXX.bin";
	int fd = mkstemp_suffix(big);
	struct timespec t0;
	int status;

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, SPARSE_SIZE), 0);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = RUN(NULL, "", big);
	unlink(big);
	cr_assert_lt(seconds_since(&t0), 5);
	cr_assert_eq(status, VMM_EXIT_BAD_IMAGE, "%s", res.err);
	cr_assert_not_null(strstr(res.err, ": 1073741824 bytes at 0x10000 do not fit in 65536 KiB of guest memory\n"),
			   "%s", res.err);
	cr_assert_lt(res.rusage.ru_maxrss, MAX_RSS_KIB, "max RSS %ld KiB",
		     res.rusage.ru_maxrss);
}

/* An ELF of 1 GiB (debug sections, say) with small segments runs. */
Test(fake_run, sparse_elf_with_small_segments_runs)
{
	char big[] = "/tmp/minivmm-sparse-XXXXXX.elf";
	struct test_elf e;
	int status;

	make_test_elf(&e);
	write_tmpfile(big, &e, sizeof(e));
	cr_assert_eq(truncate(big, SPARSE_SIZE), 0);
	status = RUN(NULL, "hlt", big);
	unlink(big);
	cr_assert_eq(status, VMM_EXIT_GUEST_HLT, "%s", res.err);
	expect_log("CODE", "gpa=0x100004 bytes=9495969798999a9b");
	cr_assert_lt(res.rusage.ru_maxrss, MAX_RSS_KIB, "max RSS %ld KiB",
		     res.rusage.ru_maxrss);
}

/* Without .bin or --flat, a file that is not ELF used to run in real mode. */
Test(fake_run, flat_needs_bin_name_or_flat_option)
{
	char raw[] = "/tmp/minivmm-raw-XXXXXX", want[160];
	int status;

	write_tmpfile(raw, flat_code, sizeof(flat_code));
	status = RUN(NULL, "out:0xf4:1:5", raw);
	snprintf(want, sizeof(want), "minivmm: %s: not an ELF image; to run it as a raw real-mode binary, name it *.bin or pass --flat\n",
		 raw);
	expect_refused(status, want);
	status = RUN(NULL, "out:0xf4:1:5", "--flat", raw);
	unlink(raw);
	cr_assert_eq(status, 5, "%s", res.err);
	expect_log("CODE", "gpa=0x10000 bytes=faf4");
	cr_assert_eq(RUN(NULL, "out:0xf4:1:6", flat), 6, ".bin: %s", res.err);
}

Test(fake_run, flat_option_is_for_flat_binaries)
{
	char want[160];

	cr_assert_eq(RUN(NULL, "", "--flat", elf), VMM_EXIT_USAGE);
	snprintf(want, sizeof(want), "minivmm: run: --flat is for flat binaries; %s is an ELF image\n",
		 elf);
	cr_assert_str_eq(res.err, want);
	cr_assert_str_empty(log_text);
}

/* A bzImage's boot sector used to start in real mode, and exit 0. */
Test(fake_run, bzimage_refused)
{
	char bz[] = "/tmp/minivmm-bzImage-XXXXXX", want[160];
	static __u8 hdr[0x400];
	int status;

	hdr[0x1fe] = 0x55;
	hdr[0x1ff] = 0xaa;
	memcpy(hdr + 0x202, "HdrS", 4);
	hdr[0x206] = 0x0f;	/* protocol 2.15 */
	hdr[0x207] = 0x02;
	write_tmpfile(bz, hdr, sizeof(hdr));
	snprintf(want, sizeof(want), "minivmm: %s: a Linux bzImage (boot protocol 2.15): boot it with --kernel\n",
		 bz);
	expect_refused(RUN(NULL, "out:0xf4:1:0", bz), want);
	/* Asked to run it flat: it is still no real-mode program. */
	status = RUN(NULL, "out:0xf4:1:0", "--flat", bz);
	unlink(bz);
	expect_refused(status, want);
}

/* A Multiboot kernel with the a.out kludge, @flags in its header, to @path. */
static void write_mb_kernel(char *path, __u32 flags)
{
	static __u32 k[0x400];

	k[0x100] = 0x1badb002u;
	k[0x101] = flags;
	k[0x102] = -(k[0x100] + k[0x101]);
	k[0x103] = 0x100400;		/* header_addr: the file at 1 MiB */
	k[0x104] = 0x100000;		/* load_addr */
	k[0x105] = 0;			/* load_end_addr: the whole file */
	k[0x106] = 0x101000;		/* bss_end_addr */
	k[0x107] = 0x100800;		/* entry_addr */
	write_tmpfile(path, k, sizeof(k));
}

/* It runs in 32-bit protected mode, EAX the boot magic, EBX the info block. */
Test(fake_run, multiboot_boots)
{
	char mb[] = "/tmp/minivmm-mb-XXXXXX.bin";
	int status;

	write_mb_kernel(mb, 0x10003);
	status = RUN(NULL, "out:0xf4:1:0", mb);
	unlink(mb);
	cr_assert_eq(status, 0, "%s", res.err);
	cr_assert(strstr(log_text, "SET_SREGS cr0=0x31 "), "%s", log_text);
	cr_assert(strstr(log_text, "cs=0x8/0/0xffffffff/0xb/s1/p1/db1/l0/g1"), "%s", log_text);
	cr_assert(strstr(log_text, "SET_REGS rip=0x100800 rsp=0 rflags=0x2 rax=0x2badb002"), "%s", log_text);
}

Test(fake_run, multiboot_video_refused)
{
	char mb[] = "/tmp/minivmm-mbv-XXXXXX.bin", want[200];
	int status;

	write_mb_kernel(mb, 0x10007);	/* flag 2: a video mode */
	status = RUN(NULL, "out:0xf4:1:0", mb);
	unlink(mb);
	snprintf(want, sizeof(want), "minivmm: run: %s: Multiboot: flag 2 asks for a video mode: minivmm has a serial console only (flags 0x10007)\n",
		 mb);
	expect_refused(status, want);
}

/* They said "machine 15872" and "no loadable segment". */
Test(fake_run, bad_elf_says_what_is_wrong)
{
	char bad[] = "/tmp/minivmm-bad-XXXXXX.elf", want[160];
	struct test_elf e;
	int status;

	make_test_elf(&e);
	e.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	write_tmpfile(bad, &e, sizeof(e));
	status = RUN(NULL, "", bad);
	unlink(bad);
	snprintf(want, sizeof(want), "minivmm: %s: a big-endian ELF: x86-64 images are little-endian\n",
		 bad);
	expect_refused(status, want);

	make_test_elf(&e);
	strcpy(bad + strlen(bad) - 10, "XXXXXX.elf");
	write_tmpfile(bad, &e, 128);
	status = RUN(NULL, "", bad);
	unlink(bad);
	snprintf(want, sizeof(want), "minivmm: %s: truncated: program headers at offset 64..231 but the file has 128 bytes\n",
		 bad);
	expect_refused(status, want);
}

/* QEMU's exit conventions: isa-debug-exit's (N << 1) | 1, "Shutdown" on 0x8900. */
Test(fake_run, qemu_exit_conventions)
{
	cr_assert_eq(RUN(NULL, "out:0xf4:1:3", "--debug-exit=qemu", flat), 7, "%s", res.err);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:0", "--debug-exit=qemu", flat), 1, "%s", res.err);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:3", "--debug-exit=minivmm", flat), 3, "%s", res.err);
	cr_assert_eq(RUN(NULL, "out:0x8900:1:0x53 out:0x8900:1:0x68 out:0x8900:1:0x75 "
			 "out:0x8900:1:0x74 out:0x8900:1:0x64 out:0x8900:1:0x6f "
			 "out:0x8900:1:0x77 out:0x8900:1:0x6e out:0xf4:1:9", flat), 0, "%s", res.err);
	/* Not the whole word: the guest goes on to its own exit. */
	cr_assert_eq(RUN(NULL, "out:0x8900:1:0x53 out:0x8900:1:0x68 out:0xf4:1:9", flat), 9,
		     "%s", res.err);
	cr_assert_eq(RUN(NULL, "out:0xf4:1:3", "--debug-exit=bochs", flat), VMM_EXIT_USAGE);
}

/* An ELF32 with the Multiboot magic but a wrong checksum: the header's error. */
Test(fake_run, multiboot_bad_checksum_refused)
{
	char mb[] = "/tmp/minivmm-mbc-XXXXXX.elf", want[200];
	static __u8 k[0x200];
	__u32 h[3] = { 0x1badb002u, 3, 0 };
	int status;

	memcpy(k, ELFMAG, SELFMAG);
	k[EI_CLASS] = ELFCLASS32;
	memcpy(k + 0x40, h, sizeof(h));
	write_tmpfile(mb, k, sizeof(k));
	status = RUN(NULL, "out:0xf4:1:0", "--mem", "16M", mb);
	unlink(mb);
	snprintf(want, sizeof(want), "minivmm: run: %s: Multiboot: header checksum wrong (flags 0x3)\n", mb);
	expect_refused(status, want);
}
