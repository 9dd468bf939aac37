#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, one CPU: VMs and vCPUs through the ABI (tests/emu/helpers/vm_check.c):
# real-mode guests reach userspace through I/O, hypercall and HLT exits,
# CPUID is answered in the kernel, a triple fault, an entry failure and an
# EPT violation are reported, a spinning guest is interrupted.
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
dmesg_mark
vm_check
t_show_dmesg
t_check rmmod-after-vms rmmod minivmm
t_done
