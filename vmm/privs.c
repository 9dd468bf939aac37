// SPDX-License-Identifier: GPL-2.0
/*
 * Dropping privileges once the device is open: ioctls on an already open
 * fd are checked against the file's open mode, not the caller's
 * capabilities, so nothing after the open needs any.
 */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "die.h"
#include "exit_status.h"
#include "privs.h"

int __privs_drop_all(void)
{
	cap_t none;
	int ret = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;

	none = cap_init();	/* all three sets cleared */
	if (!none)
		return -errno;
	if (cap_set_proc(none))
		ret = -errno;
	cap_free(none);
	return ret;
}

bool privs_all_dropped(void)
{
	cap_t now, none;
	bool dropped = false;

	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return false;

	now = cap_get_proc();
	none = cap_init();
	if (now && none)
		dropped = cap_compare(now, none) == 0;
	cap_free(now);
	cap_free(none);
	return dropped;
}

void privs_drop_all(void)
{
	int ret = __privs_drop_all();

	if (ret)
		die(VMM_EXIT_ERROR, "cannot drop privileges: %s", strerror(-ret));
	if (!privs_all_dropped())
		die(VMM_EXIT_ERROR, "capabilities still present after dropping them");
}
