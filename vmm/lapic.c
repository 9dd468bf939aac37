// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "irq.h"
#include "lapic.h"
#include "mmio.h"

/* Writable bits of each LVT entry, timer .. error (SDM Figure 11-8). */
static const __u32 lvt_writable[LAPIC_NR_LVT] = {
	0x000300ff,	/* timer: vector, mask, periodic (no TSC-deadline) */
	0x000107ff,	/* thermal: vector, delivery mode, mask */
	0x000107ff,	/* performance */
	0x0001a7ff,	/* LINT0: + polarity, trigger mode */
	0x0001a7ff,	/* LINT1 */
	0x000100ff,	/* error: vector, mask */
};

enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR };

void lapic__init(struct lapic *a, __u32 id, bool virtual_wire)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->enabled = true;
	a->id = id << 24;
	a->dfr = 0xffffffff;
	a->spiv = 0xff;
	for (i = 0; i < LAPIC_NR_LVT; i++)
		a->lvt[i] = LAPIC_LVT_MASKED;
	if (virtual_wire)
		a->lvt[LVT_LINT0] = LAPIC_DM_EXTINT << 8;
}

void lapic__set_enabled(struct lapic *a, bool on)
{
	struct lapic counts = *a;

	if (on == a->enabled)
		return;
	/* Off: state is lost; on again: as after power-up (SDM 11.4.3). */
	lapic__init(a, counts.id >> 24, false);
	a->enabled = on;
	a->delivered = counts.delivered;
	a->extint = counts.extint;
	a->timer_fired = counts.timer_fired;
	a->ipis_dropped = counts.ipis_dropped;
}

static void vec_set(__u32 *r, unsigned int v, bool on)
{
	if (on)
		r[v / 32] |= 1u << (v % 32);
	else
		r[v / 32] &= ~(1u << (v % 32));
}

/* The highest vector set in a 256-bit register, -1 if none. */
static int vec_highest(const __u32 *r)
{
	int i;

	for (i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

static bool sw_enabled(const struct lapic *a)
{
	return a->enabled && (a->spiv & LAPIC_SPIV_ENABLE);
}

static void lapic_error(struct lapic *a, __u32 bit);

/* A fixed interrupt arrives: IRR, unless the APIC is software-disabled. */
static void lapic_accept(struct lapic *a, unsigned int vector)
{
	if (!sw_enabled(a))
		return;
	if (vector < 16) {
		lapic_error(a, LAPIC_ESR_RECV_ILLEGAL);
		return;
	}
	vec_set(a->irr, vector, true);
}

/* Errors latch for the next ESR write and raise the LVT error entry. */
static void lapic_error(struct lapic *a, __u32 bit)
{
	__u32 lvt = a->lvt[LVT_ERROR];

	a->esr_pending |= bit;
	/* An illegal error vector is not re-reported: no recursion. */
	if (!(lvt & LAPIC_LVT_MASKED) && (lvt & 0xff) >= 16)
		lapic_accept(a, lvt & 0xff);
}

__u32 lapic__ppr(const struct lapic *a)
{
	int isrv = vec_highest(a->isr);
	__u32 isr_class = isrv < 0 ? 0 : (__u32)isrv & 0xf0;

	return (a->tpr & 0xf0) >= isr_class ? a->tpr & 0xff : isr_class;
}

int lapic__pending(const struct lapic *a)
{
	int v = vec_highest(a->irr);

	if (!a->enabled || v < 0)
		return -1;
	return ((__u32)v & 0xf0) > (lapic__ppr(a) & 0xf0) ? v : -1;
}

int lapic__ack(struct lapic *a)
{
	int v = lapic__pending(a);

	if (v < 0)	/* gone since it was seen: the spurious vector */
		return a->spiv & 0xff;
	vec_set(a->irr, v, false);
	vec_set(a->isr, v, true);
	a->delivered++;
	return v;
}

bool lapic__accepts_extint(const struct lapic *a)
{
	__u32 lint0 = a->lvt[LVT_LINT0];

	return !a->enabled || (!(lint0 & LAPIC_LVT_MASKED) &&
			       ((lint0 >> 8) & 7) == LAPIC_DM_EXTINT);
}

/* TDCR bits 0, 1 and 3 select 2, 4, .. 128, or 1 (SDM Figure 11-10). */
static __u64 timer_divide(const struct lapic *a)
{
	__u32 d = (a->tdcr & 3) | ((a->tdcr >> 1) & 4);

	return d == 7 ? 1 : 2ull << d;
}

static bool timer_periodic(const struct lapic *a)
{
	return a->lvt[LVT_TIMER] & LAPIC_LVT_PERIODIC;
}

static __u64 timer_period_ns(const struct lapic *a)
{
	__u64 ns = (unsigned __int128)a->tmict * timer_divide(a) * 1000000000ull /
		   LAPIC_BUS_HZ;

	if (!ns)
		ns = 1;
	return timer_periodic(a) && ns < LAPIC_MIN_PERIOD_NS ? LAPIC_MIN_PERIOD_NS : ns;
}

static __u32 timer_current(const struct lapic *a, __u64 now)
{
	__u64 period, elapsed;

	if (!a->timer_deadline || now < a->timer_start)
		return a->timer_deadline ? a->tmict : 0;
	period = timer_period_ns(a);
	elapsed = now - a->timer_start;
	if (timer_periodic(a))
		elapsed %= period;
	else if (elapsed >= period)
		return 0;
	return a->tmict - (__u32)((unsigned __int128)elapsed * a->tmict / period);
}

static void timer_start(struct lapic *a, __u64 start)
{
	a->timer_start = start;
	a->timer_deadline = a->tmict ? start + timer_period_ns(a) : 0;
}

void lapic__tick(struct lapic *a, __u64 now)
{
	__u32 lvt = a->lvt[LVT_TIMER];
	__u64 period;

	if (!a->timer_deadline || now < a->timer_deadline)
		return;
	a->timer_fired++;
	if (!(lvt & LAPIC_LVT_MASKED))
		lapic_accept(a, lvt & 0xff);
	if (!timer_periodic(a)) {
		a->timer_deadline = 0;
		a->timer_start = now - timer_period_ns(a);	/* reads 0 */
		return;
	}
	/* Periods missed while the host was busy coalesce into one: IRR is a bit. */
	period = timer_period_ns(a);
	a->timer_start += (now - a->timer_start) / period * period;
	a->timer_deadline = a->timer_start + period;
}

__u64 lapic__next_deadline(const struct lapic *a)
{
	return a->enabled ? a->timer_deadline : 0;
}

/* Does an IPI with this destination reach this APIC (SDM 11.6.2)? */
static bool lapic_dest_match(const struct lapic *a, __u32 dest, bool logical)
{
	__u32 ldr = a->ldr >> 24;

	if (!logical)
		return dest == 0xff || dest == a->id >> 24;
	if (dest == 0xff)
		return true;
	if ((a->dfr >> 28) == 0xf)		/* flat model */
		return dest & ldr;
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);	/* cluster */
}

static void lapic_send_ipi(struct lapic *a)
{
	__u32 lo = a->icr_lo, dm = (lo >> 8) & 7, vector = lo & 0xff;
	__u32 shorthand = (lo >> 18) & 3;
	bool self, others;

	switch (shorthand) {
	case 0:
		self = lapic_dest_match(a, a->icr_hi >> 24, lo & (1u << 11));
		others = !self || (a->icr_hi >> 24) == 0xff;
		break;
	case 1:
		self = true, others = false;
		break;
	case 2:
		self = others = true;
		break;
	default:
		self = false, others = true;
		break;
	}
	if (others)
		a->ipis_dropped++;	/* no other CPU: INIT, SIPI, ... go nowhere */
	if (!self)
		return;
	if (dm != LAPIC_DM_FIXED && dm != LAPIC_DM_LOWEST) {
		a->ipis_dropped++;	/* SMI, NMI, INIT to itself: not emulated */
		return;
	}
	if (vector < 16) {
		lapic_error(a, LAPIC_ESR_SEND_ILLEGAL);
		return;
	}
	lapic_accept(a, vector);
}

static void lapic_eoi(struct lapic *a)
{
	int v = vec_highest(a->isr);

	if (v >= 0)
		vec_set(a->isr, v, false);
}

static bool lvt_index(__u32 off, unsigned int *i)
{
	if (off < LAPIC_LVT_TIMER || off > LAPIC_LVT_ERROR)
		return false;
	*i = (off - LAPIC_LVT_TIMER) >> 4;
	return true;
}

__u32 lapic__read(struct lapic *a, __u32 off, __u64 now)
{
	unsigned int i;

	if (lvt_index(off, &i))
		return a->lvt[i];
	if (off >= LAPIC_ISR && off < LAPIC_ISR + 0x80)
		return a->isr[(off - LAPIC_ISR) >> 4];
	if (off >= LAPIC_TMR && off < LAPIC_TMR + 0x80)
		return 0;
	if (off >= LAPIC_IRR && off < LAPIC_IRR + 0x80)
		return a->irr[(off - LAPIC_IRR) >> 4];
	switch (off) {
	case LAPIC_ID:		return a->id;
	case LAPIC_VERSION:	return LAPIC_VERSION_VALUE;
	case LAPIC_TPR:		return a->tpr;
	case LAPIC_APR:		return 0;
	case LAPIC_PPR:		return lapic__ppr(a);
	case LAPIC_EOI:		return 0;
	case LAPIC_RRD:		return 0;
	case LAPIC_LDR:		return a->ldr;
	case LAPIC_DFR:		return a->dfr;
	case LAPIC_SPIV:	return a->spiv;
	case LAPIC_ESR:		return a->esr;
	case LAPIC_ICR_LO:	return a->icr_lo;	/* delivery status: idle */
	case LAPIC_ICR_HI:	return a->icr_hi;
	case LAPIC_TMICT:	return a->tmict;
	case LAPIC_TMCCT:	return timer_current(a, now);
	case LAPIC_TDCR:	return a->tdcr;
	default:
		lapic_error(a, LAPIC_ESR_ILLEGAL_REG);
		return 0;
	}
}

static void lapic_write_lvt(struct lapic *a, unsigned int i, __u32 val)
{
	val &= lvt_writable[i];
	if (!sw_enabled(a))
		val |= LAPIC_LVT_MASKED;	/* software-disabled: stays masked */
	a->lvt[i] = val;
}

void lapic__write(struct lapic *a, __u32 off, __u32 val, __u64 now)
{
	unsigned int i;
	__u32 count;

	if (lvt_index(off, &i)) {
		lapic_write_lvt(a, i, val);
		return;
	}
	switch (off) {
	case LAPIC_ID:
		a->id = val & 0xff000000;
		break;
	case LAPIC_TPR:
		a->tpr = val & 0xff;
		break;
	case LAPIC_EOI:
		lapic_eoi(a);
		break;
	case LAPIC_LDR:
		a->ldr = val & 0xff000000;
		break;
	case LAPIC_DFR:
		a->dfr = val | 0x0fffffff;
		break;
	case LAPIC_SPIV:
		/* Vector, APIC enable, focus check; no EOI-broadcast suppression. */
		a->spiv = val & 0x3ff;
		if (!(a->spiv & LAPIC_SPIV_ENABLE))
			for (i = 0; i < LAPIC_NR_LVT; i++)
				a->lvt[i] |= LAPIC_LVT_MASKED;
		break;
	case LAPIC_ESR:
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		break;
	case LAPIC_ICR_HI:
		a->icr_hi = val & 0xff000000;
		break;
	case LAPIC_ICR_LO:
		/* Vector, mode, dest mode, level, trigger, shorthand; status 0. */
		a->icr_lo = val & 0x000ccfff;
		lapic_send_ipi(a);
		break;
	case LAPIC_TMICT:
		a->tmict = val;
		timer_start(a, now);
		break;
	case LAPIC_TDCR:
		/* The count so far stays; it runs on at the new rate. */
		count = timer_current(a, now);
		a->tdcr = val & 0xb;
		if (a->timer_deadline) {
			__u32 done = a->tmict - count;

			timer_start(a, now - (__u64)((unsigned __int128)done *
						     timer_period_ns(a) / a->tmict));
		}
		break;
	case LAPIC_APR: case LAPIC_PPR: case LAPIC_RRD: case LAPIC_VERSION:
	case LAPIC_TMCCT:
		break;				/* read-only */
	default:
		if ((off >= LAPIC_ISR && off < LAPIC_IRR + 0x80))
			break;			/* ISR, TMR, IRR: read-only */
		lapic_error(a, LAPIC_ESR_ILLEGAL_REG);
		break;
	}
}

/* The device: the vCPU's APIC, its page and its place in the irq path. */

static struct lapic apic;
static const __u64 *apic_base_msr;	/* the run page's, or NULL: always on */

/*
 * Follow the guest's IA32_APIC_BASE (the module reports it on each
 * exit). 0, never a valid value, is a run page not filled in yet.
 */
static void lapic_sync_msr(void)
{
	if (apic_base_msr && *apic_base_msr)
		lapic__set_enabled(&apic, *apic_base_msr & (1u << 11));
}

static void lapic_mmio(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
		       bool is_write, void *opaque)
{
	__u32 off = addr - LAPIC_BASE, reg = off & ~0xfu, val;
	__u64 now = devices__now();

	(void)v, (void)opaque;
	lapic_sync_msr();
	if (!apic.enabled) {		/* disabled: nothing answers here */
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	/* Registers are 32 bits at 16-byte steps; only those bits answer. */
	if (is_write) {
		if (len == 4 && !(off & 0xf)) {
			memcpy(&val, data, 4);
			lapic__write(&apic, reg, val, now);
		}
		return;
	}
	memset(data, 0, len);
	if ((off & 0xf) < 4) {
		val = lapic__read(&apic, reg, now) >> (8 * (off & 3));
		memcpy(data, &val, len < 4 - (off & 3) ? len : 4 - (off & 3));
	}
}

static bool lapic_irq_pending(void)
{
	lapic_sync_msr();
	if (lapic__accepts_extint(&apic) && irq__extint_pending())
		return true;
	return lapic__pending(&apic) >= 0;
}

static int lapic_irq_ack(void)
{
	if (lapic__accepts_extint(&apic) && irq__extint_pending()) {
		apic.extint++;
		return irq__extint_ack();
	}
	return lapic__ack(&apic);
}

static const struct irq_cpu lapic_irq = {
	.pending = lapic_irq_pending,
	.ack = lapic_irq_ack,
};

static void lapic_tick(__u64 now)
{
	lapic__tick(&apic, now);
}

static __u64 lapic_deadline(void)
{
	return lapic__next_deadline(&apic);
}

static int lapic_report(char *buf, size_t len)
{
	if (!apic.delivered && !apic.extint && !apic.timer_fired && !apic.ipis_dropped)
		return 0;
	return snprintf(buf, len, "vectors delivered %llu, from the 8259 (ExtINT) %llu, timer expiries %llu, IPIs to other CPUs dropped %llu",
			apic.delivered, apic.extint, apic.timer_fired, apic.ipis_dropped);
}

static int lapic_device_init(struct vm_devices *d)
{
	apic_base_msr = d->apic_base;
	lapic__init(&apic, 0, true);
	irq__set_cpu(&lapic_irq);
	return mmio__register(LAPIC_BASE, LAPIC_SIZE, lapic_mmio, NULL);
}

static void lapic_device_exit(void)
{
	irq__set_cpu(NULL);
	mmio__unregister(LAPIC_BASE);
	apic_base_msr = NULL;
}

const struct device lapic_device = {
	.name = "lapic",
	.help = "local APIC (xAPIC) at 0xfee00000: timer, TPR/EOI, self-IPIs; the PIC through LINT0",
	.init = lapic_device_init,
	.exit = lapic_device_exit,
	.next_deadline = lapic_deadline,
	.tick = lapic_tick,
	.report = lapic_report,
};
