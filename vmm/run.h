/* SPDX-License-Identifier: GPL-2.0 */
/* `minivmm run`: boot a guest image in a VM with one vCPU. */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "cpuid_table.h"
#include "exit_policy.h"
#include "multiboot.h"
#include "rom.h"

#define RUN_MAX_CPUID_OVERRIDES	16

struct run_opts {
	bool help;
	bool trace;
	bool trace_json;	/* --trace=json: one JSON object per line */
	const char *trace_file;	/* --trace-file, or NULL: stderr */
	unsigned int trace_ring;	/* --trace-ring: records in the module's ring */
	bool stats;		/* print exit statistics at the end */
	bool stats_json;	/* --stats=json */
	const char *stats_file;	/* --stats-file, or NULL: stderr */
	bool step;		/* --step[=N] */
	bool brk;		/* --break ADDR */
	__u64 break_addr;
	unsigned long long step_count;	/* N, 0: every instruction */
	__u64 mem_size;		/* bytes */
	double timeout;		/* seconds, 0 = none */
	bool flat;		/* --flat: not ELF, not *.bin, yet flat */
	bool load_addr_set;
	__u64 load_addr;	/* flat images */
	const char *user;	/* --user, or NULL */
	const char *image;	/* IMAGE, or the --kernel bzImage */
	bool kernel;		/* --kernel: a Linux bzImage */
	bool mem_set;		/* --mem given (kernels default to more) */
	const char *initrd;	/* --initrd, or NULL */
	const char *append;	/* --append, or NULL */
	struct exit_policy policy;	/* --exit */
	struct rom rom;		/* --rom: path and address */
	const char *accel;	/* --accel: "minivmm" (default) or "kvm" */
	struct mb_module modules[MB_MAX_MODULES];	/* --module FILE[,ARGS] */
	unsigned int nr_modules;
	bool debug_exit_qemu;	/* --debug-exit=qemu */
	struct cpuid_override cpuid[RUN_MAX_CPUID_OVERRIDES];	/* --cpuid */
	unsigned int nr_cpuid;
	bool compare;		/* --compare-policy: run twice */
	struct exit_policy compare_policy;	/* the second run's */
	int compare_fd;		/* a child of --compare-policy: rows go here, else -1 */
};

/* Guest memory for --kernel without --mem: the kernel unpacks at 16 MiB. */
#define RUN_KERNEL_MEM_DEFAULT	(256ull << 20)

extern const struct option run_long_opts[];

/* argv[0] is "run". Returns 0 or VMM_EXIT_USAGE (message on @err). */
int run_parse_args(int argc, char **argv, struct run_opts *opts, FILE *err);
void run_print_usage(FILE *f);

/*
 * A number, decimal or 0x-hex, with an optional K, M, G or T suffix
 * (binary: K = 1024). 0, or -EINVAL (not such a number) or -ERANGE.
 */
int parse_size(const char *s, __u64 *out);

/* --mem: parse_size(), a multiple of 4 KiB, 1 MiB to host_ram_bytes(). */
int run_parse_mem(const char *s, __u64 *out, FILE *err);
/* The host's physical RAM (sysinfo), or ~0 if unknown. */
__u64 host_ram_bytes(void);
/* --timeout: seconds, fractions allowed, 0 = none. */
int run_parse_timeout(const char *s, double *out, FILE *err);

#endif /* VMM_RUN_H */
