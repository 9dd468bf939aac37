/* SPDX-License-Identifier: GPL-2.0 */
/* What mb32.c (Multiboot, fw_cfg, the console) and mb32_apic.c share. */
#ifndef MB32_H
#define MB32_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* One line, "mb32: PASS|FAIL <name>"; failures are counted for the exit. */
void check(const char *name, int ok);
void puts(const char *s);
/* The local APIC, its timer and the IA32_APIC_BASE MSR (mb32_apic.c). */
void apic_checks(void);

#endif /* MB32_H */
