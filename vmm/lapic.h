/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC of the one vCPU, in xAPIC mode (SDM Vol. 3A, chapter 11
 * "Advanced Programmable Interrupt Controller", in the edition named in
 * kmod/minivmm.h): the 4 KiB register page at
 * 0xfee00000. ID, version, TPR/PPR, EOI, LDR/DFR, SPIV, ISR/IRR (TMR
 * reads 0: every source is edge-triggered), ESR, the six LVT entries, the
 * ICR and the timer (one-shot and periodic; TSC-deadline is not offered).
 *
 * Interrupts reach the vCPU through it: fixed vectors its timer, its LVT
 * error entry and self-IPIs put in IRR, delivered when their priority
 * class is above PPR's; and the 8259's INTR through LINT0 when LINT0 is
 * unmasked in ExtINT mode (the "virtual wire" a BIOS sets up, and the
 * state at reset here, as KVM's) or the APIC is disabled in
 * IA32_APIC_BASE. LINT1 (NMI), thermal and performance entries hold
 * what is written but nothing drives them. IPIs to other CPUs (there
 * are none: INIT, SIPI, fixed) are dropped, counted; delivery status
 * always reads idle. The timer counts at LAPIC_BUS_HZ divided by TDCR,
 * computed from time like the PIT; a periodic timer's period is at
 * least LAPIC_MIN_PERIOD_NS.
 */
#ifndef VMM_LAPIC_H
#define VMM_LAPIC_H

#include <stdbool.h>
#include <linux/types.h>

#define LAPIC_BASE		0xfee00000ull
#define LAPIC_SIZE		0x1000
/* The timer's input clock: 1 GHz, as KVM's. CPUID 0x15 says so to Linux. */
#define LAPIC_BUS_HZ		1000000000ull
#define LAPIC_MIN_PERIOD_NS	100000ull
/* What CPUID says of it: an APIC (leaf 1 EDX bit 9), no x2APIC. */
#define CPUID_1_EDX_APIC	(1u << 9)

/* Register offsets (SDM Table 11-1). */
#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080
#define LAPIC_APR	0x090
#define LAPIC_PPR	0x0a0
#define LAPIC_EOI	0x0b0
#define LAPIC_RRD	0x0c0
#define LAPIC_LDR	0x0d0
#define LAPIC_DFR	0x0e0
#define LAPIC_SPIV	0x0f0
#define LAPIC_ISR	0x100	/* 8 registers, 0x10 apart */
#define LAPIC_TMR	0x180
#define LAPIC_IRR	0x200
#define LAPIC_ESR	0x280
#define LAPIC_CMCI	0x2f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF	0x340
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TMICT	0x380
#define LAPIC_TMCCT	0x390
#define LAPIC_TDCR	0x3e0

#define LAPIC_NR_LVT		6	/* timer .. error, 0x320-0x370 */
#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_LVT_PERIODIC	(1u << 17)
#define LAPIC_DM_FIXED		0
#define LAPIC_DM_LOWEST		1
#define LAPIC_DM_EXTINT		7
#define LAPIC_SPIV_ENABLE	(1u << 8)
/* Integrated APIC (0x14), LVT entries up to index 5 (no CMCI). */
#define LAPIC_VERSION_VALUE	0x00050014u
/* ESR bits (SDM 11.5.3). */
#define LAPIC_ESR_SEND_ILLEGAL	(1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL	(1u << 6)
#define LAPIC_ESR_ILLEGAL_REG	(1u << 7)

struct lapic {
	bool enabled;		/* IA32_APIC_BASE bit 11 */
	__u32 id, tpr, ldr, dfr, spiv;
	__u32 esr;		/* what the last ESR write latched */
	__u32 esr_pending;	/* errors since */
	__u32 icr_lo, icr_hi;
	__u32 lvt[LAPIC_NR_LVT];
	__u32 irr[8], isr[8];
	__u32 tmict, tdcr;
	__u64 timer_start;	/* ns: counting from tmict began */
	__u64 timer_deadline;	/* ns of the next expiry, 0: not counting */
	/* Counts for --stats: kept when IA32_APIC_BASE turns it off and on. */
	unsigned long long delivered, extint, timer_fired, ipis_dropped;
};

/*
 * Power-up state with APIC ID @id; @virtual_wire leaves LINT0 unmasked
 * in ExtINT mode as a BIOS would (the VM's reset), else all LVT masked
 * (re-enabling after a disable in IA32_APIC_BASE).
 */
void lapic__init(struct lapic *a, __u32 id, bool virtual_wire);
/* IA32_APIC_BASE's enable bit is now @on: off forgets all state but the counts. */
void lapic__set_enabled(struct lapic *a, bool on);
/* A 32-bit access to the register at @off (0..0xff0, 16-byte aligned). */
__u32 lapic__read(struct lapic *a, __u32 off, __u64 now);
void lapic__write(struct lapic *a, __u32 off, __u32 val, __u64 now);
/* The timer expired by @now: its vector raised, a periodic one rearmed. */
void lapic__tick(struct lapic *a, __u64 now);
/* When the timer next expires, 0 if it is not counting. */
__u64 lapic__next_deadline(const struct lapic *a);
/* The vector IRR would deliver now (priority above PPR), or -1. */
int lapic__pending(const struct lapic *a);
/* The interrupt acknowledge: that vector moves from IRR to ISR. */
int lapic__ack(struct lapic *a);
/* The 8259's INTR reaches the CPU (LINT0 in ExtINT mode, or APIC off). */
bool lapic__accepts_extint(const struct lapic *a);
__u32 lapic__ppr(const struct lapic *a);

#endif /* VMM_LAPIC_H */
