// SPDX-License-Identifier: GPL-2.0
/*
 * avx_loop: keep a pattern in the upper halves of YMM0-15 and check it
 * until SIGTERM, while a guest runs on the same CPU (suite run,
 * wswitch). Each check reads the pattern back; a guest whose AVX state
 * leaked into this task's registers would change it. The guest, in
 * turn, checks that it never sees this pattern. Prints the count of
 * checks and mismatches; exits 1 on a mismatch, 2 without AVX.
 *
 * Only the upper halves are checked: without -mavx the compiler uses
 * nothing but legacy SSE, which leaves them alone (SDM Vol. 1 14.1.3).
 */
#include <cpuid.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define HOST_BYTE(reg, i)	((unsigned char)(0xa0 + (reg) * 3 + (i)))

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static unsigned char pat[16][32] __attribute__((aligned(32)));
static unsigned char out[16][32] __attribute__((aligned(32)));

#define YMM_LOAD(n)  __asm__ volatile("vmovdqu %0, %%ymm" #n : : "m"(pat[n]))
#define YMM_STORE(n) __asm__ volatile("vmovdqu %%ymm" #n ", %0" : "=m"(out[n]))

static void load_all(void)
{
	YMM_LOAD(0); YMM_LOAD(1); YMM_LOAD(2); YMM_LOAD(3);
	YMM_LOAD(4); YMM_LOAD(5); YMM_LOAD(6); YMM_LOAD(7);
	YMM_LOAD(8); YMM_LOAD(9); YMM_LOAD(10); YMM_LOAD(11);
	YMM_LOAD(12); YMM_LOAD(13); YMM_LOAD(14); YMM_LOAD(15);
}

static void store_all(void)
{
	YMM_STORE(0); YMM_STORE(1); YMM_STORE(2); YMM_STORE(3);
	YMM_STORE(4); YMM_STORE(5); YMM_STORE(6); YMM_STORE(7);
	YMM_STORE(8); YMM_STORE(9); YMM_STORE(10); YMM_STORE(11);
	YMM_STORE(12); YMM_STORE(13); YMM_STORE(14); YMM_STORE(15);
}

int main(void)
{
	unsigned int a, b, c, d, r, i;
	unsigned long checks = 0, bad = 0;
	volatile unsigned long spin;

	/* AVX and OS support for it (CPUID.1:ECX bits 27, 28). */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 28)) || !(c & (1u << 27))) {
		printf("avx_loop: no AVX\n");
		return 2;
	}
	for (r = 0; r < 16; r++)
		for (i = 0; i < 32; i++)
			pat[r][i] = i < 16 ? 0 : HOST_BYTE(r, i - 16);
	signal(SIGTERM, on_term);
	load_all();
	while (!stop) {
		for (spin = 0; spin < 1000; spin++)
			;
		store_all();
		checks++;
		for (r = 0; r < 16; r++) {
			for (i = 16; i < 32; i++)
				if (out[r][i] != pat[r][i])
					break;
			if (i < 32) {
				if (!bad)
					printf("avx_loop: ymm%u upper byte %u is %#x, not %#x\n",
					       r, i - 16, out[r][i], pat[r][i]);
				bad++;
				load_all();
				break;
			}
		}
	}
	printf("avx_loop: %lu checks, %lu mismatches\n", checks, bad);
	return bad != 0;
}
