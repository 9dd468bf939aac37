// SPDX-License-Identifier: GPL-2.0
#include "checked_caps.h"

#define VMM_CHECKED_CAP_DESC(cap, str) \
	[CHECKED_CAP_##cap] = {					\
		.nr = MINIVMM_CAP_##cap,				\
		.macro = "MINIVMM_CAP_" #cap,				\
		.name = str,						\
	},
const struct checked_cap checked_caps[NR_CHECKED_CAPS] = {
	VMM_CHECKED_CAPS(VMM_CHECKED_CAP_DESC)
};
#undef VMM_CHECKED_CAP_DESC
