/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMM_DIE_H
#define VMM_DIE_H

/* Messages use a fixed name, not argv[0], so they are stable for scripts. */
#define VMM_PROG	"minivmm"

/* Print "minivmm: <message>" on stderr and exit with @status. */
void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...);

#endif /* VMM_DIE_H */
