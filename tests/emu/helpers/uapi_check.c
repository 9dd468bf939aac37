// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_check: asserts minivmm's ioctl ABI from inside the emulator,
 * printing one "MVTEST: PASS|FAIL <name>" line per check.
 *
 *   uapi_check basic            API version, caps, error returns
 *   uapi_check probe NCPUS      VMXON/VMCS/VMXOFF on each of NCPUS CPUs
 *   uapi_check probe-busy       the probe is refused with EBUSY
 *   uapi_check probe-loop N     N probes; each must succeed on every CPU
 *                               it reports online (run beside CPU hotplug)
 *
 * Exit status: 0 if every check passed, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <minivmm/vmx_caps.h>
#include "mvtest.h"

static void check_basic(int fd)
{
	struct minivmm_vmx_caps caps;
	int ret;

	ret = ioctl(fd, MINIVMM_GET_API_VERSION);
	check(ret == MINIVMM_API_VERSION, "uapi-api-version",
	      "got %d, want %d", ret, MINIVMM_API_VERSION);

	ret = ioctl(fd, MINIVMM_CHECK_CAP, 0xdead);
	check(ret == 0, "uapi-cap-unknown-is-0", "got %d", ret);
	ret = ioctl(fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_VMX_CAPS);
	check(ret == 1, "uapi-cap-vmx-caps", "got %d", ret);

	memset(&caps, 0xa5, sizeof(caps));
	ret = ioctl(fd, MINIVMM_GET_VMX_CAPS, &caps);
	check(ret == 0, "uapi-get-vmx-caps", "ret %d: %s", ret, strerror(errno));
	check(caps.size == sizeof(caps), "uapi-caps-size",
	      "size %u, want %zu", caps.size, sizeof(caps));
	/* The module's feature bits must match a userspace re-derivation. */
	check(caps.features == minivmm_vmx_derive_features(&caps),
	      "uapi-caps-features-consistent", "kernel %#llx, derived %#llx",
	      (unsigned long long)caps.features,
	      (unsigned long long)minivmm_vmx_derive_features(&caps));
	check(minivmm_basic_revision(caps.basic) != 0 &&
	      minivmm_basic_vmcs_size(caps.basic) == 4096,
	      "uapi-caps-basic", "IA32_VMX_BASIC %#llx",
	      (unsigned long long)caps.basic);
	check(caps.reserved[0] == 0 && caps.reserved[11] == 0 && caps.pad == 0,
	      "uapi-caps-reserved-zero", "reserved fields not zeroed");
	check((caps.features & MINIVMM_VMX_F_EPT) &&
	      (caps.features & MINIVMM_VMX_F_VPID) &&
	      (caps.features & MINIVMM_VMX_F_UNRESTRICTED),
	      "uapi-caps-ept-vpid-ug", "features %#llx",
	      (unsigned long long)caps.features);
	ret = ioctl(fd, MINIVMM_CHECK_CAP, MINIVMM_CAP_EPT);
	check(ret == !!(caps.features & MINIVMM_VMX_F_EPT), "uapi-cap-ept",
	      "got %d", ret);

	errno = 0;
	ret = ioctl(fd, MINIVMM_GET_VMX_CAPS, NULL);
	check(ret == -1 && errno == EFAULT, "uapi-caps-null-efault",
	      "ret %d errno %d", ret, errno);
	errno = 0;
	ret = ioctl(fd, MINIVMM_PROBE_VMX, (void *)8);
	check(ret == -1 && errno == EFAULT, "uapi-probe-bad-ptr-efault",
	      "ret %d errno %d", ret, errno);
	errno = 0;
	ret = ioctl(fd, _IO(MINIVMMIO, 0x7f));
	check(ret == -1 && errno == ENOTTY, "uapi-unknown-ioctl-enotty",
	      "ret %d errno %d", ret, errno);
	errno = 0;
	ret = ioctl(fd, _IOR(MINIVMMIO, 0x02, __u32));	/* wrong size */
	check(ret == -1 && errno == ENOTTY, "uapi-wrong-size-enotty",
	      "ret %d errno %d", ret, errno);
}

static const char *yes(__u32 flag)
{
	return flag ? "ok" : "FAILED";
}

static int probe(int fd, struct minivmm_vmx_probe *p)
{
	memset(p, 0xa5, sizeof(*p));
	return ioctl(fd, MINIVMM_PROBE_VMX, p);
}

static void check_probe(int fd, unsigned int ncpus)
{
	const __u32 all = MINIVMM_PROBE_CPU_ONLINE | MINIVMM_PROBE_CPU_VMXON |
			  MINIVMM_PROBE_CPU_VMCS | MINIVMM_PROBE_CPU_VMXOFF;
	struct minivmm_vmx_probe p1, p2;
	char name[64];
	unsigned int cpu;

	if (probe(fd, &p1) || probe(fd, &p2)) {
		check(0, "probe-ioctl", "%s", strerror(errno));
		return;
	}
	check(p1.nr_online == ncpus && p1.nr_cpus == ncpus, "probe-cpu-count",
	      "nr_online %u nr_cpus %u, want %u", p1.nr_online, p1.nr_cpus,
	      ncpus);
	for (cpu = 0; cpu < ncpus && cpu < MINIVMM_PROBE_MAX_CPUS; cpu++) {
		snprintf(name, sizeof(name), "probe-cpu%u-vmxon-vmcs-vmxoff", cpu);
		check(p2.cpu[cpu].cpu == cpu && p2.cpu[cpu].flags == all, name,
		      "cpu %u flags %#x, want %#x", p2.cpu[cpu].cpu,
		      p2.cpu[cpu].flags, all);
		/* Each probe is one VMXON on every CPU: the count proves it ran. */
		snprintf(name, sizeof(name), "probe-cpu%u-vmxon-counted", cpu);
		check(p2.cpu[cpu].vmxon_count == p1.cpu[cpu].vmxon_count + 1 &&
		      p1.cpu[cpu].vmxon_count >= 1, name,
		      "vmxon_count %llu then %llu",
		      (unsigned long long)p1.cpu[cpu].vmxon_count,
		      (unsigned long long)p2.cpu[cpu].vmxon_count);
		printf("MVTEST: SHOW probe cpu%u: VMXON %s, VMCS %s, VMXOFF %s (VMXONs on this CPU since load: %llu)\n",
		       cpu, yes(p2.cpu[cpu].flags & MINIVMM_PROBE_CPU_VMXON),
		       yes(p2.cpu[cpu].flags & MINIVMM_PROBE_CPU_VMCS),
		       yes(p2.cpu[cpu].flags & MINIVMM_PROBE_CPU_VMXOFF),
		       (unsigned long long)p2.cpu[cpu].vmxon_count);
	}
	check(p2.vmcs_revision != 0 && p2.vmcs_revision != 0xa5a5a5a5,
	      "probe-revision", "revision %#x", p2.vmcs_revision);
}

/*
 * Whatever CPU hotplug does meanwhile, every CPU a probe saw online must
 * have been in VMX operation with a working VMCS: CPUs coming online while
 * VT-x is held go through the cpuhp callback, not the probe's IPI.
 */
static void check_probe_loop(int fd, unsigned int n)
{
	const __u32 all = MINIVMM_PROBE_CPU_ONLINE | MINIVMM_PROBE_CPU_VMXON |
			  MINIVMM_PROBE_CPU_VMCS | MINIVMM_PROBE_CPU_VMXOFF;
	struct minivmm_vmx_probe p;
	unsigned int i, cpu, seen = 0;

	for (i = 0; i < n; i++) {
		if (probe(fd, &p)) {
			check(0, "probe-loop", "probe %u: %s", i, strerror(errno));
			return;
		}
		for (cpu = 0; cpu < p.nr_cpus && cpu < MINIVMM_PROBE_MAX_CPUS; cpu++) {
			if (!(p.cpu[cpu].flags & MINIVMM_PROBE_CPU_ONLINE))
				continue;
			if (p.cpu[cpu].flags != all) {
				check(0, "probe-loop", "probe %u cpu %u flags %#x",
				      i, cpu, p.cpu[cpu].flags);
				return;
			}
			seen |= 1u << cpu;
		}
	}
	printf("MVTEST: SHOW probe-loop: %u probes, CPUs seen online mask %#x\n",
	       n, seen);
	check(1, "probe-loop", "-");
}

int main(int argc, char **argv)
{
	struct minivmm_vmx_probe p;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: uapi_check basic|probe NCPUS|probe-busy|probe-loop N\n");
		return 2;
	}
	fd = mv_open_dev("uapi-open");
	if (!strcmp(argv[1], "basic")) {
		check_basic(fd);
	} else if (!strcmp(argv[1], "probe") && argc == 3) {
		check_probe(fd, (unsigned int)atoi(argv[2]));
	} else if (!strcmp(argv[1], "probe-loop") && argc == 3) {
		check_probe_loop(fd, (unsigned int)atoi(argv[2]));
	} else if (!strcmp(argv[1], "probe-busy")) {
		errno = 0;
		check(probe(fd, &p) == -1 && errno == EBUSY, "probe-refused-ebusy",
		      "errno %d (%s)", errno, strerror(errno));
	} else {
		fprintf(stderr, "uapi_check: unknown mode %s\n", argv[1]);
		return 2;
	}
	close(fd);
	return failures ? 1 : 0;
}
