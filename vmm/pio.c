// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "pio.h"
#include "range_table.h"
#include "vcpu.h"

static struct range_table pio_ranges;
static __u8 pio_reported[PIO_NR_PORTS / 8];
static unsigned long long pio_unhandled;
static unsigned int pio_unhandled_distinct;

int pio__register(__u16 port, __u32 len, pio_fn fn, void *opaque)
{
	if (!len || !fn || port + len > PIO_NR_PORTS)
		return -EINVAL;
	return range_table__add(&pio_ranges, port, len, (range_fn)fn, opaque);
}

static void pio_ignore_io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
			  bool is_write, void *opaque)
{
	(void)v, (void)port, (void)opaque;
	if (!is_write)
		memset(data, 0xff, size);
}

int pio__register_ignore(__u16 port, __u32 len)
{
	return pio__register(port, len, pio_ignore_io, NULL);
}

__u32 pio__ignored_ranges(struct minivmm_io_range *out, __u32 max)
{
	unsigned int i;
	__u32 n = 0;

	for (i = 0; i < pio_ranges.nr && n < max; i++) {
		if (pio_ranges.ranges[i].fn != (range_fn)pio_ignore_io)
			continue;
		out[n].port = pio_ranges.ranges[i].start;
		out[n].len = pio_ranges.ranges[i].len;
		out[n].pad = 0;
		n++;
	}
	return n;
}

int pio__unregister(__u16 port)
{
	return range_table__remove(&pio_ranges, port);
}

void pio__reset(void)
{
	pio_ranges.nr = 0;
	memset(pio_reported, 0, sizeof(pio_reported));
	pio_unhandled = 0;
	pio_unhandled_distinct = 0;
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
	const struct range *r = range_table__find(&pio_ranges, port);
	__u32 i;

	for (i = 0; i < count && !v->stop; i++, data += size) {
		if (r)
			((pio_fn)r->fn)(v, port, data, size, is_write, r->opaque);
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
