/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small table of non-overlapping [start, start + len) ranges, each with
 * a handler and its opaque pointer: the registry behind pio__register()
 * and mmio__register(). Few devices exist, so a linear search it is.
 */
#ifndef VMM_RANGE_TABLE_H
#define VMM_RANGE_TABLE_H

#include <linux/types.h>

#define RANGE_TABLE_MAX	32

/* Stored as a generic function pointer; each user casts back its own type. */
typedef void (*range_fn)(void);

struct range {
	__u64 start, len;
	range_fn fn;
	void *opaque;
};

struct range_table {
	struct range ranges[RANGE_TABLE_MAX];
	unsigned int nr;
};

/* 0, -EEXIST (overlaps a range) or -ENOSPC. @len > 0, no wrap: the caller's. */
int range_table__add(struct range_table *t, __u64 start, __u64 len,
		     range_fn fn, void *opaque);
/* Remove the range starting at @start: 0 or -ENOENT. */
int range_table__remove(struct range_table *t, __u64 start);
/* The range holding @addr, or NULL. */
const struct range *range_table__find(const struct range_table *t, __u64 addr);

#endif /* VMM_RANGE_TABLE_H */
