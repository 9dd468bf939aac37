// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "pio.h"
#include "vcpu.h"

struct pio_range {
	__u32 start, len;
	pio_fn fn;
	void *opaque;
};

/* Few devices: a small array searched linearly is all it takes. */
#define PIO_MAX_RANGES	32

static struct pio_range pio_ranges[PIO_MAX_RANGES];
static unsigned int pio_nr_ranges;
static __u8 pio_reported[PIO_NR_PORTS / 8];
static unsigned long long pio_unhandled;
static unsigned int pio_unhandled_distinct;

int pio__register(__u16 port, __u32 len, pio_fn fn, void *opaque)
{
	unsigned int i;

	if (!len || !fn || port + len > PIO_NR_PORTS)
		return -EINVAL;
	for (i = 0; i < pio_nr_ranges; i++) {
		const struct pio_range *r = &pio_ranges[i];

		if (port < r->start + r->len && r->start < port + len)
			return -EEXIST;
	}
	if (pio_nr_ranges == PIO_MAX_RANGES)
		return -ENOSPC;
	pio_ranges[pio_nr_ranges++] = (struct pio_range) {
		.start = port, .len = len, .fn = fn, .opaque = opaque,
	};
	return 0;
}

int pio__unregister(__u16 port)
{
	unsigned int i;

	for (i = 0; i < pio_nr_ranges; i++)
		if (pio_ranges[i].start == port) {
			pio_ranges[i] = pio_ranges[--pio_nr_ranges];
			return 0;
		}
	return -ENOENT;
}

void pio__reset(void)
{
	pio_nr_ranges = 0;
	memset(pio_reported, 0, sizeof(pio_reported));
	pio_unhandled = 0;
	pio_unhandled_distinct = 0;
}

static const struct pio_range *pio_find(__u16 port)
{
	unsigned int i;

	for (i = 0; i < pio_nr_ranges; i++)
		if (port >= pio_ranges[i].start &&
		    port < pio_ranges[i].start + pio_ranges[i].len)
			return &pio_ranges[i];
	return NULL;
}

static void pio_unhandled_access(struct vcpu *v, __u16 port, __u8 *data,
				 __u32 size, bool is_write)
{
	pio_unhandled++;
	if (!is_write)
		memset(data, 0xff, size);
	if (pio_reported[port / 8] & (1u << (port % 8)))
		return;
	pio_reported[port / 8] |= 1u << (port % 8);
	pio_unhandled_distinct++;
	fprintf(v->err, VMM_PROG ": unhandled port %#06x: %s of %u byte%s %s (reported once per port)\n",
		port, is_write ? "OUT" : "IN", size, size == 1 ? "" : "s",
		is_write ? "ignored" : "reads all-ones");
}

void pio__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
	     __u32 count, bool is_write)
{
	const struct pio_range *r = pio_find(port);
	__u32 i;

	for (i = 0; i < count && !v->stop; i++, data += size) {
		if (r)
			r->fn(v, port, data, size, is_write, r->opaque);
		else
			pio_unhandled_access(v, port, data, size, is_write);
	}
}

unsigned long long pio__unhandled_accesses(void)
{
	return pio_unhandled;
}

unsigned int pio__unhandled_ports(void)
{
	return pio_unhandled_distinct;
}
