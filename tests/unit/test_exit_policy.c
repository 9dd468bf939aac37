// SPDX-License-Identifier: GPL-2.0
/*
 * --exit and --cpuid: parsing, minivmm's CPUID table, and the userspace
 * handlers of the policy exits against a fake module.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "compare_policy.h"
#include "cpuid_table.h"
#include "exit_policy.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "helpers.h"
#include "pio.h"
#include "vcpu.h"

static struct vcpu v;
static struct minivmm_run run_page;
static struct membuf errb;
static struct minivmm_exit_policy last_policy;
/* The fake module's MSRs: KERNEL_GS_BASE exists, nothing else. */
static __u64 fake_kgs;

static int fake_ioctl(int fd, unsigned long req, unsigned long arg)
{
	struct minivmm_msrs *m = (struct minivmm_msrs *)arg;

	(void)fd;
	switch (req) {
	case MINIVMM_SET_EXIT_POLICY:
		memcpy(&last_policy, (void *)arg, sizeof(last_policy));
		return 0;
	case MINIVMM_GET_MSRS:
		if (m->entries[0].index != 0xc0000102)
			return 0;
		m->entries[0].data = fake_kgs;
		return 1;
	case MINIVMM_SET_MSRS:
		if (m->entries[0].index != 0xc0000102)
			return 0;
		fake_kgs = m->entries[0].data;
		return 1;
	default:
		return -ENOTTY;
	}
}

static void setup(void)
{
	memset(&v, 0, sizeof(v));
	memset(&run_page, 0, sizeof(run_page));
	v.fd = 3;
	v.run = &run_page;
	v.run_size = sizeof(run_page);
	v.ioctl = fake_ioctl;
	v.err = membuf_open(&errb);
	fake_kgs = 0;
}

static void teardown(void)
{
	free(membuf_str(&errb));
}

TestSuite(exit_policy, .init = setup, .fini = teardown);

Test(exit_policy, parse_moves_and_refuses)
{
	struct exit_policy p = { 0 };
	char buf[128];

	cr_assert_eq(exit_policy_parse(&p, "cpuid=user", v.err), 0);
	cr_assert_eq(exit_policy_parse(&p, "exception=user", v.err), 0);
	cr_assert_eq(exit_policy_parse(&p, "io=kernel", v.err), 0);
	cr_assert_eq(p.to_user, MINIVMM_POLICY_CPUID | MINIVMM_POLICY_EXCEPTION);
	cr_assert(p.io_kernel);
	exit_policy_describe(&p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "cpuid=user,exception=user,io=kernel");
	cr_assert_eq(exit_policy_parse(&p, "cpuid=kernel", v.err), 0);
	cr_assert_eq(p.to_user, MINIVMM_POLICY_EXCEPTION);
	/* Where it always is: accepted; where it cannot go: refused. */
	cr_assert_eq(exit_policy_parse(&p, "hlt=user", v.err), 0);
	cr_assert_eq(exit_policy_parse(&p, "hlt=kernel", v.err), VMM_EXIT_USAGE);
	cr_assert_eq(exit_policy_parse(&p, "vmcall=kernel", v.err), 0);
	cr_assert(p.vmcall_kernel);
	exit_policy_describe(&p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "exception=user,io=kernel,vmcall=kernel");
	cr_assert_eq(exit_policy_parse(&p, "vmcall=user", v.err), 0);
	cr_assert_not(p.vmcall_kernel);
	cr_assert_eq(exit_policy_parse(&p, "mmio=kernel", v.err), VMM_EXIT_USAGE);
	cr_assert_eq(exit_policy_parse(&p, "bogus=user", v.err), VMM_EXIT_USAGE);
	cr_assert_eq(exit_policy_parse(&p, "cpuid", v.err), VMM_EXIT_USAGE);
	cr_assert_eq(exit_policy_parse(&p, "cpuid=both", v.err), VMM_EXIT_USAGE);
	cr_assert_eq(exit_policy_parse(&p, "cpu=user", v.err), VMM_EXIT_USAGE);
	memset(&p, 0, sizeof(p));
	exit_policy_describe(&p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "default");
	cr_assert(strstr(membuf_str(&errb), "always handled in userspace"));
	v.err = membuf_open(&errb);
}

Test(exit_policy, apply_gives_ignored_ports)
{
	struct exit_policy p = { .to_user = MINIVMM_POLICY_MSR, .io_kernel = true,
				 .vmcall_kernel = true };

	pio__reset();
	cr_assert_eq(pio__register_ignore(0x80, 1), 0);
	cr_assert_eq(pio__register_ignore(0x2e, 2), 0);
	cr_assert_eq(exit_policy_apply(&p, &v, 4), 0);
	cr_assert_eq(last_policy.to_user, MINIVMM_POLICY_MSR);
	cr_assert_eq(last_policy.to_kernel, MINIVMM_POLICY_KERNEL_VMCALL);
	cr_assert_eq(last_policy.nr_io_ignore, 2);
	cr_assert(last_policy.io_ignore[0].port == 0x80 || last_policy.io_ignore[1].port == 0x80);
	p.io_kernel = false;
	cr_assert_eq(exit_policy_apply(&p, &v, 4), 0);
	cr_assert_eq(last_policy.nr_io_ignore, 0);
	pio__reset();
}

Test(exit_policy, cpuid_override_parse)
{
	struct cpuid_override o;

	cr_assert_eq(cpuid_override_parse("0x40000000=1:0x2:3:0xffffffff", &o, v.err), 0);
	cr_assert_eq(o.leaf, 0x40000000);
	cr_assert_not(o.has_sub);
	cr_assert(o.r[0] == 1 && o.r[1] == 2 && o.r[2] == 3 && o.r[3] == 0xffffffff);
	cr_assert_eq(cpuid_override_parse("7.1=0:0:0:0", &o, v.err), 0);
	cr_assert(o.has_sub && o.leaf == 7 && o.sub == 1);
	cr_assert_eq(cpuid_override_parse("7=1:2:3", &o, v.err), VMM_EXIT_USAGE);
	cr_assert_eq(cpuid_override_parse("7=1:2:3:4:5", &o, v.err), VMM_EXIT_USAGE);
	cr_assert_eq(cpuid_override_parse("7=1:2:3:0x100000000", &o, v.err), VMM_EXIT_USAGE);
	cr_assert_eq(cpuid_override_parse("=1:2:3:4", &o, v.err), VMM_EXIT_USAGE);
	cr_assert_eq(cpuid_override_parse("7.=1:2:3:4", &o, v.err), VMM_EXIT_USAGE);
	cr_assert_eq(cpuid_override_parse("7=-1:2:3:4", &o, v.err), VMM_EXIT_USAGE);
}

/* The module's SET_CPUID semantics: the first match, index where it matters. */
Test(exit_policy, cpuid_table_lookup_and_set)
{
	static struct cpuid_table t;
	struct cpuid_override o = { .leaf = 4, .sub = 1, .has_sub = true, .r = { 9, 9, 9, 9 } };
	__u32 r[4];

	memset(&t, 0, sizeof(t));
	cr_assert_eq(cpuid_table_set(&t, &o), 0);
	o = (struct cpuid_override){ .leaf = 1, .r = { 1, 2, 3, 4 } };
	cr_assert_eq(cpuid_table_set(&t, &o), 0);
	cpuid_table_lookup(&t, 4, 1, r);
	cr_assert_eq(r[0], 9);
	cpuid_table_lookup(&t, 4, 0, r);
	cr_assert_eq(r[0], 0, "another subleaf of an indexed leaf reads zeros");
	cpuid_table_lookup(&t, 1, 77, r);
	cr_assert_eq(r[3], 4, "a leaf without index matches any subleaf");
	cpuid_table_lookup(&t, 2, 0, r);
	cr_assert(!r[0] && !r[1] && !r[2] && !r[3]);
	/* Replacing keeps one entry. */
	o.r[3] = 44;
	cr_assert_eq(cpuid_table_set(&t, &o), 0);
	cr_assert_eq(t.hdr.nent, 2);
	cpuid_table_lookup(&t, 1, 0, r);
	cr_assert_eq(r[3], 44);
}

/* OSXSAVE from CR4, leaf 0xD's EBX from XCR0 and the component subleaves. */
Test(exit_policy, cpuid_handler_computes_what_the_cpu_does)
{
	static struct cpuid_table t;
	struct cpuid_override o[] = {
		{ .leaf = 1, .r = { 0, 0, 1u << 26, 0 } },
		{ .leaf = 0xd, .sub = 0, .has_sub = true, .r = { 7, 0, 832, 0 } },
		{ .leaf = 0xd, .sub = 2, .has_sub = true, .r = { 256, 576, 0, 0 } },
	};
	int status = 0;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 3; i++)
		cpuid_table_set(&t, &o[i]);
	v.cpuid = &t;
	run_page.cpuid.function = 1;
	run_page.cpuid.cr4 = 1ull << 18;
	cr_assert_eq(exit_policy_cpuid(&v, &status), VCPU_CONTINUE);
	cr_assert_eq(run_page.cpuid.ecx, (1u << 26) | (1u << 27));
	run_page.cpuid.cr4 = 0;
	exit_policy_cpuid(&v, &status);
	cr_assert_eq(run_page.cpuid.ecx, 1u << 26);
	run_page.cpuid.function = 0xd;
	run_page.cpuid.index = 0;
	run_page.cpuid.xcr0 = 3;
	exit_policy_cpuid(&v, &status);
	cr_assert_eq(run_page.cpuid.ebx, 576);
	run_page.cpuid.xcr0 = 7;
	exit_policy_cpuid(&v, &status);
	cr_assert_eq(run_page.cpuid.ebx, 832);
	cr_assert_eq(run_page.cpuid.eax, 7);
	v.cpuid = NULL;
	cr_assert_eq(exit_policy_cpuid(&v, &status), VCPU_STOP);
	cr_assert_eq(status, VMM_EXIT_INTERNAL_ERROR);
}

Test(exit_policy, msr_handler_uses_get_set_msrs)
{
	int status = 0;

	run_page.msr.index = 0xc0000102;
	run_page.msr.is_write = 1;
	run_page.msr.data = 0x1234;
	cr_assert_eq(exit_policy_msr(&v, &status), VCPU_CONTINUE);
	cr_assert_eq(run_page.msr.error, 0);
	cr_assert_eq(fake_kgs, 0x1234);
	run_page.msr.is_write = 0;
	run_page.msr.data = 0;
	exit_policy_msr(&v, &status);
	cr_assert_eq(run_page.msr.data, 0x1234);
	run_page.msr.index = 0x12345;
	exit_policy_msr(&v, &status);
	cr_assert_eq(run_page.msr.error, 1, "an MSR the module refuses is #GP");
}

Test(exit_policy, cr_handler_computes_values)
{
	int status = 0;

	run_page.cr.cr = 0;
	run_page.cr.access = MINIVMM_CR_CLTS;
	run_page.cr.old = 0x8000003b;
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.value, 0x80000033);
	run_page.cr.access = MINIVMM_CR_LMSW;
	run_page.cr.old = 0x11;
	run_page.cr.lmsw_source = 0xe;	/* PE clear in the source: kept */
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.value, 0x1f);
	run_page.cr.access = MINIVMM_CR_WRITE;
	run_page.cr.value = 0x80000000;	/* PG without PE */
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.error, 1);
	run_page.cr.error = 0;
	run_page.cr.cr = 8;
	run_page.cr.value = 16;
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.error, 1);
	run_page.cr.error = 0;
	run_page.cr.value = 15;
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.error, 0);
	run_page.cr.access = MINIVMM_CR_READ;
	run_page.cr.old = 6;
	exit_policy_cr(&v, &status);
	cr_assert_eq(run_page.cr.value, 6);
}

Test(exit_policy, exception_handler_reinjects)
{
	int status = 0;

	run_page.exception.vector = 14;
	cr_assert_eq(exit_policy_exception(&v, &status), VCPU_CONTINUE);
	cr_assert_eq(run_page.exception.reinject, 1);
}

/* --compare-policy's child rows: one per reason with exits, costs sorted. */
Test(exit_policy, compare_rows)
{
	static struct exit_trace t;
	static struct minivmm_vcpu_stats st;
	static unsigned long long cyc[] = { 30, 10, 20 };
	struct compare_row row[4];
	int p[2];
	ssize_t n;

	memset(&t, 0, sizeof(t));
	memset(&st, 0, sizeof(st));
	st.by_reason[10] = 3;
	st.by_reason[30] = 1;
	t.cost[10].cycles = cyc;
	t.cost[10].n = 3;
	t.cost[10].user = 3;
	t.cost[30].kernel = 1;
	exit_trace_finish(&t);		/* sorts them: 10, 20, 30 */
	cr_assert_eq(pipe(p), 0);
	compare_policy_write(p[1], &t, &st);
	close(p[1]);
	n = read(p[0], row, sizeof(row));
	close(p[0]);
	cr_assert_eq(n, 2 * (ssize_t)sizeof(row[0]));
	cr_assert(row[0].reason == 10 && row[0].count == 3 && row[0].user == 3);
	cr_assert(row[0].has_cost && row[0].min == 10 && row[0].median == 20 &&
		  row[0].max == 30 && row[0].total == 60);
	cr_assert(row[1].reason == 30 && row[1].kernel == 1 && !row[1].has_cost);
}
