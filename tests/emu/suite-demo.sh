#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo` in the emulator: load the module, run the demo guests.
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
echo "DEMO: \$ insmod minivmm.ko"
dmesg | grep 'minivmm:' | grep -v -e taints -e 'verification failed' | sed 's/^\[[ 0-9.]*\] //; s/^/DEMO: /'
for g in hello16.bin hello64.elf; do
	echo "DEMO: \$ minivmm run guest-images/$g; echo \"exit status \$?\""
	minivmm run /guests/$g >/tmp/out 2>&1
	rc=$?
	sed 's/^/DEMO: /' /tmp/out
	echo "DEMO: exit status $rc"
	[ $rc = 0 ] && t_pass "demo-$g" || t_fail "demo-$g" "exit status $rc"
done
t_done
