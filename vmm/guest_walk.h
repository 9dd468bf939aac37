/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest-virtual address to guest-physical, the way the guest's MMU
 * would see it (SDM Vol. 3A chapter 4): no paging, 32-bit paging (4 KiB
 * and 4 MiB pages), PAE paging and 4-level paging (4 KiB, 2 MiB, 1 GiB
 * pages). Access rights are not checked: this is for reading the guest's
 * code and data for a person, not for emulating an access.
 */
#ifndef VMM_GUEST_WALK_H
#define VMM_GUEST_WALK_H

#include <linux/types.h>

#include "uapi/minivmm.h"
#include "guest_mem.h"

/* 0, or -EFAULT (not mapped, or a table outside guest memory). */
int guest_virt_to_phys(const struct guest_mem *m, const struct minivmm_sregs *s,
		       __u64 gva, __u64 *gpa);

/* The code size the guest runs at: 16, 32 or 64 (CR0.PE, EFER.LMA, CS.L/D). */
unsigned int guest_code_mode(const struct minivmm_sregs *s);

#endif /* VMM_GUEST_WALK_H */
