#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs, one CPU: the /dev/minivmm fuzzer (tests/fuzz/fuzz.c) as hostile
# userspace, then the kernel's side of the verdict: no splat in the log,
# the module's refcount back to 0, rmmod works.
#
# Kernel command line (EMU_APPEND, see `make fuzz`):
#   fuzzsecs=S   budget in guest seconds (default 120)
#   fuzzseed=N   replay seed N (default: the fuzzer picks one and prints it)
#   fuzzops=N    stop after N operations (replays the same sequence)
#   fuzztrace=1  print every operation (slow: for finding the culprit)
. /tests/lib.sh

secs=$(mv_param fuzzsecs)
seed=$(mv_param fuzzseed)
ops=$(mv_param fuzzops)
trace=$(mv_param fuzztrace)
case $secs in '' | *[!0-9]*) secs=120 ;; esac

t_check insmod insmod /lib/modules/minivmm.ko
dmesg_mark
# The fuzzer prints its own MVTEST lines (seed, FAILs, summary, PASS).
# timeout: a fuzzer that does not come back is a finding too (RUN must
# always return); KILL because it ignores nothing else it could get.
set -- --seconds "$secs"
[ -n "$seed" ] && set -- "$@" --seed "$seed"
[ -n "$ops" ] && set -- "$@" --ops "$ops" --seconds 0
[ "$trace" = 1 ] && set -- "$@" --trace
timeout -s KILL $((secs * 3 + 300)) fuzz "$@"
rc=$?
case $rc in
0) ;;
137) t_fail fuzz-returned "killed after $((secs * 3 + 300)) s: the fuzzer hung" ;;
*) t_info "fuzz exited with status $rc" ;;
esac
t_dmesg_clean fuzz-kernel-log-clean
# How much the module logged (rate-limited entry failures and the like).
t_info "fuzz: $(dmesg_new | grep -c 'minivmm: ') minivmm kernel log lines"
refs=$(awk '$1 == "minivmm" { print $3 }' /proc/modules)
[ "$refs" = 0 ] && t_pass fuzz-module-refcount-zero ||
	t_fail fuzz-module-refcount-zero "refcount '$refs' after the fuzzer exited"
t_check fuzz-rmmod rmmod minivmm
t_done
