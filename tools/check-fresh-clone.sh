#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/check-fresh-clone.sh [TARGET...]
#
# Every target `make help` lists must work from a fresh clone, not only
# after another target ran. For each one this clones HEAD into a new
# temporary directory and runs the target there alone, printing
# "PASS fresh-clone/<target>" or "FAIL fresh-clone/<target>: ..." (with
# the log's tail). `make test` is left out: CI runs it on a clean clone
# anyway, and it takes a quarter of an hour. The packages tools/deps.sh
# installs are taken as given (CI installs them before, through
# `make demo`); a target that needs them and finds them missing must say
# so, which is checked by the unit tests, not here.
#
# Takes about 10 minutes (two Bochs boots, three module builds).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/minivmm-fresh-XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# check NAME CMD...: run CMD in a fresh clone.
check() {
	name=$1
	shift
	dir=$work/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')
	git clone -q "$top" "$dir" || exit 1
	if (cd "$dir" && "$@") >"$dir.log" 2>&1; then
		echo "PASS fresh-clone/$name"
		passed=$((passed + 1))
	else
		echo "FAIL fresh-clone/$name: '$*' failed; its last lines:"
		tail -n 15 "$dir.log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
	rm -rf "$dir"
}

want() {
	[ $# = 0 ] && return 0
	for t; do [ "$t" = "$name_wanted" ] && return 0; done
	return 1
}

run_if_wanted() {
	name_wanted=$1
	shift
	if want $targets; then
		check "$name_wanted" "$@"
	fi
}

targets="$*"
run_if_wanted help make help
run_if_wanted all make
run_if_wanted deps make deps
run_if_wanted unit make unit
run_if_wanted kbuild-check make kbuild-check
run_if_wanted install sh -c 'make install DESTDIR=$PWD/destdir PREFIX=/usr &&
	test -x destdir/usr/bin/minivmm'
run_if_wanted uninstall sh -c 'make uninstall DESTDIR=$PWD/destdir PREFIX=/usr'
run_if_wanted clean make clean
run_if_wanted demo sh -c 'make demo >out 2>&1; rc=$?; cat out; [ $rc = 0 ] &&
	grep -q "Hello from real mode" out && grep -q "Hello from long mode" out'
run_if_wanted emu make emu SUITE=smoke
run_if_wanted fuzz make fuzz SECONDS=5
echo "$passed passed, $failed failed"
[ $failed = 0 ]
