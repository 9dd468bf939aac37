// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "die.h"
#include "exit_status.h"
#include "power.h"
#include "vcpu.h"

/* Linux's panic() prints this before it reboots (panic=-1) or hangs. */
#define POWER_PANIC_MARK	"Kernel panic - not syncing"

static char power_panic[256];

void power__console_line(void *opaque, const char *line)
{
	const char *p = strstr(line, POWER_PANIC_MARK);

	(void)opaque;
	if (p && !power_panic[0])
		snprintf(power_panic, sizeof(power_panic), "%s", p);
}

void power__clear(void)
{
	power_panic[0] = '\0';
}

/* A panic seen on the console decides the status: it was no clean end. */
static void power_end(struct vcpu *v, const char *what, const char *why)
{
	if (power_panic[0]) {
		fprintf(v->err, VMM_PROG ": guest kernel panicked (\"%s\"), then %s (%s)\n",
			power_panic, what, why);
		vcpu_stop(v, VMM_EXIT_GUEST_PANIC);
		return;
	}
	fprintf(v->err, VMM_PROG ": guest %s (%s): run ended\n", what, why);
	vcpu_stop(v, VMM_EXIT_OK);
}

void power__reset(struct vcpu *v, const char *why)
{
	power_end(v, "reset", why);
}

void power__off(struct vcpu *v, const char *why)
{
	power_end(v, "powered off", why);
}
