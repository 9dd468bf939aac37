/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O routing. A device registers a port range with a handler:
 *
 *	pio__register(0x3f8, 8, serial__io, &uart);
 *
 * and an IO exit is dispatched to the handler owning its first port.
 * Ports no device owns read as all-ones and ignore writes; each such
 * port is reported once on the vCPU's error stream, and counted.
 */
#ifndef VMM_PIO_H
#define VMM_PIO_H

#include <stdbool.h>
#include <linux/types.h>

#include "uapi/minivmm.h"

struct vcpu;

#define PIO_NR_PORTS	0x10000

/*
 * One access of @size (1, 2 or 4) bytes at @port, which lies in the
 * handler's range; @data is little-endian. For an IN (!is_write) the
 * handler fills @data. A handler may call vcpu_stop().
 */
typedef void (*pio_fn)(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		       bool is_write, void *opaque);

/* 0, -EINVAL (empty range or past port 0xffff) or -EEXIST (overlap). */
int pio__register(__u16 port, __u32 len, pio_fn fn, void *opaque);
/*
 * A range with nothing behind it that still should not be reported
 * (port 0x80's POST codes): writes dropped, reads all ones. The module
 * can answer these itself (--exit io=kernel: pio__ignored_ranges()).
 */
int pio__register_ignore(__u16 port, __u32 len);
/* Up to @max ranges registered with pio__register_ignore(): how many. */
__u32 pio__ignored_ranges(struct minivmm_io_range *out, __u32 max);
/* Remove the range starting at @port: 0 or -ENOENT. */
int pio__unregister(__u16 port);
/* Forget every registration and every unhandled port (for tests). */
void pio__reset(void);

/*
 * @count accesses of @size bytes at @port, @data holding count * size
 * bytes (REP INS/OUTS). Stops early if a handler stopped the vCPU.
 */
void pio__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
	     __u32 count, bool is_write);

/* Accesses to, and distinct, unhandled ports so far. */
unsigned long long pio__unhandled_accesses(void);
unsigned int pio__unhandled_ports(void);

#endif /* VMM_PIO_H */
