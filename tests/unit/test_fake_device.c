// SPDX-License-Identifier: GPL-2.0
/*
 * ./minivmm info end to end against the fake device of fake/ (an
 * LD_PRELOAD shim answering the ioctls for a Bochs-like CPU).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "minivmm/vmx_caps.h"
#include "exit_status.h"
#include "helpers.h"
#include "module_version.h"
#include "version.h"

static char dev[] = "/tmp/minivmm-fake-XXXXXX";
static char env_preload[256], env_dev[64];
static struct run_result res;

static void setup(void)
{
	int fd;

	cr_assert(access(minivmm_bin(), X_OK) == 0, "%s not built",
		  minivmm_bin());
	cr_assert(access(FAKE_MINIVMM_SO, R_OK) == 0,
		  "%s not built (make unit)", FAKE_MINIVMM_SO);
	fd = mkstemp(dev);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(env_preload, sizeof(env_preload), "LD_PRELOAD=%s",
		 FAKE_MINIVMM_SO);
	snprintf(env_dev, sizeof(env_dev), "MINIVMM_FAKE_DEV=%s", dev);
}

static void teardown(void)
{
	unlink(dev);
	run_result_free(&res);
}

TestSuite(fake_device, .init = setup, .fini = teardown);

/* Lets a -fsanitize=address build of ./minivmm run under LD_PRELOAD. */
#define ASAN_PRELOAD_OK	"ASAN_OPTIONS=verify_asan_link_order=0"

/* Run ./minivmm -d <fake> @args with one extra environment entry @knob. */
#define RUN(knob, ...) ({						\
	char *env_[] = { env_preload, env_dev, ASAN_PRELOAD_OK, knob, NULL }; \
	char *argv_[] = { (char *)minivmm_bin(), "-d", dev, __VA_ARGS__, NULL }; \
	cr_assert_eq(run_prog(argv_, env_, &res), 0);			\
	cr_assert(WIFEXITED(res.wstatus), "died: %#x", res.wstatus);	\
	WEXITSTATUS(res.wstatus);					\
})

Test(fake_device, info_table)
{
	char *v;

	cr_assert_eq(RUN(NULL, "info"), VMM_EXIT_OK, "stderr: %s", res.err);
	cr_assert_str_empty(res.err);
	v = table_value(res.out, "VMCS revision id");
	cr_assert_not_null(v, "%s", res.out);
	cr_assert_str_eq(v, "0x2b");
	free(v);
	v = table_value(res.out, "Device");
	cr_assert_str_eq(v, dev);
	free(v);
	v = table_value(res.out, "unrestricted_guest");
	cr_assert_str_eq(v, "1", "the CHECK_CAP row comes first");
	free(v);
	cr_assert_null(strstr(res.out, "Probe"));
}

/* Both versions: the CLI's, and the loaded module's from sysfs. */
Test(fake_device, info_versions)
{
	char module[64], want[96], *v;

	/* "unknown" here, unless this host has minivmm.ko loaded. */
	module_version_read(VMM_MODULE_VERSION_PATH, module, sizeof(module));
	cr_assert_eq(RUN(NULL, "info"), VMM_EXIT_OK, "stderr: %s", res.err);
	v = table_value(res.out, "Version (CLI)");
	cr_assert_not_null(v, "%s", res.out);
	cr_assert_str_eq(v, MINIVMM_CLI_VERSION);
	free(v);
	v = table_value(res.out, "Version (module)");
	cr_assert_not_null(v, "%s", res.out);
	cr_assert_str_eq(v, module);
	free(v);

	cr_assert_eq(RUN(NULL, "info", "--json"), VMM_EXIT_OK, "%s", res.err);
	snprintf(want, sizeof(want), "\"%s\"", module);
	ASSERT_JSON(res.out,
		{ "d['cli_version']", "\"" MINIVMM_CLI_VERSION "\"" },
		{ "d['module_version']", want });
}

Test(fake_device, info_json)
{
	char want[32];

	cr_assert_eq(RUN(NULL, "info", "--json"), VMM_EXIT_OK, "%s", res.err);
	cr_assert(json_valid(res.out), "%s", res.out);
	snprintf(want, sizeof(want), "%d", MINIVMM_API_VERSION);
	ASSERT_JSON(res.out,
		{ "d['api_version']", want },
		{ "d['cli_api_version']", want },
		{ "d['vmcs_revision']", "43" },
		{ "d['vmcs_size']", "4096" },
		{ "d['features']['ept']", "true" },
		{ "d['features']['ept_4level']", "true" },
		{ "d['check_cap']['probe_vmx']", "64" },
		{ "d['msrs']['basic']", "\"0x00d810000000002b\"" },
		{ "d['probe']", "null" });
}

Test(fake_device, info_probe_json)
{
	cr_assert_eq(RUN(NULL, "info", "--probe", "--json"), VMM_EXIT_OK,
		     "%s", res.err);
	ASSERT_JSON(res.out,
		{ "d['probe']['nr_cpus']", "2" },
		{ "[c['cpu'] for c in d['probe']['cpus']]", "[0, 1]" },
		{ "all(c['vmxon'] and c['vmcs'] and c['vmxoff'] for c in d['probe']['cpus'])",
		  "true" },
		{ "d['probe']['cpus'][1]['vmxon_count']", "2" });
}

Test(fake_device, info_probe_table)
{
	cr_assert_eq(RUN(NULL, "info", "--probe"), VMM_EXIT_OK, "%s", res.err);
	cr_assert_not_null(strstr(res.out, "\n      1  yes     yes    yes   yes     2\n"),
			   "%s", res.out);
}

Test(fake_device, api_mismatch)
{
	char want[160];

	cr_assert_eq(RUN("MINIVMM_FAKE_API=2", "info"), VMM_EXIT_API_MISMATCH);
	snprintf(want, sizeof(want),
		 "minivmm: API version mismatch: the module has 2, this minivmm was built for %d: ",
		 MINIVMM_API_VERSION);
	cr_assert(starts_with(res.err, want), "%s", res.err);
	cr_assert_str_empty(res.out);
}

Test(fake_device, probe_busy)
{
	char knob[64];

	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FAIL=PROBE_VMX:%d", EBUSY);
	cr_assert_eq(RUN(knob, "info", "--probe"), VMM_EXIT_VMX_BUSY);
	cr_assert_str_eq(res.err, "minivmm: MINIVMM_PROBE_VMX: VT-x is in use by another hypervisor (e.g. kvm_intel: stop its VMs or 'rmmod kvm_intel', then retry); see the kernel log\n");
	cr_assert_str_empty(res.out, "nothing printed on failure");
}

Test(fake_device, probe_io_error)
{
	char knob[64], want[128];

	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FAIL=PROBE_VMX:%d", EIO);
	cr_assert_eq(RUN(knob, "info", "--probe"), VMM_EXIT_IOCTL);
	snprintf(want, sizeof(want), "minivmm: MINIVMM_PROBE_VMX failed: %s\n",
		 strerror(EIO));
	cr_assert_str_eq(res.err, want);
}

Test(fake_device, get_vmx_caps_fails)
{
	char knob[64], want[128];

	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FAIL=GET_VMX_CAPS:%d", EFAULT);
	cr_assert_eq(RUN(knob, "info"), VMM_EXIT_IOCTL);
	snprintf(want, sizeof(want), "minivmm: MINIVMM_GET_VMX_CAPS failed: %s\n",
		 strerror(EFAULT));
	cr_assert_str_eq(res.err, want);
}

Test(fake_device, module_without_caps)
{
	cr_assert_eq(RUN("MINIVMM_FAKE_NO_CAPS=1", "info"), VMM_EXIT_UNSUPPORTED);
	cr_assert_not_null(strstr(res.err, "does not implement MINIVMM_GET_VMX_CAPS"),
			   "%s", res.err);
}

Test(fake_device, features_disagree_warns)
{
	cr_assert_eq(RUN("MINIVMM_FAKE_FEATURES=0x4", "info"), VMM_EXIT_OK);
	cr_assert(starts_with(res.err, "minivmm: warning: the module reports features 0x4, "),
		  "%s", res.err);
	/* The table shows what the module said. */
	cr_assert_not_null(strstr(res.out, "Features (0x4):"), "%s", res.out);
}

Test(fake_device, unknown_feature_bits_are_fine)
{
	struct minivmm_vmx_caps c;
	char knob[64];

	bochs_caps(&c);
	snprintf(knob, sizeof(knob), "MINIVMM_FAKE_FEATURES=%#llx",
		 (unsigned long long)(minivmm_vmx_derive_features(&c) |
				      1ull << MINIVMM_VMX_F_NR));
	cr_assert_eq(RUN(knob, "info"), VMM_EXIT_OK);
	cr_assert_str_empty(res.err, "a newer module's extra bits warned");
}

Test(fake_device, ioctls_run_without_privileges)
{
	/*
	 * The shim fails every ioctl with EPERM while the caller has
	 * capabilities; as root this proves they were dropped first.
	 */
	if (geteuid() != 0)
		cr_skip_test("not root: nothing to drop");
	cr_assert_eq(RUN(NULL, "info"), VMM_EXIT_OK, "%s", res.err);
}
