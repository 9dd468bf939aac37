/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMM_VERSION_H
#define VMM_VERSION_H

#define MINIVMM_CLI_VERSION	"0.1.0"

#endif /* VMM_VERSION_H */
