// SPDX-License-Identifier: GPL-2.0
/* privs_drop_all(), checked in a forked child through /proc/self/status. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "helpers.h"
#include "privs.h"

/* Child exit codes saying which check failed. */
enum {
	CHILD_OK,
	CHILD_HAD_NO_CAPS_AS_ROOT,
	CHILD_CLAIMED_DROPPED_EARLY,
	CHILD_CAP_EFF,
	CHILD_CAP_PRM,
	CHILD_CAP_INH,
	CHILD_CAP_AMB,
	CHILD_NO_NEW_PRIVS,
	CHILD_NOT_DROPPED,
	CHILD_STILL_OVERRIDES_DAC,
};

static int drop_and_check(const char *unreadable)
{
	int fd;

	if (geteuid() == 0) {
		if (proc_status_hex("CapEff") == 0)
			return CHILD_HAD_NO_CAPS_AS_ROOT;
		if (privs_all_dropped())
			return CHILD_CLAIMED_DROPPED_EARLY;
	}

	privs_drop_all();

	if (proc_status_hex("CapEff") != 0)
		return CHILD_CAP_EFF;
	if (proc_status_hex("CapPrm") != 0)
		return CHILD_CAP_PRM;
	if (proc_status_hex("CapInh") != 0)
		return CHILD_CAP_INH;
	if (proc_status_hex("CapAmb") != 0)
		return CHILD_CAP_AMB;
	if (proc_status_hex("NoNewPrivs") != 1)
		return CHILD_NO_NEW_PRIVS;
	if (!privs_all_dropped())
		return CHILD_NOT_DROPPED;
	/* Without CAP_DAC_OVERRIDE even root cannot open a mode 000 file. */
	fd = open(unreadable, O_RDONLY);
	if (fd >= 0)
		return CHILD_STILL_OVERRIDES_DAC;
	return CHILD_OK;
}

Test(privs, drop_all_in_child)
{
	char path[] = "/tmp/minivmm-unit-XXXXXX";
	int wstatus;
	pid_t pid;

	unreadable_tmpfile(path);

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(drop_and_check(path));
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
	unlink(path);
	cr_assert(WIFEXITED(wstatus), "child died: %#x", wstatus);
	cr_assert_eq(WEXITSTATUS(wstatus), CHILD_OK,
		     "check %d failed in the child", WEXITSTATUS(wstatus));
}

Test(privs, target_user)
{
	struct privs_user u;

	/* Explicit --user: by name or by uid. */
	cr_assert_eq(privs_target_user("nobody", NULL, NULL, &u), 0);
	cr_assert(u.set);
	cr_assert_eq(u.uid, 65534);
	cr_assert_str_eq(u.name, "nobody");
	cr_assert_eq(privs_target_user("65534", NULL, NULL, &u), 0);
	cr_assert_eq(u.uid, 65534);
	cr_assert_eq(privs_target_user("no-such-user-here", NULL, NULL, &u),
		     -ENOENT);
	/* sudo's caller, when root; SUDO_GID wins over the passwd gid. */
	cr_assert_eq(privs_target_user(NULL, "65534", "1234", &u), 0);
	if (geteuid() == 0) {
		cr_assert(u.set);
		cr_assert_eq(u.uid, 65534);
		cr_assert_eq(u.gid, 1234);
	} else {
		cr_assert_not(u.set, "not root: nothing to switch");
	}
	/* A sudo by root itself, or garbage: stay. */
	cr_assert_eq(privs_target_user(NULL, "0", "0", &u), 0);
	cr_assert_not(u.set);
	cr_assert_eq(privs_target_user(NULL, "12x", "0", &u), 0);
	cr_assert_not(u.set);
	cr_assert_eq(privs_target_user(NULL, NULL, NULL, &u), 0);
	cr_assert_not(u.set);
}
