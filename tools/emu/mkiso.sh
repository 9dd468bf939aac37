#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/emu/mkiso.sh OUT.iso KERNEL INITRD "KERNEL COMMAND LINE"
#
# A BIOS-bootable ISO (isolinux) for Bochs, which has no direct kernel
# loader. isolinux also prints its banner on the serial port, which
# tools/emu/run.py uses to notice an unexpected reboot.
set -eu
[ $# = 4 ] || { echo "usage: $0 OUT.iso KERNEL INITRD CMDLINE" >&2; exit 2; }
out=$1 kernel=$2 initrd=$3 cmdline=$4
isolinux=/usr/lib/ISOLINUX/isolinux.bin
ldlinux=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$isolinux" "$ldlinux"; do
	[ -f "$f" ] || { echo "mkiso: missing $f (install isolinux syslinux-common)" >&2; exit 1; }
done
for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || { echo "mkiso: missing $f" >&2; exit 1; }
done

mkdir -p "$(dirname "$out")"
dir=$(mktemp -d "$out.dir.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/isolinux"
# Copies: -boot-info-table patches isolinux.bin, never patch the system's.
cp "$isolinux" "$ldlinux" "$dir/isolinux/"
cat >"$dir/isolinux/isolinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd
  APPEND $cmdline
EOF
# The big files are grafted in place instead of copied. xorriso prints a
# banner even with -quiet: its messages are only shown on failure.
if ! xorriso -as mkisofs -quiet -o "$out.tmp" \
	-b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table -R \
	-graft-points "$dir" "/vmlinuz=$kernel" "/initrd=$initrd" \
	>"$dir/xorriso.log" 2>&1; then
	cat "$dir/xorriso.log" >&2
	exit 1
fi
mv "$out.tmp" "$out"
