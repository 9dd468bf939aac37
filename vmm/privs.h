/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMM_PRIVS_H
#define VMM_PRIVS_H

#include <stdbool.h>

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

#endif /* VMM_PRIVS_H */
