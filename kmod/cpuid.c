// SPDX-License-Identifier: GPL-2.0
/*
 * What CPUID tells a guest whose VMM gave no MINIVMM_SET_CPUID table:
 * the host's values, filtered down to the features minivmm switches or
 * emulates, so a guest never turns on something whose state would be
 * the host's or whose MSRs would #GP (docs/uapi.md, "What is switched").
 * A feature not listed here is hidden. Either way, CPUID.1:ECX.OSXSAVE
 * follows the guest's own CR4, as on a real CPU (SDM Vol. 2A, CPUID).
 */
#include <linux/bits.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <minivmm/cpuid_lookup.h>
#include "minivmm.h"
#include "vm.h"
#include "vmcs.h"

#define XCR0_YMM		BIT_ULL(2)
#define XCR0_AVX512		(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))

/*
 * Leaf 1. ECX: SSE3, PCLMULQDQ, SSSE3, CX16, PCID, SSE4.1/4.2, MOVBE,
 * POPCNT, AES, RDRAND; XSAVE, AVX, FMA, F16C below. Not MONITOR (MWAIT
 * is #UD), VMX (no nested VMX), PDCM/DS/TM2/EST (their MSRs #GP),
 * x2APIC/TSC-deadline (no local APIC). EDX: FPU, VME, DE, PSE, TSC, MSR,
 * PAE, CX8, SEP, PGE, CMOV, PAT, PSE36, CLFSH, MMX, FXSR, SSE, SSE2. Not
 * MCE/MCA/MTRR (no machine-check or MTRR MSRs), APIC (the module has no
 * local APIC; minivmm's VMM emulates one and says so in its table),
 * DS, ACPI, SS, HTT, TM, PBE.
 */
#define LEAF1_ECX	(BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(17) | BIT(19) | \
			 BIT(20) | BIT(22) | BIT(23) | BIT(25) | BIT(30))
#define LEAF1_ECX_AVX	(BIT(12) | BIT(28) | BIT(29))	/* FMA, AVX, F16C */
#define LEAF1_ECX_XSAVE	BIT(26)
#define LEAF1_ECX_OSXSAVE BIT(27)
#define LEAF1_ECX_HYPERVISOR BIT(31)
#define LEAF1_EDX	(BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | \
			 BIT(6) | BIT(8) | BIT(11) | BIT(13) | BIT(15) | BIT(16) | \
			 BIT(17) | BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26))
/*
 * Leaf 7.0. EBX: FSGSBASE, BMI1, FDP_EXCPTN_ONLY, SMEP, BMI2, ERMS,
 * FPU CS/DS deprecation, RDSEED, ADX, SMAP, CLFLUSHOPT, CLWB, SHA. Not
 * INVPCID (not enabled in the VMCS: #UD), TSX, MPX, PT, SGX, RDT. ECX:
 * UMIP, GFNI; not PKU/OSPKE (PKRU is not switched: CR4.PKE is refused),
 * WAITPKG, LA57. EDX: nothing (SPEC_CTRL and friends are not the guest's).
 */
#define LEAF7_EBX	(BIT(0) | BIT(3) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | \
			 BIT(13) | BIT(18) | BIT(19) | BIT(20) | BIT(23) | BIT(24) | \
			 BIT(29))
#define LEAF7_EBX_AVX2	BIT(5)
#define LEAF7_EBX_AVX512 (BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | \
			  BIT(28) | BIT(30) | BIT(31))
#define LEAF7_ECX	(BIT(2) | BIT(8))
#define LEAF7_ECX_AVX	(BIT(9) | BIT(10))		/* VAES, VPCLMULQDQ */
#define LEAF7_ECX_AVX512 (BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define LEAF7_ECX_RDPID	BIT(22)
/* 0x80000001. ECX: LAHF/SAHF, LZCNT, PREFETCHW. EDX: SYSCALL, NX, 1 GiB pages, RDTSCP, LM. */
#define EXT1_ECX	(BIT(0) | BIT(5) | BIT(8))
#define EXT1_EDX	(BIT(11) | BIT(20) | BIT(26) | BIT(29))
#define EXT1_EDX_RDTSCP	BIT(27)

static void cpuid_filter_leaf1(struct minivmm_vcpu *vcpu, u32 *r, u64 xcr0s)
{
	u32 ecx = LEAF1_ECX;

	if (vcpu_fpu_xsave_enabled())
		ecx |= LEAF1_ECX_XSAVE;
	if (xcr0s & XCR0_YMM)
		ecx |= LEAF1_ECX_AVX;
	/* APIC ID = vCPU id, one logical processor per package (no HTT). */
	r[1] = (r[1] & 0xffff) | BIT(16) | (vcpu->id << 24);
	r[2] = (r[2] & ecx) | LEAF1_ECX_HYPERVISOR;
	r[3] &= LEAF1_EDX;
}

static void cpuid_filter_leaf7(u32 sub, u32 *r, u64 xcr0s)
{
	u32 ebx = LEAF7_EBX, ecx = LEAF7_ECX;

	if (sub != 0) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	if (xcr0s & XCR0_YMM) {
		ebx |= LEAF7_EBX_AVX2;
		ecx |= LEAF7_ECX_AVX;
	}
	if (xcr0s & XCR0_AVX512) {
		ebx |= LEAF7_EBX_AVX512;
		ecx |= LEAF7_ECX_AVX512;
	}
	if (vmx_rdtscp_enabled())
		ecx |= LEAF7_ECX_RDPID;
	r[0] = 0;			/* no subleaf 1 and beyond */
	r[1] &= ebx;
	r[2] &= ecx;
	r[3] = 0;
}

/*
 * Leaf 0xD (SDM Vol. 1 13.2): subleaf 0 names what XCR0 may hold and the
 * area sizes; subleaf 1 offers XSAVEOPT, XSAVEC and XGETBV with ECX=1 but
 * not XSAVES (not enabled in the VMCS), so no IA32_XSS bits; subleaves
 * 2 and up describe only the components the guest may enable.
 */
static void cpuid_filter_leaf_d(struct minivmm_vcpu *vcpu, u32 sub, u32 *r, u64 xcr0s)
{
	if (!vcpu_fpu_xsave_enabled()) {
		r[0] = r[1] = r[2] = r[3] = 0;
	} else if (sub == 0) {
		r[0] = (u32)xcr0s;
		r[1] = vcpu_fpu_xsave_size(vcpu->xcr0);
		r[2] = vcpu_fpu_xsave_size(xcr0s);
		r[3] = xcr0s >> 32;
	} else if (sub == 1) {
		r[0] &= BIT(0) | BIT(1) | BIT(2);
		r[1] = r[2] = r[3] = 0;
	} else if (sub >= 64 || !(xcr0s & BIT_ULL(sub))) {
		r[0] = r[1] = r[2] = r[3] = 0;
	}
}

static void cpuid_default(struct minivmm_vcpu *vcpu, u32 leaf, u32 sub, u32 *r)
{
	u64 xcr0s = vcpu_fpu_guest_supported_xcr0();

	cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
	switch (leaf) {
	case 0x0:	/* max basic leaf, vendor */
	case 0x2:	/* cache and TLB descriptors */
	case 0x4:	/* cache parameters */
	case 0x15:	/* TSC/crystal ratio */
	case 0x16:	/* frequencies */
	case 0x80000000: /* max extended leaf */
	case 0x80000002: case 0x80000003: case 0x80000004:	/* brand */
	case 0x80000006: /* L2 cache */
		break;
	case 0x1:
		cpuid_filter_leaf1(vcpu, r, xcr0s);
		break;
	case 0x7:
		cpuid_filter_leaf7(sub, r, xcr0s);
		break;
	case 0xd:
		cpuid_filter_leaf_d(vcpu, sub, r, xcr0s);
		break;
	case 0x80000001:
		r[0] = r[1] = 0;
		r[2] &= EXT1_ECX;
		r[3] &= EXT1_EDX | (vmx_rdtscp_enabled() ? EXT1_EDX_RDTSCP : 0);
		break;
	case 0x80000007:
		r[0] = r[1] = r[2] = 0;
		r[3] &= BIT(8);		/* invariant TSC */
		break;
	case 0x80000008:
		r[1] = r[2] = r[3] = 0;	/* address sizes only */
		break;
	default:
		/*
		 * Everything else reads zeros: thermal/power (6), performance
		 * counters (0xA: RDPMC is #GP), topology, SGX, PT, RDT, AMX,
		 * and 0x40000000 and up, which on a nested host would name
		 * the outer hypervisor and its paravirtual MSRs.
		 */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	}
}

/* CPUID as the guest executes it (the exit handler's answer, SDM 26.1.2). */
void cpuid_guest(struct minivmm_vcpu *vcpu, u32 leaf, u32 sub, u32 *r)
{
	if (vcpu->cpuid) {
		minivmm_cpuid_lookup(vcpu->cpuid, vcpu->cpuid_nent, leaf, sub, r);
		/* The size of the XSAVE area follows XCR0, as on the CPU. */
		if (leaf == 0xd && sub == 0 && r[0] && vcpu_fpu_xsave_enabled())
			r[1] = vcpu_fpu_xsave_size(vcpu->xcr0);
	} else {
		cpuid_default(vcpu, leaf, sub, r);
	}
	/* OSXSAVE mirrors CR4.OSXSAVE, wherever XSAVE is offered. */
	if (leaf == 1 && (r[2] & LEAF1_ECX_XSAVE)) {
		r[2] &= ~LEAF1_ECX_OSXSAVE;
		if (vmx_get_cr4() & X86_CR4_OSXSAVE)
			r[2] |= LEAF1_ECX_OSXSAVE;
	}
}
