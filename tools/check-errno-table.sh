#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: tools/check-errno-table.sh DOC LOG
#
# The error table of DOC (docs/uapi.md, section "## Errors": table rows
# whose first cell is an ID in backquotes) against LOG, the output of the
# emulator suite that runs tests/emu/helpers/errno_check.c (e.g.
# build/test-logs/emu-bochs-vm.log, or a raw serial log). One line per ID:
#   PASS errno-table/<ID>
#   FAIL errno-table/<ID>: why
# A row without a PASS line for errno-<ID> fails (a row without a test must
# fail CI), and so does a tested errno-<ID> that is not in the table, or an
# ID listed twice. Exit status 1 if anything failed.
set -u
if [ $# != 2 ]; then
	echo "usage: $0 DOC LOG" >&2
	exit 2
fi
doc=$1
log=$2
rc=0

fail() {
	echo "FAIL errno-table/$1: $2"
	rc=1
}

for f in "$doc" "$log"; do
	if [ ! -r "$f" ]; then
		fail "input" "cannot read $f"
		exit 1
	fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# IDs of the table, in document order.
awk '
	/^## / { in_errors = ($0 == "## Errors") }
	in_errors && /^\| `[a-z0-9-]+` \|/ {
		id = $0
		sub(/^\| `/, "", id)
		sub(/` \|.*/, "", id)
		print id
	}
' "$doc" >"$tmp/ids"
if [ ! -s "$tmp/ids" ]; then
	fail "table" "no rows found under \"## Errors\" in $doc"
	exit 1
fi

# Results in LOG: "<STATUS> <ID>" for every errno-<ID> line, whether
# run.py's verdict ("PASS bochs-vm/errno-x") or the serial protocol
# ("MVTEST: PASS errno-x", in serial.log after a timestamp).
sed -n 's/^\([ 0-9.]* MVTEST: \|MVTEST: \)\{0,1\}\(PASS\|FAIL\) \([^ :]*\/\)\{0,1\}errno-\([a-z0-9-]*\).*/\2 \4/p' \
	"$log" >"$tmp/results"

sort "$tmp/ids" | uniq -d | while read -r id; do
	echo "FAIL errno-table/$id: listed more than once in $doc"
done >"$tmp/dups"
if [ -s "$tmp/dups" ]; then
	cat "$tmp/dups"
	rc=1
fi

while read -r id; do
	if grep -qx "FAIL $id" "$tmp/results"; then
		fail "$id" "errno-$id failed in $log"
	elif grep -qx "PASS $id" "$tmp/results"; then
		echo "PASS errno-table/$id"
	else
		fail "$id" "no PASS line for errno-$id in $log (row without a test?)"
	fi
done <"$tmp/ids"

# Tested but undocumented: the table must list every check.
cut -d' ' -f2 "$tmp/results" | sort -u | while read -r id; do
	grep -qx -- "$id" "$tmp/ids" ||
		echo "FAIL errno-table/$id: errno-$id is tested but not in the table of $doc"
done >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
	cat "$tmp/extra"
	rc=1
fi
exit $rc
