// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUID exit class (SDM 26.1.2: CPUID always exits). Run with the
 * two leaves the suite sets through MINIVMM_SET_CPUID (minivmm run
 * --cpuid, see docs/exits/cpuid.md):
 *
 *   --cpuid 0x40000000=0x40000001:0x696e696d:0x216d6d76:0x74736574
 *   --cpuid 0x40000001.1=1:2:3:4
 *
 * and checks, in exactly CPUID_GUEST_CALLS CPUID instructions, one line
 * each ("cpuid: PASS|FAIL <name>"), then "cpuid: N failed"; exits N.
 */
#include "lib/guest.h"

#define CPUID_GUEST_CALLS	7

static int eq4(const u32 r[4], u32 a, u32 b, u32 c, u32 d)
{
	return r[0] == a && r[1] == b && r[2] == c && r[3] == d;
}

int main(void)
{
	u32 r[4], r2[4];

	serial_puts("cpuid: 7 CPUID instructions, each one VM exit\n");
	cpuid(0x40000000, 0, &r[0], &r[1], &r[2], &r[3]);
	check("cpuid", "signature", eq4(r, 0x40000001, 0x696e696d, 0x216d6d76, 0x74736574),
	      "ebx:ecx", r[1], r[2]);
	cpuid(0x40000001, 1, &r[0], &r[1], &r[2], &r[3]);
	check("cpuid", "subleaf_set", eq4(r, 1, 2, 3, 4), "eax:ebx", r[0], r[1]);
	cpuid(0x40000001, 0, &r[0], &r[1], &r[2], &r[3]);
	check("cpuid", "other_subleaf_zero", eq4(r, 0, 0, 0, 0), "eax:ebx", r[0], r[1]);
	cpuid(0x40000002, 0, &r[0], &r[1], &r[2], &r[3]);
	check("cpuid", "missing_leaf_zero", eq4(r, 0, 0, 0, 0), "eax:ebx", r[0], r[1]);
	cpuid(1, 0, &r[0], &r[1], &r[2], &r[3]);
	check("cpuid", "hypervisor_bit", (r[2] >> 31) & 1, "ecx", r[2], 0);
	check("cpuid", "no_vmx", !((r[2] >> 5) & 1), "ecx", r[2], 0);
	cpuid(0, 0, &r[0], &r[1], &r[2], &r[3]);
	cpuid(0, 0, &r2[0], &r2[1], &r2[2], &r2[3]);
	check("cpuid", "leaf0_stable", eq4(r, r2[0], r2[1], r2[2], r2[3]) && r[0] >= 1,
	      "max leaf", r[0], r2[0]);
	check_summary("cpuid");
	return checks_failed;
}
