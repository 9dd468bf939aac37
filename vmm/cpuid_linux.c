// SPDX-License-Identifier: GPL-2.0
#include <cpuid.h>
#include <string.h>

#include "cpuid_linux.h"
#include "lapic.h"

/* Leaf 1 EDX: FPU VME DE PSE TSC MSR PAE CX8 SEP PGE CMOV PSE36 CLFSH MMX FXSR SSE SSE2. */
#define L1_EDX_KEEP	(0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x100 | \
			 0x800 | 0x2000 | 0x8000 | 0x20000 | 0x80000 | \
			 0x800000 | 0x1000000 | 0x2000000 | 0x4000000)
/* Leaf 1 ECX: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT AES RDRAND. */
#define L1_ECX_KEEP	(0x1 | 0x2 | 0x200 | 0x2000 | 0x80000 | 0x100000 | \
			 0x400000 | 0x800000 | 0x2000000 | 0x40000000)
#define L1_ECX_HYPERVISOR	0x80000000u
/* Leaf 7.0 EBX: FSGSBASE BMI1 BMI2 ERMS SMEP ADX SMAP CLFLUSHOPT (no AVX2, INVPCID, ...). */
#define L7_EBX_KEEP	(0x1 | 0x8 | 0x80 | 0x100 | 0x200 | 0x80000 | 0x100000 | 0x800000)
/* 0x80000001 ECX: LAHF/SAHF, ABM/LZCNT, PREFETCHW; EDX: SYSCALL NX 1GB-pages? no; LM. */
#define LX1_ECX_KEEP	(0x1 | 0x20 | 0x100)
#define LX1_EDX_KEEP	(0x800 | 0x100000 | 0x20000000)
#define LX7_EDX_INVARIANT_TSC	0x100

void cpuid_host(__u32 leaf, __u32 sub, __u32 r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

static void cpuid_add(struct cpuid_linux_table *t, __u32 leaf, __u32 sub,
		      __u32 flags, const __u32 r[4])
{
	struct minivmm_cpuid_entry *e = &t->e[t->hdr.nent++];

	*e = (struct minivmm_cpuid_entry) {
		.function = leaf, .index = sub, .flags = flags,
		.eax = r[0], .ebx = r[1], .ecx = r[2], .edx = r[3],
	};
}

void cpuid_linux_table(struct cpuid_linux_table *t, __u32 tsc_khz,
		       void (*cpuid)(__u32 leaf, __u32 sub, __u32 r[4]))
{
	__u32 r[4], max_ext, leaf;

	memset(t, 0, sizeof(*t));
	cpuid(0, 0, r);
	r[0] = tsc_khz ? 0x16 : (r[0] < 7 ? r[0] : 7);	/* vendor kept */
	cpuid_add(t, 0, 0, 0, r);

	cpuid(1, 0, r);
	/* One logical CPU, APIC ID 0, CLFLUSH size kept. */
	r[1] &= 0xff00;
	r[2] = (r[2] & L1_ECX_KEEP) | L1_ECX_HYPERVISOR;
	r[3] = (r[3] & L1_EDX_KEEP) | CPUID_1_EDX_APIC;	/* lapic.c; no x2APIC */
	cpuid_add(t, 1, 0, 0, r);

	cpuid(7, 0, r);
	r[0] = 0;			/* no subleaf 1 */
	r[1] &= L7_EBX_KEEP;
	r[2] = r[3] = 0;		/* no PKU, LA57, RDPID, TSX, ... */
	cpuid_add(t, 7, 0, MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX, r);

	if (tsc_khz) {
		/*
		 * The crystal is the APIC timer's clock (Linux takes its rate
		 * from here); TSC = crystal * EBX / EAX: exactly tsc_khz.
		 */
		const __u32 tsc[4] = { LAPIC_BUS_HZ / 1000000, tsc_khz, LAPIC_BUS_HZ, 0 };
		const __u32 freq[4] = { tsc_khz / 1000, tsc_khz / 1000, 100, 0 };

		cpuid_add(t, 0x15, 0, 0, tsc);
		cpuid_add(t, 0x16, 0, 0, freq);
	}

	cpuid(0x80000000, 0, r);
	max_ext = r[0] < 0x80000008 ? r[0] : 0x80000008;
	r[0] = max_ext;
	cpuid_add(t, 0x80000000, 0, 0, r);
	for (leaf = 0x80000001; leaf <= max_ext; leaf++) {
		cpuid(leaf, 0, r);
		switch (leaf) {
		case 0x80000001:
			r[0] = r[1] = 0;
			r[2] &= LX1_ECX_KEEP;
			r[3] &= LX1_EDX_KEEP;
			break;
		case 0x80000002: case 0x80000003: case 0x80000004:	/* brand */
		case 0x80000006:					/* L2 cache */
			break;
		case 0x80000007:
			r[0] = r[1] = r[2] = 0;
			r[3] &= LX7_EDX_INVARIANT_TSC;
			break;
		case 0x80000008:		/* address sizes only */
			r[0] &= 0xffff;
			r[1] = r[2] = r[3] = 0;
			break;
		default:
			continue;
		}
		cpuid_add(t, leaf, 0, 0, r);
	}
}
