/* SPDX-License-Identifier: GPL-2.0 */
/* Human and JSON renderings of struct minivmm_vmx_probe. */
#ifndef VMM_PROBE_FMT_H
#define VMM_PROBE_FMT_H

#include <stdio.h>

#include "uapi/minivmm.h"
#include "json.h"

/* Entries of cpu[] to trust: nr_cpus, clamped to the array. */
unsigned int probe_nr_reported(const struct minivmm_vmx_probe *p);

void probe_print_table(FILE *f, const struct minivmm_vmx_probe *p);

/* The probe as the value of member @key of the object @w is writing. */
void probe_json(struct json_writer *w, const char *key,
		const struct minivmm_vmx_probe *p);

#endif /* VMM_PROBE_FMT_H */
