// SPDX-License-Identifier: GPL-2.0
/* minivmm run [OPTIONS] IMAGE | --kernel BZIMAGE [--initrd FILE] [--append CMDLINE] */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "accel.h"
#include "boot.h"
#include "bzimage.h"
#include "cli.h"
#include "console.h"
#include "compare_policy.h"
#include "cpuid_linux.h"
#include "debug_exit.h"
#include "dev.h"
#include "devices.h"
#include "die.h"
#include "errors.h"
#include "exit_stats.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "guest_mem.h"
#include "image.h"
#include "lapic.h"
#include "mmio.h"
#include "pio.h"
#include "power.h"
#include "privs.h"
#include "run.h"
#include "serial.h"
#include "step.h"
#include "vcpu.h"

struct vm {
	int dev_fd;
	int vm_fd;
	struct guest_mem mem;
	struct image_info info;
	struct vcpu vcpu;
	struct minivmm_sregs sregs;	/* --kernel: the entry state */
	struct minivmm_regs regs;
	struct exit_trace xt;		/* --trace, --stats */
	struct cpuid_table cpuid;	/* --cpuid, --exit cpuid=user */
	struct rom rom;			/* --rom */
	FILE *trace_out, *stats_out;
};

/* Guest memory of @size bytes, or exit saying why. */
static void run_alloc_mem(struct vm *vm, __u64 size)
{
	int ret = guest_mem_alloc(&vm->mem, size);

	if (ret)
		die(VMM_EXIT_ERROR, "cannot allocate %llu KiB of guest memory: %s",
		    (unsigned long long)(size >> 10), strerror(-ret));
}

/* --kernel: the default command line, then --append. */
static char *run_kernel_cmdline(const struct run_opts *opts)
{
	char *cmd;

	if (asprintf(&cmd, "%s%s%s", BZ_DEFAULT_CMDLINE, opts->append ? " " : "",
		     opts->append ? opts->append : "") < 0)
		die(VMM_EXIT_ERROR, "out of memory");
	return cmd;
}

/* --kernel: the bzImage, the initrd and boot_params into guest memory. */
static int run_load_kernel(struct vm *vm, const struct run_opts *opts)
{
	struct image img, initrd = { 0 };
	char *cmdline;
	int ret;

	ret = image_read(opts->image, &img, stderr);
	if (ret)
		return ret;
	if (opts->initrd) {
		ret = image_read(opts->initrd, &initrd, stderr);
		if (ret) {
			image_free(&img);
			return ret;
		}
	}
	run_alloc_mem(vm, opts->mem_size);
	cmdline = run_kernel_cmdline(opts);
	ret = bzimage_load(img.data, img.size, initrd.data, initrd.size,
			   cmdline, &vm->mem, &vm->sregs, &vm->regs, stderr);
	if (!ret)
		vm->info = (struct image_info) {
			.kind = IMAGE_BZIMAGE, .entry = vm->regs.rip,
			.start = BZ_KERNEL_ADDR, .end = BZ_KERNEL_ADDR + img.size,
			.nr_segments = 1,
		};
	free(cmdline);
	image_free(&img);
	if (opts->initrd)
		image_free(&initrd);
	return ret;
}

/* Read and load the image into fresh guest memory: 0 or an exit status. */
static int run_load_image(struct vm *vm, const struct run_opts *opts)
{
	struct image img;
	int ret;

	ret = image_read(opts->image, &img, stderr);
	if (ret)
		return ret;
	if ((opts->load_addr_set || opts->flat) &&
	    image_kind(img.data, img.size) == IMAGE_ELF) {
		fprintf(stderr, VMM_PROG ": run: %s is for flat binaries; %s is an ELF image\n",
			opts->flat ? "--flat" : "--load-addr", opts->image);
		image_free(&img);
		return VMM_EXIT_USAGE;
	}
	if (!opts->flat && (image_is_multiboot(&img) || multiboot_elf32_with_magic(&img))) {
		struct mb_boot b = { .image_name = opts->image, .append = opts->append,
				     .nr_mods = opts->nr_modules };

		memcpy(b.mods, opts->modules, sizeof(b.mods));
		run_alloc_mem(vm, opts->mem_size);
		ret = multiboot_load(&img, &b, &vm->mem, &vm->info, stderr);
		image_free(&img);
		return ret;
	}
	if (opts->append || opts->nr_modules) {
		fprintf(stderr, VMM_PROG ": run: --append and --module need --kernel or a Multiboot kernel; %s is neither\n",
			opts->image);
		image_free(&img);
		return VMM_EXIT_USAGE;
	}
	ret = image_check_format(&img, opts->flat, stderr);
	if (ret) {
		image_free(&img);
		return ret;
	}
	run_alloc_mem(vm, opts->mem_size);
	ret = image_load(&img, opts->load_addr, &vm->mem, &vm->info, stderr);
	image_free(&img);
	return ret;
}

static void run_check_module(int dev_fd, const char *device,
			     const struct image_info *info)
{
	dev_check_api(dev_fd, device);
	if (info->kind == IMAGE_BZIMAGE &&
	    !dev_ioctl(dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_IRQ_INJECTION))
		die(VMM_EXIT_UNSUPPORTED,
		    "a kernel needs interrupts: MINIVMM_CHECK_CAP(MINIVMM_CAP_IRQ_INJECTION) is 0 (module too old?)");
	if (info->kind == IMAGE_FLAT &&
	    !dev_ioctl(dev_fd, MINIVMM_CHECK_CAP,
		       MINIVMM_CAP_UNRESTRICTED_GUEST))
		die(VMM_EXIT_UNSUPPORTED,
		    "flat images start in real mode, which needs VT-x \"unrestricted guest\": MINIVMM_CHECK_CAP(MINIVMM_CAP_UNRESTRICTED_GUEST) is 0");
}

/*
 * The module's CPUID hides the APIC (the module has none); minivmm
 * emulates an xAPIC (lapic.c), so the table it gives the module says
 * so. A module without MINIVMM_GET_CPUID keeps its own answers.
 */
static void run_setup_cpuid(struct vm *vm)
{
	struct cpuid_override leaf1 = { .leaf = 1 };
	int ret;

	if (__dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_EXIT_POLICY) <= 0)
		return;
	ret = cpuid_table_from_module(&vm->cpuid, &vm->vcpu);
	if (ret)
		die(VMM_EXIT_IOCTL, "MINIVMM_GET_CPUID failed: %s", strerror(-ret));
	cpuid_table_lookup(&vm->cpuid, 1, 0, leaf1.r);
	leaf1.r[3] |= CPUID_1_EDX_APIC;
	cpuid_table_set(&vm->cpuid, &leaf1);
	dev_ioctl(vm->vcpu.fd, MINIVMM_SET_CPUID, &vm->cpuid);
}

/* The VM, its memory as slot 0, vCPU 0 and its initial state. */
static void run_create_vm(struct vm *vm)
{
	struct minivmm_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem.size,
		.userspace_addr = (uintptr_t)vm->mem.host,
	};
	struct minivmm_sregs sregs;
	struct minivmm_regs regs;

	vm->vm_fd = dev_ioctl(vm->dev_fd, MINIVMM_CREATE_VM, 0);
	dev_ioctl(vm->vm_fd, MINIVMM_SET_MEMORY_REGION, &region);
	vcpu_create(&vm->vcpu, vm->dev_fd, vm->vm_fd);

	dev_ioctl(vm->vcpu.fd, MINIVMM_GET_SREGS, &sregs);
	if (vm->info.kind == IMAGE_BZIMAGE) {
		struct cpuid_linux_table t;

		cpuid_linux_table(&t, dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP,
						MINIVMM_CAP_TSC_KHZ), cpuid_host);
		dev_ioctl(vm->vcpu.fd, MINIVMM_SET_CPUID, &t);
		vm->sregs.apic_base = sregs.apic_base;
		sregs = vm->sregs;
		regs = vm->regs;
	} else {
		run_setup_cpuid(vm);
		if (vm->info.kind == IMAGE_MULTIBOOT)
			multiboot_entry_state(&vm->mem, &vm->info, &sregs, &regs);
		else if (vm->info.kind != IMAGE_ELF)
			boot_real_mode(vm->info.entry, &sregs, &regs);
		else if (boot_long_mode(&vm->mem, vm->info.entry, &sregs, &regs))
			die(VMM_EXIT_BAD_IMAGE, "guest memory too small for the boot page tables");
	}
	dev_ioctl(vm->vcpu.fd, MINIVMM_SET_SREGS, &sregs);
	dev_ioctl(vm->vcpu.fd, MINIVMM_SET_REGS, &regs);
}

static void run_setup_devices(struct vm *vm, const struct run_opts *opts)
{
	struct vm_devices d = { .out = stdout };
	const char *failed = "?";
	int ret;

	if (__dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_APIC_BASE) > 0)
		d.apic_base = &vm->vcpu.run->apic_base;
	debug_exit__set_qemu(opts->debug_exit_qemu);
	fw_cfg__set(vm->mem.size, opts->append);
	ret = devices__init(&d, &failed);
	if (ret)
		die(VMM_EXIT_ERROR, "cannot set up device %s: %s", failed,
		    strerror(-ret));
	vm->vcpu.irq_injection = __dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP,
					     MINIVMM_CAP_IRQ_INJECTION) > 0;
	if (opts->kernel) {
		vm->vcpu.os_guest = true;
		power__clear();
		serial__com1()->line_fn = power__console_line;
		ret = console__init(STDIN_FILENO, true);
		if (ret)
			die(VMM_EXIT_ERROR, "cannot put the terminal in raw mode: %s",
			    strerror(-ret));
	}
}

/*
 * --exit, --cpuid: minivmm's own CPUID table (the module's answers, the
 * --cpuid entries on top) given to the module, so the kernel's handler
 * and minivmm's agree; then the policy.
 */
static void run_setup_policy(struct vm *vm, const struct run_opts *opts)
{
	const struct exit_policy *p = &opts->policy;
	unsigned int i;
	int ret;

	if (!p->to_user && !p->io_kernel && !p->vmcall_kernel && !opts->nr_cpuid)
		return;
	if (__dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_EXIT_POLICY) <= 0)
		die(VMM_EXIT_UNSUPPORTED,
		    "--exit and --cpuid need MINIVMM_CAP_EXIT_POLICY (%s)",
		    accel_is_kvm() ? "minivmm's module, not --accel kvm" : "module too old?");
	if ((p->to_user & MINIVMM_POLICY_CPUID) || opts->nr_cpuid) {
		ret = cpuid_table_from_module(&vm->cpuid, &vm->vcpu);
		if (ret)
			die(VMM_EXIT_IOCTL, "MINIVMM_GET_CPUID failed: %s", strerror(-ret));
		for (i = 0; i < opts->nr_cpuid; i++)
			if (cpuid_table_set(&vm->cpuid, &opts->cpuid[i]))
				die(VMM_EXIT_USAGE, "--cpuid: the table is full (%d entries)",
				    MINIVMM_MAX_CPUID_ENTRIES);
		dev_ioctl(vm->vcpu.fd, MINIVMM_SET_CPUID, &vm->cpuid);
		vm->vcpu.cpuid = &vm->cpuid;
	}
	ret = exit_policy_apply(p, &vm->vcpu, vm->vm_fd);
	if (ret)
		die(VMM_EXIT_IOCTL, "MINIVMM_SET_EXIT_POLICY failed: %s", strerror(-ret));
}

static void run_trace_start(const struct vm *vm, const struct run_opts *opts)
{
	fprintf(vm->trace_out, VMM_PROG ": trace: %s: %s, %u segment%s %#llx-%#llx, entry %#llx, %llu KiB of memory\n",
		opts->image, image_kind_name(vm->info.kind),
		vm->info.nr_segments, vm->info.nr_segments == 1 ? "" : "s",
		(unsigned long long)vm->info.start,
		(unsigned long long)vm->info.end - 1,
		(unsigned long long)vm->info.entry,
		(unsigned long long)(vm->mem.size >> 10));
}

static void run_trace_end(const struct vm *vm)
{
	fprintf(vm->trace_out, VMM_PROG ": trace: %llu exits, %llu bytes on COM1, %llu accesses to %u unhandled ports, %llu unhandled MMIO accesses\n",
		vm->vcpu.exits, serial__com1() ? serial__com1()->tx_bytes : 0,
		pio__unhandled_accesses(),
		pio__unhandled_ports(), mmio__unhandled_accesses());
}

/*
 * minivmm's memory at its peak: guest memory the module pinned (all of
 * it: SET_MEMORY_REGION pins every page) is part of the process's RSS,
 * so it is named apart from minivmm's own.
 */
static void run_print_rss(FILE *f, __u64 guest_bytes)
{
	struct rusage ru;
	long guest_kib = guest_bytes >> 10;

	if (getrusage(RUSAGE_SELF, &ru))
		return;
	fprintf(f, VMM_PROG ": stats: peak RSS of minivmm: %ld KiB, of which guest memory at most %ld KiB; minivmm's own at least %ld KiB\n",
		ru.ru_maxrss, guest_kib, ru.ru_maxrss > guest_kib ? ru.ru_maxrss - guest_kib : 0);
}

/* --stats: what the vCPU's exits were, the kernel-handled ones included. */
static void run_print_stats(const struct vm *vm, const struct run_opts *opts)
{
	struct minivmm_vcpu_stats st;
	int ret = vm->vcpu.ioctl(vm->vcpu.fd, MINIVMM_GET_VCPU_STATS,
				 (unsigned long)&st);

	if (ret < 0) {
		if (accel_is_kvm()) {
			fprintf(stderr, VMM_PROG ": stats: --accel kvm has no per-reason exit counts: %llu exits reached minivmm\n",
				vm->vcpu.exits);
			run_print_rss(stderr, vm->mem.size);
		}
		else
			fprintf(stderr, VMM_PROG ": stats: MINIVMM_GET_VCPU_STATS failed: %s\n",
				strerror(-ret));
		return;
	}
	if (opts->compare_fd >= 0) {
		compare_policy_write(opts->compare_fd, vm->vcpu.xt, &st);
		return;
	}
	if (opts->stats_json) {
		exit_stats_print_json(vm->stats_out, vm->vcpu.xt, &st);
		return;
	}
	exit_stats_print(vm->stats_out, &st);
	devices__report(vm->stats_out);
	if (vm->vcpu.xt)
		exit_trace_print_costs(vm->stats_out, vm->vcpu.xt, &st);
	run_print_rss(vm->stats_out, vm->mem.size);
}

/* Open @path for the trace or statistics (as the user), or stderr. */
static FILE *run_open_output(const char *path, const char *opt)
{
	FILE *f;

	if (!path)
		return stderr;
	f = fopen(path, "w");
	if (!f)
		die(VMM_EXIT_USAGE, "run: %s %s: %s", opt, path, strerror(errno));
	return f;
}

/*
 * --trace, --stats: the module's exit trace, when it has one. Without it
 * --trace shows what reaches minivmm and --stats only counts.
 */
static void run_start_trace(struct vm *vm, const struct run_opts *opts)
{
	int ret;

	vm->trace_out = opts->trace ? run_open_output(opts->trace_file, "--trace-file") : NULL;
	vm->stats_out = opts->stats ? run_open_output(opts->stats_file, "--stats-file") : NULL;
	if (!opts->trace && !opts->stats)
		return;
	if (__dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_EXIT_TRACE) <= 0) {
		if (opts->trace)
			fprintf(stderr, VMM_PROG ": trace: this module has no exit trace: only the exits that reach minivmm are shown\n");
		return;
	}
	vm->xt.out = vm->trace_out;
	vm->xt.json = opts->trace_json;
	ret = exit_trace_start(&vm->xt, &vm->vcpu, opts->trace_ring);
	if (ret)
		die(VMM_EXIT_ERROR, "MINIVMM_SET_TRACE of %u records failed: %s",
		    opts->trace_ring, strerror(-ret));
	vm->vcpu.xt = &vm->xt;
}

/*
 * --step: single-stepping on, and the first instruction printed; with
 * --break, only the breakpoint is armed and stepping starts at its hit.
 */
static void run_start_stepping(struct vm *vm, const struct run_opts *opts)
{
	struct vcpu *v = &vm->vcpu;
	int ret;

	if (__dev_ioctl(vm->dev_fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_SINGLE_STEP) <= 0)
		die(VMM_EXIT_UNSUPPORTED,
		    "--step and --break need MINIVMM_CAP_SINGLE_STEP: this module is too old");
	v->bp_set = opts->brk;
	v->bp_addr = opts->break_addr;
	v->step_limit = opts->step_count;
	v->step_at_break = opts->brk && opts->step;
	ret = step__set(v, opts->step && !opts->brk);
	if (ret)
		die(VMM_EXIT_IOCTL, "MINIVMM_SET_GUEST_DEBUG failed: %s", strerror(-ret));
	if (!opts->step || opts->brk)
		return;
	ret = step__print(v);
	if (ret)
		exit(ret);
	if (v->step_limit == 1 && step__set(v, 0))
		die(VMM_EXIT_IOCTL, "MINIVMM_SET_GUEST_DEBUG failed");
}

static void run_close_output(FILE *f)
{
	if (f && f != stderr && fclose(f))
		fprintf(stderr, VMM_PROG ": cannot write the trace or statistics: %s\n",
			strerror(errno));
}

static void run_destroy_vm(struct vm *vm)
{
	console__restore();
	devices__exit();
	vcpu_catch_stop_signals(&vm->vcpu, false);
	vcpu_arm_timeout(&vm->vcpu, 0);
	if (vm->vcpu.run)
		munmap(vm->vcpu.run, vm->vcpu.run_size);
	close(vm->vcpu.fd);
	close(vm->vm_fd);
	guest_mem_free(&vm->mem);
}

/* One run of the guest as @opts say: its exit status. */
int run_guest(const struct cli_opts *cli, const struct run_opts *o)
{
	struct run_opts opts = *o;
	static struct vm vm;
	int ret;

	memset(&vm, 0, sizeof(vm));
	vm.vm_fd = -1;
	vm.dev_fd = dev_open(cli->device);
	privs_become_user(opts.user);
	privs_drop_all();
	/* Only now, as the user and unprivileged: the image is theirs to choose. */
	ret = opts.kernel ? run_load_kernel(&vm, &opts) : run_load_image(&vm, &opts);
	if (ret)
		return ret;
	run_check_module(vm.dev_fd, cli->device, &vm.info);
	run_create_vm(&vm);
	run_setup_devices(&vm, &opts);
	run_setup_policy(&vm, &opts);
	if (opts.rom.path) {
		vm.rom = opts.rom;
		ret = rom_map(&vm.rom, vm.vm_fd, 1);
		if (ret)
			return ret;
	}

	/* The text lines around the trace; JSON lines stay JSON only. */
	vm.vcpu.trace = opts.trace && !opts.trace_json;
	run_start_trace(&vm, &opts);
	if (vm.vcpu.trace)
		run_trace_start(&vm, &opts);
	vm.vcpu.mem = &vm.mem;
	if (opts.step || opts.brk)
		run_start_stepping(&vm, &opts);
	ret = vcpu_arm_timeout(&vm.vcpu, opts.timeout);
	if (!ret)	/* after the timeout: both share the handler */
		ret = vcpu_catch_stop_signals(&vm.vcpu, true);
	if (ret)
		die(VMM_EXIT_ERROR, "cannot arm the timeout or signals: %s",
		    strerror(-ret));
	ret = vcpu_run(&vm.vcpu);
	if (vm.vcpu.xt) {
		exit_trace_drain(vm.vcpu.xt, &vm.vcpu);
		exit_trace_finish(vm.vcpu.xt);
	}
	if (vm.vcpu.trace)
		run_trace_end(&vm);
	if (opts.stats)
		run_print_stats(&vm, &opts);
	exit_trace_free(&vm.xt);
	run_close_output(vm.trace_out);
	run_close_output(vm.stats_out);

	if (vm.vcpu.hypercalls > VCPU_HYPERCALLS_SHOWN)
		fprintf(stderr, VMM_PROG ": %llu hypercalls in all, the first %d shown; all returned -1\n",
			vm.vcpu.hypercalls, VCPU_HYPERCALLS_SHOWN);
	if (vm.rom.path && vm.vcpu.trace)
		fprintf(vm.trace_out, VMM_PROG ": trace: %llu writes to the ROM at %#llx dropped\n",
			vm.rom.writes, (unsigned long long)vm.rom.gpa);
	rom_free(&vm.rom);
	run_destroy_vm(&vm);
	close(vm.dev_fd);
	return ret;
}

int cmd_run(const struct cli_opts *cli, int argc, char **argv)
{
	struct run_opts opts;
	int ret;

	ret = run_parse_args(argc, argv, &opts, stderr);
	if (ret)
		return ret;
	if (opts.help) {
		run_print_usage(stdout);
		return VMM_EXIT_OK;
	}
	if (opts.compare)
		return compare_policy_run(cli, &opts);
	return run_guest(cli, &opts);
}
