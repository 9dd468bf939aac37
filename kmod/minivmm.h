/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minivmm.ko internal interfaces.
 *
 * "SDM" in kmod/ comments is the Intel 64 and IA-32 Architectures
 * Software Developer's Manual, in its numbering since 2022 (order number
 * 325462-078US and later), where Vol. 3C has VMX as chapters 24 (intro,
 * VMXON), 25 (VMCS), 26 (non-root operation), 27 (VM entries), 28 (VM
 * exits), 29 (EPT, VPID) and 31 (instruction reference); Vol. 3D
 * appendix A (capability MSRs) and appendix C (exit reasons). A bare
 * section number means Vol. 3C.
 */
#ifndef MINIVMM_KMOD_H
#define MINIVMM_KMOD_H

#include <linux/types.h>
#include <minivmm/vmx_caps.h>

#define MINIVMM_NAME "minivmm"

/* vmx_caps.c: the capability MSRs, read once at load. */
extern struct minivmm_vmx_caps vmx_caps;
int vmx_caps_check_cpu(void);
void vmx_caps_read(struct minivmm_vmx_caps *caps);
void vmx_caps_log_summary(const struct minivmm_vmx_caps *caps);

/* vmx_hw.c: VMX operation (VMXON/VMXOFF) on every CPU, reference counted. */
int vmx_hw_init(void);
void vmx_hw_exit(void);
int vmx_hw_get(void);
void vmx_hw_put(void);
bool vmx_hw_cpu_on(void);
bool vmx_hw_cpu_is_on(int cpu);
u64 vmx_hw_cpu_vmxon_count(int cpu);
bool vmx_hw_all_off(void);

/* vmx_probe.c: the MINIVMM_PROBE_VMX diagnostic. */
int vmx_probe(struct minivmm_vmx_probe *probe);

#endif /* MINIVMM_KMOD_H */
