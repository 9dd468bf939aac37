#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/emu/mkguestinitramfs.sh OUT.cpio
#
# The initramfs of the Linux guest that minivmm boots inside the emulator
# (tests/emu/suite-linux.sh): static busybox with its applets, and
# tests/emu/linux-guest/init as /init. Uncompressed (the guest kernel
# would spend emulated seconds on gunzip); /dev/console comes from the
# kernel's built-in initramfs list.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: $0 OUT.cpio}
. "$top/tools/emu/busybox-root.sh"
mkdir -p "$(dirname "$out")"
root=$(mktemp -d "$out.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
busybox_root "$root" || exit 1
install -m 755 "$top/tests/emu/linux-guest/init" "$root/init"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkguestinitramfs: $out ($(($(wc -c <"$out") / 1024)) KiB)"
