#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# usage: tools/check-install.sh
#
# Checks that minivmm installs like a real package, all in temporary
# directories (nothing is installed on this machine, no module is loaded):
#
#   install/version     dkms.conf's PACKAGE_VERSION, as dkms reads it (by
#                       sourcing it), is the only copy of the version in
#                       the tracked sources
#   install/files       `make install DESTDIR=T PREFIX=/usr` installs
#                       exactly the expected files, with their modes
#   install/binary      the installed minivmm runs: --version, help
#   install/manpage     the installed page has its version and renders
#                       without warnings (groff -ww, man --warnings)
#   install/completion  the installed bash completion, sourced in bash
#                       with made-up COMP_WORDS, completes commands,
#                       options, `help COMMAND` and image files
#   install/uninstall   `make uninstall` removes every installed file
#   install/dkms-add    `dkms add` of a clean copy of the tree
#   install/dkms/KVER   for every kernel with /lib/modules/KVER/build:
#                       `dkms build` and `dkms install` (into a temporary
#                       --installtree, --no-depmod) give a minivmm.ko whose
#                       modinfo version is PACKAGE_VERSION
#
# One "PASS install/<name>" or "FAIL install/<name>: why" line each
# (tools/test-all.sh counts them); exits non-zero if any failed. Needs
# root (dkms add), dkms, groff and man-db (tools/deps.sh). Logs:
# build/check-install/.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/check-install
rm -rf "$logs"
mkdir -p "$logs"
tmp=$(mktemp -d /tmp/minivmm-check-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS install/$1${2:+: $2}"; }
fail() { echo "FAIL install/$1: $2"; failed=1; }

# log_tail LOG: the end of a log, indented, after a FAIL line.
log_tail() { tail -n 15 "$1" | sed 's/^/    /'; }

# --- version: one home ----------------------------------------------------

# As dkms reads it: dkms.conf is sourced by bash.
version=$(cd "$tmp" && bash -c '. "$1" && echo "$PACKAGE_VERSION"' _ "$top/dkms.conf")
if [ -z "$version" ]; then
	fail version "dkms.conf has no PACKAGE_VERSION"
	exit 1
fi
others=$(cd "$top" && git grep -n -F "\"$version\"" -- ':!dkms.conf' 2>/dev/null)
if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	fail version "not a git checkout: cannot list the tracked files"
elif [ -n "$others" ]; then
	fail version "\"$version\" also appears outside dkms.conf:"
	# shellcheck disable=SC2001 # indent every line
	sed 's/^/    /' <<<"$others"
else
	pass version "$version, only in dkms.conf"
fi

# --- make install / uninstall ----------------------------------------------

dest=$tmp/dest
expected="-rw-r--r-- /usr/lib/udev/rules.d/60-minivmm.rules
-rw-r--r-- /usr/share/bash-completion/completions/minivmm
-rw-r--r-- /usr/share/man/man1/minivmm.1
-rwxr-xr-x /usr/bin/minivmm"
installed() {
	[ -d "$dest" ] || return 0
	(cd "$dest" && find . ! -type d -printf '%M /%P\n' | sort -k2)
}

if ! make -s -C "$top" install DESTDIR="$dest" PREFIX=/usr \
		>"$logs/install.log" 2>&1; then
	fail files "make install failed:"
	log_tail "$logs/install.log"
elif [ "$(installed)" != "$(echo "$expected" | sort -k2)" ]; then
	fail files "installed files differ from the expected ones:"
	diff <(echo "$expected" | sort -k2) <(installed) | sed 's/^/    /'
else
	pass files "$(echo "$expected" | wc -l) files under DESTDIR with PREFIX=/usr"
fi

bin=$dest/usr/bin/minivmm
out=$("$bin" --version 2>&1)
if [ "${out%% (*}" != "minivmm $version" ]; then
	fail binary "'minivmm --version' says '$out', want 'minivmm $version (...)'"
elif ! "$bin" help run | grep -q '^Usage: minivmm .*run'; then
	fail binary "'minivmm help run' prints no usage"
else
	pass binary "$out"
fi

page=$dest/usr/share/man/man1/minivmm.1
if ! grep -q "^\.TH MINIVMM 1 .*\"minivmm $version\"" "$page" 2>/dev/null; then
	fail manpage ".TH of the installed page does not carry 'minivmm $version'"
else
	groff -man -ww -z "$page" >"$logs/groff.log" 2>&1
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" \
		>"$logs/man.txt" 2>"$logs/man.log"
	if [ -s "$logs/groff.log" ]; then
		fail manpage "groff -man -ww warns:"
		log_tail "$logs/groff.log"
	elif [ -s "$logs/man.log" ]; then
		fail manpage "man --warnings warns:"
		log_tail "$logs/man.log"
	elif ! grep -q '^EXIT STATUS' "$logs/man.txt"; then
		fail manpage "the rendered page has no EXIT STATUS"
	else
		pass manpage "renders without warnings ($(wc -l <"$logs/man.txt") lines)"
	fi
fi

# complete WORDS...: COMPREPLY, one per line, for the installed completion
# with the cursor on the last word, and the installed minivmm in PATH.
complete_words() {
	PATH=$dest/usr/bin:$PATH bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_minivmm
		printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$dest/usr/share/bash-completion/completions/minivmm" "$@"
}

# want_completion WORDS... :: EXPECTED...: each EXPECTED among the replies.
comp_fail=
want_completion() {
	local words=() reply w
	while [ "$1" != "::" ]; do
		words+=("$1")
		shift
	done
	shift
	reply=$(cd "$top" && complete_words "${words[@]}" 2>&1)
	for w in "$@"; do
		if ! grep -qxF -- "$w" <<<"$reply"; then
			comp_fail="'${words[*]}' gave '${reply//$'\n'/ }', no '$w'"
			return 1
		fi
	done
}

if want_completion minivmm r :: run &&
   want_completion minivmm "" :: info run help &&
   want_completion minivmm --v :: --version &&
   want_completion minivmm run --ti :: --timeout &&
   want_completion minivmm run -- :: --mem --timeout --load-addr --trace --stats --help &&
   want_completion minivmm info --j :: --json &&
   want_completion minivmm -d /dev/null i :: info &&
   want_completion minivmm help r :: run &&
   want_completion minivmm run --timeout 3 guest-images/hello16.b :: guest-images/hello16.bin &&
   want_completion minivmm --device /dev/nul :: /dev/null; then
	if [ -n "$(complete_words minivmm run --mem "")" ]; then
		fail completion "'minivmm run --mem ' offers words for a SIZE"
	else
		pass completion "commands, options, help COMMAND, files"
	fi
else
	fail completion "$comp_fail"
fi

if ! make -s -C "$top" uninstall DESTDIR="$dest" PREFIX=/usr \
		>"$logs/uninstall.log" 2>&1; then
	fail uninstall "make uninstall failed:"
	log_tail "$logs/uninstall.log"
elif [ -n "$(installed)" ]; then
	fail uninstall "files left behind: $(installed | awk '{ print $2 }' | tr '\n' ' ')"
else
	pass uninstall "no file left under DESTDIR"
fi

# --- dkms, confined to temporary trees ---------------------------------------

# Everything dkms writes goes under $tmp/dkms-*: its tree, the copied
# sources, the installed modules (no depmod, which would touch
# /lib/modules). The signing key: dkms would generate one in /var/lib/dkms.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
dkms_run() {
	(cd "$tmp" && dkms "$@" --dkmstree "$tmp/dkms-tree" \
		--sourcetree "$tmp/dkms-src" --installtree "$tmp/dkms-lib")
}

if ! command -v dkms >/dev/null; then
	fail dkms-add "dkms is not installed (tools/deps.sh)"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	fail dkms-add "dkms add needs root"
	exit 1
fi
# A clean copy, as a release tarball or a fresh checkout would be (dkms add
# copies everything, build/ included).
mkdir -p "$tmp/tree" "$tmp/dkms-tree" "$tmp/dkms-src" "$tmp/dkms-lib"
(cd "$top" && git ls-files -z -c -o --exclude-standard | tar -c --null -T -) |
	tar -x -C "$tmp/tree"
if ! dkms_run add "$tmp/tree" >"$logs/dkms-add.log" 2>&1; then
	fail dkms-add "dkms add failed:"
	log_tail "$logs/dkms-add.log"
	exit 1
fi
pass dkms-add "minivmm/$version in a temporary --dkmstree"

kernels=0
for build in /lib/modules/*/build; do
	[ -d "$build" ] || continue
	kver=$(basename "$(dirname "$build")")
	kernels=$((kernels + 1))
	log=$logs/dkms-$kver.log
	mkdir -p "$tmp/dkms-lib/$kver"
	if ! dkms_run build "minivmm/$version" -k "$kver" >"$log" 2>&1; then
		fail "dkms/$kver" "dkms build failed:"
		cat "$tmp/dkms-tree/minivmm/$version/build/make.log" >>"$log" 2>/dev/null
		log_tail "$log"
		continue
	fi
	if ! dkms_run install "minivmm/$version" -k "$kver" --no-depmod \
			>>"$log" 2>&1; then
		fail "dkms/$kver" "dkms install failed:"
		log_tail "$log"
		continue
	fi
	ko=$(find "$tmp/dkms-lib/$kver" -name 'minivmm.ko*' | head -n 1)
	got=$([ -n "$ko" ] && modinfo -F version "$ko" 2>>"$log")
	vermagic=$([ -n "$ko" ] && modinfo -F vermagic "$ko" 2>>"$log")
	if [ -z "$ko" ]; then
		fail "dkms/$kver" "dkms install put no minivmm.ko in the install tree"
	elif [ "$got" != "$version" ]; then
		fail "dkms/$kver" "modinfo says version '$got', want '$version'"
	elif [ "${vermagic%% *}" != "$kver" ]; then
		fail "dkms/$kver" "built for '${vermagic%% *}', not $kver"
	else
		pass "dkms/$kver" "${ko#"$tmp/dkms-lib/"}, version $got"
	fi
done
[ $kernels -gt 0 ] || fail dkms "no kernel headers under /lib/modules/*/build"

exit $failed
