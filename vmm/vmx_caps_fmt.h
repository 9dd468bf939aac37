/* SPDX-License-Identifier: GPL-2.0 */
/* Human and JSON renderings of struct minivmm_vmx_caps. */
#ifndef VMM_VMX_CAPS_FMT_H
#define VMM_VMX_CAPS_FMT_H

#include <stdio.h>

#include "uapi/minivmm.h"
#include "json.h"

/* "WB", "UC" or "reserved" for an IA32_VMX_BASIC memory type. */
const char *vmx_mem_type_name(unsigned int type);

void vmx_caps_print_table(FILE *f, const struct minivmm_vmx_caps *c);

/* The caps as members of the object @w is currently writing. */
void vmx_caps_json_members(struct json_writer *w,
			   const struct minivmm_vmx_caps *c);

/* The caps as one standalone JSON object. */
void vmx_caps_print_json(FILE *f, const struct minivmm_vmx_caps *c);

#endif /* VMM_VMX_CAPS_FMT_H */
