#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/deps.sh [--check]
#
# --check: install nothing; exit 0 if everything is there, 1 (listing what
# is missing) if not.
# Installs the Debian 12 packages that building and testing minivmm needs.
# Only missing packages are installed, and `apt-get update` runs only when
# something is missing, so on a prepared machine this is a ~1 s no-op.
# Runs as root (CI) or through sudo.
set -eu

KVER61=6.1.0-56-amd64

# Build: compiler, kbuild for 6.1, the userspace CLI and its unit tests.
# libc6-dev/binutils are listed because gcc only *recommends* them and we
# install without recommends. binutils also provides as/ld/objcopy for the
# kernel repacker (tools/emu/repack-kernel.py).
PKGS="gcc make libc6-dev binutils pkg-config
	linux-headers-$KVER61
	libcap-dev libelf-dev libcriterion-dev
	python3"
# Packaging checks (tools/check-install.sh): dkms builds the module from
# dkms.conf, groff-base and man-db render the man page, bash runs the
# completion (bash-completion itself is not needed, only installed so the
# completion is picked up interactively). openssl: dkms signs the module
# with a throw-away key.
PKGS="$PKGS
	dkms groff-base man-db bash bash-completion openssl"
# Emulator harness (tools/emu/): Bochs with its BIOSes, QEMU, and what the
# boot media are built from. apt (for `apt-get download`) and dpkg are
# always present on Debian.
PKGS="$PKGS
	bochs bochsbios vgabios qemu-system-x86
	busybox-static isolinux syslinux-common xorriso cpio"

if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=
fi

# missing PKG...: print the packages that are not fully installed.
# One dpkg-query for all of them keeps the warm path fast; unknown packages
# make dpkg-query exit non-zero, hence the `|| true`.
missing() {
	installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" \
		2>/dev/null | awk '$1 == "ii" { print $2 }' || true)
	for p in "$@"; do
		echo "$installed" | grep -qx "$p" || echo "$p"
	done
}

# shellcheck disable=SC2086 # word splitting of the package list is wanted
need=$(missing $PKGS | tr '\n' ' ' | sed 's/ *$//')

# The 6.12 headers: any installed Debian 12 6.12 tree is good enough (the
# Makefile picks the newest one under /usr/src); otherwise install exactly
# one, the newest. A glob would pull every version and variant.
have612=
for d in /usr/src/linux-headers-6.12.*+deb12-amd64; do
	[ -d "$d" ] && have612=$d
done

if [ -z "$need" ] && [ -n "$have612" ]; then
	echo "deps: all packages present"
	exit 0
fi
if [ "${1:-}" = --check ]; then
	[ -n "$have612" ] || need="$need linux-headers-6.12.N+deb12-amd64"
	echo "deps: missing packages: $need"
	exit 1
fi

if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
	[ -n "$have612" ] || need="$need linux-headers-6.12.N+deb12-amd64"
	echo "deps: missing packages: $need" >&2
	echo "deps: run this script as root (or install sudo)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: updating package lists"
$SUDO apt-get update -qq

if [ -z "$have612" ]; then
	h612=$(apt-cache search --names-only \
		'^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ print $1 }' | sort -V | tail -1)
	if [ -z "$h612" ]; then
		echo "deps: no linux-headers-6.12.*+deb12-amd64 package in the" \
			"configured apt sources (need bookworm-updates or" \
			"bookworm-backports?)" >&2
		exit 1
	fi
	need="${need:+$need }$h612"
fi

echo "deps: installing $need"
# shellcheck disable=SC2086
# apt-utils is not installed: debconf's "delaying package configuration"
# note is expected noise, hence the filter (errors still show).
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends $need 2>&1 |
	grep -v '^debconf: delaying package configuration' || true
# The pipeline hides apt-get's status: check the result instead.
need=$(missing $need | tr '\n' ' ' | sed 's/ *$//')
if [ -n "$need" ]; then
	echo "deps: still missing after apt-get install: $need" >&2
	exit 1
fi
echo "deps: done"
