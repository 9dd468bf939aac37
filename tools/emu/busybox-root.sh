# SPDX-License-Identifier: GPL-2.0
# Sourced by tools/emu/mkinitramfs.sh and mkguestinitramfs.sh.
#
# busybox_root ROOT: the static /bin/busybox and a symlink per applet in
# ROOT/bin (suites may use any of them, and symlinks cost nothing).
# /init is ours, so busybox's own init stays out. Fails, naming the
# package, if busybox is missing or dynamically linked.
busybox_root() {
	_bb=/bin/busybox
	if ! [ -x "$_bb" ] || ! "$_bb" --list >/dev/null 2>&1; then
		echo "no busybox at $_bb (install busybox-static)" >&2
		return 1
	fi
	if ldd "$_bb" >/dev/null 2>&1; then
		echo "$_bb is dynamically linked (install busybox-static)" >&2
		return 1
	fi
	mkdir -p "$1/bin"
	cp "$_bb" "$1/bin/busybox"
	for _a in $("$_bb" --list); do
		case $_a in
		busybox | init | linuxrc) ;;
		*) ln -s busybox "$1/bin/$_a" ;;
		esac
	done
}
