#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, two VT-x CPUs: VMXON/VMXOFF on each CPU, and CPU hotplug.
. /tests/lib.sh

MOD=/lib/modules/minivmm.ko
ncpu=$(grep -c ^processor /proc/cpuinfo)
[ "$ncpu" = 2 ] && t_pass smp-two-cpus || t_fail smp-two-cpus "kernel sees $ncpu CPUs"
dmesg_mark
t_check insmod insmod $MOD
uapi_check probe 2
t_show_dmesg
t_grep smp-logs-vmxon-both 'minivmm: VMXON on CPUs 0-1$' "$(dmesg_new_file)"
t_grep smp-logs-vmxoff-both 'minivmm: VMXOFF on CPUs 0-1$' "$(dmesg_new_file)"
# Offline CPU 1: the probe must only use CPU 0 ...
t_check cpu1-offline sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'
uapi_check probe 1 | sed 's/probe-/cpu1-offline-probe-/'
# ... and after onlining it again, both.
t_check cpu1-online sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
uapi_check probe 2 | sed 's/probe-/cpu1-online-probe-/'
t_check rmmod rmmod minivmm
t_done
