// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "probe_fmt.h"

unsigned int probe_nr_reported(const struct minivmm_vmx_probe *p)
{
	/* Never index past cpu[], whatever a (buggy) module claims. */
	return p->nr_cpus < MINIVMM_PROBE_MAX_CPUS ?
		p->nr_cpus : MINIVMM_PROBE_MAX_CPUS;
}

static const char *yes_no(__u32 flags, __u32 flag)
{
	return flags & flag ? "yes" : "no";
}

void probe_print_table(FILE *f, const struct minivmm_vmx_probe *p)
{
	unsigned int i, n = probe_nr_reported(p);

	fprintf(f, "Probe (MINIVMM_PROBE_VMX): %u CPU slots, %u CPUs online, VMCS revision 0x%x\n",
		n, p->nr_online, p->vmcs_revision);
	fprintf(f, "  %5s  %-6s  %-5s  %-4s  %-6s  %s\n",
		"cpu", "online", "vmxon", "vmcs", "vmxoff", "vmxon_count");
	for (i = 0; i < n; i++) {
		const struct minivmm_vmx_probe_cpu *cpu = &p->cpu[i];

		fprintf(f, "  %5u  %-6s  %-5s  %-4s  %-6s  %" PRIu64 "\n",
			cpu->cpu,
			yes_no(cpu->flags, MINIVMM_PROBE_CPU_ONLINE),
			yes_no(cpu->flags, MINIVMM_PROBE_CPU_VMXON),
			yes_no(cpu->flags, MINIVMM_PROBE_CPU_VMCS),
			yes_no(cpu->flags, MINIVMM_PROBE_CPU_VMXOFF),
			(uint64_t)cpu->vmxon_count);
	}
}

void probe_json(struct json_writer *w, const char *key,
		const struct minivmm_vmx_probe *p)
{
	unsigned int i, n = probe_nr_reported(p);

	json_object_begin(w, key);
	json_u64(w, "nr_cpus", n);
	json_u64(w, "nr_online", p->nr_online);
	json_u64(w, "vmcs_revision", p->vmcs_revision);
	json_array_begin(w, "cpus");
	for (i = 0; i < n; i++) {
		const struct minivmm_vmx_probe_cpu *cpu = &p->cpu[i];

		json_object_begin(w, NULL);
		json_u64(w, "cpu", cpu->cpu);
		json_bool(w, "online", cpu->flags & MINIVMM_PROBE_CPU_ONLINE);
		json_bool(w, "vmxon", cpu->flags & MINIVMM_PROBE_CPU_VMXON);
		json_bool(w, "vmcs", cpu->flags & MINIVMM_PROBE_CPU_VMCS);
		json_bool(w, "vmxoff", cpu->flags & MINIVMM_PROBE_CPU_VMXOFF);
		json_u64(w, "vmxon_count", cpu->vmxon_count);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}
