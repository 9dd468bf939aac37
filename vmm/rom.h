/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --rom FILE@GPA: a read-only memory slot (MINIVMM_MEM_READONLY), as a
 * firmware or option ROM is: the guest reads it at memory speed, and a
 * write to it is an MMIO exit (an EPT violation on a page without write
 * permission, SDM Vol. 3C 29.3.3) that minivmm drops.
 */
#ifndef VMM_ROM_H
#define VMM_ROM_H

#include <stdio.h>
#include <linux/types.h>

#include "guest_mem.h"

struct rom {
	const char *path;	/* NULL: none */
	__u64 gpa;		/* page-aligned */
	struct guest_mem mem;	/* the file, padded to whole pages */
	unsigned long long writes;	/* dropped */
};

/* "FILE@GPA": 0 or VMM_EXIT_USAGE (message on @err). */
int rom_parse(const char *arg, struct rom *r, FILE *err);
/*
 * Read the file and map it as slot @slot of @vm_fd, read-only, and take
 * the writes to it: 0 or an exit status (message on stderr).
 */
int rom_map(struct rom *r, int vm_fd, __u32 slot);
void rom_free(struct rom *r);

#endif /* VMM_ROM_H */
