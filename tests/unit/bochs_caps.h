/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_BOCHS_CAPS_H
#define UNIT_BOCHS_CAPS_H

#include "uapi/minivmm.h"

/* IA32_VMX_* values measured in the Bochs emulator. */
#define BOCHS_VMX_BASIC		0x00d810000000002bull
#define BOCHS_VMX_EPT_VPID_CAP	0x00000f0106334141ull
#define BOCHS_VMX_MISC		0x200401e0ull

/*
 * A CPU like the Bochs one: the measured MSRs above plus control MSRs
 * allowing (among others) secondary controls with EPT, VPID and
 * unrestricted guest. ->features is left 0.
 */
void bochs_caps(struct minivmm_vmx_caps *c);

#endif /* UNIT_BOCHS_CAPS_H */
