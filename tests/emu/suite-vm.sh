#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, one CPU: VMs and vCPUs through the ABI (tests/emu/helpers/vm_check.c):
# real-mode guests reach userspace through I/O, hypercall and HLT exits,
# CPUID is answered in the kernel, MMIO is decoded and forwarded, a triple
# fault and an entry failure are reported, a spinning guest is interrupted;
# then every row of the error table (tests/emu/helpers/errno_check.c).
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
dmesg_mark
vm_check
t_show_dmesg
# The error table of docs/uapi.md, one check per row
# (tools/check-errno-table.sh matches rows to PASS lines).
dmesg_mark
errno_check
t_dmesg_clean kernel-log-clean-after-errno-check
refs=$(awk '$1 == "minivmm" { print $3 }' /proc/modules)
[ "$refs" = 0 ] && t_pass module-refcount-zero-after-vms ||
	t_fail module-refcount-zero-after-vms "refcount '$refs'"
t_check rmmod-after-vms rmmod minivmm
# Lifecycle: fds and processes going away at awkward moments; it unloads
# the module itself at the end (rmmod refused, then allowed).
t_check insmod-for-lifecycle insmod /lib/modules/minivmm.ko
lifecycle_check
grep -q '^minivmm ' /proc/modules && t_fail lifecycle-module-unloaded "still loaded" ||
	t_pass lifecycle-module-unloaded
t_done
