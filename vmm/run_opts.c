// SPDX-License-Identifier: GPL-2.0
/* `minivmm run` options: parsing and help. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "boot.h"
#include "bzimage.h"
#include "devices.h"
#include "die.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "guest_mem.h"
#include "options.h"
#include "accel.h"
#include "run.h"
#include "uapi/minivmm.h"

/* 100 years: far from what time_t and struct itimerval hold. */
#define RUN_TIMEOUT_MAX	(100.0 * 365 * 24 * 3600)

const struct option run_long_opts[] = {
	{ "help",	no_argument,		NULL, 'h' },
	{ "mem",	required_argument,	NULL, 'm' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "load-addr",	required_argument,	NULL, 'l' },
	{ "flat",	no_argument,		NULL, 'F' },
	{ "trace",	optional_argument,	NULL, 'T' },
	{ "trace-file",	required_argument,	NULL, 'f' },
	{ "trace-ring",	required_argument,	NULL, 'r' },
	{ "stats",	optional_argument,	NULL, 'S' },
	{ "stats-file",	required_argument,	NULL, 's' },
	{ "step",	optional_argument,	NULL, 'p' },
	{ "break",	required_argument,	NULL, 'B' },
	{ "user",	required_argument,	NULL, 'u' },
	{ "kernel",	required_argument,	NULL, 'k' },
	{ "initrd",	required_argument,	NULL, 'i' },
	{ "append",	required_argument,	NULL, 'a' },
	{ "exit",	required_argument,	NULL, 'x' },
	{ "cpuid",	required_argument,	NULL, 'c' },
	{ "rom",	required_argument,	NULL, 'R' },
	{ "accel",	required_argument,	NULL, 'A' },
	{ "module",	required_argument,	NULL, 'M' },
	{ "debug-exit",	required_argument,	NULL, 'D' },
	{ "compare-policy", required_argument,	NULL, 'C' },
	{ NULL,		0,			NULL, 0 },
};

void run_print_usage(FILE *f)
{
	fprintf(f,
		"Usage: " VMM_PROG " [-d DEVICE] run [OPTIONS] IMAGE\n"
		"       " VMM_PROG " [-d DEVICE] run [OPTIONS] --kernel BZIMAGE [--initrd FILE]\n"
		"                [--append CMDLINE]\n"
		"\n"
		"Boot IMAGE, or a Linux kernel, in a new VM with one vCPU and the devices\n"
		"listed below, until the guest exits.\n"
		"\n"
		"      --kernel BZIMAGE  boot a Linux bzImage through the 64-bit boot protocol\n"
		"                        with the command line\n"
		"                        \"" BZ_DEFAULT_CMDLINE "\"\n"
		"                        (default --mem 256M); stdin is its console input\n"
		"                        (raw mode on a terminal: Ctrl-A x quits, Ctrl-A\n"
		"                        Ctrl-A sends Ctrl-A). A reset (reboot -f) or\n"
		"                        power-off (poweroff -f) ends the run with status 0,\n"
		"                        a kernel panic with 115. See docs/linux-guest.md.\n"
		"      --initrd FILE     initramfs for --kernel, placed at the top of RAM\n"
		"      --append CMDLINE  added to the end of the kernel command line; for a\n"
		"                        Multiboot kernel, its command line after its name\n"
		"      --module FILE[,ARGS]  a Multiboot module (repeatable, up to 16), its\n"
		"                        string FILE ARGS\n"
		"  -m, --mem SIZE        guest memory at guest-physical 0; K, M, G or T\n"
		"                        suffix; a multiple of 4K, at least 1M, at most the\n"
		"                        host's RAM (default 64M)\n"
		"  -t, --timeout SECS    stop the guest after SECS seconds (fractions allowed;\n"
		"                        0 = never, the default) and exit with 124\n"
		"      --flat            IMAGE is a raw flat binary although its name does\n"
		"                        not end in .bin (on an ELF image: status 2)\n"
		"  -l, --load-addr ADDR  flat images: where to load (default 0x10000); a\n"
		"                        multiple of 16 up to 0xffff0\n"
		"      --trace[=json]    print every exit of the guest, in order: those the\n"
		"                        module handles and those that reach minivmm, each\n"
		"                        with its decoded detail, RIP, where it was handled\n"
		"                        (kernel or user) and its cost in host TSC cycles\n"
		"                        (exit to next entry); =json: one JSON object a line\n"
		"      --trace-file PATH write the trace to PATH instead of stderr\n"
		"      --trace-ring N    records in the module's trace ring (a power of two,\n"
		"                        default 16384); a full ring drops exits and the\n"
		"                        trace says how many\n"
		"      --stats[=json]    print exit statistics at the end: every exit by\n"
		"                        reason and exception vector (kernel-handled ones\n"
		"                        too), where each was handled and min / median /\n"
		"                        p99 / max cycles; =json: one JSON object\n"
		"      --stats-file PATH write the statistics to PATH instead of stderr\n"
		"      --step[=N]        run the guest one instruction per exit (the VMX\n"
		"                        monitor trap flag, or RFLAGS.TF), printing for\n"
		"                        each the step number, RIP, code size and the\n"
		"                        bytes at RIP (no disassembler: objdump can read\n"
		"                        them) on stderr;\n"
		"                        N: only the first N instructions, then run on\n"
		"      --exit CLASS=WHERE  handle exits of CLASS in the kernel or in user(space)\n"
		"                        (repeatable; classes below): a class moved to\n"
		"                        userspace is handled by minivmm doing the module's\n"
		"                        job; --trace and --stats show where each exit went\n"
		"      --compare-policy CLASS[,CLASS...]\n"
		"                        run the guest twice, as given and with each CLASS\n"
		"                        moved (cpuid, msr, cr, exception to user; io,\n"
		"                        vmcall to kernel; or CLASS=WHERE), then print\n"
		"                        both cost\n"
		"                        tables side by side and whether the guest's output\n"
		"                        and exit status were the same; exits with the\n"
		"                        second run's status (1 if they differ)\n"
		"      --cpuid LEAF[.SUB]=EAX:EBX:ECX:EDX\n"
		"                        what CPUID answers for LEAF (SUB: that subleaf\n"
		"                        only), in the module and in --exit cpuid=user's\n"
		"                        handler alike (repeatable, up to 16)\n"
		"      --break ADDR      a hardware breakpoint (the module's DR0) at guest-\n"
		"                        linear ADDR (real mode: CS*16+IP): each hit prints\n"
		"                        the registers; with --step, stepping starts at\n"
		"                        the first hit instead of the first instruction\n"
		"      --rom FILE@GPA    FILE as read-only guest memory at GPA (a multiple\n"
		"                        of 4K): reads at memory speed, writes exit as MMIO\n"
		"                        and are dropped, as on a ROM\n"
		"      --debug-exit=CONV minivmm (the default: an OUT of N to port 0xf4\n"
		"                        exits with N) or qemu (with (N << 1) | 1, as\n"
		"                        QEMU's isa-debug-exit)\n"
		"      --accel BACKEND   minivmm (the default: /dev/minivmm) or kvm: the same\n"
		"                        loaders, devices and exit handlers on /dev/kvm\n"
		"                        (without the module's exit trace, exit policy\n"
		"                        and exit counts; KVM answers VMCALL itself)\n"
		"  -u, --user USER       once the device is open, run as USER (a name or\n"
		"                        uid; needs root); under sudo the default is the\n"
		"                        user who ran sudo (SUDO_UID/SUDO_GID). The image\n"
		"                        is opened as that user. All capabilities are\n"
		"                        dropped either way.\n"
		"  -h, --help            show this help and exit\n"
		"\n"
		"Images:\n"
		"  ELF64 (x86-64, ET_EXEC): each PT_LOAD is copied to its physical address\n"
		"    (at or above 0x80000) and the guest starts at e_entry in 64-bit long\n"
		"    mode with the first 4 GiB identity-mapped (2 MiB pages). minivmm puts\n"
		"    its GDT at 0x1000, TSS at 0x1080, page tables at 0x2000-0x7fff and the\n"
		"    stack below 0x80000 (RSP = 0x80000). No IDT, no SSE.\n"
		"  flat: a file that does not start with \"\\177ELF\", named *.bin or run\n"
		"    with --flat, is copied whole to 0x10000 (or --load-addr) and started\n"
		"    in real mode at CS:IP = load/16:0, DS = ES = FS = GS = CS,\n"
		"    SS:SP = 0:min(load, 0xfff0). There is no BIOS.\n"
		"  Refused, with exit status 10: a file neither ELF nor *.bin without\n"
		"    --flat; ELFs that are 32-bit, big-endian, for another machine, not\n"
		"    ET_EXEC or truncated; Linux bzImages without --kernel; Multiboot2\n"
		"    kernels (not supported yet); FIFOs, devices and directories.\n"
		"  Multiboot (v1, 0.6.96): an image with the header in its first 8 KiB\n"
		"    (not an x86-64 ET_EXEC: those are ELF64 images like any other) is\n"
		"    loaded as ELF32, or by its a.out-kludge addresses, with its modules,\n"
		"    and entered in 32-bit protected mode, paging off, EAX = 0x2BADB002,\n"
		"    EBX = the information block (memory, command line, modules, memory\n"
		"    map) at 0x9000. Needs 2 MiB to 4 GiB of memory.\n"
		"\n"
		"Exit classes (--exit, --compare-policy):\n");
	exit_policy_print_help(f);
	fprintf(f,
		"\n"
		"Devices:\n");
	devices__print_help(f);
	fprintf(f,
		"Other ports read all-ones and ignore writes, as does MMIO outside guest\n"
		"memory; each is reported once on stderr. HLT with interrupts enabled\n"
		"sleeps until the next timer deadline or input; with nothing to wake the\n"
		"guest, or with interrupts disabled, it stops the run, as do a triple fault\n"
		"and failed VM entries (for --kernel: see above); hypercalls (VMCALL) are\n"
		"printed and return -1.\n"
		"\n");
	exit_status_print_run_help(f);
}

int parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))	/* no sign, no blanks */
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (shift && end[1])
		return -EINVAL;
	if (shift && v > (~0ull >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int run_parse_mem(const char *s, __u64 *out, FILE *err)
{
	__u64 v;
	int ret = parse_size(s, &v);

	if (ret) {
		fprintf(err, VMM_PROG ": run: --mem '%s': %s; want e.g. 64M\n",
			s, ret == -ERANGE ? "too large" : "not a size");
		return VMM_EXIT_USAGE;
	}
	if (v % GUEST_PAGE_SIZE) {
		fprintf(err, VMM_PROG ": run: --mem '%s': not a multiple of 4K\n", s);
		return VMM_EXIT_USAGE;
	}
	if (v < GUEST_MEM_MIN) {
		fprintf(err, VMM_PROG ": run: --mem '%s': less than the minimum, 1M\n", s);
		return VMM_EXIT_USAGE;
	}
	/* The module pins guest memory: more than the host's RAM can never work. */
	if (v > host_ram_bytes()) {
		fprintf(err, VMM_PROG ": run: --mem '%s': more than this host's %llu MiB of RAM\n",
			s, (unsigned long long)(host_ram_bytes() >> 20));
		return VMM_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

__u64 host_ram_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return ~0ull;	/* unknown: let the module decide */
	return (__u64)si.totalram * si.mem_unit;
}

int run_parse_timeout(const char *s, double *out, FILE *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0 ||
	    v > RUN_TIMEOUT_MAX || isspace((unsigned char)*s)) {
		fprintf(err, VMM_PROG ": run: --timeout '%s': not a number of seconds\n", s);
		return VMM_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int run_parse_load_addr(const char *s, __u64 *out, FILE *err)
{
	if (parse_size(s, out)) {
		fprintf(err, VMM_PROG ": run: --load-addr '%s': not an address\n", s);
		return VMM_EXIT_USAGE;
	}
	if (*out % 16 || *out > BOOT_FLAT_MAX_LOAD_ADDR) {
		fprintf(err, VMM_PROG ": run: --load-addr '%s': must be a multiple of 16 up to %#llx (real mode)\n",
			s, BOOT_FLAT_MAX_LOAD_ADDR);
		return VMM_EXIT_USAGE;
	}
	return 0;
}

/* --trace and --stats: no value (text) or "json". */
static int run_parse_format(const char *arg, const char *opt, bool *json,
			    FILE *err)
{
	*json = false;
	if (!arg || !strcmp(arg, "text"))
		return 0;
	if (!strcmp(arg, "json")) {
		*json = true;
		return 0;
	}
	fprintf(err, VMM_PROG ": run: %s=%s: want %s or %s=json\n", opt, arg, opt, opt);
	return VMM_EXIT_USAGE;
}

/* --module FILE[,ARGS]: the path, and the module's string after it. */
static int run_parse_module(const char *arg, struct mb_module *m, FILE *err)
{
	const char *comma = strchr(arg, ',');
	char *path;

	if (comma == arg || !*arg) {
		fprintf(err, VMM_PROG ": run: --module '%s': want FILE[,ARGS]\n", arg);
		return VMM_EXIT_USAGE;
	}
	if (!comma) {
		m->path = arg;
		m->args = NULL;
		return 0;
	}
	path = strndup(arg, comma - arg);
	if (!path)
		return VMM_EXIT_ERROR;
	m->path = path;
	m->args = comma + 1;
	return 0;
}

/* --step[=N]: N > 0 instructions, or every one. */
static int run_parse_steps(const char *s, unsigned long long *out, FILE *err)
{
	__u64 v;

	*out = 0;
	if (!s)
		return 0;
	if (parse_size(s, &v) || !v) {
		fprintf(err, VMM_PROG ": run: --step=%s: want a number of instructions, at least 1\n", s);
		return VMM_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int run_parse_ring(const char *s, unsigned int *out, FILE *err)
{
	__u64 v;

	if (parse_size(s, &v) || !v || (v & (v - 1)) || v > MINIVMM_TRACE_MAX_RECORDS) {
		fprintf(err, VMM_PROG ": run: --trace-ring '%s': want a power of two up to %u\n",
			s, MINIVMM_TRACE_MAX_RECORDS);
		return VMM_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

/*
 * --compare-policy: CLASS moves to where it is not by default (io to
 * the kernel, the rest to userspace), CLASS=WHERE where it says.
 */
static int run_parse_compare(const char *arg, struct run_opts *opts, FILE *err)
{
	char buf[256], item[64], *tok, *save = NULL;
	int ret;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(err, VMM_PROG ": run: --compare-policy: too long\n");
		return VMM_EXIT_USAGE;
	}
	strcpy(buf, arg);
	opts->compare_policy = opts->policy;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strchr(tok, '='))
			snprintf(item, sizeof(item), "%s", tok);
		else
			snprintf(item, sizeof(item), "%s=%s", tok,
				 strcmp(tok, "io") && strcmp(tok, "vmcall") ? "user" : "kernel");
		ret = exit_policy_parse(&opts->compare_policy, item, err);
		if (ret)
			return ret;
	}
	if (opts->compare_policy.to_user == opts->policy.to_user &&
	    opts->compare_policy.io_kernel == opts->policy.io_kernel &&
	    opts->compare_policy.vmcall_kernel == opts->policy.vmcall_kernel) {
		fprintf(err, VMM_PROG ": run: --compare-policy %s: the same policy twice\n", arg);
		return VMM_EXIT_USAGE;
	}
	return 0;
}

int run_parse_args(int argc, char **argv, struct run_opts *opts, FILE *err)
{
	struct options o = {
		.argc = argc,
		.argv = argv,
		.optstring = "hm:t:l:u:",
		.longopts = run_long_opts,
		.help_cmd = "run ",
	};
	const char *compare_arg = NULL;
	int c, ret = 0;

	*opts = (struct run_opts) {
		.trace_ring = EXIT_TRACE_RING_DEFAULT,
		.mem_size = GUEST_MEM_DEFAULT,
		.load_addr = BOOT_FLAT_LOAD_ADDR,
		.compare_fd = -1,
	};
	options_begin(&o);
	while ((c = options_next(&o, err)) != -1) {
		switch (c) {
		case 'h':
			opts->help = true;
			return 0;
		case 'm':
			ret = run_parse_mem(optarg, &opts->mem_size, err);
			opts->mem_set = true;
			break;
		case 'k':
			opts->kernel = true;
			opts->image = optarg;
			break;
		case 'i':
			opts->initrd = optarg;
			break;
		case 'a':
			opts->append = optarg;
			break;
		case 't':
			ret = run_parse_timeout(optarg, &opts->timeout, err);
			break;
		case 'l':
			ret = run_parse_load_addr(optarg, &opts->load_addr, err);
			opts->load_addr_set = true;
			break;
		case 'F':
			opts->flat = true;
			break;
		case 'T':
			opts->trace = true;
			ret = run_parse_format(optarg, "--trace", &opts->trace_json, err);
			break;
		case 'S':
			opts->stats = true;
			ret = run_parse_format(optarg, "--stats", &opts->stats_json, err);
			break;
		case 'f':
			opts->trace_file = optarg;
			break;
		case 's':
			opts->stats_file = optarg;
			break;
		case 'r':
			ret = run_parse_ring(optarg, &opts->trace_ring, err);
			break;
		case 'p':
			opts->step = true;
			ret = run_parse_steps(optarg, &opts->step_count, err);
			break;
		case 'u':
			opts->user = optarg;
			break;
		case 'B':
			opts->brk = true;
			if (parse_size(optarg, &opts->break_addr) ||
			    (__u64)((__s64)(opts->break_addr << 16) >> 16) != opts->break_addr) {
				fprintf(err, VMM_PROG ": run: --break '%s': not a (canonical) address\n", optarg);
				return VMM_EXIT_USAGE;
			}
			break;
		case 'x':
			ret = exit_policy_parse(&opts->policy, optarg, err);
			break;
		case 'c':
			if (opts->nr_cpuid == RUN_MAX_CPUID_OVERRIDES) {
				fprintf(err, VMM_PROG ": run: more than %d --cpuid options\n",
					RUN_MAX_CPUID_OVERRIDES);
				return VMM_EXIT_USAGE;
			}
			ret = cpuid_override_parse(optarg, &opts->cpuid[opts->nr_cpuid++], err);
			break;
		case 'R':
			ret = rom_parse(optarg, &opts->rom, err);
			break;
		case 'M':
			if (opts->nr_modules == MB_MAX_MODULES) {
				fprintf(err, VMM_PROG ": run: more than %d --module options\n",
					MB_MAX_MODULES);
				return VMM_EXIT_USAGE;
			}
			ret = run_parse_module(optarg, &opts->modules[opts->nr_modules++], err);
			break;
		case 'D':
			if (strcmp(optarg, "qemu") && strcmp(optarg, "minivmm")) {
				fprintf(err, VMM_PROG ": run: --debug-exit=%s: want minivmm or qemu\n", optarg);
				return VMM_EXIT_USAGE;
			}
			opts->debug_exit_qemu = !strcmp(optarg, "qemu");
			break;
		case 'A':
			if (!accel_select(optarg)) {
				fprintf(err, VMM_PROG ": run: --accel %s: want minivmm or kvm\n", optarg);
				return VMM_EXIT_USAGE;
			}
			opts->accel = optarg;
			break;
		case 'C':
			opts->compare = true;
			compare_arg = optarg;
			break;
		default:
			return VMM_EXIT_USAGE;
		}
		if (ret)
			return ret;
	}
	if (opts->initrd && !opts->kernel) {
		fprintf(err, VMM_PROG ": run: --initrd needs --kernel\n");
		return VMM_EXIT_USAGE;
	}
	if (opts->nr_modules && opts->kernel) {
		fprintf(err, VMM_PROG ": run: --module is for Multiboot kernels, not --kernel (use --initrd)\n");
		return VMM_EXIT_USAGE;
	}
	if (opts->kernel && (opts->flat || opts->load_addr_set)) {
		fprintf(err, VMM_PROG ": run: --flat and --load-addr are for flat images, not --kernel\n");
		return VMM_EXIT_USAGE;
	}
	/* After every --exit: the second run starts from the first's policy. */
	if (compare_arg) {
		ret = run_parse_compare(compare_arg, opts, err);
		if (ret)
			return ret;
	}
	if (opts->kernel && !opts->mem_set)
		opts->mem_size = RUN_KERNEL_MEM_DEFAULT;
	if (!opts->kernel) {
		if (optind >= argc) {
			fprintf(err, VMM_PROG ": run: no image given; see '" VMM_PROG
				" run --help'\n");
			return VMM_EXIT_USAGE;
		}
		opts->image = argv[optind++];
	}
	if (optind < argc) {
		fprintf(err, VMM_PROG ": run: unexpected argument '%s'; see '"
			VMM_PROG " run --help'\n", argv[optind]);
		return VMM_EXIT_USAGE;
	}
	return 0;
}
