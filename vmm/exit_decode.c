// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>

#include "die.h"
#include "exit_decode.h"
#include "exit_trace.h"
#include "exit_stats.h"
#include "json.h"
#include "vcpu.h"

/* VMX basic exit reasons the decoder knows (SDM Vol. 3D, Appendix C). */
enum {
	R_EXCEPTION = 0, R_EXT_INTR = 1, R_TRIPLE = 2, R_INTR_WINDOW = 7,
	R_CPUID = 10, R_HLT = 12, R_VMCALL = 18, R_CR = 28, R_DR = 29,
	R_IO = 30, R_RDMSR = 31, R_WRMSR = 32, R_EPT = 48, R_PREEMPT = 52,
	R_XSETBV = 55,
};

static void decode_exception(const struct minivmm_trace_record *r, char *buf,
			     size_t len)
{
	unsigned int type = (r->intr_info >> 8) & 7, vec = r->intr_info & 0xff;
	char tmp[40], name[40];
	int n;

	if (type == 2) {
		snprintf(buf, len, "NMI");
		return;
	}
	snprintf(name, sizeof(name), "%s", exception_name(vec, tmp, sizeof(tmp)));
	/* "#AC (alignment check)": the mnemonic only. */
	for (n = 0; name[n] && name[n] != ' '; n++)
		;
	name[n] = '\0';
	if (r->intr_info & (1u << 11))
		snprintf(buf, len, "%s err=%#x", name, r->intr_error);
	else if (vec == 14)		/* #PF: the qualification is the address */
		snprintf(buf, len, "%s addr=%#llx", name,
			 (unsigned long long)r->qualification);
	else
		snprintf(buf, len, "%s", name);
}

static void decode_cr(const struct minivmm_trace_record *r, char *buf, size_t len)
{
	unsigned long long q = r->qualification;
	unsigned int cr = q & 15;

	switch ((q >> 4) & 3) {
	case 0:
		snprintf(buf, len, "CR%u write %#llx", cr, (unsigned long long)r->value);
		break;
	case 1:
		snprintf(buf, len, "CR%u read", cr);
		break;
	case 2:
		snprintf(buf, len, "CLTS");
		break;
	default:
		snprintf(buf, len, "LMSW %#llx", (q >> 16) & 0xffff);
	}
}

static void decode_io(const struct minivmm_trace_record *r, char *buf, size_t len)
{
	unsigned long long q = r->qualification;
	unsigned int size = (q & 7) + 1, port = q >> 16;
	bool in = q & (1 << 3), str = q & (1 << 4), rep = q & (1 << 5);
	unsigned long long mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;

	if (str)
		snprintf(buf, len, "IO %s port=%#x size=%u%s", in ? "ins" : "outs",
			 port, size, rep ? " rep" : "");
	else if (in && (r->flags & EXIT_TRACE_F_ANSWER))
		snprintf(buf, len, "IO in port=%#x size=%u val=%#llx", port, size,
			 (unsigned long long)r->value & mask);
	else if (in)
		snprintf(buf, len, "IO in port=%#x size=%u", port, size);
	else
		snprintf(buf, len, "IO out port=%#x size=%u val=%#llx", port, size,
			 (unsigned long long)r->value & mask);
}

static void decode_ept(const struct minivmm_trace_record *r, char *buf, size_t len)
{
	unsigned long long q = r->qualification;

	if (r->flags & EXIT_TRACE_F_ANSWER)	/* MMIO minivmm handled: its data */
		snprintf(buf, len, "EPT %s gpa=%#llx len=%u val=%#llx",
			 q & 2 ? "write" : "read", (unsigned long long)r->gpa,
			 r->intr_error, (unsigned long long)r->value);
	else
		snprintf(buf, len, "EPT %s gpa=%#llx", q & 2 ? "write" : q & 4 ? "fetch" : "read",
			 (unsigned long long)r->gpa);
}

void exit_decode(const struct minivmm_trace_record *r, char *buf, size_t len)
{
	unsigned int basic = r->reason & 0xffff;
	const char *name;

	if (r->reason & (1u << 31)) {
		name = vmx_exit_reason_name(basic);
		snprintf(buf, len, "entry failed: %s", name ? name : "?");
		return;
	}
	switch (basic) {
	case R_EXCEPTION:
		decode_exception(r, buf, len);
		break;
	case R_CPUID:
		snprintf(buf, len, "CPUID leaf=%#x sub=%#x", (unsigned int)r->rax,
			 (unsigned int)r->rcx);
		break;
	case R_VMCALL:
		snprintf(buf, len, "VMCALL nr=%#llx", (unsigned long long)r->rax);
		break;
	case R_CR:
		decode_cr(r, buf, len);
		break;
	case R_DR:
		if (r->qualification & (1 << 4))
			snprintf(buf, len, "DR%u read", (unsigned int)(r->qualification & 7));
		else
			snprintf(buf, len, "DR%u write %#llx",
				 (unsigned int)(r->qualification & 7),
				 (unsigned long long)r->value);
		break;
	case R_IO:
		decode_io(r, buf, len);
		break;
	case R_RDMSR:
		snprintf(buf, len, "RDMSR msr=%#x", (unsigned int)r->rcx);
		break;
	case R_WRMSR:
		snprintf(buf, len, "WRMSR msr=%#x val=%#llx", (unsigned int)r->rcx,
			 (unsigned long long)r->value);
		break;
	case R_EPT:
		decode_ept(r, buf, len);
		break;
	case R_XSETBV:
		snprintf(buf, len, "XSETBV xcr=%u val=%#llx", (unsigned int)r->rcx,
			 (unsigned long long)r->value);
		break;
	default:
		name = vmx_exit_reason_name(basic);
		snprintf(buf, len, "%s", name ? name : "unknown");
	}
}

/* A short reason name for the text column: no spaces. */
static void reason_tag(unsigned int basic, char *buf, size_t len)
{
	const char *name = vmx_exit_reason_name(basic);
	size_t i;

	snprintf(buf, len, "%s", name ? name : "?");
	for (i = 0; buf[i]; i++)
		if (buf[i] == ' ')
			buf[i] = '_';
}

void exit_trace_print(FILE *f, bool json, unsigned int vcpu,
		      const struct minivmm_trace_record *r, long long cycles)
{
	unsigned int basic = r->reason & 0xffff;
	const char *where = r->flags & MINIVMM_TRACE_F_USER ? "user" : "kernel";
	const char *name = vmx_exit_reason_name(basic);
	struct json_writer w;
	char detail[96], tag[48], rip[24];

	exit_decode(r, detail, sizeof(detail));
	if (json) {
		json_init(&w, f);
		json_object_begin(&w, NULL);
		json_u64(&w, "n", r->seq);
		json_u64(&w, "vcpu", vcpu);
		json_str(&w, "reason", name ? name : "?");
		json_u64(&w, "exit_reason", basic);
		json_str(&w, "detail", detail);
		snprintf(rip, sizeof(rip), "%#llx", (unsigned long long)r->rip);
		json_str(&w, "rip", rip);
		json_str(&w, "where", where);
		if (cycles >= 0)
			json_u64(&w, "cycles", cycles);
		else
			json_null(&w, "cycles");
		json_object_end(&w);	/* ends the line */
		return;
	}
	reason_tag(basic, tag, sizeof(tag));
	fprintf(f, VMM_PROG ": trace: %llu vcpu%u [%s] %s rip=%#llx %s ",
		(unsigned long long)r->seq, vcpu, tag, detail,
		(unsigned long long)r->rip, where);
	if (cycles >= 0)
		fprintf(f, "%lld\n", cycles);
	else
		fprintf(f, "-\n");
}

void exit_trace_print_lost(FILE *f, bool json, unsigned int vcpu,
			   unsigned long long n)
{
	struct json_writer w;

	if (json) {
		json_init(&w, f);
		json_object_begin(&w, NULL);
		json_u64(&w, "vcpu", vcpu);
		json_u64(&w, "lost", n);
		json_object_end(&w);	/* ends the line */
		return;
	}
	fprintf(f, VMM_PROG ": trace: vcpu%u: %llu exits lost (the module's trace ring was full)\n",
		vcpu, n);
}
