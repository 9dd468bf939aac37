#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Write tests/emu/expected/GUEST.POLICY.txt from the "EXPECT GUEST.POLICY:
# LINE" lines that suite exits printed for traces without (or unlike) an
# expected file, then `make exit-docs` puts them into docs/exits/. Check
# the new files with `git diff` before committing them: they become the
# truth the suite holds every later run to.
#
#   tools/emu/update-expected.sh build/emu/runs/bochs-exits-1cpu/serial.log
set -eu
log=${1:?usage: $0 SERIAL_LOG}
dir=$(dirname "$0")/../../tests/emu/expected
# run.py prefixes guest lines; keep what follows "EXPECT ".
sed -n 's/.*EXPECT \([a-z0-9]*\.[a-z]*\): \(.*\)$/\1 \2/p' "$log" | tr -d '\r' >/tmp/expect.$$
for key in $(cut -d' ' -f1 /tmp/expect.$$ | sort -u); do
	sed -n "s/^$key //p" /tmp/expect.$$ >"$dir/$key.txt"
	echo "$dir/$key.txt: $(wc -l <"$dir/$key.txt") records"
done
rm -f /tmp/expect.$$
