// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim turning a regular file into a fake /dev/minivmm, so the
 * unit tests can drive the real ./minivmm through its device paths on a
 * machine without VT-x or the module. It answers ioctl()s on descriptors
 * of the file named by $MINIVMM_FAKE_DEV like minivmm.ko would for the
 * Bochs CPU of bochs_caps.c; any other descriptor gets the real ioctl().
 *
 *   MINIVMM_FAKE_API=N            GET_API_VERSION returns N
 *   MINIVMM_FAKE_FAIL=NAME:ERRNO  ioctl MINIVMM_<NAME> fails with ERRNO
 *   MINIVMM_FAKE_NO_CAPS=1        CHECK_CAP says 0 for every capability
 *   MINIVMM_FAKE_FEATURES=N       GET_VMX_CAPS reports these features
 *
 * CREATE_VM and what follows (VM and vCPU fds, MINIVMM_RUN playing a
 * script of exits) are in fake_vm.c.
 *
 * Every fake ioctl fails with EPERM while the caller still has any
 * capability: minivmm must have dropped them all after opening.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minivmm/vmx_caps.h"
#include "../bochs_caps.h"
#include "fake.h"

static bool is_fake_dev(int fd)
{
	const char *want = getenv("MINIVMM_FAKE_DEV");
	char link[64], path[PATH_MAX], real[PATH_MAX];
	ssize_t n;

	if (!want || !realpath(want, real))
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return false;
	path[n] = '\0';
	return !strcmp(path, real);
}

static bool has_caps(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	long long eff = -1, prm = -1;
	char line[256];

	if (!f)
		return true;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "CapEff:", 7))
			eff = strtoll(line + 7, NULL, 16);
		else if (!strncmp(line, "CapPrm:", 7))
			prm = strtoll(line + 7, NULL, 16);
	}
	fclose(f);
	return eff != 0 || prm != 0;
}

/* The errno MINIVMM_FAKE_FAIL asks for @name, or 0. */
int fake_injected_errno(const char *name)
{
	const char *fail = getenv("MINIVMM_FAKE_FAIL");
	size_t len = strlen(name);

	if (fail && !strncmp(fail, name, len) && fail[len] == ':')
		return atoi(fail + len + 1);
	return 0;
}

int fake_check(const char *name)
{
	return has_caps() ? EPERM : fake_injected_errno(name);
}

static long env_long(const char *name, long def)
{
	const char *val = getenv(name);

	return val && *val ? strtol(val, NULL, 0) : def;
}

static int fake_check_cap(unsigned long cap)
{
	struct minivmm_vmx_caps c;
	__u64 f;

	if (env_long("MINIVMM_FAKE_NO_CAPS", 0))
		return 0;
	bochs_caps(&c);
	f = minivmm_vmx_derive_features(&c);
	switch (cap) {
	case MINIVMM_CAP_VMX_CAPS:
		return 1;
	case MINIVMM_CAP_PROBE_VMX:
		return MINIVMM_PROBE_MAX_CPUS;
	case MINIVMM_CAP_EPT:
		return !!(f & MINIVMM_VMX_F_EPT);
	case MINIVMM_CAP_VPID:
		return !!(f & MINIVMM_VMX_F_VPID);
	case MINIVMM_CAP_UNRESTRICTED_GUEST:
		return !!(f & MINIVMM_VMX_F_UNRESTRICTED);
	case MINIVMM_CAP_PREEMPTION_TIMER:
		return !!(f & MINIVMM_VMX_F_PREEMPT_TIMER);
	default:
		return 0;
	}
}

static void fake_probe(struct minivmm_vmx_probe *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->nr_cpus = 2;
	p->nr_online = 2;
	p->vmcs_revision = minivmm_basic_revision(BOCHS_VMX_BASIC);
	for (i = 0; i < p->nr_cpus; i++) {
		p->cpu[i].cpu = i;
		p->cpu[i].flags = MINIVMM_PROBE_CPU_ONLINE |
			MINIVMM_PROBE_CPU_VMXON | MINIVMM_PROBE_CPU_VMCS |
			MINIVMM_PROBE_CPU_VMXOFF;
		p->cpu[i].vmxon_count = i + 1;
	}
}

static int fake_ioctl(unsigned long req, unsigned long arg)
{
	struct minivmm_vmx_caps *caps = (void *)arg;
	const char *name;
	int err;

	switch (req) {
	case MINIVMM_GET_API_VERSION:
		name = "GET_API_VERSION";
		break;
	case MINIVMM_CHECK_CAP:
		name = "CHECK_CAP";
		break;
	case MINIVMM_GET_VMX_CAPS:
		name = "GET_VMX_CAPS";
		break;
	case MINIVMM_PROBE_VMX:
		name = "PROBE_VMX";
		break;
	case MINIVMM_CREATE_VM:
		name = "CREATE_VM";
		break;
	case MINIVMM_GET_VCPU_MMAP_SIZE:
		name = "GET_VCPU_MMAP_SIZE";
		break;
	default:
		errno = ENOTTY;
		return -1;
	}
	err = fake_check(name);
	if (err) {
		errno = err;
		return -1;
	}

	switch (req) {
	case MINIVMM_GET_API_VERSION:
		return env_long("MINIVMM_FAKE_API", MINIVMM_API_VERSION);
	case MINIVMM_CHECK_CAP:
		return fake_check_cap(arg);
	case MINIVMM_GET_VMX_CAPS:
		bochs_caps(caps);
		caps->features = env_long("MINIVMM_FAKE_FEATURES",
					  minivmm_vmx_derive_features(caps));
		return 0;
	case MINIVMM_CREATE_VM:
		return fake_create_vm();
	case MINIVMM_GET_VCPU_MMAP_SIZE:
		return fake_vcpu_mmap_size();
	default:
		fake_probe((struct minivmm_vmx_probe *)arg);
		return 0;
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	unsigned long arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	if (fake_vm_owns(fd))
		return fake_vm_ioctl(fd, req, arg);
	if (is_fake_dev(fd))
		return fake_ioctl(req, arg);
	if (!real_ioctl)
		real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, req, arg);
}
