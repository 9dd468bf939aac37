/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMM_VERSION_H
#define VMM_VERSION_H

/*
 * The one version string lives in dkms.conf (PACKAGE_VERSION, see there
 * why); vmm/vmm.mk passes it as -DMINIVMM_VERSION, kmod/Kbuild passes the
 * same to the module.
 */
#ifndef MINIVMM_VERSION
#error "MINIVMM_VERSION is not defined: build with make (vmm/vmm.mk)"
#endif
#define MINIVMM_CLI_VERSION	MINIVMM_VERSION

#endif /* VMM_VERSION_H */
