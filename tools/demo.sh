#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: show what minivmm sees of this machine's VT-x.
#  - /dev/minivmm exists (module loaded): run ./minivmm info --probe here;
#  - this host has VT-x and we are root: load kmod/minivmm.ko, run it,
#    unload it again;
#  - otherwise (no VT-x, like our CI machines): boot the Bochs emulator
#    (VT-x with EPT), load the module there and run it inside.
set -eu
cd "$(dirname "$0")/.."

if [ -c /dev/minivmm ]; then
	make -s minivmm
	exec ./minivmm info --probe
fi
if grep -qw vmx /proc/cpuinfo && [ "$(id -u)" = 0 ] && [ -e /proc/modules ]; then
	make -s module minivmm
	insmod kmod/minivmm.ko
	trap 'rmmod minivmm' EXIT
	./minivmm info --probe
	exit
fi

echo "demo: no VT-x on this host: running minivmm inside Bochs (~40 s)"
tools/deps.sh >/dev/null
out=build/emu/runs/demo
if ! make -s emu EMU=bochs SUITE=demo EMU_OUT="$PWD/$out" >build/emu-demo.log 2>&1; then
	cat build/emu-demo.log
	echo "demo: the emulator run failed (log above; artefacts in $out)"
	exit 1
fi
tr -d '\r' <"$out/serial.raw" | sed -n 's/^DEMO: //p'
