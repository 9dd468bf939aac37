/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device registry (kvmtool's dev_init() model): every emulated device
 * is one file that defines a `const struct device` and gets one entry in
 * the table in devices.c. `minivmm run` initialises them all in table
 * order, asks them for their next deadline and lets them act when it
 * passes, and `run --help` lists them from the same table.
 */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/* What devices get at init. */
struct vm_devices {
	FILE *out;		/* the console: COM1's output */
	/* The guest's IA32_APIC_BASE as the module reports it, or NULL. */
	const __u64 *apic_base;
};

struct device {
	const char *name;
	const char *help;	/* one line for `run --help` */
	/* Register ports, reset state: 0 or -errno. */
	int (*init)(struct vm_devices *d);
	/* Forget the VM (ports are dropped by pio__reset()). May be NULL. */
	void (*exit)(void);
	/*
	 * Time-driven devices: the CLOCK_MONOTONIC ns at which the device
	 * next has something to do (0: nothing), and doing it at @now. NULL
	 * for devices that only react to port accesses.
	 */
	__u64 (*next_deadline)(void);
	void (*tick)(__u64 now);
	/*
	 * --stats: what the device counted, "N things, M others" into @buf
	 * (snprintf's return), 0 when it has nothing to say. May be NULL.
	 */
	int (*report)(char *buf, size_t len);
};

/* Every device, in init order (the interrupt controller first). */
extern const struct device *const devices[];
extern const unsigned int nr_devices;

/* init() of each; on failure the device's name and -errno. */
int devices__init(struct vm_devices *d, const char **failed);
void devices__exit(void);
/* The earliest deadline of any device, 0 if none. */
__u64 devices__next_deadline(void);
void devices__tick(__u64 now);
/* --stats: a "device NAME: ..." line from each device with counts. */
void devices__report(FILE *f);
/* Name and help line of each device, for `run --help`. */
void devices__print_help(FILE *f);

/* fw_cfg (fw_cfg.c): the RAM size and command line it reports. */
void fw_cfg__set(__u64 ram_size, const char *cmdline);

/* CLOCK_MONOTONIC in ns: the clock of every deadline (and the module's). */
__u64 devices__now(void);

#endif /* VMM_DEVICES_H */
