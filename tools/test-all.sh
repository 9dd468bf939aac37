#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make test`: everything CI checks, in order, with one closing line.
#
#   1. deps          Debian packages (tools/deps.sh)
#   2. build         ./minivmm and the guest images
#   3. unit          criterion unit tests of the userspace logic
#   4. kbuild        minivmm.ko against Debian's 6.1 and 6.12 headers, W=1
#   4b. install      make install/uninstall into a DESTDIR, the man page,
#                    bash completion, dkms add/build/install in temporary
#                    trees for every installed kernel (tools/check-install.sh)
#   5. emulator      Bochs (VT-x): suites vmx, vm, run, exits, kvm (the
#                    guests under --accel kvm too) and bench (1 CPU), smp (2
#                    CPUs, another CPU model) and linux (Debian's kernel as a
#                    guest); QEMU TCG (no VT-x): suite novmx;
#                    after suite vm, tools/check-errno-table.sh: every row of
#                    the error table in docs/uapi.md has a PASS line
#   6. fuzz          Bochs, 1 CPU: tests/fuzz/fuzz.c for 120 guest seconds,
#                    seed FUZZ_SEED (fixed, so CI repeats itself; set it to
#                    explore); the closing line names it
#
# Every part prints "PASS name" / "FAIL name: why" lines (criterion prints
# its own summary, counted from its Synthesis line). A part that cannot run
# counts as a failure, never as a skip. Logs: build/test-logs/.
set -u
FUZZ_SEED=${FUZZ_SEED:-1796393725295865}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$top/build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
passed=0
failed=0

# count_lines LOG: add the log's PASS/FAIL lines to the totals.
count_lines() {
	p=$(grep -c '^PASS ' "$1")
	f=$(grep -c '^FAIL ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

# part NAME CMD...: run one part, echo its output, fail it if it exits
# non-zero without having printed a FAIL line of its own.
part() {
	name=$1
	shift
	echo "=== $name: $*"
	start=$(date +%s)
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
	cat "$logs/$name.log"
	if [ $rc != 0 ] && ! grep -q '^FAIL ' "$logs/$name.log" &&
	   ! grep -q '^\[====\] Synthesis' "$logs/$name.log"; then
		echo "FAIL $name: exited $rc" | tee -a "$logs/$name.log"
	fi
	echo "=== $name: rc=$rc, $(( $(date +%s) - start )) s"
	return $rc
}

part deps tools/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
count_lines "$logs/deps.log"

# -B: `make demo` may have built them already, without WERROR.
if part build make -s -B minivmm guests WERROR=1; then
	echo "PASS build/userspace" >>"$logs/build.log"
fi
count_lines "$logs/build.log"

part unit make -s unit WERROR=1
syn=$(grep '^\[====\] Synthesis' "$logs/unit.log" | tail -1)
if [ -n "$syn" ]; then
	# [====] Synthesis: Tested: 12 | Passing: 12 | Failing: 0 | Crashing: 0
	up=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	uf=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1 \2/p')
	passed=$((passed + up))
	failed=$((failed + ${uf% *} + ${uf#* }))
else
	count_lines "$logs/unit.log"
fi

part kbuild make -s kbuild-check
count_lines "$logs/kbuild.log"
part install tools/check-install.sh
count_lines "$logs/install.log"

part emu-bochs-vmx make -s emu EMU=bochs SUITE=vmx CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-vmx.log"
part emu-bochs-vm make -s emu EMU=bochs SUITE=vm CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-vm.log"
# Every row of the error table in docs/uapi.md has its PASS line in suite vm.
part errno-table tools/check-errno-table.sh docs/uapi.md "$logs/emu-bochs-vm.log"
count_lines "$logs/errno-table.log"
part emu-bochs-run make -s emu EMU=bochs SUITE=run CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-run.log"
# One guest per exit class under every exit policy, --compare-policy, --step.
part emu-bochs-exits make -s emu EMU=bochs SUITE=exits CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-exits.log"
part exit-docs tools/exit-docs.sh --check
count_lines "$logs/exit-docs.log"
# The differential suite: the guests under minivmm.ko and under --accel kvm.
part emu-bochs-kvm make -s emu EMU=bochs SUITE=kvm CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-kvm.log"
# make bench: the table must be complete (figures, no timing verdicts).
part emu-bochs-bench make -s bench
count_lines "$logs/emu-bochs-bench.log"
part emu-bochs-smp make -s emu EMU=bochs SUITE=smp CPUS=2 CPU_MODEL=broadwell_ult
count_lines "$logs/emu-bochs-smp.log"
# Debian's stock kernel booted under minivmm: four boots, 5-6 minutes.
part emu-bochs-linux make -s emu EMU=bochs SUITE=linux CPUS=1 CPU_MODEL=corei7_haswell_4770 EMU_TIMEOUT=2400
count_lines "$logs/emu-bochs-linux.log"
part emu-qemu-novmx make -s emu EMU=qemu SUITE=novmx
count_lines "$logs/emu-qemu-novmx.log"
# A fixed seed keeps CI repeatable; `make fuzz` draws a new one each run.
part emu-bochs-fuzz make -s fuzz SECONDS=120 SEED=$FUZZ_SEED CPUS=1 CPU_MODEL=corei7_haswell_4770
count_lines "$logs/emu-bochs-fuzz.log"
# "  bochs-fuzz: fuzz: seed=S ops=N calls=C in T s (errnos: ...)"
fuzz=$(sed -n 's/.*fuzz: seed=\([0-9]*\) ops=\([0-9]*\) .*/\2 operations (seed \1)/p' \
	"$logs/emu-bochs-fuzz.log" | tail -n 1)

if [ $failed != 0 ]; then
	echo
	echo "Failed checks (details above and in build/test-logs/):"
	grep -h '^FAIL ' "$logs"/*.log | sed 's/^/  /'
fi
echo "$passed passed, $failed failed; fuzz: ${fuzz:-did not report}"
[ $failed = 0 ] && [ $passed -gt 0 ]
