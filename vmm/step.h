/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm run --step[=N] and --break ADDR: the guest one instruction per
 * exit (the module's MINIVMM_GUEST_DEBUG_SINGLESTEP: the VMX monitor
 * trap flag, or RFLAGS.TF), and a hardware breakpoint
 * (MINIVMM_GUEST_DEBUG_BREAKPOINT) whose hits are printed and, with
 * --step, start the stepping.
 * Each step prints the instruction about to run: its number, RIP (and
 * CS:IP in real mode), the code size and the bytes at RIP. There is no
 * disassembler in minivmm: the bytes (up to 15, the longest x86
 * instruction) are what `objdump -D -b binary -m i386:x86-64` reads.
 */
#ifndef VMM_STEP_H
#define VMM_STEP_H

struct vcpu;

/*
 * Turn single-stepping on (@on) or off, keeping v's breakpoint
 * (v->bp_set, v->bp_addr) armed: 0 or -errno.
 */
int step__set(struct vcpu *v, int on);
/* --break: a hit, printed as "break: hit N at rip=..." with the registers. */
int step__print_break(struct vcpu *v);
/* The step line for the instruction at the guest's RIP now: 0 or an exit status. */
int step__print(struct vcpu *v);

#endif /* VMM_STEP_H */
