// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev.h"
#include "die.h"
#include "exit_status.h"
#include "mmio.h"
#include "rom.h"
#include "run.h"

#define ROM_MAX		(16ull << 20)

int rom_parse(const char *arg, struct rom *r, FILE *err)
{
	const char *at = strrchr(arg, '@');
	static char path[4096];

	if (!at || at == arg || (size_t)(at - arg) >= sizeof(path) ||
	    parse_size(at + 1, &r->gpa) || r->gpa % GUEST_PAGE_SIZE ||
	    r->gpa >= (1ull << 48)) {
		fprintf(err, VMM_PROG ": run: --rom '%s': want FILE@GPA, GPA a multiple of 4K below 2^48\n",
			arg);
		return VMM_EXIT_USAGE;
	}
	memcpy(path, arg, at - arg);
	path[at - arg] = '\0';
	r->path = path;
	return 0;
}

/* Writes to the ROM: dropped, as on a real one, and counted. */
static void rom_write(struct vcpu *v, __u64 addr, __u8 *data, __u32 len,
		      bool is_write, void *opaque)
{
	struct rom *r = opaque;

	(void)v, (void)addr;
	if (is_write)
		r->writes++;
	else	/* not reached: reads come from the slot */
		memset(data, 0xff, len);
}

int rom_map(struct rom *r, int vm_fd, __u32 slot)
{
	struct minivmm_memory_region region = { .slot = slot,
		.flags = MINIVMM_MEM_READONLY, .guest_phys_addr = r->gpa };
	struct stat st;
	ssize_t n;
	int fd, ret;

	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size ||
	    (__u64)st.st_size > ROM_MAX) {
		fprintf(stderr, VMM_PROG ": run: --rom %s: %s\n", r->path,
			fd < 0 ? strerror(errno) : "not a regular file of 1 byte to 16 MiB");
		if (fd >= 0)
			close(fd);
		return VMM_EXIT_BAD_IMAGE;
	}
	ret = guest_mem_alloc(&r->mem, (st.st_size + GUEST_PAGE_SIZE - 1) &
			      ~(__u64)(GUEST_PAGE_SIZE - 1));
	n = ret ? -1 : read(fd, r->mem.host, st.st_size);
	close(fd);
	if (n != st.st_size) {
		fprintf(stderr, VMM_PROG ": run: --rom %s: cannot read it\n", r->path);
		return VMM_EXIT_BAD_IMAGE;
	}
	region.memory_size = r->mem.size;
	region.userspace_addr = (uintptr_t)r->mem.host;
	ret = __dev_ioctl(vm_fd, MINIVMM_SET_MEMORY_REGION, (unsigned long)&region);
	if (ret < 0) {
		fprintf(stderr, VMM_PROG ": run: --rom %s at %#llx: MINIVMM_SET_MEMORY_REGION: %s\n",
			r->path, (unsigned long long)r->gpa, strerror(-ret));
		return ret == -EEXIST ? VMM_EXIT_USAGE : VMM_EXIT_IOCTL;
	}
	if (mmio__register(r->gpa, r->mem.size, rom_write, r))
		return VMM_EXIT_ERROR;
	return 0;
}

void rom_free(struct rom *r)
{
	if (r->path && r->mem.host)
		mmio__unregister(r->gpa);
	guest_mem_free(&r->mem);
}
