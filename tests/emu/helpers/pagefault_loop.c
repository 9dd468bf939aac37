// SPDX-License-Identifier: GPL-2.0
/*
 * pagefault_loop: fault on fresh pages until killed, so the CPU's CR2
 * keeps changing under a guest that runs beside it (suite run, wswitch).
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	const size_t len = 64 * 4096;
	size_t off;
	char *p;

	for (;;) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		for (off = 0; off < len; off += 4096)
			p[off] = 1;
		munmap(p, len);
	}
}
