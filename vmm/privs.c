// SPDX-License-Identifier: GPL-2.0
/*
 * Dropping privileges once the device is open: ioctls on an already open
 * fd are checked against the file's open mode, not the caller's
 * capabilities, so nothing after the open needs any.
 *
 * Dropping capabilities leaves uid 0, and uid 0 still owns root's files:
 * `sudo minivmm run /etc/shadow` would read a root-only file as a guest
 * image. So before that, minivmm also becomes the user who ran sudo (or
 * the one --user names), and opens the image as that user.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <stdio.h>

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

/* A uid or gid from a decimal string: 0, or -EINVAL. */
static int privs_parse_id(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= UINT_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

int privs_target_user(const char *user, const char *sudo_uid,
		      const char *sudo_gid, struct privs_user *u)
{
	const struct passwd *pw;
	unsigned int id;

	*u = (struct privs_user) { .set = false };
	if (user) {
		pw = getpwnam(user);
		if (!pw && !privs_parse_id(user, &id))
			pw = getpwuid(id);
		if (!pw)
			return -ENOENT;
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
	} else {
		/* sudo: back to its caller; not root: nothing to become. */
		if (geteuid() != 0 || privs_parse_id(sudo_uid, &id) || !id)
			return 0;
		u->uid = id;
		pw = getpwuid(id);
		if (!privs_parse_id(sudo_gid, &id))
			u->gid = id;
		else if (pw)
			u->gid = pw->pw_gid;
		else
			return -ENOENT;
	}
	/* initgroups() wants the name; a uid without one gets no groups. */
	snprintf(u->name, sizeof(u->name), "%s", pw ? pw->pw_name : "");
	u->set = true;
	return 0;
}

int __privs_become(const struct privs_user *u)
{
	uid_t r, e, s;

	if (!u->set)
		return 0;
	if (u->name[0] ? initgroups(u->name, u->gid) : setgroups(0, NULL))
		return -errno;
	if (setresgid(u->gid, u->gid, u->gid) ||
	    setresuid(u->uid, u->uid, u->uid))
		return -errno;
	/* A failed setuid must never go unnoticed (CVE-class mistake). */
	if (getresuid(&r, &e, &s) || r != u->uid || e != u->uid ||
	    s != u->uid)
		return -EPERM;
	return 0;
}

void privs_become_user(const char *user)
{
	struct privs_user u;
	int ret;

	ret = privs_target_user(user, getenv("SUDO_UID"), getenv("SUDO_GID"),
				&u);
	if (ret == -ENOENT && user)
		die(VMM_EXIT_USAGE, "--user '%s': no such user", user);
	if (ret)
		die(VMM_EXIT_ERROR, "SUDO_UID=%s has no user entry and no SUDO_GID: cannot tell which group to run as",
		    getenv("SUDO_UID"));
	if (u.set && geteuid() != 0 && geteuid() != u.uid)
		die(VMM_EXIT_USAGE, "--user needs root (to switch to user '%s')",
		    user);
	if (u.set && geteuid() == u.uid && getegid() == u.gid)
		return;		/* already that user */
	ret = __privs_become(&u);
	if (ret)
		die(VMM_EXIT_ERROR, "cannot become uid %u gid %u: %s",
		    (unsigned int)u.uid, (unsigned int)u.gid, strerror(-ret));
}
