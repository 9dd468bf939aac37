/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug-exit port: an OUT of N (1, 2 or 4 bytes) to port 0xf4 ends
 * the run and minivmm exits with status N & 0xff (the guest's own code).
 * An IN reads all-ones.
 */
#ifndef VMM_DEBUG_EXIT_H
#define VMM_DEBUG_EXIT_H

#include <stdbool.h>
#include <linux/types.h>

struct vcpu;

#define DEBUG_EXIT_PORT		0xf4
#define DEBUG_EXIT_NR_PORTS	4
#define SHUTDOWN_PORT		0x8900

/* --debug-exit=qemu: an OUT of N exits with (N << 1) | 1, as QEMU's isa-debug-exit. */
void debug_exit__set_qemu(bool qemu);

/* Register the port and the power-off port 0x8900: 0 or -errno. */
int debug_exit__setup(void);

void debug_exit__io(struct vcpu *v, __u16 port, __u8 *data, __u32 size,
		    bool is_write, void *opaque);

#endif /* VMM_DEBUG_EXIT_H */
