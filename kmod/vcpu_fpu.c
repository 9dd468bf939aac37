// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FPU, SSE and AVX state and its XCR0: one XSAVE area per
 * vCPU, loaded before each VM entry and saved after each exit, so the
 * guest never sees the host's registers nor loses its own to a host task
 * that ran on the CPU meanwhile (SDM Vol. 1 ch. 13, "Managing State
 * Using the XSAVE Feature Set").
 *
 * The guest may enable, in its XCR0, the components below that the host
 * has enabled in its own: x87, SSE, AVX and the three AVX-512 ones. The
 * rest stay out of its reach: MPX (BNDCFGS is not switched), PKRU
 * (CR4.PKE is refused, vmx_setup.c), AMX (needs IA32_XFD handling) and
 * the supervisor components (XSAVES is not enabled in the VMCS, so it is
 * #UD in the guest). Without XSAVE on the host, only the 512-byte FXSAVE
 * area is switched and CPUID shows no XSAVE.
 */
#include <linux/slab.h>
#include <linux/gfp.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/cpufeature.h>
#include "minivmm.h"
#include "vm.h"

#define XCR0_X87	BIT_ULL(0)
#define XCR0_SSE	BIT_ULL(1)
#define XCR0_YMM	BIT_ULL(2)
#define XCR0_AVX512	(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))
#define XCR0_GUEST_MAX	(XCR0_X87 | XCR0_SSE | XCR0_YMM | XCR0_AVX512)

/* Offsets in the XSAVE area (SDM Vol. 1 13.4.1, 13.4.2). */
#define XSAVE_FCW		0
#define XSAVE_MXCSR		24
#define XSAVE_LEGACY_BYTES	512
#define XSAVE_HEADER_BYTES	64

static struct {
	bool xsave;		/* XSAVE/XRSTOR and XCR0 switching in use */
	u64 host_xcr0;		/* constant after boot, the same on all CPUs */
	u64 guest_supported;	/* what a guest XCR0 may contain */
	u32 size;		/* bytes of the guest XSAVE area */
} fpu_caps;

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (u64)hi << 32 | lo;
}

static void xsetbv0(u64 v)
{
	asm volatile("xsetbv" : : "a"((u32)v), "d"((u32)(v >> 32)), "c"(0));
}

/* The standard-format size of an XSAVE area holding the components in @mask. */
static u32 xsave_size_for(u64 mask)
{
	u32 size = XSAVE_LEGACY_BYTES + XSAVE_HEADER_BYTES;
	u32 eax, ebx, ecx, edx;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		/* CPUID.(EAX=0DH,ECX=i): EAX size, EBX offset (SDM Vol. 1 13.2). */
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		size = max(size, ebx + eax);
	}
	return size;
}

/* At module load: what can be switched, and how big the guest area is. */
void vcpu_fpu_caps_init(void)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE) || !(native_read_cr4() & X86_CR4_OSXSAVE)) {
		fpu_caps.size = XSAVE_LEGACY_BYTES;
		pr_info(MINIVMM_NAME ": no XSAVE on the host: guests get x87/SSE state only\n");
		return;
	}
	fpu_caps.xsave = true;
	fpu_caps.host_xcr0 = xgetbv0();
	fpu_caps.guest_supported = fpu_caps.host_xcr0 & XCR0_GUEST_MAX;
	/* AVX-512 is all three components or none (SDM Vol. 1 13.3). */
	if ((fpu_caps.guest_supported & XCR0_AVX512) != XCR0_AVX512 ||
	    !(fpu_caps.guest_supported & XCR0_YMM))
		fpu_caps.guest_supported &= ~XCR0_AVX512;
	fpu_caps.size = xsave_size_for(fpu_caps.guest_supported);
}

bool vcpu_fpu_xsave_enabled(void)
{
	return fpu_caps.xsave;
}

u64 vcpu_fpu_guest_supported_xcr0(void)
{
	return fpu_caps.guest_supported;
}

/* CPUID.(EAX=0DH,ECX=0):EBX for the guest's XCR0. */
u32 vcpu_fpu_xsave_size(u64 xcr0)
{
	return xsave_size_for(xcr0 & fpu_caps.guest_supported);
}

/*
 * XSETBV's checks (SDM Vol. 2D, XSETBV "Protected Mode Exceptions"):
 * x87 always on, AVX only with SSE, AVX-512 all or none and only with
 * AVX, nothing the guest may not have. False: the caller injects #GP.
 */
bool vcpu_fpu_set_xcr0(struct minivmm_vcpu *vcpu, u64 xcr0)
{
	if (!(xcr0 & XCR0_X87) || (xcr0 & ~fpu_caps.guest_supported))
		return false;
	if ((xcr0 & XCR0_YMM) && !(xcr0 & XCR0_SSE))
		return false;
	if ((xcr0 & XCR0_AVX512) &&
	    ((xcr0 & XCR0_AVX512) != XCR0_AVX512 || !(xcr0 & XCR0_YMM)))
		return false;
	vcpu->xcr0 = xcr0;
	return true;
}

/*
 * The area is page-allocated: XSAVE needs 64-byte alignment and the size
 * depends on the CPU. Zeroed, its header says every component is in its
 * initial state; FCW and MXCSR are those after RESET (SDM Vol. 3A 10.1,
 * Table 10-1), MXCSR being read from memory whenever SSE or AVX is
 * restored.
 */
/* The bytes vcpu_fpu_alloc() takes per vCPU. */
u64 vcpu_fpu_area_bytes(void)
{
	return PAGE_SIZE << get_order(fpu_caps.size);
}

int vcpu_fpu_alloc(struct minivmm_vcpu *vcpu)
{
	u8 *area = (u8 *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO,
					  get_order(fpu_caps.size));

	if (!area)
		return -ENOMEM;
	*(u16 *)(area + XSAVE_FCW) = 0x37f;
	*(u32 *)(area + XSAVE_MXCSR) = 0x1f80;
	vcpu->fpu = area;
	vcpu->xcr0 = XCR0_X87;		/* XCR0 after RESET */
	return 0;
}

void vcpu_fpu_free(struct minivmm_vcpu *vcpu)
{
	if (vcpu->fpu)
		free_pages((unsigned long)vcpu->fpu, get_order(fpu_caps.size));
}

/*
 * Before entry, preemptible: the host task's registers go to its own
 * save area (kernel_fpu_begin() does that, and arranges for them to come
 * back on the way to user mode), then the guest's are loaded, every
 * component the guest may use, under the host's XCR0 (a superset).
 */
void vcpu_fpu_load(struct minivmm_vcpu *vcpu)
{
	u64 mask = fpu_caps.guest_supported;

	kernel_fpu_begin();
	if (fpu_caps.xsave)
		asm volatile("xrstor64 %0" : : "m"(*(u8 *)vcpu->fpu),
			     "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
	else
		asm volatile("fxrstor64 %0" : : "m"(*(u8 *)vcpu->fpu) : "memory");
}

/* After the exit, interrupts on again: the guest's registers saved. */
void vcpu_fpu_put(struct minivmm_vcpu *vcpu)
{
	u64 mask = fpu_caps.guest_supported;

	if (fpu_caps.xsave)
		asm volatile("xsave64 %0" : "+m"(*(u8 *)vcpu->fpu)
			     : "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
	else
		asm volatile("fxsave64 %0" : "=m"(*(u8 *)vcpu->fpu) : : "memory");
	kernel_fpu_end();
}

/*
 * Interrupts off, right around the entry: nothing on this CPU may save
 * or restore extended state under the guest's XCR0 (KVM does the same
 * in kvm_load_guest_xsave_state()).
 */
void vcpu_fpu_enter_xcr0(struct minivmm_vcpu *vcpu)
{
	if (fpu_caps.xsave && vcpu->xcr0 != fpu_caps.host_xcr0)
		xsetbv0(vcpu->xcr0);
}

void vcpu_fpu_exit_xcr0(struct minivmm_vcpu *vcpu)
{
	if (fpu_caps.xsave && vcpu->xcr0 != fpu_caps.host_xcr0)
		xsetbv0(fpu_caps.host_xcr0);
}
