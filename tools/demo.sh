#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: run the demo guests (hello16: real mode, hello64: long mode)
# under minivmm.
#  - /dev/minivmm exists (module loaded): run them here;
#  - this host has VT-x and we are root: load kmod/minivmm.ko, run them,
#    unload it again;
#  - otherwise (no VT-x, like our CI machines): boot the Bochs emulator
#    (VT-x with EPT), load the module there and run them inside.
# Works from a fresh clone: it installs the packages it needs first, and
# everything else it writes goes below build/, which it creates.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
log=build/demo.log

# quietly CMD...: run CMD with its output in $log; show it only if it fails.
quietly() {
	if ! "$@" >"$log" 2>&1; then
		cat "$log"
		echo "demo: '$*' failed (log above, also in $log)"
		exit 1
	fi
}

run_demo() {
	for g in guest-images/hello16.bin guest-images/hello64.elf; do
		echo "\$ ./minivmm run $g"
		rc=0
		./minivmm run "$g" || rc=$?
		echo "exit status $rc"
	done
}

if [ -c /dev/minivmm ]; then
	quietly make -s minivmm guests
	run_demo
	exit
fi
if grep -qw vmx /proc/cpuinfo && [ "$(id -u)" = 0 ] && [ -e /proc/modules ]; then
	quietly tools/deps.sh
	quietly make -s module minivmm guests
	insmod kmod/minivmm.ko
	trap 'rmmod minivmm' EXIT
	run_demo
	exit
fi

if tools/deps.sh --check >/dev/null 2>&1; then
	echo "demo: no VT-x on this host: running minivmm inside Bochs (~30 s)"
else
	echo "demo: no VT-x on this host: running minivmm inside Bochs"
	echo "demo: first run: installing packages, the emulator's kernel and" \
		"building everything (a few minutes)"
fi
quietly tools/deps.sh
out=build/emu/runs/demo
quietly make -s emu EMU=bochs SUITE=demo EMU_OUT="$PWD/$out"
tr -d '\r' <"$out/serial.raw" | sed -n 's/^DEMO: //p'
