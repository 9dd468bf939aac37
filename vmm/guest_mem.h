/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory: one anonymous mapping, guest-physical 0 .. size - 1
 * (memory slot 0). The loaders and the boot-state builder write into it
 * through guest_mem_ptr(), which checks the range.
 */
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define GUEST_PAGE_SIZE		0x1000ull
#define GUEST_MEM_MIN		(1ull << 20)
#define GUEST_MEM_DEFAULT	(64ull << 20)

struct guest_mem {
	void *host;
	__u64 size;
};

/* True if [gpa, gpa + len) lies inside guest memory. */
static inline bool guest_mem_contains(const struct guest_mem *m, __u64 gpa,
				      __u64 len)
{
	return gpa <= m->size && len <= m->size - gpa;
}

/* Host address of guest-physical @gpa, or NULL if [gpa, gpa + len) is not RAM. */
static inline void *guest_mem_ptr(const struct guest_mem *m, __u64 gpa,
				  __u64 len)
{
	return guest_mem_contains(m, gpa, len) ? (char *)m->host + gpa : NULL;
}

/* mmap @size bytes of zeroed memory: 0 or -errno. */
int guest_mem_alloc(struct guest_mem *m, __u64 size);
void guest_mem_free(struct guest_mem *m);

#endif /* VMM_GUEST_MEM_H */
