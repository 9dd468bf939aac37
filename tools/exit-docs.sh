#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The trace excerpts of docs/exits/*.md come from the suite, never from a
# hand: each block between
#   <!-- trace KEY -->  and  <!-- end trace -->
# is replaced by the first 12 records of tests/emu/expected/KEY.txt (what
# suite exits traced and checks: exit reason, decoded detail, where it was
# handled). `make exit-docs` rewrites the docs; --check only says whether
# they are up to date (tools/test-all.sh runs it).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
check=false
[ "${1:-}" = --check ] && check=true
fail=0
for doc in "$top"/docs/exits/*.md; do
	awk -v dir="$top/tests/emu/expected" '
	/^<!-- trace [a-z0-9.]* -->$/ {
		print
		key = $3
		print "```"
		n = 0
		f = dir "/" key ".txt"
		while (n < 12 && (getline line < f) > 0) {
			print line
			n++
		}
		if (n == 0)
			print "(no records: " key ".txt is missing)"
		close(f)
		print "```"
		skip = 1
		next
	}
	/^<!-- end trace -->$/ { skip = 0 }
	!skip { print }
	' "$doc" >"$doc.new"
	if $check; then
		if cmp -s "$doc" "$doc.new"; then
			echo "PASS exit-docs/$(basename "$doc" .md)"
		else
			echo "FAIL exit-docs/$(basename "$doc" .md): out of date, run make exit-docs"
			fail=1
		fi
		rm -f "$doc.new"
	else
		mv "$doc.new" "$doc"
	fi
done
exit $fail
