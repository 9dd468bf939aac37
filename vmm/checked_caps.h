/* SPDX-License-Identifier: GPL-2.0 */
/* The MINIVMM_CAP_* numbers `minivmm info` asks the module about. */
#ifndef VMM_CHECKED_CAPS_H
#define VMM_CHECKED_CAPS_H

#include <linux/types.h>

#include "uapi/minivmm.h"

/* X(suffix of MINIVMM_CAP_*, key in the table and in JSON) */
#define VMM_CHECKED_CAPS(X)					\
	X(VMX_CAPS,		"vmx_caps")			\
	X(PROBE_VMX,		"probe_vmx")			\
	X(EPT,			"ept")				\
	X(VPID,			"vpid")				\
	X(UNRESTRICTED_GUEST,	"unrestricted_guest")		\
	X(PREEMPTION_TIMER,	"preemption_timer")

#define VMM_CHECKED_CAP_ENUM(cap, name)	CHECKED_CAP_##cap,
enum {
	VMM_CHECKED_CAPS(VMM_CHECKED_CAP_ENUM)
	NR_CHECKED_CAPS
};
#undef VMM_CHECKED_CAP_ENUM

struct checked_cap {
	__u32 nr;		/* MINIVMM_CAP_* */
	const char *macro;	/* "MINIVMM_CAP_..." */
	const char *name;
};

/* Indexed by CHECKED_CAP_*. */
extern const struct checked_cap checked_caps[NR_CHECKED_CAPS];

#endif /* VMM_CHECKED_CAPS_H */
