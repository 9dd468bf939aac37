#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: run the demo guests (hello16: real mode, hello64: long mode)
# under minivmm.
#  - /dev/minivmm exists (module loaded): run them here;
#  - this host has VT-x and we are root: load kmod/minivmm.ko, run them,
#    unload it again;
#  - otherwise (no VT-x, like our CI machines): boot the Bochs emulator
#    (VT-x with EPT), load the module there and run them inside.
set -eu
cd "$(dirname "$0")/.."

run_demo() {
	for g in guest-images/hello16.bin guest-images/hello64.elf; do
		echo "\$ ./minivmm run $g"
		./minivmm run "$g"
		echo "exit status $?"
	done
}

if [ -c /dev/minivmm ]; then
	make -s minivmm guests
	run_demo
	exit
fi
if grep -qw vmx /proc/cpuinfo && [ "$(id -u)" = 0 ] && [ -e /proc/modules ]; then
	make -s module minivmm guests
	insmod kmod/minivmm.ko
	trap 'rmmod minivmm' EXIT
	run_demo
	exit
fi

echo "demo: no VT-x on this host: running minivmm inside Bochs (~30 s)"
tools/deps.sh >/dev/null
out=build/emu/runs/demo
if ! make -s emu EMU=bochs SUITE=demo EMU_OUT="$PWD/$out" >build/emu-demo.log 2>&1; then
	cat build/emu-demo.log
	echo "demo: the emulator run failed (log above; artefacts in $out)"
	exit 1
fi
tr -d '\r' <"$out/serial.raw" | sed -n 's/^DEMO: //p'
