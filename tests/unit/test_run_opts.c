// SPDX-License-Identifier: GPL-2.0
/* `minivmm run` options: --mem, --timeout, --load-addr, the image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "exit_status.h"
#include "helpers.h"
#include "run.h"

static struct run_opts opts;
static struct membuf errb;
static char *argv_buf[16];

static int parse(char *const args[])
{
	int n = 0;

	argv_buf[n++] = "run";
	while (*args && n < 15)
		argv_buf[n++] = *args++;
	argv_buf[n] = NULL;
	membuf_open(&errb);
	return run_parse_args(n, argv_buf, &opts, errb.f);
}
#define PARSE(...)	parse((char *[]){ __VA_ARGS__, NULL })

/* Parse, expect a usage error whose message is @want. */
#define PARSE_ERR(want, ...) do {					\
	char *e_;							\
	cr_assert_eq(PARSE(__VA_ARGS__), VMM_EXIT_USAGE);		\
	e_ = membuf_str(&errb);						\
	cr_assert_str_eq(e_, want);					\
	free(e_);							\
} while (0)

static void parse_ok(void)
{
	char *e = membuf_str(&errb);

	cr_assert_str_empty(e);
	free(e);
}

Test(run_opts, defaults)
{
	cr_assert_eq(PARSE("guest.elf"), 0);
	parse_ok();
	cr_assert_str_eq(opts.image, "guest.elf");
	cr_assert_eq(opts.mem_size, 64ull << 20);
	cr_assert_eq(opts.timeout, 0);
	cr_assert_not(opts.load_addr_set);
	cr_assert_eq(opts.load_addr, 0x10000);
	cr_assert_not(opts.trace);
	cr_assert_not(opts.help);
}

Test(run_opts, all_options)
{
	cr_assert_eq(PARSE("--mem", "128M", "--timeout", "2.5", "--load-addr",
			   "0x7c00", "--trace", "x.bin"), 0);
	parse_ok();
	cr_assert_eq(opts.mem_size, 128ull << 20);
	cr_assert_eq(opts.timeout, 2.5);
	cr_assert(opts.load_addr_set);
	cr_assert_eq(opts.load_addr, 0x7c00);
	cr_assert(opts.trace);
	cr_assert_str_eq(opts.image, "x.bin");

	cr_assert_eq(PARSE("-m", "1G", "-t", "10", "-l", "64K", "y.bin"), 0);
	parse_ok();
	cr_assert_eq(opts.mem_size, 1ull << 30);
	cr_assert_eq(opts.timeout, 10);
	cr_assert_eq(opts.load_addr, 0x10000);
	cr_assert_eq(PARSE("--mem=2M", "--timeout=0", "z"), 0);
	parse_ok();
	cr_assert_eq(opts.mem_size, 2ull << 20);
	cr_assert_eq(opts.timeout, 0);
}

Test(run_opts, help)
{
	cr_assert_eq(PARSE("--help"), 0);
	parse_ok();
	cr_assert(opts.help);
	cr_assert_eq(PARSE("-h", "--bogus"), 0);
	parse_ok();
	cr_assert(opts.help);
}

/* --flat: long only (no -F), no argument, off by default. */
Test(run_opts, flat)
{
	cr_assert_eq(PARSE("guest"), 0);
	parse_ok();
	cr_assert_not(opts.flat);
	cr_assert_eq(PARSE("--flat", "guest"), 0);
	parse_ok();
	cr_assert(opts.flat);
	cr_assert_str_eq(opts.image, "guest");
	PARSE_ERR("minivmm: unknown option '-F'; see 'minivmm run --help'\n",
		  "-F", "guest");
	PARSE_ERR("minivmm: option '--flat' takes no argument; see 'minivmm run --help'\n",
		  "--flat=1", "guest");
}

/* The help says how an image is told flat, and what is refused. */
Test(run_opts, help_describes_flat_rule)
{
	struct membuf m;
	char *help;

	run_print_usage(membuf_open(&m));
	help = membuf_str(&m);
	cr_assert_not_null(strstr(help, "      --flat            IMAGE is a raw flat binary"), "%s", help);
	cr_assert_not_null(strstr(help, "named *.bin or run\n    with --flat"), "%s", help);
	cr_assert_not_null(strstr(help, "Refused, with exit status 10: a file neither ELF nor *.bin without\n    --flat;"),
			   "%s", help);
	cr_assert_not_null(strstr(help, "Linux bzImages without --kernel; Multiboot2"), "%s", help);
	cr_assert_not_null(strstr(help, "  Multiboot (v1, 0.6.96)"), "%s", help);
	free(help);
}

Test(run_opts, image_required_and_alone)
{
	PARSE_ERR("minivmm: run: no image given; see 'minivmm run --help'\n",
		  "--mem", "2M");
	PARSE_ERR("minivmm: run: unexpected argument 'b'; see 'minivmm run --help'\n",
		  "a", "b");
	PARSE_ERR("minivmm: unknown option '--bogus'; see 'minivmm run --help'\n",
		  "--bogus", "a");
	PARSE_ERR("minivmm: option '--mem' needs an argument; see 'minivmm run --help'\n",
		  "--mem");
	PARSE_ERR("minivmm: option '--help' takes no argument; see 'minivmm run --help'\n",
		  "--help=1", "a");
	PARSE_ERR("minivmm: run: --trace=1: want --trace or --trace=json\n",
		  "--trace=1", "a");
	PARSE_ERR("minivmm: run: --stats=xml: want --stats or --stats=json\n",
		  "--stats=xml", "a");
	PARSE_ERR("minivmm: run: --trace-ring '1000': want a power of two up to 1048576\n",
		  "--trace-ring", "1000", "a");
	PARSE_ERR("minivmm: unknown option '-T'; see 'minivmm run --help'\n",
		  "-T", "a");
}

Test(parse_size, values)
{
	static const struct { const char *s; __u64 v; } ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "1K", 1024 }, { "4k", 4096 },
		{ "64M", 64ull << 20 }, { "64m", 64ull << 20 },
		{ "1G", 1ull << 30 }, { "3g", 3ull << 30 },
		{ "1T", 1ull << 40 }, { "2t", 2ull << 40 },
		{ "0x100000", 0x100000 }, { "0X10", 16 }, { "0x10K", 16384 },
		{ "010", 10 }, { "17179869184", 16ull << 30 },
		{ "18446744073709551615", ~0ull },
	};
	static const struct { const char *s; int err; } bad[] = {
		{ "", -EINVAL }, { "M", -EINVAL }, { "-1", -EINVAL },
		{ " 1", -EINVAL }, { "+1", -EINVAL }, { "1 ", -EINVAL },
		{ "64MB", -EINVAL }, { "64P", -EINVAL }, { "1.5G", -EINVAL },
		{ "0x", -EINVAL }, { "abc", -EINVAL }, { "12abc", -EINVAL },
		{ "18446744073709551616", -ERANGE },
		{ "17179869184G", -ERANGE }, { "16777216T", -ERANGE }, { "0x40000000000000000", -ERANGE },
	};
	unsigned int i;
	__u64 v;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		cr_assert_eq(parse_size(ok[i].s, &v), 0, "'%s'", ok[i].s);
		cr_assert_eq(v, ok[i].v, "'%s' = %llu", ok[i].s,
			     (unsigned long long)v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(parse_size(bad[i].s, &v), bad[i].err, "'%s'",
			     bad[i].s);
}

Test(run_opts, mem)
{
	cr_assert_eq(PARSE("--mem", "1M", "a"), 0);
	parse_ok();
	cr_assert_eq(opts.mem_size, 1 << 20);
	cr_assert_eq(PARSE("--mem", "1052672", "a"), 0, "1M + 4K");
	parse_ok();
	cr_assert_eq(opts.mem_size, (1 << 20) + 4096);
	cr_assert_eq(PARSE("--mem", "0x200000", "a"), 0);
	parse_ok();
	PARSE_ERR("minivmm: run: --mem '1025K': not a multiple of 4K\n",
		  "--mem", "1025K", "a");
	PARSE_ERR("minivmm: run: --mem '1048577': not a multiple of 4K\n",
		  "--mem", "1048577", "a");
	PARSE_ERR("minivmm: run: --mem '512K': less than the minimum, 1M\n",
		  "--mem", "512K", "a");
	PARSE_ERR("minivmm: run: --mem '0': less than the minimum, 1M\n",
		  "--mem", "0", "a");
	PARSE_ERR("minivmm: run: --mem 'lots': not a size; want e.g. 64M\n",
		  "--mem", "lots", "a");
	PARSE_ERR("minivmm: run: --mem '-64M': not a size; want e.g. 64M\n",
		  "--mem=-64M", "a");
	PARSE_ERR("minivmm: run: --mem '99999999999999999999': too large; want e.g. 64M\n",
		  "--mem", "99999999999999999999", "a");
}

Test(run_opts, mem_at_most_host_ram)
{
	__u64 ram = host_ram_bytes();
	char want[128], big[32];

	cr_assert_lt(ram, 1ull << 50, "sysinfo() gave no RAM size");
	/* T is a size like the others; no machine here has 1024 TiB. */
	snprintf(want, sizeof(want),
		 "minivmm: run: --mem '1024T': more than this host's %llu MiB of RAM\n",
		 (unsigned long long)(ram >> 20));
	PARSE_ERR(want, "--mem", "1024T", "a");
	/* One page more than the host has is refused, before any ioctl. */
	snprintf(big, sizeof(big), "%llu",
		 (unsigned long long)((ram & ~4095ull) + 4096));
	cr_assert_eq(PARSE("--mem", big, "a"), VMM_EXIT_USAGE);
	snprintf(big, sizeof(big), "%lluK",
		 (unsigned long long)((ram & ~4095ull) >> 10));
	cr_assert_eq(PARSE("--mem", big, "a"), 0, "all of the host's RAM");
	parse_ok();
}

Test(run_opts, user)
{
	cr_assert_eq(PARSE("a"), 0);
	cr_assert_null(opts.user);
	cr_assert_eq(PARSE("--user", "nobody", "a"), 0);
	cr_assert_str_eq(opts.user, "nobody");
	cr_assert_eq(PARSE("-u", "65534", "a"), 0);
	cr_assert_str_eq(opts.user, "65534");
}

Test(run_opts, timeout)
{
	cr_assert_eq(PARSE("--timeout", "0.25", "a"), 0);
	parse_ok();
	cr_assert_eq(opts.timeout, 0.25);
	PARSE_ERR("minivmm: run: --timeout '-1': not a number of seconds\n",
		  "--timeout", "-1", "a");
	PARSE_ERR("minivmm: run: --timeout '5s': not a number of seconds\n",
		  "--timeout", "5s", "a");
	PARSE_ERR("minivmm: run: --timeout 'nan': not a number of seconds\n",
		  "--timeout", "nan", "a");
	PARSE_ERR("minivmm: run: --timeout 'inf': not a number of seconds\n",
		  "--timeout", "inf", "a");
	PARSE_ERR("minivmm: run: --timeout '': not a number of seconds\n",
		  "--timeout", "", "a");
	PARSE_ERR("minivmm: run: --timeout '1e300': not a number of seconds\n",
		  "--timeout", "1e300", "a");
}

Test(run_opts, load_addr)
{
	cr_assert_eq(PARSE("--load-addr", "0xffff0", "a"), 0);
	parse_ok();
	cr_assert_eq(opts.load_addr, 0xffff0);
	cr_assert_eq(PARSE("--load-addr", "0", "a"), 0);
	parse_ok();
	cr_assert(opts.load_addr_set);
	cr_assert_eq(opts.load_addr, 0);
	PARSE_ERR("minivmm: run: --load-addr '0x10008': must be a multiple of 16 up to 0xffff0 (real mode)\n",
		  "--load-addr", "0x10008", "a");
	PARSE_ERR("minivmm: run: --load-addr '1M': must be a multiple of 16 up to 0xffff0 (real mode)\n",
		  "--load-addr", "1M", "a");
	PARSE_ERR("minivmm: run: --load-addr 'here': not an address\n",
		  "--load-addr", "here", "a");
}

Test(run_opts, usage_text)
{
	const struct vmm_exit_status_desc *e;
	struct membuf m;
	char line[256], *u;

	run_print_usage(membuf_open(&m));
	u = membuf_str(&m);
	cr_assert(starts_with(u, "Usage: minivmm [-d DEVICE] run [OPTIONS] IMAGE\n"), "%s", u);
	cr_assert_not_null(strstr(u, "--mem SIZE"));
	cr_assert_not_null(strstr(u, "--timeout SECS"));
	cr_assert_not_null(strstr(u, "--load-addr ADDR"));
	cr_assert_not_null(strstr(u, "--trace"));
	/* --trace shows every exit, with where it was handled and its cost. */
	cr_assert_not_null(strstr(u, "print every exit of the guest"), "%s", u);
	cr_assert_not_null(strstr(u, "(kernel or user)"), "%s", u);
	cr_assert_not_null(strstr(u, "--trace-file PATH"), "%s", u);
	cr_assert_not_null(strstr(u, "--stats[=json]"), "%s", u);
	cr_assert_not_null(strstr(u, "K, M, G or T"), "%s", u);
	cr_assert_not_null(strstr(u, "--user USER"), "%s", u);
	cr_assert_not_null(strstr(u, "0x80000"), "documents the ELF layout");
	cr_assert_not_null(strstr(u, "0xfff0"), "documents the real-mode stack");
	for (e = vmm_exit_statuses; e->name; e++) {
		snprintf(line, sizeof(line), "\n  %3d  %s\n", e->status, e->desc);
		cr_assert_not_null(strstr(u, line), "status %s missing", e->name);
	}
	cr_assert_not_null(strstr(u, "debug-exit port 0xf4 (status N & 0xff"));
	free(u);
}

Test(exit_status, run_statuses)
{
	const struct vmm_exit_status_desc *e;

	cr_assert_eq(VMM_EXIT_TIMEOUT, 124, "as timeout(1)");
	/*
	 * The VMM-side outcomes of a run sit together, below 124, but for
	 * the signals' 128 + N.
	 */
	for (e = vmm_exit_statuses; e->name; e++)
		if (e->status > VMM_EXIT_NOT_MINIVMM &&
		    e->status != VMM_EXIT_SIGINT && e->status != VMM_EXIT_SIGTERM)
			cr_assert(e->status >= 115 && e->status <= 124,
				  "%s = %d", e->name, e->status);
}
