// SPDX-License-Identifier: GPL-2.0
/* Device open/ioctl wrappers, on files that are not /dev/minivmm. */
#include <errno.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "uapi/minivmm.h"
#include "dev.h"
#include "exit_status.h"

Test(dev, open_returns_errno)
{
	cr_assert_eq(__dev_open("/nonexistent/minivmm"), -ENOENT);
	cr_assert_eq(__dev_open("/"), -EISDIR);
}

Test(dev, ioctl_returns_errno)
{
	int fd = __dev_open("/dev/null");

	cr_assert_geq(fd, 0);
	cr_assert_eq(__dev_ioctl(fd, MINIVMM_GET_API_VERSION, 0), -ENOTTY);
	close(fd);
}

Test(dev, open_dies_with_status, .init = cr_redirect_stderr,
     .exit_code = VMM_EXIT_NO_DEVICE)
{
	dev_open("/nonexistent/minivmm");
}

Test(dev, ioctl_dies_with_status, .init = cr_redirect_stderr,
     .exit_code = VMM_EXIT_IOCTL)
{
	dev_ioctl(dev_open("/dev/null"), MINIVMM_GET_API_VERSION, 0);
}
