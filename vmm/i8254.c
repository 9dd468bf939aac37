// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "devices.h"
#include "i8254.h"
#include "irq.h"
#include "pio.h"

#define NSEC		1000000000ull
#define REFRESH_NS	15085		/* port 0x61 bit 4 half-period */

void i8254__init(struct i8254 *pit, __u64 now)
{
	unsigned int i;

	memset(pit, 0, sizeof(*pit));
	for (i = 0; i < 3; i++) {
		pit->ch[i].access = 3;
		pit->ch[i].reload = 65536;
		pit->ch[i].start = now;
	}
}

/* Input-clock ticks from @from to @to (0 if @to is earlier). */
static __u64 i8254_ticks(__u64 from, __u64 to)
{
	if (to <= from)
		return 0;
	return (unsigned __int128)(to - from) * I8254_HZ / NSEC;
}

/* The first time at which @ticks have passed since @from. */
static __u64 i8254_time_of(__u64 from, __u64 ticks)
{
	return from + ((unsigned __int128)ticks * NSEC + I8254_HZ - 1) / I8254_HZ;
}

static bool i8254_periodic(const struct i8254_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

static bool i8254_counting(const struct i8254 *pit, unsigned int n)
{
	return n != 2 || (pit->port_b & 1);
}

/* Ticks counted so far by channel @n. */
static __u64 i8254_elapsed(const struct i8254 *pit, unsigned int n, __u64 now)
{
	if (!i8254_counting(pit, n))
		return pit->gate_frozen;
	return i8254_ticks(pit->ch[n].start, now);
}

static __u16 i8254_count(const struct i8254 *pit, unsigned int n, __u64 now)
{
	const struct i8254_channel *c = &pit->ch[n];
	__u64 t = i8254_elapsed(pit, n, now);

	if (i8254_periodic(c))
		return c->reload - t % c->reload;	/* reload..1 */
	return (c->reload - t) & 0xffff;		/* wraps after 0, like the part */
}

/* The OUT pin of channel @n. */
static bool i8254_out(const struct i8254 *pit, unsigned int n, __u64 now)
{
	const struct i8254_channel *c = &pit->ch[n];
	__u64 t = i8254_elapsed(pit, n, now);

	switch (c->mode) {
	case 2:		/* low for one tick at the end of each period */
		return t % c->reload != c->reload - 1;
	case 3:		/* square wave: high for the first half */
		return t % c->reload < (c->reload + 1) / 2;
	case 4:
	case 5:		/* a one-tick low strobe at terminal count */
		return t != c->reload;
	default:	/* 0, 1: low until terminal count */
		return c->armed && t >= c->reload;
	}
}

static void i8254_load(struct i8254 *pit, unsigned int n, __u16 v, __u64 now)
{
	struct i8254_channel *c = &pit->ch[n];

	c->reload = v ? v : 65536;
	c->start = now;
	c->armed = true;
	c->edges_seen = 0;
	if (n == 2)
		pit->gate_frozen = 0;
}

static void i8254_control(struct i8254 *pit, __u8 val, __u64 now)
{
	unsigned int n = val >> 6, i;
	struct i8254_channel *c;

	if (n == 3) {			/* read-back: bit 5 clear latches counts, bit 4 status */
		for (i = 0; i < 3; i++) {
			if (!(val & (2u << i)))
				continue;
			c = &pit->ch[i];
			if (!(val & 0x20) && !c->latched) {
				c->latch = i8254_count(pit, i, now);
				c->latched = c->access == 3 ? 2 : 1;
			}
			if (!(val & 0x10)) {
				c->status = i8254_out(pit, i, now) << 7 |
					    c->access << 4 | c->mode << 1 | c->bcd;
				c->status_latched = true;
			}
		}
		return;
	}
	c = &pit->ch[n];
	if (!(val & 0x30)) {		/* counter latch command */
		if (!c->latched) {
			c->latch = i8254_count(pit, n, now);
			c->latched = c->access == 3 ? 2 : 1;
		}
		return;
	}
	c->access = (val >> 4) & 3;
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;		/* 6, 7 are 2, 3 */
	c->bcd = val & 1;
	c->write_hi = c->read_hi = false;
	c->latched = 0;
	c->status_latched = false;
	/* A new mode stops the counter until a count is written. */
	c->armed = false;
	c->edges_seen = 0;	/* a stopped counter has had no edges */
}

static __u8 i8254_read_counter(struct i8254 *pit, unsigned int n, __u64 now)
{
	struct i8254_channel *c = &pit->ch[n];
	__u16 v;
	__u8 b;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched) {
		v = c->latch;
		c->latched--;
	} else {
		v = i8254_count(pit, n, now);
	}
	switch (c->access) {
	case 1:
		return v & 0xff;
	case 2:
		return v >> 8;
	default:
		b = c->read_hi ? v >> 8 : v & 0xff;
		c->read_hi = !c->read_hi;
		return b;
	}
}

static void i8254_write_counter(struct i8254 *pit, unsigned int n, __u8 val,
				__u64 now)
{
	struct i8254_channel *c = &pit->ch[n];

	switch (c->access) {
	case 1:
		i8254_load(pit, n, val, now);
		break;
	case 2:
		i8254_load(pit, n, val << 8, now);
		break;
	default:
		if (!c->write_hi) {
			c->write_lo = val;
			c->write_hi = true;
		} else {
			c->write_hi = false;
			i8254_load(pit, n, c->write_lo | val << 8, now);
		}
	}
}

/*
 * Channel 2's gate going high. Modes 0 and 4 resume where the count was
 * frozen (the gate only enables counting); in the others a rising gate
 * reloads: 2 and 3 restart, 1 and 5 are triggered.
 */
static void i8254_gate_rise(struct i8254 *pit, __u64 now)
{
	struct i8254_channel *c = &pit->ch[2];
	__u64 back;

	if (c->mode != 0 && c->mode != 4) {
		c->start = now;
		return;
	}
	/* Back-date the start so exactly gate_frozen ticks have passed. */
	back = i8254_time_of(0, pit->gate_frozen);
	c->start = now > back ? now - back : 0;
}

__u8 i8254__read(struct i8254 *pit, __u16 port, __u64 now)
{
	switch (port) {
	case I8254_PORT ... I8254_PORT + 2:
		return i8254_read_counter(pit, port - I8254_PORT, now);
	case I8254_PORT_B:
		return (pit->port_b & 3) | ((now / REFRESH_NS) & 1) << 4 |
		       i8254_out(pit, 2, now) << 5;
	default:			/* the control word is write-only */
		return 0xff;
	}
}

void i8254__write(struct i8254 *pit, __u16 port, __u8 val, __u64 now)
{
	switch (port) {
	case I8254_PORT ... I8254_PORT + 2:
		i8254_write_counter(pit, port - I8254_PORT, val, now);
		break;
	case I8254_CONTROL:
		i8254_control(pit, val, now);
		break;
	case I8254_PORT_B:
		if ((val & 1) && !(pit->port_b & 1)) {
			i8254_gate_rise(pit, now);
		} else if (!(val & 1) && (pit->port_b & 1)) {
			pit->gate_frozen = i8254_ticks(pit->ch[2].start, now);
		}
		pit->port_b = val & 3;
		break;
	}
}

/* Channel 0's rising edges from its load up to @now. */
static unsigned long long i8254_edges(const struct i8254 *pit, __u64 now)
{
	const struct i8254_channel *c = &pit->ch[0];
	__u64 t;

	if (!c->armed)
		return 0;
	t = i8254_ticks(c->start, now);
	if (i8254_periodic(c))
		return t / c->reload;
	return t >= c->reload;
}

unsigned int i8254__poll(struct i8254 *pit, __u64 now)
{
	unsigned long long e = i8254_edges(pit, now);
	unsigned long long n;

	/* An earlier @now than last time: nothing new (and nothing twice). */
	if (e <= pit->ch[0].edges_seen)
		return 0;
	n = e - pit->ch[0].edges_seen;
	pit->ch[0].edges_seen = e;
	return n > 0xffffffffull ? 0xffffffffu : n;
}

__u64 i8254__next_deadline(const struct i8254 *pit)
{
	const struct i8254_channel *c = &pit->ch[0];

	if (!c->armed)
		return 0;
	if (i8254_periodic(c))
		return i8254_time_of(c->start, (c->edges_seen + 1) * c->reload);
	return c->edges_seen ? 0 : i8254_time_of(c->start, c->reload);
}

/* The VM's PIT: channel 0 edges raise IRQ 0 (one edge per poll: late
 * ticks are merged, as an edge-triggered line would merge them). */
static struct i8254 pit;
static unsigned long long pit_ticks, pit_late_ticks;

static void i8254_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		     bool is_write, void *opaque)
{
	__u64 now = devices__now();
	__u32 i;

	(void)v, (void)opaque;
	for (i = 0; i < size; i++) {
		if (is_write)
			i8254__write(&pit, port + i, data[i], now);
		else
			data[i] = i8254__read(&pit, port + i, now);
	}
}

static void i8254_tick(__u64 now)
{
	unsigned int n = i8254__poll(&pit, now);

	if (!n)
		return;
	pit_ticks++;
	pit_late_ticks += n - 1;
	irq__pulse(I8254_IRQ);
}

static __u64 i8254_deadline(void)
{
	return i8254__next_deadline(&pit);
}

static int i8254_report(char *buf, size_t len)
{
	if (!pit_ticks)
		return 0;
	return snprintf(buf, len, "IRQ 0 ticks %llu, more merged into them (the host was late) %llu",
			pit_ticks, pit_late_ticks);
}

static int i8254_device_init(struct vm_devices *d)
{
	(void)d;
	i8254__init(&pit, devices__now());
	pit_ticks = pit_late_ticks = 0;
	return pio__register(I8254_PORT, 4, i8254_io, NULL) ?:
	       pio__register(I8254_PORT_B, 1, i8254_io, NULL);
}

const struct device i8254_device = {
	.name = "pit",
	.help = "8254 PIT at 0x40-0x43 (channel 0 on IRQ 0, channel 2 gated by port 0x61)",
	.init = i8254_device_init,
	.next_deadline = i8254_deadline,
	.tick = i8254_tick,
	.report = i8254_report,
};
