/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO routing, as pio.h for guest-physical addresses outside guest
 * memory: the kernel turns EPT violations there into MMIO exits. An
 * address no device owns reads as all-ones and ignores writes; each such
 * address is reported once (the first MMIO_REPORT_MAX of them), counted.
 */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <linux/types.h>

struct vcpu;

#define MMIO_REPORT_MAX	64

/* @len is 1..8; for a read the handler fills @data (little-endian). */
typedef void (*mmio_fn)(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
			bool is_write, void *opaque);

/* 0, -EINVAL (empty or wrapping range) or -EEXIST (overlap). */
int mmio__register(__u64 addr, __u64 len, mmio_fn fn, void *opaque);
int mmio__unregister(__u64 addr);
void mmio__reset(void);

void mmio__access(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
		  bool is_write);

unsigned long long mmio__unhandled_accesses(void);

#endif /* VMM_MMIO_H */
