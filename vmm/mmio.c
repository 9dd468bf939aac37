// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "die.h"
#include "mmio.h"
#include "range_table.h"
#include "vcpu.h"

static struct range_table mmio_ranges;
static __u64 mmio_reported[MMIO_REPORT_MAX];
static unsigned int mmio_nr_reported;
static bool mmio_report_full;
static unsigned long long mmio_unhandled;

int mmio__register(__u64 addr, __u64 len, mmio_fn fn, void *opaque)
{
	if (!len || !fn || addr + len < addr)
		return -EINVAL;
	return range_table__add(&mmio_ranges, addr, len, (range_fn)fn, opaque);
}

int mmio__unregister(__u64 addr)
{
	return range_table__remove(&mmio_ranges, addr);
}

void mmio__reset(void)
{
	mmio_ranges.nr = 0;
	mmio_nr_reported = 0;
	mmio_report_full = false;
	mmio_unhandled = 0;
}

/* True the first time @addr is seen (up to MMIO_REPORT_MAX addresses). */
static bool mmio_first_report(struct vcpu *v, __u64 addr)
{
	unsigned int i;

	for (i = 0; i < mmio_nr_reported; i++)
		if (mmio_reported[i] == addr)
			return false;
	if (mmio_nr_reported == MMIO_REPORT_MAX) {
		if (!mmio_report_full)
			fprintf(v->err, VMM_PROG ": more than %d unhandled MMIO addresses: no longer reporting them\n",
				MMIO_REPORT_MAX);
		mmio_report_full = true;
		return false;
	}
	mmio_reported[mmio_nr_reported++] = addr;
	return true;
}

void mmio__access(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
		  bool is_write)
{
	const struct range *r = range_table__find(&mmio_ranges, addr);

	if (r) {
		((mmio_fn)r->fn)(v, addr, data, len, is_write, r->opaque);
		return;
	}

	mmio_unhandled++;
	if (!is_write)
		memset(data, 0xff, len);
	if (mmio_first_report(v, addr))
		fprintf(v->err, VMM_PROG ": unhandled MMIO at %#llx: %s of %u byte%s %s (reported once per address)\n",
			(unsigned long long)addr, is_write ? "write" : "read",
			len, len == 1 ? "" : "s",
			is_write ? "ignored" : "reads all-ones");
}

unsigned long long mmio__unhandled_accesses(void)
{
	return mmio_unhandled;
}
