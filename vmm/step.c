// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "die.h"
#include "errors.h"
#include "guest_walk.h"
#include "step.h"
#include "vcpu.h"

#define STEP_BYTES	15

int step__set(struct vcpu *v, int on)
{
	struct minivmm_guest_debug d = {
		.flags = (on ? MINIVMM_GUEST_DEBUG_SINGLESTEP : 0) |
			 (v->bp_set ? MINIVMM_GUEST_DEBUG_BREAKPOINT : 0),
		.breakpoint = v->bp_set ? v->bp_addr : 0,
	};
	int ret = v->ioctl(v->fd, MINIVMM_SET_GUEST_DEBUG, (unsigned long)&d);

	if (ret >= 0)
		v->stepping = on;
	return ret < 0 ? ret : 0;
}

int step__print_break(struct vcpu *v)
{
	struct minivmm_regs r;
	int ret = v->ioctl(v->fd, MINIVMM_GET_REGS, (unsigned long)&r);

	if (ret < 0)
		return report_ioctl_error(v->err, "MINIVMM_GET_REGS", MINIVMM_GET_REGS, -ret);
	v->bp_hits++;
	fprintf(v->err, VMM_PROG ": break: hit %llu at rip=%#llx rax=%#llx rbx=%#llx rcx=%#llx rdx=%#llx rsi=%#llx rdi=%#llx rsp=%#llx rflags=%#llx\n",
		v->bp_hits, (unsigned long long)r.rip, (unsigned long long)r.rax,
		(unsigned long long)r.rbx, (unsigned long long)r.rcx,
		(unsigned long long)r.rdx, (unsigned long long)r.rsi,
		(unsigned long long)r.rdi, (unsigned long long)r.rsp,
		(unsigned long long)r.rflags);
	return 0;
}

int step__print(struct vcpu *v)
{
	struct minivmm_sregs s;
	struct minivmm_regs r;
	const __u8 *code;
	__u64 gpa, lin;
	unsigned int i, mode;
	int ret;

	ret = v->ioctl(v->fd, MINIVMM_GET_REGS, (unsigned long)&r);
	if (ret >= 0)
		ret = v->ioctl(v->fd, MINIVMM_GET_SREGS, (unsigned long)&s);
	if (ret < 0)
		return report_ioctl_error(v->err, "MINIVMM_GET_REGS/SREGS",
					  MINIVMM_GET_SREGS, -ret);
	mode = guest_code_mode(&s);
	lin = mode == 64 ? r.rip : s.cs.base + (mode == 16 ? (__u16)r.rip : (__u32)r.rip);
	v->steps++;
	fprintf(v->err, VMM_PROG ": step %llu: rip=%#llx", v->steps,
		(unsigned long long)r.rip);
	if (mode == 16)
		fprintf(v->err, " cs:ip=%04x:%04x", s.cs.selector, (unsigned int)(__u16)r.rip);
	fprintf(v->err, " mode=%u bytes=", mode);
	if (!v->mem || guest_virt_to_phys(v->mem, &s, lin, &gpa)) {
		fprintf(v->err, "?? (not mapped)\n");
		return 0;
	}
	for (i = 0; i < STEP_BYTES; i++) {
		code = guest_mem_ptr(v->mem, gpa + i, 1);
		if (!code)
			break;
		fprintf(v->err, "%s%02x", i ? " " : "", *code);
	}
	fputc('\n', v->err);
	return 0;
}
