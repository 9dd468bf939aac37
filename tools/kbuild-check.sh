#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/kbuild-check.sh KDIR...
#
# Builds minivmm.ko against each kernel header tree, out of place in
# build/kbuild/<kernel release>/ (kbuild writes objects beside the sources,
# so each kernel gets its own copy), with W=1. One PASS/FAIL line per
# kernel: FAIL on a build error or on any compiler/modpost warning.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
rc=0
for kdir in "$@"; do
	if [ ! -d "$kdir" ]; then
		echo "FAIL kbuild/$(basename "$kdir"): no kernel headers at $kdir (run tools/deps.sh)"
		rc=1
		continue
	fi
	kver=$(basename "$kdir" | sed "s/^linux-headers-//")
	out=$top/build/kbuild/$kver
	rm -rf "$out"
	mkdir -p "$out"
	# dkms.conf: kmod/Kbuild reads the module's version from it.
	cp -r "$top/kmod" "$top/include" "$top/dkms.conf" "$out/"
	log=$out/build.log
	if ! make -C "$kdir" M="$out/kmod" W=1 modules >"$log" 2>&1; then
		echo "FAIL kbuild/$kver: build failed:"
		grep -E 'error|Error' "$log" | head -20 | sed 's/^/    /'
		rc=1
	elif grep -qiE 'warning:' "$log"; then
		echo "FAIL kbuild/$kver: warnings:"
		grep -iE 'warning:' "$log" | head -20 | sed 's/^/    /'
		rc=1
	else
		echo "PASS kbuild/$kver: $(basename "$out")/kmod/minivmm.ko built warning-free (W=1)"
	fi
done
exit $rc
