// SPDX-License-Identifier: GPL-2.0
/* Guest page walks for --step: no paging, 32-bit, PAE and 4-level tables. */
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>

#include "guest_walk.h"

static struct guest_mem mem;

static void setup(void)
{
	cr_assert_eq(guest_mem_alloc(&mem, 8 << 20), 0);
}

static void teardown(void)
{
	guest_mem_free(&mem);
}

TestSuite(guest_walk, .init = setup, .fini = teardown);

static void put64(__u64 gpa, __u64 v)
{
	memcpy(guest_mem_ptr(&mem, gpa, 8), &v, 8);
}

static void put32(__u64 gpa, __u32 v)
{
	memcpy(guest_mem_ptr(&mem, gpa, 4), &v, 4);
}

Test(guest_walk, no_paging_and_modes)
{
	struct minivmm_sregs s = { .cr0 = 0x10 };
	__u64 gpa;

	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0x1234567812345ull, &gpa), 0);
	cr_assert_eq(gpa, (__u32)0x1234567812345ull, "32 bits without long mode");
	cr_assert_eq(guest_code_mode(&s), 16);
	s.cr0 = 1;
	s.cs.db = 1;
	cr_assert_eq(guest_code_mode(&s), 32);
	s.efer = 0x500;
	s.cs.l = 1;
	s.cs.db = 0;
	cr_assert_eq(guest_code_mode(&s), 64);
}

Test(guest_walk, four_level)
{
	struct minivmm_sregs s = { .cr0 = 0x80000001, .cr4 = 0x20, .efer = 0x500, .cr3 = 0x1000 };
	__u64 gpa;

	/* 0xffff800000201234: PML4[256] -> PDPT[0] -> PD[1] -> PT[1]. */
	put64(0x1000 + 256 * 8, 0x2000 | 3);
	put64(0x2000, 0x3000 | 3);
	put64(0x3000 + 1 * 8, 0x4000 | 3);
	put64(0x4000 + 1 * 8, 0x7000 | 3);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0xffff800000201234ull, &gpa), 0);
	cr_assert_eq(gpa, 0x7234);
	/* A 2 MiB page: PD[2] with PS. */
	put64(0x3000 + 2 * 8, 0x600000 | 0x83);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0xffff800000412345ull, &gpa), 0);
	cr_assert_eq(gpa, 0x612345);
	/* A 1 GiB page: PML4[0] -> PDPT with PS. */
	put64(0x1000, 0x5000 | 3);
	put64(0x5000 + 1 * 8, 0x40000000ull | 0x83);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0x40001234ull, &gpa), 0);
	cr_assert_eq(gpa, 0x40001234ull);
	/* Not present. */
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0xffff808000000000ull, &gpa), -EFAULT);
}

Test(guest_walk, pae_and_32bit)
{
	struct minivmm_sregs s = { .cr0 = 0x80000001, .cr4 = 0x20, .cr3 = 0x1020 };
	__u64 gpa;

	/* PAE: PDPT at 0x1020, entry 3 -> PD at 0x2000, PD[1] -> PT at 0x3000. */
	put64(0x1020 + 3 * 8, 0x2000 | 1);
	put64(0x2000 + 1 * 8, 0x3000 | 3);
	put64(0x3000 + 5 * 8, 0x9000 | 3);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0xc0205abcull, &gpa), 0);
	cr_assert_eq(gpa, 0x9abc);
	/* 32-bit paging with a 4 MiB page (CR4.PSE). */
	s = (struct minivmm_sregs) { .cr0 = 0x80000001, .cr4 = 0x10, .cr3 = 0x4000 };
	put32(0x4000 + 1 * 4, 0x400000 | 0x83);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0x00412345ull, &gpa), 0);
	cr_assert_eq(gpa, 0x412345);
	/* And a 4 KiB one. */
	put32(0x4000 + 2 * 4, 0x5000 | 3);
	put32(0x5000 + 3 * 4, 0x6000 | 3);
	cr_assert_eq(guest_virt_to_phys(&mem, &s, 0x00803456ull, &gpa), 0);
	cr_assert_eq(gpa, 0x6456);
}
