/* SPDX-License-Identifier: GPL-2.0 */
/* The loaded module's MODULE_VERSION, as sysfs shows it. */
#ifndef VMM_MODULE_VERSION_H
#define VMM_MODULE_VERSION_H

#include <stddef.h>

#define VMM_MODULE_VERSION_PATH	"/sys/module/minivmm/version"

/*
 * Read the version from @path (VMM_MODULE_VERSION_PATH outside tests)
 * into @buf without its newline; "unknown" if the file is missing (module
 * not loaded, or built without MODULE_VERSION), unreadable or empty.
 */
void module_version_read(const char *path, char *buf, size_t len);

#endif /* VMM_MODULE_VERSION_H */
