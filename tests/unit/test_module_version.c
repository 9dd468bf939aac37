// SPDX-License-Identifier: GPL-2.0
/* Reading the loaded module's version from sysfs (a file here). */
#include <stdlib.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "helpers.h"
#include "module_version.h"

static char buf[32];

static void read_file(const char *text, size_t len)
{
	char path[] = "/tmp/minivmm-modver-XXXXXX";

	write_tmpfile(path, text, len);
	module_version_read(path, buf, sizeof(buf));
	unlink(path);
}

Test(module_version, newline_stripped)
{
	read_file("7.8.9\n", 6);
	cr_assert_str_eq(buf, "7.8.9");
}

Test(module_version, no_newline)
{
	read_file("1.2.3-rc1", 9);
	cr_assert_str_eq(buf, "1.2.3-rc1");
}

Test(module_version, missing_file_is_unknown)
{
	module_version_read("/nonexistent/minivmm/version", buf, sizeof(buf));
	cr_assert_str_eq(buf, "unknown");
}

Test(module_version, empty_file_is_unknown)
{
	read_file("", 0);
	cr_assert_str_eq(buf, "unknown");
	read_file("\n", 1);
	cr_assert_str_eq(buf, "unknown");
}

Test(module_version, too_long_is_truncated)
{
	read_file("0123456789012345678901234567890123456789\n", 41);
	cr_assert_eq(strlen(buf), sizeof(buf) - 1);
	cr_assert(starts_with(buf, "0123456789"));
}

Test(module_version, sysfs_path)
{
	cr_assert_str_eq(VMM_MODULE_VERSION_PATH, "/sys/module/minivmm/version");
}
