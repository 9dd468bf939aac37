// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "exit_decode.h"
#include "exit_stats.h"
#include "exit_status.h"
#include "exit_trace.h"
#include "json.h"
#include "vcpu.h"

int exit_trace_start(struct exit_trace *t, struct vcpu *v, unsigned int nr)
{
	struct minivmm_trace_setup s = { .nr_records = nr };
	int ret = v->ioctl(v->fd, MINIVMM_SET_TRACE, (unsigned long)&s);

	t->have_pending = false;
	t->records = t->lost = 0;
	return ret < 0 ? ret : 0;
}

static void exit_trace_cost(struct exit_trace *t, unsigned int basic,
			    long long cycles)
{
	struct exit_cost *c = &t->cost[basic];
	unsigned long long *p;

	if (cycles < 0)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		p = realloc(c->cycles, c->cap * sizeof(*p));
		if (!p)
			die(VMM_EXIT_ERROR, "out of memory for exit costs");
		c->cycles = p;
	}
	c->cycles[c->n++] = cycles;
}

static void exit_trace_emit(struct exit_trace *t,
			    const struct minivmm_trace_record *r, long long cycles)
{
	unsigned int basic = r->reason & 0xffff;

	if (t->out)
		exit_trace_print(t->out, t->json, t->vcpu, r, cycles);
	if (basic >= MINIVMM_STATS_REASONS)
		return;
	if (r->flags & MINIVMM_TRACE_F_USER)
		t->cost[basic].user++;
	else
		t->cost[basic].kernel++;
	exit_trace_cost(t, basic, cycles);
}

void exit_trace_note_answer(struct exit_trace *t, const struct minivmm_run *run,
			    size_t run_size)
{
	__u64 v = 0, off;
	__u32 len;

	if (!t->have_pending || !(t->pending.flags & MINIVMM_TRACE_F_USER))
		return;
	switch (run->exit_reason) {
	case MINIVMM_EXIT_IO:
		len = run->io.size;
		off = run->io.data_offset;
		if (run->io.direction != MINIVMM_EXIT_IO_IN || run->io.count != 1 ||
		    len > 4 || off > run_size || len > run_size - off)
			return;
		memcpy(&v, (const __u8 *)run + off, len);
		break;
	case MINIVMM_EXIT_MMIO:
		len = run->mmio.len;
		if (!len || len > sizeof(run->mmio.data))
			return;
		memcpy(&v, run->mmio.data, len);
		t->pending.intr_error = len;
		break;
	default:
		return;
	}
	t->pending.value = v;
	t->pending.flags |= EXIT_TRACE_F_ANSWER;
}

void exit_trace_feed(struct exit_trace *t, const struct minivmm_trace_record *r,
		     unsigned int n, unsigned long long lost)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* A record's prev_cycles is what the one before it cost. */
		if (t->have_pending)
			exit_trace_emit(t, &t->pending,
					r[i].seq == t->pending.seq + 1 ?
					(long long)r[i].prev_cycles : -1);
		t->pending = r[i];
		t->have_pending = true;
		t->records++;
	}
	if (lost) {
		/* The lost exits came after every record the ring held. */
		exit_trace_flush(t);
		if (t->out)
			exit_trace_print_lost(t->out, t->json, t->vcpu, lost);
		t->lost += lost;
	}
}

int exit_trace_drain(struct exit_trace *t, struct vcpu *v)
{
	struct minivmm_trace_record rec[EXIT_TRACE_READ_BATCH];
	struct minivmm_trace_read rd;
	int ret;

	do {
		rd = (struct minivmm_trace_read) {
			.records = (unsigned long)rec,
			.max = EXIT_TRACE_READ_BATCH,
		};
		ret = v->ioctl(v->fd, MINIVMM_READ_TRACE, (unsigned long)&rd);
		if (ret < 0)
			return ret;
		if (rd.count > EXIT_TRACE_READ_BATCH)
			return -EPROTO;
		exit_trace_feed(t, rec, rd.count, rd.lost);
	} while (rd.count == EXIT_TRACE_READ_BATCH);
	if (t->out)
		fflush(t->out);
	return 0;
}

void exit_trace_flush(struct exit_trace *t)
{
	if (!t->have_pending)
		return;
	exit_trace_emit(t, &t->pending, -1);
	t->have_pending = false;
}

void exit_trace_free(struct exit_trace *t)
{
	unsigned int i;

	for (i = 0; i < MINIVMM_STATS_REASONS; i++)
		free(t->cost[i].cycles);
	memset(t->cost, 0, sizeof(t->cost));
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

void exit_trace_finish(struct exit_trace *t)
{
	unsigned int i;

	exit_trace_flush(t);
	for (i = 0; i < MINIVMM_STATS_REASONS; i++)
		qsort(t->cost[i].cycles, t->cost[i].n, sizeof(*t->cost[i].cycles),
		      cmp_ull);
}

/* Order statistics of @c, sorted by exit_trace_finish(): nearest rank. */
bool exit_cost_summary(const struct exit_cost *c, struct cost_summary *s)
{
	if (!c->n)
		return false;
	s->min = c->cycles[0];
	s->max = c->cycles[c->n - 1];
	s->median = c->cycles[(c->n - 1) / 2];
	s->p99 = c->cycles[(c->n * 99 + 99) / 100 - 1];
	return true;
}

bool exit_reason_seen(const struct exit_trace *t,
		      const struct minivmm_vcpu_stats *st, unsigned int i)
{
	return st->by_reason[i] || (t && (t->cost[i].kernel || t->cost[i].user));
}

unsigned long long exit_cost_cycles(const struct exit_cost *c)
{
	unsigned long long sum = 0;
	size_t k;

	for (k = 0; k < c->n; k++)
		sum += c->cycles[k];
	return sum;
}

struct exit_cost_totals {
	unsigned long long kernel_exits, user_exits;
	unsigned long long kernel_cycles, user_cycles;
};

/*
 * The totals over every reason. One handled both in the kernel and through
 * userspace counts its cycles as userspace's: its samples are not split.
 */
static void exit_trace_totals(const struct exit_trace *t,
			      struct exit_cost_totals *tot)
{
	unsigned int i;

	memset(tot, 0, sizeof(*tot));
	for (i = 0; i < MINIVMM_STATS_REASONS; i++) {
		const struct exit_cost *c = &t->cost[i];

		tot->kernel_exits += c->kernel;
		tot->user_exits += c->user;
		if (c->user)
			tot->user_cycles += exit_cost_cycles(c);
		else
			tot->kernel_cycles += exit_cost_cycles(c);
	}
}

void exit_trace_print_costs(FILE *f, const struct exit_trace *t,
			    const struct minivmm_vcpu_stats *st)
{
	struct exit_cost_totals tot;
	struct cost_summary s;
	const char *name;
	unsigned int i;

	fprintf(f, VMM_PROG ": stats: %-4s %-30s %10s %9s %9s %9s %9s %9s %9s\n",
		"nr", "exit reason", "count", "kernel", "user", "min", "median",
		"p99", "max");
	for (i = 0; i < MINIVMM_STATS_REASONS; i++) {
		const struct exit_cost *c = &t->cost[i];

		if (!exit_reason_seen(t, st, i))
			continue;
		name = vmx_exit_reason_name(i);
		fprintf(f, VMM_PROG ": stats: %-4u %-30s %10llu %9llu %9llu", i,
			name ? name : "?", (unsigned long long)st->by_reason[i],
			c->kernel, c->user);
		if (exit_cost_summary(c, &s)) {
			fprintf(f, " %9llu %9llu %9llu %9llu\n", s.min, s.median,
				s.p99, s.max);
		} else {
			fprintf(f, " %9s %9s %9s %9s\n", "-", "-", "-", "-");
		}
	}
	exit_trace_totals(t, &tot);
	fprintf(f, VMM_PROG ": stats: total: %llu exits handled in the kernel, %llu in userspace, %llu cycles handling them (%llu in the kernel, %llu through userspace)\n",
		tot.kernel_exits, tot.user_exits, tot.kernel_cycles + tot.user_cycles,
		tot.kernel_cycles, tot.user_cycles);
	fprintf(f, VMM_PROG ": stats: cycles: host TSC from the exit to the next VM entry, kernel or userspace handling included; %llu exits traced, %llu lost\n",
		t->records, t->lost);
}

void exit_stats_print_json(FILE *f, const struct exit_trace *t,
			   const struct minivmm_vcpu_stats *st)
{
	struct json_writer w;
	struct cost_summary s;
	const char *name;
	unsigned int i;
	char buf[40];

	json_init(&w, f);
	json_object_begin(&w, NULL);
	json_u64(&w, "exits", st->exits);
	json_u64(&w, "userspace_exits", st->userspace_exits);
	json_u64(&w, "guest_exits", exit_stats_guest_exits(st));
	json_u64(&w, "injected_irqs", st->injected_irqs);
	json_u64(&w, "vcpu_bytes", st->vcpu_bytes);
	json_u64(&w, "vm_bytes", st->vm_bytes);
	if (t) {
		json_u64(&w, "traced", t->records);
		json_u64(&w, "lost", t->lost);
	}
	json_array_begin(&w, "reasons");
	for (i = 0; i < MINIVMM_STATS_REASONS; i++) {
		const struct exit_cost *c = t ? &t->cost[i] : NULL;

		if (!st->by_reason[i] && !(c && (c->kernel || c->user)))
			continue;
		name = vmx_exit_reason_name(i);
		json_object_begin(&w, NULL);
		json_u64(&w, "exit_reason", i);
		json_str(&w, "name", name ? name : "?");
		json_u64(&w, "count", st->by_reason[i]);
		if (c) {
			json_u64(&w, "kernel", c->kernel);
			json_u64(&w, "user", c->user);
		}
		if (c && exit_cost_summary(c, &s)) {
			json_object_begin(&w, "cycles");
			json_u64(&w, "min", s.min);
			json_u64(&w, "median", s.median);
			json_u64(&w, "p99", s.p99);
			json_u64(&w, "max", s.max);
			json_object_end(&w);
		}
		json_object_end(&w);
	}
	json_array_end(&w);
	json_array_begin(&w, "exceptions");
	for (i = 0; i < 32; i++) {
		if (!st->exceptions[i])
			continue;
		json_object_begin(&w, NULL);
		json_u64(&w, "vector", i);
		json_str(&w, "name", exception_name(i, buf, sizeof(buf)));
		json_u64(&w, "count", st->exceptions[i]);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_object_end(&w);	/* ends the line */
}
