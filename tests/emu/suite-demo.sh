#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo` in the emulator: load the module and show what it sees.
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
echo "DEMO: \$ insmod minivmm.ko"
dmesg | grep 'minivmm:' | sed 's/^/DEMO: /'
echo "DEMO: \$ minivmm info --probe"
minivmm info --probe 2>&1 | sed 's/^/DEMO: /'
t_check minivmm-info minivmm info --probe
t_done
