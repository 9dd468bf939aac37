# SPDX-License-Identifier: GPL-2.0
# Helpers for emulator suites (tests/emu/suite-*.sh), sourced as
#   . /tests/lib.sh
# inside the emulated machine (busybox sh). Every result is one serial line
# in the protocol tools/emu/run.py parses (see tests/emu/init):
#   MVTEST: PASS <name> | MVTEST: FAIL <name>: <reason> | MVTEST: INFO <text>
# and a suite ends with t_done (MVTEST: DONE <suite>); a suite that never
# gets there is reported as not completed.
#
# Test names: no spaces or colons (the runner prefixes them with
# "<emulator>-<suite>/").
#
# Environment for suites:
#   MV_SUITE  suite name (from init)
#   MV_EMU    bochs or qemu (mvemu= on the kernel command line)
#   MV_CPUS   number of emulated CPUs the runner asked for (mvcpus=)
#   MV_FAILS  number of t_fail calls so far

MV_FAILS=0

# mv_param NAME: value of NAME=... on the kernel command line (run.py
# --append adds suite parameters there), empty if absent.
mv_param() {
	# shellcheck disable=SC2013 # words are wanted, not lines
	for _w in $(cat /proc/cmdline); do
		case $_w in "$1"=*) echo "${_w#*=}"; return 0 ;; esac
	done
}

MV_SUITE=${MV_SUITE:-unknown}
MV_EMU=$(mv_param mvemu)
MV_CPUS=$(mv_param mvcpus)
export MV_SUITE MV_EMU MV_CPUS

# One line per result: fold any newlines in free text.
_mv_line() {
	_l=$(printf '%s' "$*" | tr '\n\r' '  ')
	echo "$_l"
}

t_pass() {
	echo "MVTEST: PASS $1"
}

# t_fail NAME REASON...
t_fail() {
	_n=$1
	shift
	MV_FAILS=$((MV_FAILS + 1))
	_mv_line "MVTEST: FAIL $_n: ${*:-failed}"
}

t_info() {
	_mv_line "MVTEST: INFO $*"
}

# t_show TEXT: a fact worth seeing in the verdict itself (run.py echoes it
# among the results), e.g. what the module logged. Not a test.
t_show() {
	_mv_line "MVTEST: SHOW $*"
}

# t_show_dmesg: t_show every module line since dmesg_mark, without the
# timestamp and the taint notices.
t_show_dmesg() {
	dmesg_new | grep 'minivmm: ' |
		grep -v -e 'taints kernel' -e 'module verification failed' |
		sed 's/^\[[ 0-9.]*\] //' | while IFS= read -r _l; do
			t_show "dmesg: $_l"
		done
}

# _mv_show NAME OUTPUT: the last lines of a failed command's output as INFO
# lines, so the run's log shows why without rerunning.
_mv_show() {
	[ -n "$2" ] || return 0
	printf '%s\n' "$2" | tail -n 10 | while IFS= read -r _l; do
		echo "MVTEST: INFO $1| $_l"
	done
}

# _mv_last OUTPUT: last non-empty line, for a FAIL reason.
_mv_last() {
	printf '%s\n' "$1" | sed '/^[[:space:]]*$/d' | tail -n 1
}

# t_check NAME CMD...: PASS if CMD exits 0; otherwise FAIL with the exit
# status and the last line of its output (stdout and stderr).
t_check() {
	_n=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	if [ $_rc = 0 ]; then
		t_pass "$_n"
	else
		_mv_show "$_n" "$_out"
		t_fail "$_n" "'$*' exited $_rc${_out:+: $(_mv_last "$_out")}"
	fi
	return $_rc
}

# t_expect_fail NAME RC CMD...: PASS if CMD exits with status RC (or with
# any non-zero status if RC is "nonzero"); a success is a FAIL.
t_expect_fail() {
	_n=$1
	_want=$2
	shift 2
	_out=$("$@" 2>&1)
	_rc=$?
	if [ $_rc != 0 ] && { [ "$_want" = nonzero ] || [ $_rc = "$_want" ]; }; then
		t_pass "$_n"
		return 0
	fi
	_mv_show "$_n" "$_out"
	t_fail "$_n" "'$*' exited $_rc, expected $_want${_out:+: $(_mv_last "$_out")}"
	return 1
}

# t_grep NAME PATTERN FILE: PASS if FILE has a line matching PATTERN, a
# basic regular expression as for plain grep: ( ) | + ? are literal
# characters, handy for kernel messages.
t_grep() {
	if grep -q -- "$2" "$3" 2>/dev/null; then
		t_pass "$1"
	else
		t_fail "$1" "no line matching /$2/ in $3"
		return 1
	fi
}

# dmesg_mark / dmesg_new: the kernel log lines printed since the mark.
# (The runner boots with a large log_buf_len so the log does not wrap.)
dmesg_mark() {
	MV_DMESG_MARK=$(dmesg | wc -l)
}
dmesg_new() {
	dmesg | tail -n +$((${MV_DMESG_MARK:-0} + 1))
}
# dmesg_new_file: write dmesg_new to a file and print its name, for
#   t_grep NAME PATTERN "$(dmesg_new_file)"
# (one file, rewritten by each call).
dmesg_new_file() {
	dmesg_new >/tmp/dmesg_new.txt
	echo /tmp/dmesg_new.txt
}

# t_one_refusal_line NAME PATTERN: since dmesg_mark the module logged
# exactly one line of its own (taint notices aside), and it matches PATTERN
# (basic regex, as t_grep). Pins "one clear line per refused load".
t_one_refusal_line() {
	dmesg_new | grep 'minivmm: ' |
		grep -v -e 'taints kernel' -e 'module verification failed' \
		>/tmp/refusal.txt
	_c=$(wc -l </tmp/refusal.txt)
	if [ "$_c" = 1 ] && grep -q -- "$2" /tmp/refusal.txt; then
		t_pass "$1"
	else
		_mv_show "$1" "$(cat /tmp/refusal.txt)"
		t_fail "$1" "want exactly one minivmm line matching /$2/, got $_c"
		return 1
	fi
}

# The kernel messages run.py's kernel-log-clean check fails on.
MV_SPLAT='Oops|BUG:|WARNING:|general protection fault|Call Trace|Kernel panic|lockdep|possible circular locking|INFO: task .* blocked'

# t_dmesg_clean NAME: FAIL if the kernel logged a splat since dmesg_mark
# (pins a splat to the test that caused it; run.py checks the whole log).
t_dmesg_clean() {
	_s=$(dmesg_new | grep -E "$MV_SPLAT")
	if [ -z "$_s" ]; then
		t_pass "$1"
	else
		t_fail "$1" "kernel log: $(printf '%s\n' "$_s" | head -n 1)"
		return 1
	fi
}

# as_nobody CMD...: run CMD as uid/gid 65534 without any capabilities
# (su drops them with the uid change). Arguments pass through as they are;
# the "--" keeps busybox su from taking CMD's options (-u...) as its own.
as_nobody() {
	su -s /bin/sh -c 'exec "$@"' -- nobody sh "$@"
}

# t_done: the suite reached its end.
t_done() {
	echo "MVTEST: DONE $MV_SUITE"
}
