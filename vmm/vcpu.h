/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One vCPU and its run loop: MINIVMM_RUN, then the exit is dispatched
 * through a table indexed by run->exit_reason; each handler says whether
 * the loop continues or stops with an exit status. Port I/O goes on to
 * pio.c's registry, MMIO to mmio.c's.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "uapi/minivmm.h"

struct cpuid_table;
struct exit_trace;
struct guest_mem;

struct vcpu {
	int fd;				/* the vCPU fd, -1 in tests */
	struct minivmm_run *run;	/* the mmap'd run page */
	size_t run_size;		/* its size (MINIVMM_GET_VCPU_MMAP_SIZE) */
	bool trace;			/* print every exit on err */
	FILE *err;			/* messages (stderr) */
	/* __dev_ioctl(): 0 or more on success, -errno on failure. Tests fake it. */
	int (*ioctl)(int fd, unsigned long req, unsigned long arg);
	/* Set by vcpu_stop(): the exit being handled ends the run. */
	bool stop;
	int stop_status;
	double timeout;			/* seconds, for the message; 0 = none */
	unsigned long long exits;	/* exits handled */
	/*
	 * The guest is an operating-system kernel (--kernel): HLT with
	 * IF=0 and a triple fault are its power-off and reset (power.c),
	 * not errors.
	 */
	bool os_guest;
	bool irq_injection;		/* MINIVMM_CAP_IRQ_INJECTION: devices run */
	/* The module's exit trace, read after every RUN; NULL if off. */
	struct exit_trace *xt;
	/* --step: guest memory to read code from, steps printed, the limit (0: none). */
	const struct guest_mem *mem;
	unsigned long long steps, step_limit;
	bool stepping;			/* single-stepping is on now */
	/* --break: the address, hits so far; step_at_break: --step starts there. */
	bool bp_set, step_at_break;
	__u64 bp_addr;
	unsigned long long bp_hits;
	unsigned long long injected;	/* vectors queued with MINIVMM_INTERRUPT */
	unsigned long long hypercalls;	/* VMCALLs; the first VCPU_HYPERCALLS_SHOWN printed */
	/* The table given to MINIVMM_SET_CPUID, for --exit cpuid=user; or NULL. */
	const struct cpuid_table *cpuid;
};

#define VCPU_HYPERCALLS_SHOWN	8

enum vcpu_action {
	VCPU_CONTINUE,
	VCPU_STOP,		/* *status is the exit status */
};

typedef enum vcpu_action (*vcpu_exit_fn)(struct vcpu *v, int *status);

/* Initialise @v for @fd and its run page; messages go to stderr. */
void vcpu_init(struct vcpu *v, int fd, struct minivmm_run *run,
	       size_t run_size);

/* Create vCPU 0 of @vm_fd and map its run page; dies on failure. */
void vcpu_create(struct vcpu *v, int dev_fd, int vm_fd);

/* For devices: end the run with @status once this exit is handled. */
void vcpu_stop(struct vcpu *v, int status);

/* Handle the exit described by v->run. */
enum vcpu_action vcpu_handle_exit(struct vcpu *v, int *status);

/* "IO", "MMIO", ... or NULL for a reason this minivmm does not know. */
const char *vcpu_exit_reason_name(__u32 reason);
/* The name of a VMX basic exit reason (SDM Vol. 3D, Appendix C), or NULL. */
const char *vmx_exit_reason_name(__u64 reason);

/*
 * Stop the run loop @seconds from now (0: never): a SIGALRM handler sets
 * run->immediate_exit, so MINIVMM_RUN returns at once (MINIVMM_EXIT_INTR
 * or EINTR) and vcpu_run() returns VMM_EXIT_TIMEOUT. 0 disarms it (do so
 * before unmapping the run page). Returns 0 or -errno.
 */
int vcpu_arm_timeout(struct vcpu *v, double seconds);
bool vcpu_timed_out(void);

/*
 * With @catch, SIGINT and SIGTERM stop the run loop as the timeout does
 * (statistics and all), and vcpu_run() returns 130 or 143; a second one
 * kills at once. Without, their default actions again. 0 or -errno.
 */
int vcpu_catch_stop_signals(struct vcpu *v, bool catch);

/* MINIVMM_RUN until a handler stops; returns the exit status. */
int vcpu_run(struct vcpu *v);

#endif /* VMM_VCPU_H */
