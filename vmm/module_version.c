// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "module_version.h"

void module_version_read(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok = false;

	if (f) {
		ok = fgets(buf, len, f) != NULL;
		fclose(f);
	}
	if (ok) {
		buf[strcspn(buf, "\n")] = '\0';
		ok = buf[0] != '\0';
	}
	if (!ok)
		snprintf(buf, len, "unknown");
}
