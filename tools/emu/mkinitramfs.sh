#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/emu/mkinitramfs.sh -o OUT.cpio -k KIMG -K KVER
#                                 -m MINIVMM.ko|none -b MINIVMM_BIN|none
#                                 [-x SRC:DST]...
#
# Builds the initramfs the emulated machines boot: an *uncompressed* newc
# cpio (Bochs would spend seconds emulating the kernel's gunzip) holding
#   /init, /tests/*.sh        tests/emu/init, tests/emu/*.sh (lib + suites)
#   /bin/busybox + applets    static busybox, one symlink per applet
#   /bin/<helper>             tests/emu/helpers/*.c, built static here
#   /bin/fuzz                 tests/fuzz/fuzz.c, the same way
#   /bin/minivmm              the CLI, plus every library ldd lists (and the
#                             dynamic loader) at the same paths as here
#   /lib/modules/minivmm.ko   the module built against KVER
#   /lib/modules/{irqbypass,kvm,kvm-intel}.ko  stock KVM from KIMG, minus
#                             the module signatures (see strip_sig)
#   /etc/passwd, /etc/group   root and nobody (65534) for unprivileged runs
#   /dev/console              so the kernel can give /init a console
# -x SRC:DST adds any other file (e.g. a guest image) at DST.
# "none" for -m or -b leaves that input out on purpose; any other missing
# input is an error.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/emu/busybox-root.sh"
usage() {
	sed -n '3,5s/^# //p' "$0" >&2
	exit 2
}
die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

out='' kimg='' kver='' ko='' bin='' extra=''
while getopts o:k:K:m:b:x: opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kimg=$OPTARG ;;
	K) kver=$OPTARG ;;
	m) ko=$OPTARG ;;
	b) bin=$OPTARG ;;
	# Newline-separated so that SRC/DST may contain spaces.
	x) extra="$extra$OPTARG
" ;;
	*) usage ;;
	esac
done
if [ -z "$out" ] || [ -z "$kimg" ] || [ -z "$kver" ] || [ -z "$ko" ] ||
	[ -z "$bin" ]; then
	usage
fi

km=$kimg/lib/modules/$kver/kernel
for f in "$km/virt/lib/irqbypass.ko" "$km/arch/x86/kvm/kvm.ko" \
	 "$km/arch/x86/kvm/kvm-intel.ko"; do
	[ -f "$f" ] || die "missing $f (run tools/emu/fetch-kernel.sh)"
done
if [ "$ko" != none ]; then
	[ -f "$ko" ] || die "missing module $ko (build it, or pass -m none)"
fi
if [ "$bin" != none ]; then
	[ -x "$bin" ] || die "missing binary $bin (build it, or pass -b none)"
fi

mkdir -p "$(dirname "$out")"
root=$(mktemp -d "$out.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/etc" "$root/lib/modules" \
	"$root/proc" "$root/root" "$root/run" "$root/sys" "$root/tests" \
	"$root/tmp"
chmod 1777 "$root/tmp"

busybox_root "$root" || die "cannot set up busybox"

install -m 755 "$top/tests/emu/init" "$root/init"
mkdir -p "$root/tests/expected"
for f in "$top"/tests/emu/expected/*.txt; do
	[ -e "$f" ] && install -m 644 "$f" "$root/tests/expected/"
done
for f in "$top"/tests/emu/*.sh; do
	install -m 755 "$f" "$root/tests/"
done

# Guest-side helpers and the fuzzer (tests/fuzz/). Static, so they need
# nothing from the initramfs; warnings are errors like everywhere else in
# the project.
for c in "$top"/tests/emu/helpers/*.c "$top"/tests/fuzz/*.c; do
	[ -e "$c" ] || continue
	n=$(basename "$c" .c)
	${CC:-gcc} -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread \
		-I"$top/include" -o "$root/bin/$n" "$c" ||
		die "cannot build helper $c"
done

# strip_sig SRC DST: copy a module without its appended signature. Bochs
# spends ~5 s of every boot verifying kvm.ko and kvm-intel.ko (SHA-256 in
# plain C); the kernel does not enforce signatures, and the taint message
# for an unsigned module is already there because of minivmm.ko.
strip_sig() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic = b"~Module signature appended~\n"
if d.endswith(magic):
    # struct module_signature (12 bytes, big-endian sig_len last) + magic
    sig_len = struct.unpack(">I", d[-len(magic) - 4:-len(magic)])[0]
    d = d[:-len(magic) - 12 - sig_len]
open(sys.argv[2], "wb").write(d)
EOF
}
for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-intel; do
	strip_sig "$km/$m.ko" "$root/lib/modules/$(basename "$m").ko"
done
[ "$ko" = none ] || cp "$ko" "$root/lib/modules/minivmm.ko"

# copy_with_libs BIN DST: the binary, plus what the dynamic loader will
# need, at the paths ldd resolved here (the guest runs the same Debian 12
# libc).
copy_with_libs() {
	cp "$1" "$root$2"
	# A static binary makes ldd fail with "not a dynamic executable".
	libs=$(ldd "$1" 2>/dev/null) || return 0
	if echo "$libs" | grep -q 'not found'; then
		die "$1: unresolved libraries: $(echo "$libs" | grep 'not found')"
	fi
	# "libx.so.1 => /path (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)";
	# linux-vdso has no path.
	echo "$libs" | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
# (not in an || list: that would switch off set -e inside the function)
if [ "$bin" != none ]; then
	copy_with_libs "$bin" /bin/minivmm
fi

if [ -n "$extra" ]; then
	echo "$extra" | while IFS= read -r x; do
		[ -n "$x" ] || continue
		src=${x%%:*}
		dst=${x#*:}
		[ -f "$src" ] || die "missing extra file $src"
		case $dst in /*) ;; *) die "-x $x: DST must be absolute" ;; esac
		mkdir -p "$root$(dirname "$dst")"
		cp "$src" "$root$dst"
	done
fi

cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
cat >"$root/etc/group" <<EOF
root:x:0:
nobody:x:65534:
EOF

# newc_entry NAME MODE RDEVMAJOR RDEVMINOR: one header-only newc record.
# Used for /dev/console, which needs mknod (root) on disk; written by hand
# it works for any user.
newc_entry() {
	namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$1"
	# header (110 bytes) + name are padded to a multiple of 4
	pad=$(((4 - (110 + namesize) % 4) % 4))
	[ $pad = 0 ] || head -c $pad /dev/zero
}

tmp=$out.tmp
# -R 0:0: everything belongs to root in the guest, whoever builds it.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$tmp"
# The kernel unpacks concatenated archives in order.
{
	newc_entry dev/console $((0020000 | 0600)) 5 1
	newc_entry TRAILER!!! 0 0 0
} >>"$tmp"
mv "$tmp" "$out"
echo "mkinitramfs: $out ($(($(wc -c <"$out") / 1024)) KiB)"
