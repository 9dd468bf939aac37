/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One exit-trace record (MINIVMM_READ_TRACE) in words: what triggered the
 * exit, decoded from its reason, qualification and registers per the SDM
 * tables the module's handlers use (Vol. 3C 28.2.1: Tables 28-3 CR,
 * 28-4 DR, 28-5 I/O, 28-7 EPT; 25.9.2 interruption information), e.g.
 * "IO out port=0x3f8 size=1 val=0x41", "CPUID leaf=0x1 sub=0x0",
 * "CR0 write 0x80000011", "#AC err=0x0".
 */
#ifndef VMM_EXIT_DECODE_H
#define VMM_EXIT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "uapi/minivmm.h"

/* The detail of @r into @buf (always terminated). */
void exit_decode(const struct minivmm_trace_record *r, char *buf, size_t len);

/*
 * One trace line for @r on @f: text ("minivmm: trace: N vcpuV [reason]
 * detail rip=R kernel|user CYCLES") or one JSON object per line;
 * @cycles < 0: unknown (the last exit, or the next record was lost).
 */
void exit_trace_print(FILE *f, bool json, unsigned int vcpu,
		      const struct minivmm_trace_record *r, long long cycles);
/* The line that says @n exits are missing from the trace. */
void exit_trace_print_lost(FILE *f, bool json, unsigned int vcpu,
			   unsigned long long n);

#endif /* VMM_EXIT_DECODE_H */
