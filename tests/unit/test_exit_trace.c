// SPDX-License-Identifier: GPL-2.0
/* The exit-trace decoder, its line formats, and the ring reader's bookkeeping. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "exit_decode.h"
#include "exit_trace.h"
#include "helpers.h"

static struct minivmm_trace_record rec(unsigned int reason, __u64 q)
{
	return (struct minivmm_trace_record) { .reason = reason, .qualification = q };
}

static void expect_detail(const struct minivmm_trace_record *r, const char *want)
{
	char buf[96];

	exit_decode(r, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

Test(exit_decode, classes)
{
	struct minivmm_trace_record r;

	/* OUT %al, %dx with DX=0x3f8: size-1 0, OUT, port in 31:16. */
	r = rec(30, 0x3f80000);
	r.value = 0x1241;
	expect_detail(&r, "IO out port=0x3f8 size=1 val=0x41");
	expect_detail(&(struct minivmm_trace_record){ .reason = 30, .qualification = 0x3fd0008 },
		      "IO in port=0x3fd size=1");
	expect_detail(&(struct minivmm_trace_record){ .reason = 30, .qualification = 0x3f80030 },
		      "IO outs port=0x3f8 size=1 rep");
	r = rec(10, 0);
	r.rax = 0x80000001;
	r.rcx = 0;
	expect_detail(&r, "CPUID leaf=0x80000001 sub=0");
	r = rec(28, 0x0);		/* MOV to CR0 from RAX */
	r.value = 0x80000011;
	expect_detail(&r, "CR0 write 0x80000011");
	expect_detail(&(struct minivmm_trace_record){ .reason = 28, .qualification = 0x18 }, "CR8 read");
	r = rec(48, 0x2);
	r.gpa = 0xfee00000;
	expect_detail(&r, "EPT write gpa=0xfee00000");
	r = rec(48, 0x1);
	r.gpa = 0xd0000000;
	expect_detail(&r, "EPT read gpa=0xd0000000");
	r = rec(31, 0);
	r.rcx = 0xc0000080;
	expect_detail(&r, "RDMSR msr=0xc0000080");
	r = rec(32, 0);
	r.rcx = 0x277;
	r.value = 0x0007040600070406ull;
	expect_detail(&r, "WRMSR msr=0x277 val=0x7040600070406");
	/* #AC: hardware exception (type 3), vector 17, error code valid. */
	r = rec(0, 0);
	r.intr_info = 0x80000b11;
	r.intr_error = 0;
	expect_detail(&r, "#AC err=0");
	r.intr_info = 0x80000306;	/* #UD, no error code */
	expect_detail(&r, "#UD");
	r.intr_info = 0x80000202;	/* NMI */
	expect_detail(&r, "NMI");
	expect_detail(&(struct minivmm_trace_record){ .reason = 12 }, "HLT");
	expect_detail(&(struct minivmm_trace_record){ .reason = 52 }, "VMX-preemption timer expired");
	expect_detail(&(struct minivmm_trace_record){ .reason = 0x80000021 },
		      "entry failed: invalid guest state");
}

Test(exit_decode, text_and_json_lines)
{
	struct minivmm_trace_record r = rec(10, 0);
	struct membuf m;
	char *s;

	r.seq = 7;
	r.rax = 1;
	r.rip = 0x100034;
	exit_trace_print(membuf_open(&m), false, 0, &r, 492);
	s = membuf_str(&m);
	cr_assert_str_eq(s, "minivmm: trace: 7 vcpu0 [CPUID] CPUID leaf=0x1 sub=0 rip=0x100034 kernel 492\n");
	free(s);
	r.flags = MINIVMM_TRACE_F_USER;
	r.reason = 30;
	r.qualification = 0xf40000;
	r.value = 3;
	exit_trace_print(membuf_open(&m), true, 1, &r, -1);
	s = membuf_str(&m);
	cr_assert_str_eq(s, "{\"n\":7,\"vcpu\":1,\"reason\":\"I/O instruction\",\"exit_reason\":30,"
			 "\"detail\":\"IO out port=0xf4 size=1 val=0x3\",\"rip\":\"0x100034\","
			 "\"where\":\"user\",\"cycles\":null}\n");
	free(s);
	exit_trace_print_lost(membuf_open(&m), false, 0, 12);
	s = membuf_str(&m);
	cr_assert_str_eq(s, "minivmm: trace: vcpu0: 12 exits lost (the module's trace ring was full)\n");
	free(s);
}

/* Records 1..n, each costing 100 * its number, alternating kernel/user. */
static void feed_seq(struct exit_trace *t, __u64 from, unsigned int n, unsigned int reason,
		     unsigned long long lost)
{
	struct minivmm_trace_record r[16];
	unsigned int i;

	cr_assert_leq(n, 16);
	for (i = 0; i < n; i++) {
		r[i] = rec(reason, 0);
		r[i].seq = from + i;
		r[i].prev_cycles = from + i > 1 ? 100 * (from + i - 1) : 0;
		r[i].flags = (from + i) % 2 ? 0 : MINIVMM_TRACE_F_USER;
	}
	exit_trace_feed(t, r, n, lost);
}

Test(exit_trace, costs_follow_the_next_record)
{
	struct exit_trace t = { 0 };
	struct minivmm_vcpu_stats st = { 0 };
	struct membuf m;
	char *s;

	feed_seq(&t, 1, 3, 10, 0);	/* 1 and 2 get costs 100, 200; 3 waits */
	cr_assert_eq(t.cost[10].n, 2);
	feed_seq(&t, 4, 2, 10, 0);	/* 3 costs 300, 4 costs 400; 5 waits */
	cr_assert_eq(t.cost[10].n, 4);
	exit_trace_finish(&t);		/* 5: no cost, still counted */
	cr_assert_eq(t.cost[10].n, 4);
	cr_assert_eq(t.cost[10].kernel + t.cost[10].user, 5);
	cr_assert_eq(t.cost[10].user, 2);
	st.by_reason[10] = 5;
	exit_trace_print_costs(membuf_open(&m), &t, &st);
	s = membuf_str(&m);
	/* min 100, median (nearest rank of 4) 200, p99 400, max 400. */
	cr_assert_not_null(strstr(s, "CPUID                                   5         3         2       100       200       400       400\n"),
			   "%s", s);
	cr_assert_not_null(strstr(s, "5 exits traced, 0 lost"), "%s", s);
	cr_assert_not_null(strstr(s, "stats: total: "), "%s", s);
	free(s);
	exit_trace_free(&t);
}

Test(exit_trace, loss_is_reported_and_breaks_the_cost_chain)
{
	struct exit_trace t = { 0 };
	struct membuf m;
	char *s;

	t.out = membuf_open(&m);
	feed_seq(&t, 1, 2, 10, 5);	/* 1 costs 100; 2 has no successor: lost */
	feed_seq(&t, 8, 2, 10, 0);	/* 8's prev_cycles belong to a lost exit */
	exit_trace_finish(&t);
	s = membuf_str(&m);
	cr_assert_eq(t.lost, 5);
	cr_assert_not_null(strstr(s, "minivmm: trace: 1 vcpu0 [CPUID] CPUID leaf=0 sub=0 rip=0 kernel 100\n"
				     "minivmm: trace: 2 vcpu0 [CPUID] CPUID leaf=0 sub=0 rip=0 user -\n"
				     "minivmm: trace: vcpu0: 5 exits lost (the module's trace ring was full)\n"
				     "minivmm: trace: 8 vcpu0 [CPUID] CPUID leaf=0 sub=0 rip=0 user 800\n"
				     "minivmm: trace: 9 vcpu0 [CPUID] CPUID leaf=0 sub=0 rip=0 kernel -\n"),
			   "%s", s);
	free(s);
	cr_assert_eq(t.cost[10].n, 2);
	exit_trace_free(&t);
}

Test(exit_trace, stats_json)
{
	struct exit_trace t = { 0 };
	struct minivmm_vcpu_stats st = { .exits = 3, .userspace_exits = 1 };
	struct membuf m;
	char *s;

	feed_seq(&t, 1, 3, 30, 0);
	exit_trace_finish(&t);
	st.by_reason[30] = 3;
	st.exceptions[17] = 2;
	exit_stats_print_json(membuf_open(&m), &t, &st);
	s = membuf_str(&m);
	cr_assert_not_null(strstr(s, "\"reasons\":[{\"exit_reason\":30,\"name\":\"I/O instruction\",\"count\":3,"
				     "\"kernel\":2,\"user\":1,\"cycles\":{\"min\":100,\"median\":100,\"p99\":200,\"max\":200}}]"),
			   "%s", s);
	cr_assert_not_null(strstr(s, "\"exceptions\":[{\"vector\":17,\"name\":\"#AC (alignment check)\",\"count\":2}]"),
			   "%s", s);
	cr_assert_eq(s[strlen(s) - 1], '\n');
	free(s);
	exit_trace_free(&t);
}

/* What minivmm answered joins the record of its exit: an IN's data, MMIO's. */
Test(exit_trace, answers_join_their_record)
{
	static struct exit_trace t;
	static union {
		struct minivmm_run run;
		__u8 page[4096];
	} u;
	struct minivmm_trace_record r = rec(30, 0x3ff0008);	/* IN al, 0x3ff */
	struct membuf m;
	char *out;

	memset(&t, 0, sizeof(t));
	memset(&u, 0, sizeof(u));
	r.seq = 1;
	r.flags = MINIVMM_TRACE_F_USER;
	t.out = membuf_open(&m);
	exit_trace_feed(&t, &r, 1, 0);
	u.run.exit_reason = MINIVMM_EXIT_IO;
	u.run.io.direction = MINIVMM_EXIT_IO_IN;
	u.run.io.size = 1;
	u.run.io.count = 1;
	u.run.io.data_offset = 512;
	u.page[512] = 0x5a;
	exit_trace_note_answer(&t, &u.run, sizeof(u));
	r = rec(48, 0x1);
	r.seq = 2;
	r.gpa = 0xd0000000;
	r.flags = MINIVMM_TRACE_F_USER;
	exit_trace_feed(&t, &r, 1, 0);
	u.run.exit_reason = MINIVMM_EXIT_MMIO;
	u.run.mmio.len = 4;
	memcpy(u.run.mmio.data, "\x78\x56\x34\x12", 4);
	exit_trace_note_answer(&t, &u.run, sizeof(u));
	/* A kernel-handled record gets nothing, whatever the run page says. */
	r = rec(30, 0x800008);
	r.seq = 3;
	exit_trace_feed(&t, &r, 1, 0);
	exit_trace_note_answer(&t, &u.run, sizeof(u));
	exit_trace_finish(&t);
	out = membuf_str(&m);
	cr_assert(strstr(out, "IO in port=0x3ff size=1 val=0x5a rip=0 user"), "%s", out);
	cr_assert(strstr(out, "EPT read gpa=0xd0000000 len=4 val=0x12345678 rip=0 user"), "%s", out);
	cr_assert(strstr(out, "IO in port=0x80 size=1 rip=0 kernel"), "%s", out);
	free(out);
	exit_trace_free(&t);
}
