/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMM_PRIVS_H
#define VMM_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Clear the effective, permitted and inheritable capability sets (which
 * also empties the ambient set) and set no_new_privs, so that not even an
 * execve() can regain them. Returns 0 or -errno.
 */
int __privs_drop_all(void);

/* True if every capability set is empty and no_new_privs is set. */
bool privs_all_dropped(void);

/* __privs_drop_all() and check it worked; dies with a message if not. */
void privs_drop_all(void);

/* The user to run as once the device is open. */
struct privs_user {
	bool set;		/* false: stay who we are */
	uid_t uid;
	gid_t gid;
	char name[64];		/* for initgroups(); "" for none */
};

/*
 * Which user to become: @user (a name, or a uid with a passwd entry) if
 * given; else, when running as root, the sudo caller (@sudo_uid and
 * @sudo_gid, sudo's SUDO_UID/SUDO_GID; a caller of uid 0 is no change);
 * else nobody else. 0, or -ENOENT: no such user, or a SUDO_UID without
 * a passwd entry or SUDO_GID.
 */
int privs_target_user(const char *user, const char *sudo_uid,
		      const char *sudo_gid, struct privs_user *u);

/* Set groups, gid and uid (real, effective, saved) to @u's. 0 or -errno. */
int __privs_become(const struct privs_user *u);

/*
 * Become the user privs_target_user() names for @user (NULL: the sudo
 * caller, if any). Call after opening the device, before opening files
 * the user names. Dies with a message on failure: status 2 for an unknown
 * --user or --user without root.
 */
void privs_become_user(const char *user);

#endif /* VMM_PRIVS_H */
