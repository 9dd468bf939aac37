// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>

#include "range_table.h"

int range_table__add(struct range_table *t, __u64 start, __u64 len,
		     range_fn fn, void *opaque)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		const struct range *r = &t->ranges[i];

		if (start < r->start + r->len && r->start < start + len)
			return -EEXIST;
	}
	if (t->nr == RANGE_TABLE_MAX)
		return -ENOSPC;
	t->ranges[t->nr++] = (struct range) {
		.start = start, .len = len, .fn = fn, .opaque = opaque,
	};
	return 0;
}

int range_table__remove(struct range_table *t, __u64 start)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (t->ranges[i].start == start) {
			t->ranges[i] = t->ranges[--t->nr];
			return 0;
		}
	return -ENOENT;
}

const struct range *range_table__find(const struct range_table *t, __u64 addr)
{
	unsigned int i;

	/* addr - start < len: no overflow at the top of the address space. */
	for (i = 0; i < t->nr; i++)
		if (addr >= t->ranges[i].start &&
		    addr - t->ranges[i].start < t->ranges[i].len)
			return &t->ranges[i];
	return NULL;
}
