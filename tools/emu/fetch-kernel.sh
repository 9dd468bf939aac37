#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/emu/fetch-kernel.sh KVER OUTDIR
#
# Unpacks Debian's linux-image-KVER package (kernel + modules, not
# installed) into OUTDIR, e.g. build/emu/kimg. The emulated machines boot
# exactly this stock kernel, and its kvm modules are the reference
# hypervisor in the suites. Cached: does nothing once OUTDIR is complete.
set -eu
[ $# = 2 ] || { echo "usage: $0 KVER OUTDIR" >&2; exit 2; }
kver=$1
mkdir -p "$(dirname "$2")"
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
pkg=linux-image-$kver
km=lib/modules/$kver/kernel

# The files the harness uses; a partial tree from an interrupted run does
# not count as cached because it is only renamed into place when complete.
kimg_complete() {
	[ -f "$1/boot/vmlinuz-$kver" ] &&
	[ -f "$1/$km/virt/lib/irqbypass.ko" ] &&
	[ -f "$1/$km/arch/x86/kvm/kvm.ko" ] &&
	[ -f "$1/$km/arch/x86/kvm/kvm-intel.ko" ]
}

if kimg_complete "$out"; then
	exit 0
fi

tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "fetch-kernel: downloading $pkg"
# apt-get download writes into the current directory. It needs package
# lists; on a fresh machine (no `apt-get update` yet) refresh them once.
# As root it warns that the _apt user cannot write here: harmless, and
# the first attempt's messages are only shown if it fails.
if ! (cd "$tmp" && apt-get download -q "$pkg" >"$tmp/err" 2>&1); then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		(cd "$tmp" && apt-get download -q "$pkg") || {
			cat "$tmp/err" >&2
			exit 1
		}
	else
		cat "$tmp/err" >&2
		echo "fetch-kernel: cannot download $pkg (package lists missing?" \
			"run tools/deps.sh or apt-get update as root)" >&2
		exit 1
	fi
fi
deb=$(ls "$tmp"/"${pkg}"_*.deb)
dpkg -x "$deb" "$tmp/root"
if ! kimg_complete "$tmp/root"; then
	echo "fetch-kernel: $deb lacks the kernel or the kvm modules" >&2
	exit 1
fi
rm -rf "$out"
mv "$tmp/root" "$out"
echo "fetch-kernel: unpacked $(basename "$deb") into $out"
